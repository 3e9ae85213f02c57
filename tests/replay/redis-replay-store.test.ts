import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createRedisReplayStore, type RedisClientLike } from '../../src/replay/redis-replay-store.js';
import { useRedisServer, waitUntilAvailable } from '../helpers/redis-server.js';

const WORKER = fileURLToPath(new URL('./fixtures/redis-consumer.ts', import.meta.url));

interface Tally {
  fresh: number;
  replayed: number;
  unavailable: number;
  other: number;
}

const server = useRedisServer();

let counter = 0;
const uniqueKey = (label: string): string => `${label}-${process.pid}-${Date.now()}-${counter++}`;
const inAMinute = (): number => Date.now() / 1000 + 60;

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

function expectUnavailable(error: unknown): ShomeiError {
  expect(error).toBeInstanceOf(ShomeiError);
  expect((error as ShomeiError).code).toBe('REPLAY_STORE_UNAVAILABLE');
  return error as ShomeiError;
}

function startWorker(url: string): Promise<ChildProcess> {
  const child = fork(WORKER, [url], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    child.once('message', (message: { type: string }) => {
      if (message.type === 'ready') resolve(child);
      else reject(new Error(`unexpected worker message ${message.type}`));
    });
  });
}

function consumeIn(worker: ChildProcess, key: string, count: number, expiresAt: number): Promise<Tally> {
  return new Promise((resolve) => {
    worker.once('message', (message: { type: string } & Tally) => resolve(message));
    worker.send({ type: 'consume', key, count, expiresAt });
  });
}

async function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null) return;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.send({ type: 'close' });
  await exited;
}

