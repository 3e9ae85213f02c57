// NODE-ONLY (benchmark): `npm run bench` (issue 7). Issuance and verification of a link assertion by
// shomei against raw node:crypto, bare jose and fast-jwt, ES256 and EdDSA, one at a time and 16 in
// flight, in one process and one run; then the replay store's memory, the warm key cache's network
// requests, the conformance plan's time, and the 16-in-flight verification rows again in a child process
// with UV_THREADPOOL_SIZE=1 (what the thread pool's competition with the event loop costs), and
// bench/floor.ts (what shomei costs beside the signature, against what each one-at-a-time target leaves).
// For the 16-in-flight rows it also records the event loop's busy share and the CPU time per operation.
// Prints a table and writes bench/results.json.
//
// Environment: BENCH_TIME_MS (measured time per row and round, default 600), BENCH_WARMUP_MS (150),
// BENCH_ROUNDS (3: rows are measured round-robin and the median is kept, so that a burst of load
// elsewhere on the machine hits every row alike), BENCH_POOL (tokens per algorithm, 24000),
// BENCH_ALGS (ES256,EdDSA), BENCH_ONLY (regular expression on row ids, for profiling),
// BENCH_SKIP_EXTRAS=1 (none of the measurements after the table's rows), BENCH_RESULTS (output path).
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Alg } from '../src/jws/algorithms.js';
import { benchCases, type BenchCase, type Mode } from './cases.js';
import { timeConformanceVerifierPlan, type ConformanceTiming } from './conformance.js';
import { environment } from './environment.js';
import { floorLines, type FloorResult } from './floor.js';
import { bankIssuer, benchKeys, brokerRequest, linkInput, tokenPool } from './fixtures.js';
import { measureInFlight, measureSequential, type Measurement } from './harness.js';
import { warmCacheRequests, type WarmCacheReport } from './network.js';

const IN_FLIGHT = 16;
const settings = {
  timeMs: numberFromEnv('BENCH_TIME_MS', 600),
  warmupMs: numberFromEnv('BENCH_WARMUP_MS', 150),
  rounds: numberFromEnv('BENCH_ROUNDS', 3),
  pool: numberFromEnv('BENCH_POOL', 24_000),
  inFlight: IN_FLIGHT,
  algs: (process.env.BENCH_ALGS ?? 'ES256,EdDSA').split(',').map((alg) => alg.trim()) as Alg[],
  only: process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY),
  extras: process.env.BENCH_SKIP_EXTRAS !== '1',
};

interface Row {
  alg: Alg;
  mode: Mode;
  id: string;
  label: string;
  library: BenchCase['library'];
  operation: BenchCase['operation'];
  note?: string;
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
  samples: number;
  /** 16 in flight: medians over the rounds (see Measurement). */
  eventLoopUtilization?: number;
  cpuUsPerOp?: number;
  rounds: Measurement[];
  vsRaw?: number;
  vsJose?: number;
}

interface Target {
  alg: Alg;
  description: string;
  row: string;
  mode: Mode;
  baseline: string;
  threshold: number;
  ratio?: number;
  result: 'PASS' | 'MISS' | 'NOT MEASURED';
}

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> } | { unavailable: string }> {
  try {
    const { startRedisServer } = await import('../tests/helpers/redis-server.js');
    const server = await startRedisServer();
    return { url: server.url, stop: () => server.stop() };
  } catch (error) {
    return { unavailable: `redis-server could not be started (${(error as Error).message.split('\n')[0]})` };
  }
}

