// NODE-ONLY (benchmark): the hook for "time of the full conformance verifier plan against the local
// examples" (issue 7, point 2). The suite (src/conformance) and the examples are built alongside this
// benchmark. The plan needs a relying party that exposes the conformance test interface of
// spec/17-conformance-interface.md; the hook finds one in this order:
//   1. BENCH_CONFORMANCE_TARGET: the URL of a running one (bearer secret in BENCH_CONFORMANCE_TOKEN);
//   2. the examples' sandbox (examples/demo/sandbox.ts) started with its test interface on loopback, as
//      `npx tsx examples/conformance.ts` does: the plan then runs against the securities backend.
// Without either, or without `runVerifierPlan` in src/conformance.ts, the figure is "not available".
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export type ConformanceTiming =
  | { available: true; ms: number; modules: number; counts: Record<string, number>; result: string; target: string }
  | { available: false; reason: string };

interface PlanReportLike {
  modules: readonly { status: string }[];
  counts: Record<string, number>;
  result: string;
}

interface Target {
  url: string;
  bearerToken?: string;
  stop?: () => Promise<void>;
}

type RunVerifierPlan = (options: { target: string; bearerToken?: string }) => Promise<PlanReportLike>;

const SANDBOX = new URL('../examples/demo/sandbox.ts', import.meta.url);

async function findTarget(): Promise<Target | string> {
  const url = process.env.BENCH_CONFORMANCE_TARGET;
  if (url !== undefined && url !== '') {
    const bearerToken = process.env.BENCH_CONFORMANCE_TOKEN;
    return bearerToken === undefined ? { url } : { url, bearerToken };
  }
  if (!existsSync(SANDBOX)) return 'examples/demo/sandbox.ts does not exist';
  const { startSandbox } = (await import(SANDBOX.href)) as {
    startSandbox: (options: { conformance: boolean; passkeys: boolean }) => Promise<{ securities: { issuer: string }; close(): Promise<void> }>;
  };
  const sandbox = await startSandbox({ conformance: true, passkeys: false });
  return { url: `${sandbox.securities.issuer}/conformance`, stop: () => sandbox.close() };
}

export async function timeConformanceVerifierPlan(): Promise<ConformanceTiming> {
  const entry = (await import('../src/conformance.js')) as Record<string, unknown>;
  if (typeof entry.runVerifierPlan !== 'function') return { available: false, reason: 'src/conformance.ts does not export runVerifierPlan' };
  const target = await findTarget();
  if (typeof target === 'string') return { available: false, reason: target };
  try {
    const started = performance.now();
    const report = await (entry.runVerifierPlan as RunVerifierPlan)({
      target: target.url,
      ...(target.bearerToken === undefined ? {} : { bearerToken: target.bearerToken }),
    });
    return {
      available: true,
      ms: performance.now() - started,
      modules: report.modules.length,
      counts: report.counts,
      result: report.result,
      target: target.url,
    };
  } finally {
    await target.stop?.();
  }
}
