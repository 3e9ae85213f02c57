import { describe, expect, it } from 'vitest';
import { runVerifierPlan, VERIFIER_PLAN, type PlanReport } from 'shomei/conformance';
import { DEFECTS } from '../../conformance/fixtures/defects/index.js';
import { startFixtureRelyingParty } from '../../conformance/fixtures/relying-party.js';
import type { Defect } from '../../conformance/fixtures/defect.js';
import { ids, runAgainstFixture } from './self-test-helpers.js';

/**
 * The suite tests itself (issue 4 point 4): against the reference relying party every module passes;
 * against each deliberately broken one exactly the modules covering its defect fail, and every other
 * module passes.
 */

const PLAN_TIMEOUT = 180_000;

function runAgainst(defect?: Defect): Promise<PlanReport> {
  return runAgainstFixture(() => startFixtureRelyingParty(defect === undefined ? {} : { defect }), runVerifierPlan);
}

describe.concurrent('verifier plan self-test', () => {
  it('SHO-CONF-4: every module passes against the reference relying party', async () => {
    const report = await runAgainst();
    expect(report.modules.map((module) => module.id)).toEqual(VERIFIER_PLAN.map((module) => module.id));
    expect(report.modules.filter((module) => module.status !== 'PASSED').map((module) => `${module.id}: ${module.status} — ${module.summary}`)).toEqual([]);
    expect(report.result).toBe('PASSED');
  }, PLAN_TIMEOUT);

  for (const defect of DEFECTS) {
    it(`SHO-CONF-8: the ${defect.id} relying party fails exactly ${defect.expectedFailures.join(', ')}`, async () => {
      const report = await runAgainst(defect);
      expect(ids(report, 'FAILED')).toEqual([...defect.expectedFailures].sort());
      expect(ids(report, 'WARNING')).toEqual([...(defect.expectedWarnings ?? [])].sort());
      const listed = new Set([...defect.expectedFailures, ...(defect.expectedWarnings ?? [])]);
      const others = report.modules.filter((module) => !listed.has(module.id) && module.status !== 'PASSED');
      expect(others.map((module) => `${module.id}: ${module.status} — ${module.summary}`)).toEqual([]);
      expect(report.result).toBe('FAILED');
    }, PLAN_TIMEOUT);
  }

  it('SHO-CONF-8: every defect is caught by at least one module and names only modules of the plan', () => {
    const known = new Set(VERIFIER_PLAN.map((module) => module.id));
    // The per-defect tests above are generated from this list: an empty list would test nothing.
    expect(DEFECTS.length).toBeGreaterThanOrEqual(14);
    for (const defect of DEFECTS) {
      expect(defect.expectedFailures.length, defect.id).toBeGreaterThan(0);
      for (const id of [...defect.expectedFailures, ...(defect.expectedWarnings ?? [])]) expect(known.has(id), `${defect.id}: ${id}`).toBe(true);
    }
  });
});