async function measureAlg(alg: Alg, redisUrl: string | undefined): Promise<Row[]> {
  log(`\n[${alg}] keys, request, token pool of ${settings.pool}`);
  const keys = await benchKeys(alg);
  const context = await brokerRequest(await benchKeys(alg));
  const issuers = {
    webcrypto: await bankIssuer(keys, 'webcrypto'),
    node: await bankIssuer(keys, 'node'),
    nodeThreadPool: await bankIssuer(keys, 'node', true),
  };
  const referenceIssued = await issuers.node.link(linkInput(context, Math.floor(Date.now() / 1000)), { lifetime: 300 });
  const reference = { token: referenceIssued.token, claims: referenceIssued.claims as unknown as Record<string, unknown> };
  const poolStarted = performance.now();
  const pool = await tokenPool(issuers.node, context, settings.pool);
  log(`[${alg}] token: ${reference.token.length} bytes; pool made in ${Math.round(performance.now() - poolStarted)} ms`);

  const cases = benchCases({ keys, context, reference, issuers, pool, ...(redisUrl === undefined ? {} : { redisUrl }) }).filter(
    (c) => settings.only === undefined || settings.only.test(c.id),
  );
  const measured = new Map<BenchCase, Measurement[]>(cases.map((c) => [c, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const benchCase of cases) {
      const { fn, maxOps, close } = await benchCase.setup();
      try {
        const options = { timeMs: settings.timeMs, warmupMs: settings.warmupMs };
        const result = benchCase.mode === 'seq'
          ? await measureSequential(benchCase.id, fn, options)
          : await measureInFlight(fn, { ...options, inFlight: IN_FLIGHT, ...(maxOps === undefined ? {} : { maxOps }) });
        measured.get(benchCase)!.push(result);
        log(`[${alg}] round ${round}/${settings.rounds} ${benchCase.mode.padEnd(3)} ${benchCase.id.padEnd(30)} ${Math.round(result.opsPerSec).toString().padStart(7)} ops/s`);
      } finally {
        await close?.();
      }
    }
  }
  return cases.map((c) => {
    const rounds = measured.get(c)!;
    return {
      alg,
      mode: c.mode,
      id: c.id,
      label: c.label,
      library: c.library,
      operation: c.operation,
      ...(c.note === undefined ? {} : { note: c.note }),
      opsPerSec: median(rounds.map((r) => r.opsPerSec)),
      p50Us: median(rounds.map((r) => r.p50Us)),
      p99Us: median(rounds.map((r) => r.p99Us)),
      samples: rounds.reduce((sum, r) => sum + r.samples, 0),
      ...(c.mode === 'x16'
        ? { eventLoopUtilization: median(rounds.map((r) => r.eventLoopUtilization ?? 0)), cpuUsPerOp: median(rounds.map((r) => r.cpuUsPerOp ?? 0)) }
        : {}),
      rounds,
    };
  });
}

function addRatios(rows: Row[]): void {
  const find = (alg: Alg, mode: Mode, id: string): Row | undefined => rows.find((r) => r.alg === alg && r.mode === mode && r.id === id);
  for (const row of rows) {
    if (row.library === 'raw') continue;
    const raw = find(row.alg, row.mode, row.operation === 'sign' ? 'raw-sign' : 'raw-verify');
    const jose = find(row.alg, row.mode, row.operation === 'sign' ? 'jose-sign' : 'jose-verify');
    if (raw !== undefined) row.vsRaw = row.opsPerSec / raw.opsPerSec;
    if (jose !== undefined && row.library !== 'jose') row.vsJose = row.opsPerSec / jose.opsPerSec;
  }
}

function targets(rows: Row[]): Target[] {
  const list: Target[] = [];
  for (const alg of settings.algs) {
    const target = (description: string, row: string, mode: Mode, threshold: number): void => {
      const measured = rows.find((r) => r.alg === alg && r.mode === mode && r.id === row);
      const ratio = measured?.vsRaw;
      list.push({
        alg,
        description,
        row,
        mode,
        baseline: measured?.operation === 'sign' ? 'raw-sign' : 'raw-verify',
        threshold,
        ...(ratio === undefined ? {} : { ratio }),
        result: ratio === undefined ? 'NOT MEASURED' : ratio >= threshold ? 'PASS' : 'MISS',
      });
    };
    target('full verification >= 0.7x raw verify, one at a time', 'shomei-verify-memory', 'seq', 0.7);
    target('full verification >= 0.75x raw verify, 16 in flight', 'shomei-verify-memory', 'x16', 0.75);
    target('issuance (createLocalSigner, WebCrypto) >= 0.6x raw sign, one at a time', 'shomei-issue-webcrypto', 'seq', 0.6);
    target('issuance (node:crypto Signer) >= 0.6x raw sign, one at a time', 'shomei-issue-node', 'seq', 0.6);
    target('verification with Redis replay store >= 0.5x raw verify, 16 in flight', 'shomei-verify-redis', 'x16', 0.5);
  }
  return list;
}

function formatRate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function formatUs(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} µs`;
}

function formatRatio(value: number | undefined): string {
  return value === undefined ? '' : `${value.toFixed(2)}x`;
}

function printTable(rows: Row[]): void {
  const header = ['alg', 'mode', 'row', 'ops/s', 'p50', 'p99', 'x raw', 'x jose'];
  const lines = rows.map((r) => [
    r.alg,
    r.mode === 'seq' ? '1 at a time' : `${IN_FLIGHT} in flight`,
    r.note === undefined ? r.label : `${r.label} [${r.note}]`,
    formatRate(r.opsPerSec),
    formatUs(r.p50Us),
    formatUs(r.p99Us),
    formatRatio(r.vsRaw),
    formatRatio(r.vsJose),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const right = new Set([3, 4, 5, 6, 7]);
  const format = (cells: string[]): string => cells.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ');
  console.log(format(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  let previous = '';
  for (const [i, line] of lines.entries()) {
    const group = `${rows[i]!.alg} ${rows[i]!.mode}`;
    if (previous !== '' && group !== previous) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    previous = group;
    console.log(format(line));
  }
}

/**
 * Where 16 in flight goes: the event loop's busy share and the CPU time per operation of the raw and
 * shomei verification rows. With the event loop busy all the time, throughput is its time per operation
 * (utilization / ops/s) — the non-signature work of a verification — not the signatures.
 */
function printInFlightCosts(rows: Row[]): void {
  const lines: string[] = [];
  for (const alg of settings.algs) {
    for (const id of ['raw-verify', 'shomei-verify-memory', 'shomei-verify-redis']) {
      const row = rows.find((r) => r.alg === alg && r.mode === 'x16' && r.id === id);
      if (row?.eventLoopUtilization === undefined || row.cpuUsPerOp === undefined) continue;
      const loopUs = (row.eventLoopUtilization / row.opsPerSec) * 1e6;
      lines.push(`  ${alg.padEnd(5)} ${id.padEnd(22)} event loop busy ${(row.eventLoopUtilization * 100).toFixed(0).padStart(3)} %, ${loopUs.toFixed(1).padStart(6)} µs of it per operation; CPU (all threads) ${row.cpuUsPerOp.toFixed(1).padStart(6)} µs per operation`);
    }
  }
  if (lines.length === 0) return;
  console.log(`\n${IN_FLIGHT} in flight, where the time goes (medians of the rounds):`);
  for (const line of lines) console.log(line);
}

/** The same verification rows run again in a child process whose libuv thread pool has one thread. */
interface ThreadPoolOfOne {
  rows: Array<Pick<Row, 'alg' | 'mode' | 'id' | 'opsPerSec' | 'eventLoopUtilization' | 'cpuUsPerOp'>>;
}

async function threadPoolOfOneRun(): Promise<ThreadPoolOfOne> {
  const out = join(tmpdir(), `shomei-bench-threadpool-1-${process.pid}.json`);
  const script = fileURLToPath(new URL('./run.ts', import.meta.url));
  const env = {
    ...process.env,
    UV_THREADPOOL_SIZE: '1',
    BENCH_ONLY: '^(raw-verify|shomei-verify-memory|shomei-verify-redis)$',
    BENCH_ROUNDS: String(settings.rounds),
    BENCH_POOL: String(Math.min(settings.pool, 12_000)),
    BENCH_SKIP_EXTRAS: '1',
    BENCH_RESULTS: out,
  };
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'ignore', 'inherit'], env, cwd: fileURLToPath(new URL('../', import.meta.url)) });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited with ${code}`))));
  });
  try {
    const { rows } = JSON.parse(await readFile(out, 'utf8')) as { rows: ThreadPoolOfOne['rows'] };
    return { rows: rows.filter((r) => r.mode === 'x16').map(({ alg, mode, id, opsPerSec, eventLoopUtilization, cpuUsPerOp }) => ({ alg, mode, id, opsPerSec, eventLoopUtilization, cpuUsPerOp })) };
  } finally {
    await rm(out, { force: true });
  }
}

