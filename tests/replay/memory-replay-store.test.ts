import { describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createMemoryReplayStore } from '../../src/replay/memory-replay-store.js';
import { isReplayStore, MAX_REPLAY_KEY_LENGTH } from '../../src/replay/replay-store.js';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z in ms

function manualClock(start = T0) {
  let now = start;
  return {
    clock: () => now,
    set: (ms: number) => {
      now = ms;
    },
  };
}

async function unavailableReason(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShomeiError);
  expect((error as ShomeiError).code).toBe('REPLAY_STORE_UNAVAILABLE');
  return (error as ShomeiError).reason;
}

describe('memory replay store', () => {
  it('SHO-REPLAY-1: the first consume of a key is fresh, every later one replayed', async () => {
    const { clock } = manualClock();
    const store = createMemoryReplayStore({ clock });
    const exp = T0 / 1000 + 60;
    expect(await store.consume('iss jti-1', exp)).toBe('fresh');
    expect(await store.consume('iss jti-1', exp)).toBe('replayed');
    expect(await store.consume('iss jti-1', exp + 100)).toBe('replayed');
    expect(await store.consume('iss jti-2', exp)).toBe('fresh');
  });

  it('SHO-REPLAY-1: of 100 concurrent consumes of one key exactly one is fresh', async () => {
    const store = createMemoryReplayStore();
    const exp = Date.now() / 1000 + 60;
    const results = await Promise.all(Array.from({ length: 100 }, () => store.consume('same', exp)));
    expect(results.filter((r) => r === 'fresh')).toHaveLength(1);
    expect(results.filter((r) => r === 'replayed')).toHaveLength(99);
  });

  it('SHO-REPLAY-2: a key is remembered through the whole second of expiresAt', async () => {
    const { clock, set } = manualClock();
    const store = createMemoryReplayStore({ clock });
    const exp = T0 / 1000 + 10;
    expect(await store.consume('k', exp)).toBe('fresh');
    set(exp * 1000 + 999);
    expect(await store.consume('k', exp)).toBe('replayed');
  });

  it('SHO-REPLAY-2: a fractional expiresAt is rounded up, never down', async () => {
    const { clock, set } = manualClock();
    const store = createMemoryReplayStore({ clock });
    const exp = T0 / 1000 + 10.2;
    await store.consume('k', exp);
    set((T0 / 1000 + 11) * 1000 + 500);
    expect(await store.consume('k', exp)).toBe('replayed');
  });

  it('SHO-REPLAY-2: after expiresAt has passed the key is forgotten and its memory freed', async () => {
    const { clock, set } = manualClock();
    const store = createMemoryReplayStore({ clock });
    const exp = T0 / 1000 + 10;
    await store.consume('k', exp);
    set((exp + 1) * 1000);
    expect(await store.consume('k', exp + 60)).toBe('fresh');
    expect(store.size).toBe(1);
  });

  it('SHO-REPLAY-2: a key already past expiresAt is not stored', async () => {
    const { clock } = manualClock();
    const store = createMemoryReplayStore({ clock });
    expect(await store.consume('late', T0 / 1000 - 5)).toBe('fresh');
    expect(store.size).toBe(0);
  });

  it('SHO-REPLAY-2: expired keys are swept a few per consume until none is left', async () => {
    const { clock, set } = manualClock();
    const store = createMemoryReplayStore({ clock });
    const short = T0 / 1000 + 1;
    for (let i = 0; i < 1_000; i++) await store.consume(`short-${i}`, short);
    expect(store.size).toBe(1_000);
    set((short + 1) * 1000);
    await store.consume('live-0', short + 600);
    // Amortised: one consume removes a bounded number, not the whole second at once.
    expect(store.size).toBeGreaterThan(900);
    for (let i = 1; i < 100; i++) await store.consume(`live-${i}`, short + 600);
    expect(store.size).toBe(100);
  });

  it('SHO-REPLAY-2: sweeping an old bucket keeps a key consumed again with a later expiry', async () => {
    const { clock, set } = manualClock();
    const store = createMemoryReplayStore({ clock });
    const first = T0 / 1000 + 1;
    await store.consume('reused', first);
    set((first + 1) * 1000);
    expect(await store.consume('reused', first + 600)).toBe('fresh');
    for (let i = 0; i < 100; i++) await store.consume(`other-${i}`, first + 600);
    expect(await store.consume('reused', first + 600)).toBe('replayed');
  });

  it('SHO-REPLAY-3: a store full of live keys refuses instead of evicting one', async () => {
    const { clock } = manualClock();
    const store = createMemoryReplayStore({ clock, maxEntries: 3 });
    const exp = T0 / 1000 + 60;
    for (const key of ['a', 'b', 'c']) expect(await store.consume(key, exp)).toBe('fresh');
    expect(await unavailableReason(store.consume('d', exp))).toBe('full');
    // Nothing was evicted: every live key still reads as replayed, also while full.
    for (const key of ['a', 'b', 'c']) expect(await store.consume(key, exp)).toBe('replayed');
    expect(store.size).toBe(3);
  });

  it('SHO-REPLAY-3: a full store takes new keys again once old ones expire', async () => {
    const { clock, set } = manualClock();
    const store = createMemoryReplayStore({ clock, maxEntries: 2 });
    const exp = T0 / 1000 + 5;
    await store.consume('a', exp);
    await store.consume('b', exp + 100);
    await unavailableReason(store.consume('c', exp));
    set((exp + 1) * 1000);
    expect(await store.consume('c', exp + 100)).toBe('fresh');
    expect(await store.consume('b', exp + 100)).toBe('replayed');
  });

  it('SHO-REPLAY-4: a closed store refuses with REPLAY_STORE_UNAVAILABLE', async () => {
    const store = createMemoryReplayStore();
    await store.close();
    expect(await unavailableReason(store.consume('k', Date.now() / 1000 + 60))).toBe('closed');
  });

  it.each([
    ['an empty key', '', 1],
    ['a key longer than the limit', 'k'.repeat(MAX_REPLAY_KEY_LENGTH + 1), 1],
    ['a non-string key', 42 as unknown as string, 1],
    ['a NaN expiresAt', 'k', Number.NaN],
    ['an infinite expiresAt', 'k', Number.POSITIVE_INFINITY],
    ['a string expiresAt', 'k', '1' as unknown as number],
  ])('SHO-REPLAY-1: %s is a caller mistake (TypeError)', async (_, key, expiresAt) => {
    const store = createMemoryReplayStore();
    await expect(store.consume(key, expiresAt)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  });

  it.each([0, -1, 1.5, Number.NaN])('SHO-REPLAY-3: maxEntries %s is refused at construction', (maxEntries) => {
    expect(() => createMemoryReplayStore({ maxEntries })).toThrow(TypeError);
  });

  it('SHO-REPLAY-1: isReplayStore recognises a store and refuses other values', () => {
    expect(isReplayStore(createMemoryReplayStore())).toBe(true);
    expect(isReplayStore({ consume: 'no' })).toBe(false);
    expect(isReplayStore({ consume: async () => 'fresh', close: 1 })).toBe(false);
    expect(isReplayStore(null)).toBe(false);
  });
});
