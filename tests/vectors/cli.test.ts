import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VectorCase } from '../../spec/scripts/generate-vectors.js';
import { UsageError } from '../../src/cli/args.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { KNOWN_DIVERGENCES, mismatches, presentationsOf, VECTORS, VECTORS_DIR } from './fixtures.js';

/**
 * The vectors the CLI can express (`interfaces` contains `cli`) through `shomei verify --json`: the exit
 * code must follow the expected outcome (0 allow, 1 deny, 2 review) and `reasons[].code` the expected
 * codes. Every such vector runs through the `verify` command in this process (the command's own argument
 * parsing, trust construction and JSON output; a process per vector would take minutes), and a
 * representative subset — one per exit code and failure stage — runs as a real child process from the
 * TypeScript sources (never a possibly stale dist/). A replay sequence needs one verifier across
 * presentations, which one CLI call cannot give: only its first presentation runs here (the library test
 * runs the whole sequence).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXIT = { allow: 0, deny: 1, review: 2 } as const;
const CONCURRENCY = 4;
const EXIT_USAGE = 3;

interface CliRun {
  exitCode: number;
  outcome?: string;
  codes: string[];
  stderr: string;
}

let scratch: string;
const inProcess = new Map<string, CliRun>();
const spawned = new Map<string, CliRun>();

function cliArguments(vector: VectorCase, dir: string): string[] {
  const first = presentationsOf(vector)[0]!;
  const expectations = { ...vector.expectations, ...first.expectations };
  const args = [
    'verify',
    first.token ?? vector.token,
    '--kind', vector.kind,
    '--issuer', expectations.issuer,
    '--audience', vector.verifier.audience,
    '--now', String(vector.now),
    '--tolerance', String(vector.verifier.clock_tolerance),
    '--json',
  ];
  const file = (name: string, value: unknown): string => {
    const path = join(dir, `${vector.id}.${name}.json`);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  // The whole trust configuration of the vector, with each party's JWKS file inlined.
  const parties = vector.verifier.trust.parties.map((party) => ({ ...party, keys: { jwks: JSON.parse(readFileSync(join(VECTORS_DIR, party.keys.jwks), 'utf8')) } }));
  args.push('--trust', file('trust', { parties }), '--max-token-bytes', String(vector.verifier.max_token_bytes));
  if (expectations.subject !== undefined) args.push('--subject', expectations.subject);
  const policy = vector.verifier.policy;
  if (policy === 'none') args.push('--no-policy');
  else if (policy !== 'default') args.push('--policy', file('policy', policy));
  if (expectations.nonce !== undefined) args.push('--nonce', expectations.nonce);
  if (expectations.request !== undefined) args.push('--request', expectations.request);
  if (expectations.transaction !== undefined) args.push('--transaction', file('transaction', expectations.transaction));
  if (expectations.account !== undefined) args.push('--account', file('account', expectations.account));
  if (expectations.action !== undefined) args.push('--action', expectations.action);
  return args;
}

function parseOutput(exitCode: number, stdout: string, stderr: string): CliRun {
  let outcome: string | undefined;
  let codes: string[] = [];
  try {
    const printed = JSON.parse(stdout) as { outcome?: string; reasons?: Array<{ code: string }> };
    outcome = printed.outcome;
    codes = (printed.reasons ?? []).map((reason) => reason.code);
  } catch {
    // Not JSON (a usage error): the exit code and stderr tell.
  }
  return { exitCode, ...(outcome !== undefined ? { outcome } : {}), codes, stderr };
}

/** `shomei verify` in this process, stdout captured; a usage error exits 3 as main.ts maps it. */
async function runInProcess(args: string[]): Promise<CliRun> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  try {
    return parseOutput(await verifyCommand(args.slice(1)), stdout, '');
  } catch (error) {
    return parseOutput(error instanceof UsageError ? EXIT_USAGE : -1, stdout, (error as Error).message);
  } finally {
    spy.mockRestore();
  }
}

function runChild(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      resolve(parseOutput(error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr));
    });
  });
}

const CLI_VECTORS = VECTORS.filter((vector) => vector.interfaces.includes('cli'));
/** One vector per exit code and failure stage, and each signature algorithm, for the real binary. */
const SPAWNED = [
  'link-es256-passkey',
  'request-ps256-account-link',
  'identity-eddsa-direct-debit',
  'link-name-kana-close-match',
  'link-2020-cashcard-pin-birthdate',
  'link-es256-r-s-zero',
  'transaction-amount-changed',
  'transaction-sms-below-threshold',
];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'shomei-vectors-cli-'));
  for (const vector of CLI_VECTORS) inProcess.set(vector.id, await runInProcess(cliArguments(vector, scratch)));
  const queue = CLI_VECTORS.filter((vector) => SPAWNED.includes(vector.id));
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let vector = queue.shift(); vector !== undefined; vector = queue.shift()) {
        spawned.set(vector.id, await runChild(cliArguments(vector, scratch)));
      }
    }),
  );
}, 120_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('spec/vectors through shomei verify --json', () => {
  it('SHO-VER-1: the CLI runs every vector', () => {
    expect(CLI_VECTORS.length).toBe(VECTORS.length);
    expect(SPAWNED.every((id) => CLI_VECTORS.some((vector) => vector.id === id))).toBe(true);
  });

  for (const vector of CLI_VECTORS) {
    const divergence = KNOWN_DIVERGENCES[vector.id];
    const test = divergence === undefined ? it : it.fails;
    const expected = presentationsOf(vector)[0]!.expected;
    const suffix = divergence === undefined ? '' : ` (KNOWN LIBRARY DIVERGENCE: ${divergence})`;
    test(`${vector.requirements.join(' ')}: ${vector.id} → exit ${EXIT[expected.outcome]}${suffix}`, () => {
      const run = inProcess.get(vector.id)!;
      expect(run.exitCode, run.stderr).toBe(EXIT[expected.outcome]);
      expect(mismatches({ outcome: run.outcome ?? '(no JSON output)', codes: run.codes }, expected)).toEqual([]);
    });
    if (SPAWNED.includes(vector.id)) {
      test(`${vector.requirements[0]}: ${vector.id} → exit ${EXIT[expected.outcome]} from a child process${suffix}`, () => {
        const run = spawned.get(vector.id)!;
        expect(run.exitCode, run.stderr).toBe(EXIT[expected.outcome]);
        expect(mismatches({ outcome: run.outcome ?? '(no JSON output)', codes: run.codes }, expected)).toEqual([]);
      });
    }
  }
});
