// NODE-ONLY (benchmark): the two ways a row is measured.
import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';

/** One measured row: throughput and per-operation latency. */
export interface Measurement {
  opsPerSec: number;
  /** Latency of one operation, microseconds. */
  p50Us: number;
  p99Us: number;
  /** Operations measured (warm-up excluded). */
  samples: number;
  /**
   * 16 in flight only, over the measured phase: the share of wall-clock time the event loop (the main
   * thread) was busy, and the process's CPU time (all threads: main, thread pool, workers) per operation.
   */
  eventLoopUtilization?: number;
  cpuUsPerOp?: number;
}

export interface MeasureOptions {
  /** Time budget of the measured phase, ms. */
  timeMs: number;
  /** Time budget of the warm-up, ms. */
  warmupMs: number;
}

/**
 * One operation at a time, with tinybench: each call is awaited (when it returns a promise) before the
 * next starts. ops/s = 1 / mean latency, so it counts only time spent in the operation.
 */
export async function measureSequential(name: string, fn: () => unknown, options: MeasureOptions): Promise<Measurement> {
  const bench = new Bench({
    time: options.timeMs,
    iterations: 16,
    warmupTime: options.warmupMs,
    warmupIterations: 16,
    throws: true,
  });
  bench.add(name, fn as () => void);
  await bench.run();
  const result = bench.tasks[0]!.result;
  if (result.state !== 'completed') {
    throw new Error(`${name}: tinybench ended in state ${result.state}${'error' in result ? `: ${String(result.error)}` : ''}`);
  }
  const { latency } = result;
  return {
    opsPerSec: 1000 / latency.mean,
    p50Us: latency.p50 * 1000,
    p99Us: latency.p99 * 1000,
    samples: latency.samplesCount,
  };
}

/**
 * `inFlight` operations outstanding at all times (a closed loop: each of `inFlight` workers starts its
 * next operation as soon as its previous one settles), as a server sees concurrent requests.
 * ops/s = operations completed / wall-clock time; latency is per operation, queueing included.
 * tinybench's `concurrency: 'task'` mode is not used: its throughput is derived from per-sample
 * latencies, not from wall-clock time, so it does not show what concurrency buys.
 * `maxOps` stops the run early (a finite pool of single-use tokens).
 */
export async function measureInFlight(
  fn: () => unknown,
  options: MeasureOptions & { inFlight: number; maxOps?: number },
): Promise<Measurement> {
  const maxOps = options.maxOps ?? Number.POSITIVE_INFINITY;
  let started = 0;
  const warmupEnd = performance.now() + options.warmupMs;
  const run = async (deadline: number, record?: (ms: number) => void): Promise<void> => {
    while (performance.now() < deadline && started < maxOps) {
      started++;
      const t0 = performance.now();
      await fn();
      record?.(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, () => run(warmupEnd)));

  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const record = (ms: number): void => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  };
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: options.inFlight }, () => run(start + options.timeMs, record)));
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  if (count === 0) throw new Error('measureInFlight: no operation completed');
  const sorted = latencies.subarray(0, count).sort();
  return {
    opsPerSec: (count / elapsed) * 1000,
    p50Us: quantile(sorted, 0.5) * 1000,
    p99Us: quantile(sorted, 0.99) * 1000,
    samples: count,
    eventLoopUtilization: loop.utilization,
    cpuUsPerOp: (cpu.user + cpu.system) / count,
  };
}

function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}
