/**
 * `npm run demo` (issue 5.4): starts a bank API, a securities backend and a wallet on free loopback
 * ports, walks through the legitimate flows and the 2020 attacks, prints a narrative and a final table,
 * and exits 0 only if every scenario got its expected outcome. Then it runs the conformance suite
 * against the bank and the securities backend, when the package ships one.
 */
import { createAssertionTap, resultTable, runScenarios, type ScenarioResult } from './demo/scenarios.js';
import { startSandbox, type Sandbox } from './demo/sandbox.js';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * The conformance hook: `shomei/conformance` is expected to export `runConformance({ targets })`
 * returning `{ passed: boolean }`. Until it does, the demo says so and does not fail.
 */
async function runConformanceIfAvailable(sandbox: Sandbox): Promise<boolean> {
  let conformance: Record<string, unknown>;
  try {
    conformance = (await import('shomei/conformance')) as Record<string, unknown>;
  } catch {
    conformance = {};
  }
  const run = conformance.runConformance;
  if (typeof run !== 'function') {
    say('Conformance suite: not available in this version of the package — skipped.');
    return true;
  }
  say('Conformance suite against the bank and the securities backend:');
  const report = (await run({
    targets: [
      { role: 'bank', issuer: sandbox.bank.issuer },
      { role: 'relying_party', issuer: sandbox.securities.issuer },
    ],
    log: say,
  })) as { passed?: unknown };
  return report.passed === true;
}

async function main(): Promise<number> {
  say('shomei demo — a bank, a securities firm and a wallet on loopback; the 2020 attacks replayed.');
  const tap = createAssertionTap();
  const sandbox = await startSandbox({ securitiesFetch: tap.fetch });
  let results: ScenarioResult[] = [];
  let conformanceOk = true;
  try {
    say(`  bank-api            ${sandbox.bank.issuer}  (and ${sandbox.legacyBank.issuer}, the insecure legacy bank)`);
    say(`  securities-backend  ${sandbox.securities.issuer}`);
    say(`  wallet              ${sandbox.wallet.issuer}`);
    results = await runScenarios(sandbox, tap, say);
    say('');
    for (const line of resultTable(results)) say(line);
    say('');
    conformanceOk = await runConformanceIfAvailable(sandbox);
  } finally {
    await sandbox.close();
  }
  const failed = results.filter((result) => !result.ok);
  say('');
  say(failed.length === 0 ? `All ${results.length} scenarios ended as expected.` : `${failed.length} of ${results.length} scenarios did NOT end as expected: ${failed.map((result) => result.id).join(', ')}.`);
  return failed.length === 0 && results.length > 0 && conformanceOk ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
