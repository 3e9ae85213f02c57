import { invalidArgument } from '../errors/shomei-error.js';
import {
  checkConsumeArguments,
  replayStoreUnavailable,
  type ConsumeResult,
  type ReplayStore,
} from './replay-store.js';

/** Options of {@link createMemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Most keys held at once (SHO-REPLAY-3). Default 1,000,000 (about 100 MB, see the README). */
  maxEntries?: number;
  /** Current time in epoch milliseconds, like `Date.now` (the default); injected in tests. */
  clock?: () => number;
}

/** The in-memory {@link ReplayStore}, with the number of keys it holds for monitoring. */
export interface MemoryReplayStore extends ReplayStore {
  /** Keys held, including expired ones not swept yet. */
  readonly size: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_ENTRIES = 1_000_000;
// Expired keys removed per consume: more than the one key a consume adds, so a backlog drains, and few
// enough that no single call pays for a whole second's worth of expiries.
const SWEEP_BUDGET = 32;

interface Drain {
  second: number;
  keys: string[];
  index: number;
}

/**
 * Creates a replay store for one verifier process (spec/13-verification.md SHO-REPLAY-1..4). Several
 * verifier instances behind a load balancer need a shared store instead (`createRedisReplayStore`).
 *
 * Memory is bounded by `maxEntries`. When the store is full of keys that have not expired it refuses
 * with `REPLAY_STORE_UNAVAILABLE` (the verifier denies) rather than evicting one: evicting a live key
 * would forget that its assertion was used, and the very replay this store exists to stop would succeed
 * (SHO-REPLAY-3). A flood of distinct valid assertions big enough to fill the store is a denial of
 * service on this verifier, not a way past it.
 *
 * Layout, for about 100 bytes per key: one `Map<string, number>` from key to its expiry second, the
 * second stored relative to the store's creation so that V8 keeps it as a small integer instead of a
 * boxed double; and expiry buckets, one array of keys per second plus a min-heap of the bucket seconds
 * (a few hundred at most, as assertions live minutes). Each consume removes a bounded number of expired
 * keys from the oldest due bucket, so expiry costs O(1) amortised per key and no call stalls on a large
 * sweep. A key is kept until the clock has passed the whole second `ceil(expiresAt)` — at most a second
 * longer than needed, never shorter (SHO-REPLAY-2).
 *
 * @example
 * const replay = createMemoryReplayStore({ maxEntries: 100_000 });
 * await replay.consume(`${iss} ${jti}`, exp + tolerance); // 'fresh', then 'replayed'
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): MemoryReplayStore {
  if (options === null || typeof options !== 'object') throw invalidArgument('createMemoryReplayStore: options must be an object');
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw invalidArgument('createMemoryReplayStore: maxEntries must be a positive integer');
  }
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw invalidArgument('createMemoryReplayStore: clock must be a function');

  const base = Math.floor(clock() / 1000);
  const expiries = new Map<string, number>();
  const buckets = new Map<number, string[]>();
  const heap: number[] = [];
  let drain: Drain | undefined;
  let closed = false;

  const nowSecond = (): number => Math.floor(clock() / 1000) - base;

  // A key whose second is `s` is live while nowSecond() <= s; buckets with s < now are due.
  const sweep = (now: number, budget: number): void => {
    while (budget > 0) {
      if (drain === undefined) {
        const next = heap[0];
        if (next === undefined || next >= now) return;
        popHeap(heap);
        drain = { second: next, keys: buckets.get(next) ?? [], index: 0 };
        buckets.delete(next);
      }
      const { second, keys } = drain;
      while (drain.index < keys.length && budget > 0) {
        const key = keys[drain.index++]!;
        // The key may have expired, been consumed again and now live in a later bucket.
        if (expiries.get(key) === second) expiries.delete(key);
        budget--;
      }
      if (drain.index >= keys.length) drain = undefined;
    }
  };

  return {
    get size() {
      return expiries.size;
    },

    async consume(key: string, expiresAt: number): Promise<ConsumeResult> {
      checkConsumeArguments(key, expiresAt);
      if (closed) throw replayStoreUnavailable('closed', 'the replay store is closed');
      const now = nowSecond();
      sweep(now, SWEEP_BUDGET);

      const held = expiries.get(key);
      if (held !== undefined && held >= now) return 'replayed';

      const second = Math.ceil(expiresAt) - base;
      // Already past its acceptance window: the verifier's time check refuses any later use, so there is
      // nothing to remember.
      if (second < now) {
        if (held !== undefined) expiries.delete(key);
        return 'fresh';
      }
      if (held === undefined && expiries.size >= maxEntries) {
        sweep(now, Number.POSITIVE_INFINITY);
        if (expiries.size >= maxEntries) {
          throw replayStoreUnavailable('full', `the in-memory replay store holds ${maxEntries} unexpired keys`);
        }
      }
      expiries.set(key, second);
      const bucket = buckets.get(second);
      if (bucket === undefined) {
        buckets.set(second, [key]);
        pushHeap(heap, second);
      } else {
        bucket.push(key);
      }
      return 'fresh';
    },

    async close(): Promise<void> {
      closed = true;
      expiries.clear();
      buckets.clear();
      heap.length = 0;
      drain = undefined;
    },
  };
}

function pushHeap(heap: number[], value: number): void {
  let i = heap.push(value) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = value;
}

function popHeap(heap: number[]): void {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= last) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = last;
}
