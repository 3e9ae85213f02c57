import { invalidArgument } from '../errors/shomei-error.js';
import { runIssuerPlan } from './issuer-plan/run.js';
import { formatModuleLine, formatSummary } from './reports/terminal.js';
import type { Serve } from './server.js';
import type { PlanReport } from './types.js';
import { runVerifierPlan } from './verifier-plan/run.js';

/** One partner to test: its role and where its test interface is. */
export interface ConformanceTarget {
  /** `bank`: the issuer plan runs against it; `relying_party`: the verifier plan. */
  role: 'bank' | 'relying_party';
  /** The partner's party identifier; the interface is then at `<issuer>/conformance` (SHO-CONF-3). */
  issuer?: string;
  /** The test interface URL, when it is not at the default path. */
  interface?: string;
  bearerToken?: string;
}

/**
 * Runs the plan that fits each target, one after the other, and says whether nothing FAILED — for
 * scripts and demos that test a whole sandbox (a bank and its relying parties) in one call.
 *
 * @example
 * const { passed } = await runConformance({ targets: [{ role: 'bank', issuer: bank }, { role: 'relying_party', issuer: broker }], log: console.log });
 * @see spec/17-conformance-interface.md
 */
export async function runConformance(options: { targets: readonly ConformanceTarget[]; log?: (line: string) => void; serve?: Serve }): Promise<{ passed: boolean; reports: PlanReport[] }> {
  if (!Array.isArray(options?.targets) || options.targets.length === 0) throw invalidArgument('options.targets must list at least one target');
  const log = options.log ?? (() => undefined);
  const reports: PlanReport[] = [];
  for (const target of options.targets) {
    const url = target.interface ?? (target.issuer !== undefined ? `${target.issuer.replace(/\/+$/, '')}/conformance` : undefined);
    if (url === undefined) throw invalidArgument('each target needs issuer or interface');
    const common = {
      target: url,
      onResult: (result: Parameters<typeof formatModuleLine>[0]) => log(formatModuleLine(result)),
      ...(target.bearerToken !== undefined ? { bearerToken: target.bearerToken } : {}),
      ...(options.serve !== undefined ? { serve: options.serve } : {}),
    };
    const report = target.role === 'bank' ? await runIssuerPlan(common) : await runVerifierPlan(common);
    for (const line of formatSummary(report).split('\n')) log(line);
    reports.push(report);
  }
  return { passed: reports.every((report) => report.counts.FAILED === 0), reports };
}
