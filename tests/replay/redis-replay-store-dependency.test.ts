/**
 * The Redis replay store given a `url` loads node-redis itself (not installed with shomei): a node-redis
 * without `createClient`, or a version-4 client (no `destroy`), is refused at start-up with a clear
 * CONFIG_INVALID instead of failing later. The missing package itself is covered by the packed-install test.
 */
import { describe, expect, it, vi } from 'vitest';

let shape: 'no-createClient' | 'v4-client' = 'v4-client';

vi.mock('redis', () => ({
  get createClient() {
    if (shape === 'no-createClient') return undefined;
    // node-redis 4's client: connect, sendCommand, on, disconnect/quit; no destroy().
    return () => ({ on: () => undefined, connect: () => Promise.resolve(), sendCommand: () => Promise.resolve(null), disconnect: () => Promise.resolve() });
  },
}));

const { createRedisReplayStore } = await import('../../src/replay/redis-replay-store.js');

describe('createRedisReplayStore({ url }) and the installed node-redis', () => {
  it('refuses a node-redis 4 client (no destroy) with CONFIG_INVALID, reason unsupported_dependency', async () => {
    shape = 'v4-client';
    await expect(createRedisReplayStore({ url: 'redis://127.0.0.1:1' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', reason: 'unsupported_dependency' });
  });

  it('refuses a redis module without createClient with CONFIG_INVALID, reason missing_dependency', async () => {
    shape = 'no-createClient';
    await expect(createRedisReplayStore({ url: 'redis://127.0.0.1:1' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', reason: 'missing_dependency' });
  });
});
