/**
 * `npm run demo` (issue 5.4): starts a bank API, a securities backend and a wallet on free loopback
 * ports, walks through the legitimate flows and the 2020 attacks, prints a narrative and a final table,
 * and exits 0 only if every scenario got its expected outcome. Then it runs the conformance suite
 * (spec/17) against the bank (issuer plan) and the securities backend (verifier plan), whose sandboxes
 * expose the test interface for it, and exits non-zero if any module FAILED.
 */
import { runConformance } from 'shomei/conformance';
import { createAssertionTap, resultTable, runScenarios, type ScenarioResult } from './demo/scenarios.js';
import { startSandbox, type Sandbox } from './demo/sandbox.js';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * Both conformance plans over real HTTP: the suite plays a relying party against the bank and a bank
 * against the securities backend. Prints the modules that did not pass and each plan's summary.
 */
async function runConformanceSuite(sandbox: Sandbox): Promise<boolean> {
  say('Conformance suite (spec/17): issuer plan against the bank, verifier plan against the securities backend.');
  let passedModules = 0;
  const { passed, reports } = await runConformance({
    targets: [
      { role: 'bank', issuer: sandbox.bank.issuer },
      { role: 'relying_party', issuer: sandbox.securities.issuer },
    ],
    // One line per module would drown the narrative: PASSED modules are counted, the rest printed.
    log: (line) => {
      if (line.startsWith('PASSED ')) passedModules += 1;
      else say(`  ${line}`);
    },
  });
  const failed = reports.reduce((sum, report) => sum + report.counts.FAILED, 0);
  say(`Conformance: ${passedModules} modules PASSED, ${failed} FAILED across ${reports.length} plans (every module: npx tsx examples/conformance.ts).`);
  return passed;
}

async function main(): Promise<number> {
  say('shomei demo — a bank, a securities firm and a wallet on loopback; the 2020 attacks replayed.');
  const tap = createAssertionTap();
  // SANDBOX ONLY: the bank and the securities backend expose the conformance test interface.
  const sandbox = await startSandbox({ securitiesFetch: tap.fetch, conformance: true });
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
    conformanceOk = await runConformanceSuite(sandbox);
  } finally {
    await sandbox.close();
  }
  const failed = results.filter((result) => !result.ok);
  say('');
  say(failed.length === 0 ? `All ${results.length} scenarios ended as expected.` : `${failed.length} of ${results.length} scenarios did NOT end as expected: ${failed.map((result) => result.id).join(', ')}.`);
  if (!conformanceOk) say('The conformance suite found FAILED modules (see above).');
  return failed.length === 0 && results.length > 0 && conformanceOk ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
