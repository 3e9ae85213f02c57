import { describe, expect, it } from 'vitest';
import { createMemoryOneTimeStore } from '../../src/transport/one-time-store.js';
import { fakeClock } from './fixtures.js';

describe('createMemoryOneTimeStore', () => {
  it('SHO-FLOW-6: a value is taken once, then reported used', async () => {
    const clock = fakeClock();
    const store = createMemoryOneTimeStore<string>({ clock: clock.now });
    await store.put('k', 'v', clock.now() + 60_000);
    expect(await store.take('k')).toEqual({ status: 'ok', value: 'v' });
    expect(await store.take('k')).toEqual({ status: 'used' });
  });

  it('SHO-FLOW-14: a value past expiresAt is reported expired, and never handed out', async () => {
    const clock = fakeClock();
    const store = createMemoryOneTimeStore<string>({ clock: clock.now });
    await store.put('k', 'v', clock.now() + 60_000);
    clock.advance(60);
    expect(await store.take('k')).toEqual({ status: 'expired' });
    expect(await store.take('k')).toEqual({ status: 'expired' });
  });

  it('SHO-FLOW-8: an unknown key, and one forgotten after rememberMs, is reported unknown', async () => {
    const clock = fakeClock();
    const store = createMemoryOneTimeStore<string>({ clock: clock.now, rememberMs: 1000 });
    expect(await store.take('nope')).toEqual({ status: 'unknown' });
    await store.put('k', 'v', clock.now() + 1000);
    await store.take('k');
    clock.advance(3);
    expect(await store.take('k')).toEqual({ status: 'unknown' });
  });

  it('SHO-FLOW-6: two concurrent takes of one key give exactly one ok', async () => {
    const store = createMemoryOneTimeStore<string>();
    await store.put('k', 'v', Date.now() + 60_000);
    const results = await Promise.all([store.take('k'), store.take('k')]);
    expect(results.filter((result) => result.status === 'ok')).toHaveLength(1);
  });

  it('SHO-FLOW-6: when full of live keys, put refuses with REPLAY_STORE_UNAVAILABLE; spent keys are swept first', async () => {
    const clock = fakeClock();
    const store = createMemoryOneTimeStore<string>({ clock: clock.now, maxEntries: 1, rememberMs: 0 });
    await store.put('a', 'v', clock.now() + 1000);
    await expect(store.put('b', 'v', clock.now() + 1000)).rejects.toMatchObject({ code: 'REPLAY_STORE_UNAVAILABLE' });
    clock.advance(2);
    await expect(store.put('b', 'v', clock.now() + 1000)).resolves.toBeUndefined();
  });

  it('SHO-FLOW-12: a store filled with keys nobody used has room again once they expire, not rememberMs later', async () => {
    const clock = fakeClock();
    const store = createMemoryOneTimeStore<true>({ clock: clock.now, maxEntries: 3, rememberMs: 600_000 });
    for (const key of ['n1', 'n2', 'n3']) await store.put(key, true, clock.now() + 300_000);
    await expect(store.put('n4', true, clock.now() + 300_000)).rejects.toMatchObject({ code: 'REPLAY_STORE_UNAVAILABLE' });
    clock.advance(300);
    await expect(store.put('n4', true, clock.now() + 300_000)).resolves.toBeUndefined();
    // The swept keys could only have been refused: they still are.
    expect((await store.take('n1')).status).not.toBe('ok');
  });

  it('SHO-FLOW-8: while there is room, an expired key is still told apart as expired', async () => {
    const clock = fakeClock();
    const store = createMemoryOneTimeStore<true>({ clock: clock.now, maxEntries: 3 });
    await store.put('k', true, clock.now() + 1000);
    clock.advance(2);
    await store.put('other', true, clock.now() + 1000);
    expect(await store.take('k')).toEqual({ status: 'expired' });
  });

  it('SHO-FLOW-8: peek reports the value without spending it; take still gets it once', async () => {
    const clock = fakeClock();
    const store = createMemoryOneTimeStore<string>({ clock: clock.now });
    await store.put('k', 'v', clock.now() + 60_000);
    expect(await store.peek('k')).toEqual({ status: 'ok', value: 'v' });
    expect(await store.peek('k')).toEqual({ status: 'ok', value: 'v' });
    expect(await store.take('k')).toEqual({ status: 'ok', value: 'v' });
    expect(await store.peek('k')).toEqual({ status: 'used' });
  });

  it('SHO-FLOW-8: peek answers unknown and expired as take does', async () => {
    const clock = fakeClock();
    const store = createMemoryOneTimeStore<string>({ clock: clock.now });
    expect(await store.peek('nope')).toEqual({ status: 'unknown' });
    await store.put('k', 'v', clock.now() + 60_000);
    clock.advance(60);
    expect(await store.peek('k')).toEqual({ status: 'expired' });
    expect(await store.take('k')).toEqual({ status: 'expired' });
  });
});