function printThreadPoolOfOne(rows: Row[], run: ThreadPoolOfOne): void {
  console.log(`\n${IN_FLIGHT} in flight with UV_THREADPOOL_SIZE=1 (a child process; not a target ratio: x default = against this run's row of the default thread pool):`);
  for (const row of run.rows) {
    const usual = rows.find((r) => r.alg === row.alg && r.mode === 'x16' && r.id === row.id);
    const versus = usual === undefined ? '' : `, ${(row.opsPerSec / usual.opsPerSec).toFixed(2)}x default`;
    const raw = rows.find((r) => r.alg === row.alg && r.mode === 'x16' && r.id === 'raw-verify');
    const versusRaw = row.id === 'raw-verify' || raw === undefined ? '' : `, ${(row.opsPerSec / raw.opsPerSec).toFixed(2)}x raw verify of the default pool`;
    console.log(`  ${row.alg.padEnd(5)} ${row.id.padEnd(22)} ${formatRate(row.opsPerSec).padStart(7)} ops/s${versus}${versusRaw}; event loop busy ${((row.eventLoopUtilization ?? 0) * 100).toFixed(0)} %`);
  }
}

/** Runs a bench script in a child process of its own and parses the last line it prints as JSON. */
async function childJson<T>(name: string, nodeOptions: string[], env: Record<string, string> = {}): Promise<T> {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: fileURLToPath(new URL('../', import.meta.url)),
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${name} child exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as T);
      } catch (error) {
        reject(error);
      }
    });
  });
}

