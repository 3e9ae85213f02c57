/**
 * Runs both conformance plans against the examples over real HTTP on loopback, through the built CLI
 * (issue 4 point 4, `.ci/run`): the verifier plan against the securities backend and the issuer plan
 * against the bank, each writing its reports (JSON, JUnit XML, HTML and the JSON signed as a JWS with an
 * ephemeral tester key) to `<out>/verifier/` and `<out>/issuer/`; the terminal shows every module.
 *
 *   npm run build && npx tsx examples/conformance.ts --out conformance/reports
 *
 * Exits 1 when any module FAILED (or a plan could not run), 0 otherwise.
 *
 * The examples are started in sandbox mode: only there do they mount the test interface (spec/17,
 * SHO-CONF-13).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateKey } from 'shomei/issuer';
import { startSandbox } from './demo/sandbox.js';

const CLI = resolve(import.meta.dirname, '../dist/cli/main.js');

/** Runs the CLI as a child process (asynchronously: the examples answer it from this process). */
function runCli(args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolvePromise(code ?? (signal !== null ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'conformance/reports' } } });
  const out = resolve(values.out as string);
  // The tester's key lives outside the report directory; only its public half is kept next to the reports.
  const keyDir = await mkdtemp(join(tmpdir(), 'shomei-conformance-'));
  const key = await generateKey('ES256');
  const keyFile = join(keyDir, 'tester.jwk.json');
  await writeFile(keyFile, JSON.stringify(key.privateJwk), { mode: 0o600 });
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'tester-public.jwk.json'), `${JSON.stringify(key.publicJwk, null, 2)}\n`);

  const sandbox = await startSandbox({ conformance: true, passkeys: false });
  const codes: Array<[string, number]> = [];
  try {
    process.stdout.write(`bank-api            ${sandbox.bank.issuer}\nsecurities-backend  ${sandbox.securities.issuer}\n\n`);
    const common = ['--sign-key', keyFile, '--no-color'];
    codes.push(['verifier plan (securities backend)', await runCli(['conformance', 'verifier', '--target', `${sandbox.securities.issuer}/conformance`, '--out', join(out, 'verifier'), ...common])]);
    codes.push(['issuer plan (bank)', await runCli(['conformance', 'issuer', '--target', `${sandbox.bank.issuer}/conformance`, '--out', join(out, 'issuer'), ...common])]);
  } finally {
    await sandbox.close();
    await rm(keyDir, { recursive: true, force: true });
  }
  process.stdout.write('\n');
  for (const [plan, code] of codes) process.stdout.write(`${plan}: ${code === 0 ? 'no module FAILED' : `FAILED (exit ${code})`}\n`);
  process.stdout.write(`reports: ${out}/{verifier,issuer}/report.{json,junit.xml,html,jws}\n`);
  return codes.every(([, code]) => code === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`conformance run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
