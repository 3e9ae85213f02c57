import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createRedisReplayStore, type RedisClientLike } from '../../src/replay/redis-replay-store.js';
import { useRedisServer, waitUntilAvailable } from '../helpers/redis-server.js';

// maxInFlight bounds the commands handed to the client and not yet settled by it — not the callers still
// waiting: a command the store gave up on stays in the client's queue (node-redis's, while Redis is hung)
// until the client settles it.
const CAP = 5;
const TIMEOUT_MS = 100;
const PERIOD_MS = 25;

interface Outcome {
  value?: unknown;
  error?: unknown;
}

/** Records how a promise settled, without awaiting it. */
function track(promise: Promise<unknown>): Outcome {
  const outcome: Outcome = {};
  promise.then(
    (value) => {
      outcome.value = value;
    },
    (error: unknown) => {
      outcome.error = error;
    },
  );
  return outcome;
}

const settled = (outcome: Outcome): boolean => 'value' in outcome || 'error' in outcome;

function reasonOf(error: unknown): string | undefined {
  expect(error).toBeInstanceOf(ShomeiError);
  expect((error as ShomeiError).code).toBe('REPLAY_STORE_UNAVAILABLE');
  return (error as ShomeiError).reason;
}

/** A client whose commands stay unanswered until the test settles them. */
function heldClient(): { client: RedisClientLike; held: { args: string[]; answer: (reply: unknown) => void; fail: (error: Error) => void }[] } {
  const held: { args: string[]; answer: (reply: unknown) => void; fail: (error: Error) => void }[] = [];
  return {
    held,
    client: {
      sendCommand: (args) => new Promise((answer, fail) => held.push({ args, answer, fail })),
    },
  };
}

let counter = 0;
const uniqueKey = (label: string): string => `${label}-${process.pid}-${Date.now()}-${counter++}`;
const inAMinute = (): number => Date.now() / 1000 + 60;

