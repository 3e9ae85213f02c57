import { describe, expect, it } from 'vitest';
import { generateKey, createLocalSigner } from 'shomei/issuer';
import { ShomeiError } from 'shomei';
import {
  REPORT_TYP,
  formatModuleLine,
  formatSummary,
  runVerifierPlan,
  signReport,
  toHtmlReport,
  toJsonReport,
  toJunitXml,
  verifySignedReport,
  type ModuleResult,
  type PlanReport,
} from 'shomei/conformance';
import { startFixtureRelyingParty } from '../../conformance/fixtures/relying-party.js';

function module(id: string, status: ModuleResult['status'], summary = 'summary <&>'): ModuleResult {
  return {
    id, title: `title of ${id}`, requirements: ['SHO-JWS-6'], level: 'MUST', kind: 'header', expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED' },
    status, summary, startedAt: '2026-11-21T00:00:00.000Z', durationMs: 12,
    log: [{ type: 'check', time: '2026-11-21T00:00:00.000Z', check: 'partner decision', requirement: 'SHO-JWS-6', status: status === 'SKIPPED' ? 'PASSED' : status, expected: 'rejected', actual: 'accepted "<script>"' }],
  };
}

const REPORT: PlanReport = {
  format: 'shomei-conformance-report/1',
  tool: { name: 'shomei', version: '0.1.0' },
  plan: 'verifier',
  target: { url: 'http://127.0.0.1:1/conformance', party: 'http://127.0.0.1:1' },
  suite: { party: 'http://127.0.0.1:2', role: 'bank' },
  startedAt: '2026-11-21T00:00:00.000Z',
  finishedAt: '2026-11-21T00:00:05.000Z',
  selection: {},
  counts: { PASSED: 1, FAILED: 1, WARNING: 1, REVIEW: 0, SKIPPED: 1 },
  result: 'FAILED',
  modules: [module('verifier-a', 'PASSED'), module('verifier-b', 'FAILED'), module('verifier-c', 'WARNING'), module('verifier-d', 'SKIPPED')],
};

describe('report formats', () => {
  it('SHO-CONF-14: JSON has the tool version, plan, target, times and every module with its log', () => {
    const parsed = JSON.parse(toJsonReport(REPORT)) as PlanReport;
    expect(parsed).toEqual(REPORT);
  });

  it('SHO-CONF-14: JUnit XML counts failures and skips and escapes partner text', () => {
    const xml = toJunitXml(REPORT);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('tests="4" failures="1"');
    expect(xml).toContain('skipped="1"');
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml.match(/<skipped /g)).toHaveLength(1);
    expect(xml).toContain('summary &lt;&amp;&gt;');
    expect(xml).not.toContain('<script>');
  });

  it('SHO-CONF-14: the HTML report is one self-contained file without scripts', () => {
    const html = toHtmlReport(REPORT);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link |src=|@import/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('verifier-b');
  });

  it('SHO-CONF-14: terminal lines and the summary table name the failed modules', () => {
    expect(formatModuleLine(REPORT.modules[1] as ModuleResult)).toMatch(/^FAILED\s+verifier-b\s+12 ms\s+— summary/);
    const summary = formatSummary(REPORT);
    expect(summary).toContain('FAILED');
    expect(summary).toContain('verifier-b (SHO-JWS-6)');
    expect(summary).toContain('Result: FAILED');
  });

  it("SHO-CONF-16: the signed report verifies with the tester's key and carries the whole report", async () => {
    const key = await generateKey('ES256');
    const jws = await signReport(REPORT, await createLocalSigner(key.privateJwk, { alg: 'ES256' }));
    const header = JSON.parse(Buffer.from(jws.split('.')[0] as string, 'base64url').toString()) as Record<string, unknown>;
    expect(header).toEqual({ alg: 'ES256', kid: key.kid, typ: REPORT_TYP });
    expect(await verifySignedReport(jws, key.publicJwk)).toEqual(REPORT);
  });

  it('SHO-CONF-16: a report changed after signing does not verify', async () => {
    const key = await generateKey('ES256');
    const jws = await signReport(REPORT, await createLocalSigner(key.privateJwk, { alg: 'ES256' }));
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...REPORT, result: 'PASSED' })).toString('base64url')}.${s}`;
    await expect(verifySignedReport(forged, key.publicJwk)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    const other = await generateKey('ES256');
    await expect(verifySignedReport(jws, other.publicJwk)).rejects.toBeInstanceOf(ShomeiError);
  });
});

describe('report contents of a real run', () => {
  it('SHO-CONF-15: the report of a run holds no token, flow secret or personal data', async () => {
    const rp = await startFixtureRelyingParty();
    let report: PlanReport;
    try {
      report = await runVerifierPlan({ target: rp.interfaceUrl, only: ['verifier-happy-account-link', 'verifier-happy-payout', 'verifier-alg-none', 'verifier-identity-no-match', 'verifier-flow-iss-mismatch'] });
    } finally {
      await rp.close();
    }
    expect(report.modules.map((m) => m.status)).toEqual(['PASSED', 'PASSED', 'PASSED', 'PASSED', 'PASSED', 'PASSED']);
    const json = toJsonReport(report);
    expect(json).toContain('<jws sha256:');
    // No compact JWS (a base64url JSON header, a payload, a signature) anywhere.
    expect(json).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/);
    // The fixture customer's identity and account, and the suite bank's synthetic person.
    for (const secret of ['試験', 'シケン', '1990-04-01', '0123456', 'urn:shomei:request:']) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/[?&](code|state|request_uri|nonce)=(?!REDACTED)/);
  }, 60_000);
});
