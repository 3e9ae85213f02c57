import { describe, expect, it } from 'vitest';
import { ISSUER_PLAN, runIssuerPlan, type PlanReport } from 'shomei/conformance';
import { startFixtureBank } from '../../conformance/fixtures/bank.js';
import type { BankDefect } from '../../conformance/fixtures/bank-defect.js';
import { BANK_DEFECTS } from '../../conformance/fixtures/bank-defects/index.js';
import { ids, runAgainstFixture } from './self-test-helpers.js';

/**
 * The issuer plan tests itself the same way: the reference bank passes every module that applies
 * unattended; each broken bank fails exactly the modules covering its defect.
 */

function runAgainst(defect?: BankDefect): Promise<PlanReport> {
  return runAgainstFixture(() => startFixtureBank(defect === undefined ? {} : { defect }), runIssuerPlan);
}

describe.concurrent('issuer plan self-test', () => {
  it('SHO-CONF-10: every module passes against the reference bank (the consent screen needs --assisted)', async () => {
    const report = await runAgainst();
    expect(report.modules.map((module) => module.id)).toEqual(ISSUER_PLAN.map((module) => module.id));
    expect(ids(report, 'SKIPPED')).toEqual(['issuer-consent-screen']);
    const others = report.modules.filter((module) => module.status !== 'PASSED' && module.id !== 'issuer-consent-screen');
    expect(others.map((module) => `${module.id}: ${module.status} — ${module.summary}`)).toEqual([]);
    expect(report.result).toBe('PASSED');
  }, 60_000);

  for (const defect of BANK_DEFECTS) {
    it(`SHO-CONF-11: the ${defect.id} bank fails exactly ${defect.expectedFailures.join(', ')}`, async () => {
      const report = await runAgainst(defect);
      expect(ids(report, 'FAILED')).toEqual([...defect.expectedFailures].sort());
      expect(ids(report, 'WARNING')).toEqual([...(defect.expectedWarnings ?? [])].sort());
      expect(report.result).toBe('FAILED');
    }, 60_000);
  }
});
