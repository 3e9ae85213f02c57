import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/packed-package.js';

const run = promisify(execFile);
const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');

/** Runs the CLI as a user would; resolves with the exit code instead of rejecting. */
async function shomei(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (input !== undefined) {
    // The CLI may stop reading early (an input over its cap): a closed pipe is not this test's failure.
    child.child.stdin?.on('error', () => {});
    child.child.stdin?.end(input);
  }
  return child.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'shomei-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = 1_793_000_000;
const ACCOUNT = { bank_code: '0005', branch_code: '123', type: '1', number: '7654321' };

describe('shomei CLI (issue 3 point 7)', () => {
  let requestToken = '';

  beforeAll(async () => {
    expect((await shomei(['keys', 'generate', '--alg', 'ES256', '--out', join(dir, 'rp.jwk.json'), '--public-out', join(dir, 'rp.jwks.json')])).code).toBe(0);
    writeFileSync(
      join(dir, 'request.json'),
      JSON.stringify({
        iss: 'https://broker.example',
        aud: 'https://bank.example',
        action: 'account_link',
        redirect_uri: 'https://broker.example/callback',
        state: 'flow-1',
        nonce: 'nonce-0123456789abcdef',
        account: ACCOUNT,
        identity: { name: '山田太郎', birthdate: '1980-04-01' },
      }),
    );
    const signed = await shomei(['sign', '--kind', 'request', '--claims', join(dir, 'request.json'), '--key', join(dir, 'rp.jwk.json'), '--now', String(NOW)]);
    expect(signed.code).toBe(0);
    requestToken = signed.stdout.trim();
  });

  it('keys generate writes the private key with mode 0600, never prints it, and refuses to overwrite', async () => {
    const privateJwk = JSON.parse(readFileSync(join(dir, 'rp.jwk.json'), 'utf8')) as { d: string; kid: string };
    expect(statSync(join(dir, 'rp.jwk.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'rp.jwks.json'), 'utf8')).not.toContain(privateJwk.d);
    const again = await shomei(['keys', 'generate', '--out', join(dir, 'rp.jwk.json')]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('refusing to overwrite');
  });

  it('verify prints the decision as JSON and exits 0 for allow', async () => {
    const result = await shomei(['verify', requestToken, '--kind', 'request', '--jwks', join(dir, 'rp.jwks.json'), '--issuer', 'https://broker.example', '--audience', 'https://bank.example', '--now', String(NOW), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'allow', reasons: [] });
  });

  it('SHO-CLM-2: verify exits 1 for deny and lists the reason code (wrong audience)', async () => {
    const result = await shomei(['verify', requestToken, '--kind', 'request', '--jwks', join(dir, 'rp.jwks.json'), '--issuer', 'https://broker.example', '--audience', 'https://other-bank.example', '--now', String(NOW), '--json']);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { reasons: Array<{ code: string }> }).reasons.map((reason) => reason.code)).toEqual(['AUDIENCE_MISMATCH']);
  });

  it('SHO-KIND-2: verify as another kind exits 1 with TYP_MISMATCH; the token is read from stdin with -', async () => {
    const result = await shomei(['verify', '-', '--kind', 'link', '--jwks', join(dir, 'rp.jwks.json'), '--issuer', 'https://broker.example', '--audience', 'https://bank.example', '--nonce', 'nonce-0123456789abcdef', '--request', requestToken, '--json'], requestToken);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('TYP_MISMATCH');
  });

  it('a token input over 1 MiB on stdin or in a file is refused (exit 3)', async () => {
    const verify = (token: string) => ['verify', token, '--kind', 'request', '--jwks', join(dir, 'rp.jwks.json'), '--issuer', 'https://broker.example', '--audience', 'https://bank.example', '--now', String(NOW), '--json'];
    // 1 MiB plus two bytes of slack for a line end are read (then refused by the verifier, exit 1); one more is not.
    const largest = `${'a'.repeat(1_048_576)}\r\n`;
    expect((await shomei(verify('-'), largest)).code).toBe(1);
    const huge = 'a'.repeat(1_048_579);
    const fromStdin = await shomei(verify('-'), huge);
    expect(fromStdin.code).toBe(3);
    expect(fromStdin.stderr).toContain('larger than 1048576 bytes');
    writeFileSync(join(dir, 'huge.jwt'), huge);
    const fromFile = await shomei(verify(`@${join(dir, 'huge.jwt')}`));
    expect(fromFile.code).toBe(3);
    expect(fromFile.stderr).toContain('larger than 1048576 bytes');
    const missing = await shomei(verify(`@${join(dir, 'missing.jwt')}`));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('cannot read token file');
    // The same token within the cap, from a file and from stdin, is read and verified.
    writeFileSync(join(dir, 'request.jwt'), `${requestToken}\n`);
    expect((await shomei(verify(`@${join(dir, 'request.jwt')}`))).code).toBe(0);
    expect((await shomei(verify('-'), requestToken)).code).toBe(0);
  });

  it('usage errors exit 3: missing option, unknown kind, unknown command, a link verified without its binding inputs', async () => {
    expect((await shomei(['verify', requestToken, '--kind', 'request'])).code).toBe(3);
    expect((await shomei(['verify', requestToken, '--kind', 'cheque', '--jwks', 'x', '--issuer', 'i', '--audience', 'a'])).code).toBe(3);
    expect((await shomei(['frobnicate'])).code).toBe(3);
    const unbound = await shomei(['verify', requestToken, '--kind', 'link', '--jwks', join(dir, 'rp.jwks.json'), '--issuer', 'https://broker.example', '--audience', 'https://bank.example']);
    expect(unbound.code).toBe(3);
    expect(unbound.stderr).toContain('nonce');
  });

  it('SHO-REQ-8: sign refuses a payout request without its transaction (ISSUANCE_REFUSED) and exits 1', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ iss: 'https://broker.example', aud: 'https://bank.example', action: 'payout', redirect_uri: 'https://broker.example/cb', state: 's' }));
    const result = await shomei(['sign', '--kind', 'request', '--claims', join(dir, 'bad.json'), '--key', join(dir, 'rp.jwk.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ISSUANCE_REFUSED');
  });

  it('inspect explains every claim, lints clean, and masks personal data unless --reveal', async () => {
    const result = await shomei(['inspect', requestToken]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('NOT VERIFIED');
    expect(result.stdout).toContain('lint: no findings');
    expect(result.stdout).toContain('redirect_uri');
    for (const secret of ['山田太郎', '1980-04-01', '7654321']) expect(result.stdout).not.toContain(secret);
    const revealed = await shomei(['inspect', requestToken, '--reveal']);
    expect(revealed.stdout).toContain('7654321');
  });

  it('SHO-JWS-6: inspect reports lint findings for a token with alg none and exits 1', async () => {
    const [, payload] = requestToken.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'shomei-request+jwt' })).toString('base64url');
    const result = await shomei(['inspect', `${header}.${payload}.`]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('lint: no findings');
    expect(result.stdout).toContain('ALG_NOT_ALLOWED');
  });

  it('SHO-LOG-4: audit verify reports an edited entry with its line number and exits 1', async () => {
    const { createFileDecisionLog } = await import('../../src/decision-log/file-decision-log.js');
    const logDir = join(dir, 'log');
    const log = await createFileDecisionLog({ path: logDir });
    for (let index = 0; index < 3; index += 1) {
      await log.append({ time: new Date(NOW * 1000 + index).toISOString(), kind: 'link', jti: `jti-000000000000000${index}`, outcome: 'allow', reasons: [] });
    }
    const file = log.currentFile;
    await log.close();
    const clean = await shomei(['audit', 'verify', file]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('chain OK: 3 entries');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = (lines[1] ?? '').replace('"allow"', '"deny"');
    writeFileSync(file, lines.join('\n'));
    const broken = await shomei(['audit', 'verify', file]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('line 2');
  });

  it('SHO-LOG-4: audit verify of a folder checks every file of the log in it, and an empty folder is a usage error', async () => {
    const { createFileDecisionLog } = await import('../../src/decision-log/file-decision-log.js');
    const logDir = join(dir, 'folder-log');
    mkdirSync(logDir);
    const log = await createFileDecisionLog({ path: logDir, maxFileBytes: 4096 });
    for (let index = 0; index < 40; index += 1) {
      await log.append({ time: new Date(NOW * 1000 + index).toISOString(), kind: 'link', jti: `jti-0000000000000${String(index).padStart(3, '0')}`, outcome: 'allow', reasons: [] });
    }
    await log.close();
    const result = await shomei(['audit', 'verify', logDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('chain OK: 40 entries');
    // An entry edited in the middle file is found through the folder too.
    const { listDecisionLogFiles } = await import('../../src/decision-log/file-decision-log.js');
    const files = await listDecisionLogFiles(logDir);
    expect(files.length).toBeGreaterThan(2);
    const middle = files[1]!;
    writeFileSync(middle, readFileSync(middle, 'utf8').replace('"allow"', '"deny"'));
    expect((await shomei(['audit', 'verify', logDir])).code).toBe(1);
    mkdirSync(join(dir, 'empty-folder'));
    expect((await shomei(['audit', 'verify', join(dir, 'empty-folder')])).code).toBe(3);
  });

  it('SHO-LOG-4: a folder holding two logs is refused by name; the path given to the log checks that log', async () => {
    const { createFileDecisionLog } = await import('../../src/decision-log/file-decision-log.js');
    const folder = join(dir, 'two-logs');
    mkdirSync(folder);
    for (const name of ['audit', 'decisions']) {
      const log = await createFileDecisionLog({ path: join(folder, name) });
      await log.append({ time: new Date(NOW * 1000).toISOString(), kind: 'link', jti: 'jti-00000000000000001', outcome: 'allow', reasons: [] });
      await log.close();
    }
    const both = await shomei(['audit', 'verify', folder]);
    expect(both.code).toBe(3);
    expect(both.stderr).toContain('audit, decisions');
    const one = await shomei(['audit', 'verify', join(folder, 'audit')]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('chain OK: 1 entries');
  });
});
