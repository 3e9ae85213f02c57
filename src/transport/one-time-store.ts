import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';

/**
 * What taking (or peeking at) a value of a {@link OneTimeStore} found: the value — spent by `take`, left
 * in place by `peek` — or why not, so that the bank can answer an unknown, expired and reused
 * `request_uri`, code or nonce with their distinct codes (`REQUEST_MISMATCH`, `TOKEN_EXPIRED`, `REPLAYED`; SHO-FLOW-8, SHO-FLOW-14).
 */
export type TakeResult<T> = { status: 'ok'; value: T } | { status: 'unknown' | 'expired' | 'used' };

/**
 * Values usable once and for a bounded time: pushed requests (≤ 300 s), one-time codes (≤ 60 s), nonces
 * of the reverse flow (≤ 300 s) (spec/12-transport.md SHO-FLOW-6, SHO-FLOW-12, SHO-FLOW-14).
 *
 * `take` must be atomic: of two concurrent takes of one key, exactly one gets `ok`. A store shared by
 * several bank instances (Redis `GETDEL`, a database row deleted in the same statement) implements this
 * interface; the in-memory one serves a single process.
 *
 * `peek` lets the bank check what is presented with a key (the `client_id` of a `request_uri`, the
 * signature of the token carrying a nonce) before spending it, so that a browser or wallet that merely
 * saw the key cannot burn it with a wrong presentation (SHO-FLOW-8, SHO-IDA-3). Only `take` decides
 * who wins: a peek says nothing about the next take. The bank requires `peek` of its pushed-request
 * store; a nonce store without it is only taken after the identity assertion verified.
 */
export interface OneTimeStore<T> {
  /** Stores `value` under `key` until `expiresAt` (ms since the epoch). A key is never stored twice. */
  put(key: string, value: T, expiresAt: number): Promise<void>;
  /** Takes the value out: `ok` once, then `used`; `expired` after `expiresAt`; `unknown` otherwise. */
  take(key: string): Promise<TakeResult<T>>;
  /**
   * What `take` would answer now, without spending the key (Redis `GET`, a plain `SELECT`): `ok` with
   * the value leaves it in place.
   */
  peek?(key: string): Promise<TakeResult<T>>;
}

/** A {@link OneTimeStore} that can be looked into without spending a key: what the bank's pushed requests need. */
export type PeekableOneTimeStore<T> = OneTimeStore<T> & Required<Pick<OneTimeStore<T>, 'peek'>>;

/** Options of {@link createMemoryOneTimeStore}. */
export interface MemoryOneTimeStoreOptions {
  /** Most keys held, live and spent. Default 10,000; beyond it `put` fails rather than evict a live key. */
  maxEntries?: number;
  /** How long a spent or expired key is remembered, to answer `used` / `expired`, in ms. Default 600,000. */
  rememberMs?: number;
  /** Current time in ms. Default `Date.now`. */
  clock?: () => number;
}

interface Slot<T> {
  value: T | undefined;
  expiresAt: number;
  /** When the slot may be forgotten. */
  forgetAt: number;
  used: boolean;
}

/**
 * The in-memory {@link OneTimeStore} of one process. Bounded: when full of live keys it refuses new
 * ones with `REPLAY_STORE_UNAVAILABLE` (the endpoint answers 503) instead of evicting a customer's live
 * flow; spent and expired keys are forgotten after `rememberMs`, or as soon as room is needed.
 *
 * @example const codes = createMemoryOneTimeStore<IssuedCode>({ maxEntries: 1000 });
 * @see spec/12-transport.md SHO-FLOW-6, SHO-FLOW-8, SHO-FLOW-14; spec/06-identity.md SHO-IDA-3
 */
export function createMemoryOneTimeStore<T>(options: MemoryOneTimeStoreOptions = {}): PeekableOneTimeStore<T> {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw invalidArgument('options.maxEntries must be a positive integer');
  const rememberMs = options.rememberMs ?? 600_000;
  if (!Number.isSafeInteger(rememberMs) || rememberMs < 0) throw invalidArgument('options.rememberMs must be a non-negative integer');
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw invalidArgument('options.clock must be a function');
  const slots = new Map<string, Slot<T>>();

  /**
   * Makes room: first the keys past `rememberMs`; if the store is still full, every key past its
   * expiry, spent or not. Those can no longer be used, only answer `expired` or `used` (then `unknown`,
   * a refusal all the same), so a flood of never-used keys (nonces anyone may ask for, SHO-FLOW-12)
   * holds the store for their lifetime, not for their lifetime plus `rememberMs`.
   */
  function sweep(now: number): void {
    for (const [key, slot] of slots) if (slot.forgetAt <= now) slots.delete(key);
    if (slots.size < maxEntries) return;
    for (const [key, slot] of slots) if (now >= slot.expiresAt) slots.delete(key);
  }

  /** The usable slot of `key`, or why there is none. Synchronous, so that `take` stays atomic. */
  function live(key: unknown, now: number): { slot: Slot<T> } | { status: 'unknown' | 'expired' | 'used' } {
    const slot = typeof key === 'string' ? slots.get(key) : undefined;
    if (slot === undefined || slot.forgetAt <= now) return { status: 'unknown' };
    if (slot.used) return { status: 'used' };
    if (now >= slot.expiresAt) {
      slot.value = undefined;
      return { status: 'expired' };
    }
    return { slot };
  }

  return {
    async put(key, value, expiresAt) {
      if (typeof key !== 'string' || key.length === 0 || key.length > 512) throw invalidArgument('key must be a string of 1 to 512 characters');
      if (!Number.isFinite(expiresAt)) throw invalidArgument('expiresAt must be a time in ms');
      const now = clock();
      if (slots.size >= maxEntries) sweep(now);
      if (slots.size >= maxEntries) {
        throw new ShomeiError('REPLAY_STORE_UNAVAILABLE', `the one-time store holds ${maxEntries} keys`, { reason: 'full' });
      }
      if (slots.has(key)) throw invalidArgument('key is already stored');
      slots.set(key, { value, expiresAt, forgetAt: expiresAt + rememberMs, used: false });
    },
    async peek(key) {
      const found = live(key, clock());
      return 'status' in found ? found : { status: 'ok', value: found.slot.value as T };
    },
    async take(key) {
      const now = clock();
      const found = live(key, now);
      if ('status' in found) return found;
      const slot = found.slot;
      const value = slot.value as T;
      // Spent: the value goes, the key stays to answer `used` for a while.
      slot.used = true;
      slot.value = undefined;
      slot.forgetAt = Math.max(slot.expiresAt, now) + rememberMs;
      return { status: 'ok', value };
    },
  };
}
