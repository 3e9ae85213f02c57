import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKey } from 'shomei/issuer';
import { verifySignedReport, type PlanReport } from 'shomei/conformance';
import { conformanceCommand } from '../../src/cli/commands/conformance.js';
import { UsageError } from '../../src/cli/args.js';
import { startFixtureRelyingParty, type FixtureRelyingParty } from '../../conformance/fixtures/relying-party.js';
import { skipsAudienceCheck } from '../../conformance/fixtures/defects/skips-audience-check.js';

let dir: string;
let printed: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shomei-conformance-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function quiet(): void {
  printed = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
}

async function withRp<T>(run: (rp: FixtureRelyingParty) => Promise<T>, defect?: typeof skipsAudienceCheck): Promise<T> {
  const rp = await startFixtureRelyingParty(defect === undefined ? {} : { defect });
  try {
    return await run(rp);
  } finally {
    await rp.close();
    vi.restoreAllMocks();
  }
}

describe('shomei conformance', () => {
  it('SHO-CONF-14: list prints every module with its level and requirement IDs', async () => {
    quiet();
    expect(await conformanceCommand(['list', 'verifier'])).toBe(0);
    vi.restoreAllMocks();
    const text = printed.join('');
    expect(text).toMatch(/verifier-alg-none\s+MUST\s+SHO-JWS-6 SHO-JWS-1/);
    expect(text).not.toContain('issuer-push-happy');
  });

  it('SHO-CONF-16: writes the four report formats and a signed JSON report, and exits 0 when nothing failed', async () => {
    const key = await generateKey('ES256');
    const keyFile = join(dir, 'tester.jwk.json');
    writeFileSync(keyFile, JSON.stringify(key.privateJwk));
    const out = join(dir, 'pass');
    const code = await withRp(async (rp) => {
      quiet();
      return conformanceCommand(['verifier', '--target', rp.interfaceUrl, '--only', 'verifier-happy-account-link,verifier-alg-none', '--only', 'verifier-aud-wrong', '--out', out, '--sign-key', keyFile, '--no-color']);
    });
    expect(code).toBe(0);
    expect(printed.join('')).toMatch(/PASSED\s+verifier-alg-none/);
    expect(printed.join('')).toContain('Result: PASSED');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as PlanReport;
    expect(report.modules.map((module) => module.id)).toEqual(['verifier-test-interface', 'verifier-happy-account-link', 'verifier-alg-none', 'verifier-aud-wrong']);
    expect(readFileSync(join(out, 'report.junit.xml'), 'utf8')).toContain('failures="0"');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<!doctype html>');
    const signed = await verifySignedReport(readFileSync(join(out, 'report.jws'), 'utf8').trim(), key.publicJwk);
    expect(signed).toEqual(report);
  }, 60_000);

  it('SHO-CONF-14: exits 1 when a module FAILED', async () => {
    const json = join(dir, 'fail.json');
    const code = await withRp(async (rp) => {
      quiet();
      return conformanceCommand(['verifier', '--target', rp.interfaceUrl, '--only', 'verifier-aud-wrong', '--json', json]);
    }, skipsAudienceCheck);
    expect(code).toBe(1);
    expect((JSON.parse(readFileSync(json, 'utf8')) as PlanReport).counts.FAILED).toBe(1);
    expect(existsSync(`${json}.jws`)).toBe(false);
  }, 60_000);

  it('SHO-CONF-14: --skip reports the module as SKIPPED', async () => {
    const json = join(dir, 'skip.json');
    await withRp(async (rp) => {
      quiet();
      return conformanceCommand(['verifier', '--target', rp.interfaceUrl, '--only', 'verifier-alg-none,verifier-aud-wrong', '--skip', 'verifier-aud-wrong', '--json', json]);
    });
    const report = JSON.parse(readFileSync(json, 'utf8')) as PlanReport;
    expect(report.modules.find((module) => module.id === 'verifier-aud-wrong')?.status).toBe('SKIPPED');
  }, 60_000);

  it('usage errors: unknown module, missing target, --assisted on the verifier plan, a signature without a report file', async () => {
    await expect(conformanceCommand(['verifier', '--target', 'http://127.0.0.1:1/conformance', '--only', 'verifier-no-such-module'])).rejects.toBeInstanceOf(UsageError);
    await expect(conformanceCommand(['verifier'])).rejects.toBeInstanceOf(UsageError);
    await expect(conformanceCommand(['issuer', '--target', 'ftp://x'])).rejects.toBeInstanceOf(UsageError);
    await expect(conformanceCommand(['verifier', '--target', 'http://127.0.0.1:1/conformance', '--assisted'])).rejects.toBeInstanceOf(UsageError);
    await expect(conformanceCommand(['verifier', '--target', 'http://127.0.0.1:1/conformance', '--sign-key', 'k.json'])).rejects.toBeInstanceOf(UsageError);
    await expect(conformanceCommand(['bank'])).rejects.toBeInstanceOf(UsageError);
    await expect(conformanceCommand(['verifier', '--target', 'http://127.0.0.1:1/conformance', '--port', '70000'])).rejects.toBeInstanceOf(UsageError);
  });
});
