import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createRedisReplayStore, type RedisClientLike } from '../../src/replay/redis-replay-store.js';
import { useRedisServer, waitUntilAvailable } from '../helpers/redis-server.js';

// The command timeout is enforced by one interval for every command in flight, sweeping every
// max(5, commandTimeoutMs / 4) ms: a command fails closed no earlier than its deadline and no later than
// one period after it. Fake timers (performance.now included) make those bounds exact, not timing.
const TIMEOUT_MS = 100;
const PERIOD_MS = 25;
const IDLE_EXIT = fileURLToPath(new URL('./fixtures/redis-idle-exit.ts', import.meta.url));

interface Outcome {
  value?: unknown;
  error?: unknown;
}
const settledAt = new WeakMap<Outcome, number>();

/** Records how a promise settled, without awaiting it (the test moves the fake clock meanwhile). */
function track(promise: Promise<unknown>): Outcome {
  const outcome: Outcome = {};
  promise.then(
    (value) => {
      outcome.value = value;
      settledAt.set(outcome, performance.now());
    },
    (error: unknown) => {
      outcome.error = error;
      settledAt.set(outcome, performance.now());
    },
  );
  return outcome;
}

const settled = (outcome: Outcome): boolean => 'value' in outcome || 'error' in outcome;

function reasonOf(outcome: Outcome): string | undefined {
  expect(outcome.value).toBeUndefined();
  expect(outcome.error).toBeInstanceOf(ShomeiError);
  expect((outcome.error as ShomeiError).code).toBe('REPLAY_STORE_UNAVAILABLE');
  return (outcome.error as ShomeiError).reason;
}

/** A client whose commands stay unanswered until the test answers them, in any order. */
function heldClient(): { client: RedisClientLike; held: { answer: (reply: unknown) => void; fail: (error: Error) => void }[] } {
  const held: { answer: (reply: unknown) => void; fail: (error: Error) => void }[] = [];
  return {
    held,
    client: {
      sendCommand: () => new Promise((answer, fail) => held.push({ answer, fail })),
    },
  };
}

const inAMinute = (): number => Date.now() / 1000 + 60;

describe('Redis replay store command deadlines (one timer for all commands in flight)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const fake = (): void => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date', 'performance'] });
  };

  it('SHO-REPLAY-4: an unanswered command fails closed with reason timeout, not before its deadline and within one period after it', async () => {
    fake();
    const store = await createRedisReplayStore({ client: { sendCommand: () => new Promise<never>(() => undefined) }, commandTimeoutMs: TIMEOUT_MS });
    const outcome = track(store.consume('k', inAMinute()));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS - 1);
    expect(settled(outcome)).toBe(false);
    await vi.advanceTimersByTimeAsync(PERIOD_MS + 1);
    expect(reasonOf(outcome)).toBe('timeout');
  });

  it('SHO-REPLAY-4: many concurrent unanswered commands, sent at different times, each fail at their own deadline', async () => {
    fake();
    const store = await createRedisReplayStore({ client: { sendCommand: () => new Promise<never>(() => undefined) }, commandTimeoutMs: TIMEOUT_MS });
    const sentAt: number[] = [];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 60; i++) {
      sentAt.push(performance.now());
      const outcome = track(store.consume(`k${i}`, inAMinute()));
      outcomes.push(outcome);
      // Three commands per 7 ms: several share one sweep, others fall between sweeps.
      if (i % 3 === 2) await vi.advanceTimersByTimeAsync(7);
    }
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS + PERIOD_MS);
    outcomes.forEach((outcome, i) => {
      expect(reasonOf(outcome)).toBe('timeout');
      const waited = settledAt.get(outcome)! - sentAt[i]!;
      expect(waited).toBeGreaterThanOrEqual(TIMEOUT_MS);
      expect(waited).toBeLessThanOrEqual(TIMEOUT_MS + PERIOD_MS);
    });
  });

  it('SHO-REPLAY-4: an OK that arrives after the deadline does not turn the timeout into fresh', async () => {
    fake();
    const { client, held } = heldClient();
    const store = await createRedisReplayStore({ client, commandTimeoutMs: TIMEOUT_MS });
    const late = track(store.consume('late', inAMinute()));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS + PERIOD_MS);
    expect(reasonOf(late)).toBe('timeout');
    held[0]!.answer('OK');
    await vi.advanceTimersByTimeAsync(PERIOD_MS);
    expect(late.value).toBeUndefined();
    expect(reasonOf(late)).toBe('timeout');
  });

  it('SHO-REPLAY-4: a late error after the deadline is swallowed, and commands answered in time still succeed', async () => {
    fake();
    const { client, held } = heldClient();
    const store = await createRedisReplayStore({ client, commandTimeoutMs: TIMEOUT_MS });
    const first = track(store.consume('first', inAMinute()));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS / 2);
    const second = track(store.consume('second', inAMinute()));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS / 2 + PERIOD_MS);
    expect(reasonOf(first)).toBe('timeout');
    expect(settled(second)).toBe(false);
    // Answered out of order: the second in time, the first (already failed) with a late error.
    held[1]!.answer(null);
    held[0]!.fail(new Error('connection reset'));
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toEqual({ value: 'replayed' });
    expect(reasonOf(first)).toBe('timeout');
  });

  it('SHO-REPLAY-4: a reply already there when the sweep finds its command due still counts (read before failing)', async () => {
    fake();
    // The reply lands at the deadline, in the same turn of the event loop as the sweep that finds the
    // command due and just after it: as after a stall of the main thread, when timers run before sockets
    // are read.
    const store = await createRedisReplayStore({
      client: { sendCommand: () => new Promise((answer) => setTimeout(() => answer('OK'), TIMEOUT_MS)) },
      commandTimeoutMs: TIMEOUT_MS,
    });
    const outcome = track(store.consume('k', inAMinute()));
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS + PERIOD_MS);
    expect(outcome).toEqual({ value: 'fresh' });
  });

  it('SHO-REPLAY-4: close fails every command in flight with reason closed, and a later answer changes nothing', async () => {
    fake();
    const { client, held } = heldClient();
    const store = await createRedisReplayStore({ client, commandTimeoutMs: TIMEOUT_MS });
    const outcomes = [track(store.consume('a', inAMinute())), track(store.consume('b', inAMinute()))];
    await store.close();
    await vi.advanceTimersByTimeAsync(0);
    for (const outcome of outcomes) expect(reasonOf(outcome)).toBe('closed');
    for (const command of held) command.answer('OK');
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS + PERIOD_MS);
    for (const outcome of outcomes) expect(reasonOf(outcome)).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('SHO-REPLAY-4: the timer runs only while a command is pending', async () => {
    fake();
    const { client, held } = heldClient();
    const store = await createRedisReplayStore({ client, commandTimeoutMs: TIMEOUT_MS });
    expect(vi.getTimerCount()).toBe(0);
    const answered = track(store.consume('answered', inAMinute()));
    const unanswered = track(store.consume('unanswered', inAMinute()));
    expect(vi.getTimerCount()).toBe(1);
    held[0]!.answer('OK');
    await vi.advanceTimersByTimeAsync(PERIOD_MS);
    expect(answered).toEqual({ value: 'fresh' });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(reasonOf(unanswered)).toBe('timeout');
    expect(vi.getTimerCount()).toBe(0);
    // And it starts again for the next command.
    track(store.consume('again', inAMinute()));
    expect(vi.getTimerCount()).toBe(1);
  });

  it('SHO-REPLAY-4: a client that throws instead of returning a promise fails closed', async () => {
    const store = await createRedisReplayStore({
      client: {
        sendCommand: () => {
          throw new Error('socket gone');
        },
      },
    });
    await expect(store.consume('k', inAMinute())).rejects.toMatchObject({ code: 'REPLAY_STORE_UNAVAILABLE', reason: 'error' });
  });

  it('SHO-REPLAY-4: no timeout option is asked of a passed-in client', async () => {
    const calls: unknown[][] = [];
    const client = {
      sendCommand: (...args: unknown[]) => {
        calls.push(args);
        return Promise.resolve('OK');
      },
    };
    const store = await createRedisReplayStore({ client });
    await store.consume('k', inAMinute());
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(1);
  });
});

