import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';

/** What {@link ReplayStore.consume} tells: the first use of a key, or a repeat. */
export type ConsumeResult = 'fresh' | 'replayed';

/**
 * Remembers which assertion identifiers (`jti`) have been used, so that each assertion is accepted once
 * (spec/13-verification.md SHO-REPLAY).
 *
 * Contract every implementation keeps:
 * - SHO-REPLAY-1: `consume` is atomic "first use wins": of any number of concurrent calls with the same
 *   key, across every process sharing the store, exactly one resolves `'fresh'`; all others resolve
 *   `'replayed'`.
 * - SHO-REPLAY-2: a key is remembered at least until `expiresAt` (the last second at which a verifier
 *   would still accept the assertion: its `exp` plus the clock tolerance), so no replay succeeds while
 *   the assertion itself is still acceptable; afterwards the time check refuses it anyway.
 * - SHO-REPLAY-3: memory (or storage) is bounded, and a key is never forgotten before `expiresAt` to make
 *   room: a full store refuses instead.
 * - SHO-REPLAY-4: when the store cannot answer (backend unreachable, slow, full) `consume` rejects with
 *   `ShomeiError('REPLAY_STORE_UNAVAILABLE')` and never resolves `'fresh'`; the verifier turns that into
 *   a deny (fail closed). A store recovers by itself when its backend returns.
 *
 * The verifier builds the key (for example issuer and `jti`); stores treat it as an opaque string.
 */
export interface ReplayStore {
  /**
   * Records `key` as used until `expiresAt` (epoch seconds) and tells whether it was already used.
   *
   * @throws ShomeiError `REPLAY_STORE_UNAVAILABLE` (SHO-REPLAY-4) — never a `'fresh'` on doubt.
   */
  consume(key: string, expiresAt: number): Promise<ConsumeResult>;
  /** Releases connections or timers; the store must not be used afterwards. */
  close?(): Promise<void>;
}

/** Longest key a store accepts; a `jti` is at most 128 characters, an issuer URL a few hundred. */
export const MAX_REPLAY_KEY_LENGTH = 1024;

/**
 * Checks the arguments of {@link ReplayStore.consume}; a wrong type is the caller's mistake (TypeError).
 * Shared by the stores of this folder so that they refuse the same inputs.
 */
export function checkConsumeArguments(key: unknown, expiresAt: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_REPLAY_KEY_LENGTH) {
    throw invalidArgument(`ReplayStore.consume: key must be a string of 1 to ${MAX_REPLAY_KEY_LENGTH} characters`);
  }
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    throw invalidArgument('ReplayStore.consume: expiresAt must be a finite number of epoch seconds');
  }
}

/** The one error of SHO-REPLAY-4; `reason` says why (`full`, `timeout`, `offline`, `error`, `closed`, `backlog`). */
export function replayStoreUnavailable(reason: string, message: string, cause?: unknown): ShomeiError {
  return new ShomeiError('REPLAY_STORE_UNAVAILABLE', message, {
    requirement: 'SHO-REPLAY-4',
    reason,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Whether `value` has the shape of a {@link ReplayStore}; the verifier calls this when it is built, so a
 * wrong store fails at start-up rather than on the first assertion.
 */
export function isReplayStore(value: unknown): value is ReplayStore {
  if (value === null || typeof value !== 'object') return false;
  const store = value as Record<string, unknown>;
  return typeof store['consume'] === 'function' && (store['close'] === undefined || typeof store['close'] === 'function');
}
