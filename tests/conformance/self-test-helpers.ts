import type { PlanReport } from 'shomei/conformance';

/** Starts a fixture partner, runs one plan against its test interface, and always closes it. */
export async function runAgainstFixture(
  start: () => Promise<{ interfaceUrl: string; close(): Promise<void> }>,
  run: (options: { target: string }) => Promise<PlanReport>,
): Promise<PlanReport> {
  const partner = await start();
  try {
    return await run({ target: partner.interfaceUrl });
  } finally {
    await partner.close();
  }
}

/** The sorted ids of the report's modules with `status`. */
export function ids(report: PlanReport, status: string): string[] {
  return report.modules.filter((module) => module.status === status).map((module) => module.id).sort();
}