const replayMemory = (): Promise<Record<string, unknown>> => childJson('replay-memory.ts', ['--expose-gc', '--max-old-space-size=2048']);

/** bench/floor.ts: 7 rounds of 1,500 calls per row (about 20 s for both algorithms). */
const floorRun = (): Promise<FloorResult[]> =>
  childJson('floor.ts', [], { BENCH_FLOOR_JSON: '1', ALGS: settings.algs.join(','), ROUNDS: '7', N: '1500' });

async function main(): Promise<void> {
  const started = Date.now();
  const env = environment();
  const loadBefore = loadavg();
  log(`shomei bench: Node ${env.node}, OpenSSL ${env.openssl}, ${env.cpu} x${env.cores}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  log(`settings: ${settings.timeMs} ms per row and round, ${settings.rounds} rounds, ${settings.warmupMs} ms warm-up, ${IN_FLIGHT} in flight`);

  const redis = await startRedis();
  if ('unavailable' in redis) log(redis.unavailable);
  const rows: Row[] = [];
  try {
    for (const alg of settings.algs) rows.push(...(await measureAlg(alg, 'url' in redis ? redis.url : undefined)));
  } finally {
    if ('stop' in redis) await redis.stop();
  }
  addRatios(rows);
  // One block per algorithm and mode, in the order the cases are listed.
  const modeOrder: Record<Mode, number> = { seq: 0, x16: 1 };
  rows.sort((a, b) => settings.algs.indexOf(a.alg) - settings.algs.indexOf(b.alg) || modeOrder[a.mode] - modeOrder[b.mode]);

  let warmCache: WarmCacheReport | { error: string } | undefined;
  let memory: Record<string, unknown> | { error: string } | undefined;
  let conformance: ConformanceTiming | { available: false; reason: string } | undefined;
  let threadPoolOfOne: ThreadPoolOfOne | undefined;
  let floor: FloorResult[] | { error: string } | undefined;
  if (settings.extras) {
    log('\nwhat shomei costs beside the signature, one at a time (bench/floor.ts), in a child process');
    try {
      floor = await floorRun();
    } catch (error) {
      floor = { error: (error as Error).message };
    }
    log('\n16 in flight again with UV_THREADPOOL_SIZE=1, in a child process');
    try {
      threadPoolOfOne = await threadPoolOfOneRun();
    } catch (error) {
      log(`UV_THREADPOOL_SIZE=1 run failed: ${(error as Error).message}`);
    }
    log('\nwarm key cache: requests while verifying 1,000 tokens against a remote key set');
    try {
      const keys = await benchKeys('ES256');
      const context = await brokerRequest(await benchKeys('ES256'));
      const pool = await tokenPool(await bankIssuer(keys, 'node'), context, 1_001);
      warmCache = await warmCacheRequests(keys, context, pool);
    } catch (error) {
      warmCache = { error: (error as Error).message };
    }
    log('replay store memory: 1,000,000 live entries in a child process');
    try {
      memory = await replayMemory();
    } catch (error) {
      memory = { error: (error as Error).message };
    }
    log('conformance verifier plan against the local examples');
    try {
      conformance = await timeConformanceVerifierPlan();
    } catch (error) {
      conformance = { available: false, reason: `failed: ${(error as Error).message}` };
    }
  }
  const loadAfter = loadavg();

  console.log('');
  printTable(rows);
  const targetList = targets(rows);
  console.log('\nTargets (issue 7 point 3), ratios from this run:');
  for (const t of targetList) {
    console.log(`  ${t.result.padEnd(12)} ${t.alg.padEnd(5)} ${t.description}: ${t.ratio === undefined ? 'n/a' : `${t.ratio.toFixed(2)}x`}`);
  }
  if (floor !== undefined) {
    console.log('\nOne at a time, beside the signature (bench/floor.ts: the signature skipped through a plug-in, measurement only):');
    if ('error' in floor) console.log(`  error: ${floor.error}`);
    else for (const result of floor) for (const line of floorLines(result)) console.log(line);
  }
  printInFlightCosts(rows);
  if (threadPoolOfOne !== undefined) printThreadPoolOfOne(rows, threadPoolOfOne);
  if (warmCache !== undefined) {
    console.log(
      'error' in warmCache
        ? `\nWarm key cache: error: ${warmCache.error}`
        : `\nWarm key cache: ${warmCache.pass ? 'PASS' : 'FAIL'}: ${warmCache.requestsAfterWarmup} requests while verifying ${warmCache.verified} tokens after warm-up (server count; fetchCount ${warmCache.fetchCountBefore} -> ${warmCache.fetchCountAfter}; ${warmCache.warmupRequests} request to warm up)`,
    );
  }
  if (memory !== undefined) {
    console.log(
      'error' in memory
        ? `Replay store memory: error: ${String(memory.error)}`
        : `Replay store memory at ${Number(memory.entries).toLocaleString('en-US')} live entries: ${Number(memory.bytesPerEntryIncludingKey).toFixed(0)} bytes/entry including the key string (${Number(memory.bytesPerEntryStoreOnly).toFixed(0)} store + ${Number(memory.bytesPerKeyString).toFixed(0)} key), ${Number(memory.heapUsedMiB).toFixed(0)} MiB heap; with flat keys ([kind, issuer, jti].join('|')) ${Number(memory.bytesPerEntryWithFlatKeys).toFixed(0)} bytes/entry`,
    );
  }
  if (conformance !== undefined) {
    console.log(
      conformance.available
        ? `Conformance verifier plan against ${conformance.target}: ${(conformance.ms / 1000).toFixed(1)} s, ${conformance.modules} modules, result ${conformance.result} (${Object.entries(conformance.counts).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`).join(', ')})`
        : `Conformance verifier plan against the local examples: not available (${conformance.reason})`,
    );
  }

  const results = {
    generatedAt: new Date().toISOString(),
    command: 'npm run bench',
    durationSeconds: Math.round((Date.now() - started) / 1000),
    settings: { ...settings, only: settings.only?.source },
    environment: env,
    loadAverage: { before: loadBefore, after: loadAfter },
    token: 'link assertion (shomei-link+jwt) with verified_claims, identity_match and a passkey authentication',
    rows,
    targets: targetList,
    redis: 'unavailable' in redis ? { available: false, reason: redis.unavailable } : { available: true },
    warmKeyCache: warmCache ?? null,
    replayStoreMemory: memory ?? null,
    conformanceVerifierPlan: conformance ?? null,
    threadPoolOfOne: threadPoolOfOne ?? null,
    floor: floor ?? null,
  };
  const out = process.env.BENCH_RESULTS ?? fileURLToPath(new URL('./results.json', import.meta.url));
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote ${out} (${results.durationSeconds} s)`);
}

main().then(
  // Keep-alive sockets (undici's agent, redis) must not hold the process open after the report.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