describe('Redis replay store deadlines against a real redis-server', () => {
  const server = useRedisServer();

  it('SHO-REPLAY-4: with Redis hung (SIGSTOP) 200 concurrent consumes each fail closed with reason timeout, and the store recovers', async () => {
    const store = await createRedisReplayStore({ url: server.url, commandTimeoutMs: 200 });
    try {
      await waitUntilAvailable(store);
      server.pause();
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => store.consume(`hung-${process.pid}-${Date.now()}-${i}`, inAMinute())));
      server.resume();
      for (const result of results) {
        expect(result.status).toBe('rejected');
        const error = (result as PromiseRejectedResult).reason as ShomeiError;
        expect(error).toBeInstanceOf(ShomeiError);
        expect(error.code).toBe('REPLAY_STORE_UNAVAILABLE');
        expect(error.reason).toBe('timeout');
      }
      // The SETs reached Redis and run once it continues; new keys are fresh again.
      await waitUntilAvailable(store);
      expect(await store.consume(`resumed-${process.pid}-${Date.now()}`, inAMinute())).toBe('fresh');
    } finally {
      server.resume();
      await store.close();
    }
  });

  const runUntilExit = (args: string[]): Promise<{ code: number | null; results: string[] | undefined }> =>
    new Promise((resolve, reject) => {
      const child = fork(IDLE_EXIT, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let results: string[] | undefined;
      // A correctness bound, not a timing check: a leaked timer or socket keeps the child alive forever.
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the process did not exit by itself: a handle was left open'));
      }, 20_000);
      child.on('message', (message: { type: string; results: string[] }) => {
        if (message.type === 'results') results = message.results;
      });
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(guard);
        resolve({ code, results });
      });
    });

  it('SHO-REPLAY-4: an idle store with a passed-in client holds no timer: the process exits by itself after a timeout', async () => {
    expect(await runUntilExit([])).toEqual({ code: 0, results: ['fresh', 'REPLAY_STORE_UNAVAILABLE:timeout'] });
  });

  it('SHO-REPLAY-4: after close a store with its own connection lets the process exit by itself', async () => {
    expect(await runUntilExit([server.url])).toEqual({ code: 0, results: ['fresh'] });
  });
});