/** Rejections must be read now: a backlog refusal is immediate, it waits for no timer or reply. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('Redis replay store backlog bound (maxInFlight)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('SHO-REPLAY-4: the (cap+1)th consume fails at once with reason backlog and sends nothing', async () => {
    const { client, held } = heldClient();
    const store = await createRedisReplayStore({ client, maxInFlight: CAP, commandTimeoutMs: 60_000 });
    const waiting = Array.from({ length: CAP }, (_, i) => track(store.consume(`k${i}`, inAMinute())));
    const refused = track(store.consume('one-too-many', inAMinute()));
    await flush();
    expect(held).toHaveLength(CAP);
    expect(waiting.some(settled)).toBe(false);
    expect(reasonOf(refused.error)).toBe('backlog');
    // The message tells the cap, never the key.
    expect((refused.error as ShomeiError).message).not.toContain('one-too-many');
    expect((refused.error as ShomeiError).message).toContain(String(CAP));
    // A ping sends a command too: refused the same way.
    expect(reasonOf(await store.ping().catch((error: unknown) => error))).toBe('backlog');
    expect(held).toHaveLength(CAP);
    await store.close();
  });

  it('SHO-REPLAY-4: service resumes by itself as soon as the client settles commands', async () => {
    const { client, held } = heldClient();
    const store = await createRedisReplayStore({ client, maxInFlight: CAP, commandTimeoutMs: 60_000 });
    const first = Array.from({ length: CAP }, (_, i) => track(store.consume(`k${i}`, inAMinute())));
    expect(reasonOf(await store.consume('refused', inAMinute()).catch((error: unknown) => error))).toBe('backlog');
    // Two settled: one answered, one failed by the client. Exactly two consumes go through again.
    held[0]!.answer('OK');
    held[1]!.fail(new Error('connection reset'));
    await flush();
    expect(first[0]).toEqual({ value: 'fresh' });
    expect(reasonOf(first[1]!.error)).toBe('error');
    const again = [track(store.consume('again-1', inAMinute())), track(store.consume('again-2', inAMinute()))];
    const refusedAgain = track(store.consume('again-3', inAMinute()));
    await flush();
    expect(held).toHaveLength(CAP + 2);
    expect(held[CAP]!.args[1]).toBe('shomei:jti:again-1');
    expect(again.some(settled)).toBe(false);
    expect(reasonOf(refusedAgain.error)).toBe('backlog');
    held[CAP]!.answer(null);
    await flush();
    expect(again[0]).toEqual({ value: 'replayed' });
    await store.close();
  });

  it('SHO-REPLAY-4: commands that timed out still count until the client settles them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date', 'performance'] });
    const { client, held } = heldClient();
    const store = await createRedisReplayStore({ client, maxInFlight: CAP, commandTimeoutMs: TIMEOUT_MS });
    const timedOut = Array.from({ length: CAP }, (_, i) => track(store.consume(`k${i}`, inAMinute())));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS + PERIOD_MS);
    for (const outcome of timedOut) expect(reasonOf(outcome.error)).toBe('timeout');
    // No caller waits any more, but the client still holds CAP commands.
    const refused = track(store.consume('refused', inAMinute()));
    await vi.advanceTimersByTimeAsync(0);
    expect(reasonOf(refused.error)).toBe('backlog');
    expect(held).toHaveLength(CAP);
    // A late answer settles one: one slot frees, and the timed-out caller still sees its timeout.
    held[0]!.answer('OK');
    await vi.advanceTimersByTimeAsync(0);
    expect(reasonOf(timedOut[0]!.error)).toBe('timeout');
    const next = track(store.consume('next', inAMinute()));
    await vi.advanceTimersByTimeAsync(0);
    expect(held).toHaveLength(CAP + 1);
    expect(settled(next)).toBe(false);
    held[CAP]!.answer('OK');
    await vi.advanceTimersByTimeAsync(0);
    expect(next).toEqual({ value: 'fresh' });
    await store.close();
  });

  it('SHO-REPLAY-4: a client that throws synchronously leaves nothing counted', async () => {
    let calls = 0;
    const store = await createRedisReplayStore({
      client: {
        sendCommand: () => {
          calls++;
          throw new Error('socket gone');
        },
      },
      maxInFlight: 1,
    });
    for (let i = 0; i < 3; i++) {
      expect(reasonOf(await store.consume(`k${i}`, inAMinute()).catch((error: unknown) => error))).toBe('error');
    }
    expect(calls).toBe(3);
  });

  it('SHO-REPLAY-4: a client that answers with a plain value is settled and frees its slot', async () => {
    const store = await createRedisReplayStore({ client: { sendCommand: () => 'OK' as unknown as Promise<unknown> }, maxInFlight: 1 });
    for (let i = 0; i < 3; i++) expect(await store.consume(`k${i}`, inAMinute())).toBe('fresh');
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '10' as unknown as number],
  ])('SHO-REPLAY-4: a %s maxInFlight is refused at construction', async (_, maxInFlight) => {
    await expect(createRedisReplayStore({ client: { sendCommand: async () => 'OK' }, maxInFlight })).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
    });
  });
});

describe('Redis replay store backlog bound against a real redis-server', () => {
  const server = useRedisServer();

  it('SHO-REPLAY-4: with Redis hung (SIGSTOP) the cap holds, timed-out commands keep it, and service resumes after SIGCONT', async () => {
    const cap = 50;
    const store = await createRedisReplayStore({ url: server.url, commandTimeoutMs: 100, maxInFlight: cap });
    try {
      await waitUntilAvailable(store);
      server.pause();
      const results = await Promise.allSettled(Array.from({ length: cap + 30 }, () => store.consume(uniqueKey('hung'), inAMinute())));
      const reasons = results.map((result) => {
        expect(result.status).toBe('rejected');
        return reasonOf((result as PromiseRejectedResult).reason);
      });
      expect(reasons.filter((reason) => reason === 'timeout')).toHaveLength(cap);
      expect(reasons.filter((reason) => reason === 'backlog')).toHaveLength(30);
      // Every caller has its answer, yet node-redis still holds the cap's worth of commands: still refused.
      for (let i = 0; i < 10; i++) {
        expect(reasonOf(await store.consume(uniqueKey('still-hung'), inAMinute()).catch((error: unknown) => error))).toBe('backlog');
      }
      server.resume();
      await waitUntilAvailable(store);
      const key = uniqueKey('resumed');
      expect(await store.consume(key, inAMinute())).toBe('fresh');
      expect(await store.consume(key, inAMinute())).toBe('replayed');
    } finally {
      server.resume();
      await store.close();
    }
  });
});
