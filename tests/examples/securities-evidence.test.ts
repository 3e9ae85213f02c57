/**
 * Issue 6.5: the example securities backend records every decision in the file decision log and, with a
 * Redis URL, shares its replay store through a real redis-server — the demo's scenarios still end as
 * expected, the replayed assertion is refused through Redis, and the log's chain verifies.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssertionTap, runScenarios, type ScenarioResult } from '../../examples/demo/scenarios.js';
import { startSandbox, type Sandbox } from '../../examples/demo/sandbox.js';
import { verifyAuditFiles } from '../../src/decision-log/audit.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

let redis: RedisServer;
let sandbox: Sandbox;
let results: ScenarioResult[];
const logDir = mkdtempSync(join(tmpdir(), 'shomei-securities-log-'));

beforeAll(async () => {
  redis = await startRedisServer();
  const tap = createAssertionTap();
  sandbox = await startSandbox({ securitiesFetch: tap.fetch, redisUrl: redis.url, decisionLogPath: logDir });
  results = await runScenarios(sandbox, tap);
}, 120_000);

afterAll(async () => {
  await sandbox?.close();
  await redis?.stop();
  rmSync(logDir, { recursive: true, force: true });
});

describe('securities backend with the file decision log and the Redis replay store', () => {
  it('SHO-REPLAY-1: every scenario ends as expected, the replay refused through the shared Redis store', () => {
    expect(results.filter((result) => !result.ok).map((result) => result.id)).toEqual([]);
    expect(results.find((result) => result.id === '6')).toMatchObject({ outcome: 'deny', codes: ['REPLAYED'] });
  });

  it('SHO-LOG-4: the decision log on disk holds every decision and its chain verifies', async () => {
    const files = readdirSync(logDir).filter((name) => name.endsWith('.jsonl')).map((name) => join(logDir, name)).sort();
    expect(files.length).toBeGreaterThan(0);
    const report = await verifyAuditFiles(files);
    expect(report.ok).toBe(true);
    expect(report.count).toBe(sandbox.securities.decisions().length);
  });
});