describe('Redis replay store against a real redis-server', () => {
  it('SHO-REPLAY-1: the first consume is fresh and later ones replayed, under the configured prefix', async () => {
    const store = await createRedisReplayStore({ url: server.url, prefix: 'test:jti:' });
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      await waitUntilAvailable(store);
      const key = uniqueKey('single');
      expect(await store.consume(key, inAMinute())).toBe('fresh');
      expect(await store.consume(key, inAMinute())).toBe('replayed');
      expect(await raw.exists(`test:jti:${key}`)).toBe(1);
      expect(await raw.exists(`shomei:jti:${key}`)).toBe(0);
    } finally {
      await store.close();
      raw.destroy();
    }
  });

  it('SHO-REPLAY-1: two verifier processes consuming one jti 50 times concurrently each get exactly one fresh', async () => {
    const workers = await Promise.all([startWorker(server.url), startWorker(server.url)]);
    try {
      for (let round = 0; round < 3; round++) {
        const key = uniqueKey(`shared-${round}`);
        const expiresAt = inAMinute();
        const tallies = await Promise.all(workers.map((worker) => consumeIn(worker, key, 50, expiresAt)));
        const total = tallies.reduce(
          (sum, t) => ({ fresh: sum.fresh + t.fresh, replayed: sum.replayed + t.replayed, unavailable: sum.unavailable + t.unavailable, other: sum.other + t.other }),
          { fresh: 0, replayed: 0, unavailable: 0, other: 0 },
        );
        expect(total).toEqual({ fresh: 1, replayed: 99, unavailable: 0, other: 0 });
      }
    } finally {
      await Promise.all(workers.map(stopWorker));
    }
  });

  it('SHO-REPLAY-4: with Redis killed mid-run every consume fails closed, and the same store recovers after restart', async () => {
    const store = await createRedisReplayStore({ url: server.url, commandTimeoutMs: 250, maxReconnectDelayMs: 200 });
    try {
      await waitUntilAvailable(store);
      // A steady stream of distinct, never-used keys: any 'fresh' during the outage would be a hole.
      let running = true;
      const outcomes: { phase: 'up' | 'down'; value?: string; error?: unknown }[] = [];
      const state: { phase: 'up' | 'down' } = { phase: 'up' };
      const stream = (async () => {
        while (running) {
          const started = state.phase;
          const batch = await Promise.all(Array.from({ length: 10 }, () => settle(store.consume(uniqueKey('stream'), inAMinute()))));
          // Only consumes that started and ended while Redis was down belong to the outage window.
          for (const result of batch) if (started === 'down' && state.phase === 'down') outcomes.push({ phase: 'down', ...result });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await server.kill();
      state.phase = 'down';
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      running = false;
      await stream;

      expect(outcomes.length).toBeGreaterThan(0);
      for (const outcome of outcomes) {
        expect(outcome.value).toBeUndefined();
        expectUnavailable(outcome.error);
      }

      // Between batches, too: one explicit burst while Redis is certainly down.
      const burst = await Promise.all(Array.from({ length: 20 }, () => settle(store.consume(uniqueKey('burst'), inAMinute()))));
      for (const result of burst) expectUnavailable(result.error);

      await server.restart();
      await waitUntilAvailable(store);
      const key = uniqueKey('after-restart');
      expect(await store.consume(key, inAMinute())).toBe('fresh');
      expect(await store.consume(key, inAMinute())).toBe('replayed');
    } finally {
      await store.close();
    }
  });

  it('SHO-REPLAY-4: a Redis that stops answering makes consume fail closed with reason timeout', async () => {
    const store = await createRedisReplayStore({ url: server.url, commandTimeoutMs: 200 });
    try {
      await waitUntilAvailable(store);
      server.pause();
      const { value, error } = await settle(store.consume(uniqueKey('hung'), inAMinute()));
      server.resume();
      expect(value).toBeUndefined();
      expect(expectUnavailable(error).reason).toBe('timeout');
      await waitUntilAvailable(store);
      expect(await store.consume(uniqueKey('resumed'), inAMinute())).toBe('fresh');
    } finally {
      server.resume();
      await store.close();
    }
  });

  it('SHO-REPLAY-4: a store created while Redis is unreachable refuses at once', async () => {
    // Port 1 on loopback: nothing listens there, connection attempts are refused.
    const store = await createRedisReplayStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200 });
    try {
      const { error } = await settle(store.consume(uniqueKey('nowhere'), inAMinute()));
      expectUnavailable(error);
      expectUnavailable((await settle(store.ping())).error);
    } finally {
      await store.close();
    }
  });

  it('SHO-REPLAY-2: a key lives until expiresAt (plus the margin) and is gone afterwards', async () => {
    const store = await createRedisReplayStore({ url: server.url, expiryMarginMs: 0 });
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      await waitUntilAvailable(store);
      const key = uniqueKey('short');
      const expiresAt = Math.ceil(Date.now() / 1000) + 1;
      expect(await store.consume(key, expiresAt)).toBe('fresh');
      expect(await store.consume(key, expiresAt)).toBe('replayed');
      const ttl = await raw.pTTL(`shomei:jti:${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2_000);
      // Correctness wait: let the key's lifetime run out.
      await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 300));
      expect(await raw.exists(`shomei:jti:${key}`)).toBe(0);
      // Only the store forgot: the verifier's own time check refuses the expired assertion (SHO-REPLAY-2).
      expect(await store.consume(key, expiresAt + 60)).toBe('fresh');
    } finally {
      await store.close();
      raw.destroy();
    }
  });

  it('SHO-REPLAY-2: the key lifetime is the remaining lifetime plus the margin', async () => {
    const store = await createRedisReplayStore({ url: server.url, expiryMarginMs: 30_000 });
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      await waitUntilAvailable(store);
      const key = uniqueKey('margin');
      await store.consume(key, Date.now() / 1000 + 10);
      const ttl = await raw.pTTL(`shomei:jti:${key}`);
      expect(ttl).toBeGreaterThan(30_000);
      expect(ttl).toBeLessThanOrEqual(40_000);
    } finally {
      await store.close();
      raw.destroy();
    }
  });
});

describe('Redis replay store with a client passed in', () => {
  const fixedNow = 1_767_225_600_000;

  it('SHO-REPLAY-1: sends one atomic SET NX PX with the remaining lifetime plus margin', async () => {
    const sent: string[][] = [];
    const client: RedisClientLike = {
      sendCommand: async (args) => {
        sent.push(args);
        return 'OK';
      },
    };
    const store = await createRedisReplayStore({ client, clock: () => fixedNow, expiryMarginMs: 5_000 });
    expect(await store.consume('iss jti', fixedNow / 1000 + 60)).toBe('fresh');
    expect(sent).toEqual([['SET', 'shomei:jti:iss jti', '1', 'NX', 'PX', '65000']]);
  });

  it('SHO-REPLAY-1: a nil reply means replayed', async () => {
    const store = await createRedisReplayStore({ client: { sendCommand: async () => null } });
    expect(await store.consume('k', inAMinute())).toBe('replayed');
  });

  const clients: [string, RedisClientLike, string][] = [
    ['an unexpected reply', { sendCommand: async () => 'QUEUED' }, 'error'],
    ['an error reply', { sendCommand: () => Promise.reject(new Error('READONLY You cannot write against a read only replica.')) }, 'error'],
    ['no reply at all', { sendCommand: () => new Promise<never>(() => undefined) }, 'timeout'],
  ];
  it.each(clients)('SHO-REPLAY-4: %s fails closed with REPLAY_STORE_UNAVAILABLE', async (_, client, reason) => {
    const store = await createRedisReplayStore({ client, commandTimeoutMs: 20 });
    const { value, error } = await settle(store.consume('k', inAMinute()));
    expect(value).toBeUndefined();
    expect(expectUnavailable(error).reason).toBe(reason);
  });

  it('SHO-REPLAY-4: a closed store refuses', async () => {
    const store = await createRedisReplayStore({ client: { sendCommand: async () => 'OK' } });
    await store.close();
    expect(expectUnavailable((await settle(store.consume('k', inAMinute()))).error).reason).toBe('closed');
  });

  it.each([
    ['neither url nor client', {}],
    ['both url and client', { url: 'redis://127.0.0.1:6379', client: { sendCommand: async () => 'OK' } }],
    ['an http URL', { url: 'http://127.0.0.1:6379' }],
    ['a zero command timeout', { client: { sendCommand: async () => 'OK' }, commandTimeoutMs: 0 }],
    ['a negative margin', { client: { sendCommand: async () => 'OK' }, expiryMarginMs: -1 }],
    ['a client without sendCommand', { client: {} as RedisClientLike }],
  ])('SHO-REPLAY-4: %s is refused at construction', async (_, options) => {
    await expect(createRedisReplayStore(options)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  });
});
