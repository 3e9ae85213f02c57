import type { CryptoBackend } from '../crypto/backend.js';
import { parseJsonObject } from '../encoding/json.js';
import { decodeUtf8Strict } from '../encoding/utf8.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import type { Alg } from '../jws/algorithms.js';
import { validateJwks } from '../keys/jwks.js';
import { cacheLifetimeSeconds, type CacheBounds } from './cache-control.js';
import {
  createDefaultHttpGet,
  createFetchHttpGet,
  type FetchFunction,
  type HttpGet,
  type HttpLimits,
} from './http-fetch.js';
import {
  checkCryptoBackend,
  checkResolveArguments,
  KeyTable,
  type KeyResolver,
  type KeySetState,
  type ResolvedKey,
} from './key-resolver.js';

/** Options of {@link createRemoteKeySet}. Every limit has a safe default (spec/11-keys.md, SHO-FETCH). */
export interface RemoteKeySetOptions {
  /** Imports the fetched JWKs; see `src/crypto/backend.ts`. */
  readonly crypto: CryptoBackend;
  /**
   * A WHATWG `fetch` to send the request with, for runtimes without undici or for tests
   * (`globalThis.fetch` is what msw intercepts). Default: undici's `fetch` with an `Agent` enforcing
   * the timeouts at socket level. Redirects, timeouts and the size cap are enforced either way.
   */
  readonly fetch?: FetchFunction;
  /** Connecting plus receiving the response headers, in ms. Default 3000. */
  readonly timeoutMs?: number;
  /** Receiving the whole body, in ms. Default 3000. */
  readonly bodyTimeoutMs?: number;
  /** Largest JWKS accepted, in bytes. Default 65536. */
  readonly maxBodyBytes?: number;
  /** Lower bound of the cache lifetime, also used for `no-store` / `no-cache`. Default 60. */
  readonly minCacheSeconds?: number;
  /** Upper bound of the cache lifetime. Default 86400. */
  readonly maxCacheSeconds?: number;
  /** Lifetime when the response has no `max-age` / `s-maxage`. Default 300. */
  readonly defaultCacheSeconds?: number;
  /** At most one request per this many seconds for an unknown `kid` or after a failure. Default 30. */
  readonly cooldownSeconds?: number;
  /** How long after expiry the last good set is still served while refreshes fail. Default 3600. */
  readonly maxStaleSeconds?: number;
  /** Current time in ms since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
}

/** A {@link KeyResolver} over a partner's `jwks_uri`, with its cache state. */
export interface RemoteKeySet extends KeyResolver {
  readonly state: () => KeySetState;
}

/** The redirect statuses (RFC 9110 §15.4): never followed (SHO-FETCH-2). Any other non-200, a 304 included, is a status failure. */
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

interface LoadedSet {
  readonly table: KeyTable;
  readonly fetchedAt: number;
  readonly expiresAt: number;
}

const MAX_TIMER_MS = 2_147_483_647;

/**
 * A key resolver that fetches a partner's JWKS from `url` and keeps it (spec/11-keys.md, SHO-FETCH).
 *
 * - `https:` only; `http:` only for a loopback host (`localhost`, 127.0.0.0/8, `[::1]`) — anything
 *   else throws at construction (SHO-FETCH-1).
 * - A response counts only if it is a direct `200` (no redirect is followed, SHO-FETCH-2/3) with
 *   `Content-Type` `application/jwk-set+json` or `application/json` (SHO-FETCH-4), within the size
 *   and time limits (SHO-FETCH-5/6), and its body is a strict-JSON object that passes `validateJwks`
 *   (SHO-FETCH-7).
 * - The set is kept for the server's `Cache-Control` lifetime clamped into
 *   `[minCacheSeconds, maxCacheSeconds]` (SHO-FETCH-8). An unknown `kid` triggers one refetch, at most
 *   one per `cooldownSeconds` counted from the previous request (SHO-FETCH-9).
 * - A failed fetch never replaces a good set. While refreshes fail the last good set is served for up
 *   to `maxStaleSeconds` after it expired (`state().stale`), retrying at most once per cooldown;
 *   after that, or with no good set ever, `KEYS_UNAVAILABLE` (SHO-FETCH-10).
 * - Concurrent resolves share one request (SHO-FETCH-11).
 * - A successful refresh replaces the set entirely: a removed key stops resolving (SHO-FETCH-14).
 * - A key is returned only when its JWK fits the requested `alg`, else `ALG_NOT_ALLOWED`
 *   (SHO-FETCH-12); imported handles are cached per `kid` and survive a refresh that did not change
 *   the key.
 * - Requests carry `Accept: application/jwk-set+json, application/json` and no credentials
 *   (SHO-FETCH-15).
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) for a refused URL or a bad option.
 * @example
 * const keys = createRemoteKeySet('https://bank.example/.well-known/jwks.json', { crypto: webCryptoBackend });
 * const { handle } = await keys.resolve(header.kid, header.alg);
 * keys.state().fetchCount; // 1 after the first resolve, still 1 on a warm cache
 */
export function createRemoteKeySet(url: string | URL, options: RemoteKeySetOptions): RemoteKeySet {
  const target = parseKeySetUrl(url);
  if (options === null || typeof options !== 'object') {
    throw invalidArgument('createRemoteKeySet: options must be an object');
  }
  checkCryptoBackend(options.crypto, 'createRemoteKeySet');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw invalidArgument('createRemoteKeySet: options.fetch must be a function');
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw invalidArgument('createRemoteKeySet: options.clock must be a function');
  }

  const limits: HttpLimits = {
    timeoutMs: positive(options.timeoutMs, 3000, 'timeoutMs', MAX_TIMER_MS),
    bodyTimeoutMs: positive(options.bodyTimeoutMs, 3000, 'bodyTimeoutMs', MAX_TIMER_MS),
    maxBodyBytes: positiveInteger(options.maxBodyBytes, 65_536, 'maxBodyBytes'),
  };
  const minSeconds = nonNegative(options.minCacheSeconds, 60, 'minCacheSeconds');
  const maxSeconds = nonNegative(options.maxCacheSeconds, 86_400, 'maxCacheSeconds');
  if (minSeconds > maxSeconds) {
    throw invalidArgument('createRemoteKeySet: minCacheSeconds must not exceed maxCacheSeconds');
  }
  const bounds: CacheBounds = {
    minSeconds,
    maxSeconds,
    defaultSeconds: Math.min(
      maxSeconds,
      Math.max(minSeconds, nonNegative(options.defaultCacheSeconds, 300, 'defaultCacheSeconds')),
    ),
  };
  const cooldownMs = nonNegative(options.cooldownSeconds, 30, 'cooldownSeconds') * 1000;
  const maxStaleMs = nonNegative(options.maxStaleSeconds, 3600, 'maxStaleSeconds') * 1000;
  const crypto = options.crypto;
  const clock = options.clock ?? Date.now;
  const httpGet: HttpGet =
    options.fetch === undefined ? createDefaultHttpGet(limits) : createFetchHttpGet(options.fetch);

  let current: LoadedSet | undefined;
  let lastAttemptAt: number | undefined;
  /** The failure of the latest attempt; `undefined` once an attempt succeeds. */
  let lastFailure: ShomeiError | undefined;
  let fetchCount = 0;
  let inflight: Promise<void> | undefined;

  async function load(previous: KeyTable | undefined): Promise<LoadedSet> {
    const response = await httpGet(target, limits);
    if (REDIRECTS.has(response.status)) {
      throw new ShomeiError('FETCH_FAILED', `key set answered ${response.status}; redirects are not followed`, {
        requirement: 'SHO-FETCH-2',
        reason: 'redirect',
      });
    }
    if (response.status !== 200) {
      throw new ShomeiError('FETCH_FAILED', `key set answered ${response.status}, expected 200`, {
        requirement: 'SHO-FETCH-3',
        reason: 'status',
      });
    }
    if (!isJwksContentType(response.headers['content-type'])) {
      const message = 'key set Content-Type is not application/jwk-set+json or application/json';
      throw new ShomeiError('FETCH_FAILED', message, {
        requirement: 'SHO-FETCH-4',
        reason: 'content_type',
      });
    }
    let body: Record<string, unknown>;
    try {
      body = parseJsonObject(decodeUtf8Strict(response.body));
    } catch (cause) {
      const reason = cause instanceof ShomeiError && cause.reason !== undefined ? cause.reason : 'invalid_json';
      throw new ShomeiError('JWKS_INVALID', `key set body is not a strict JSON object (${reason})`, {
        requirement: 'SHO-FETCH-7',
        reason,
        cause,
      });
    }
    const keys = validateJwks(body);
    const fetchedAt = clock();
    return {
      table: new KeyTable(keys, crypto, previous),
      fetchedAt,
      expiresAt: fetchedAt + cacheLifetimeSeconds(response.headers, bounds) * 1000,
    };
  }

  /** One request at a time: every caller that needs a refresh while one is running awaits that one. */
  function refresh(): Promise<void> {
    inflight ??= (async () => {
      fetchCount += 1;
      lastAttemptAt = clock();
      try {
        // Assigned only on success: a failed fetch never replaces the good set.
        current = await load(current?.table);
        lastFailure = undefined;
      } catch (error) {
        lastFailure =
          error instanceof ShomeiError
            ? error
            : new ShomeiError('FETCH_FAILED', 'key set could not be loaded', { reason: 'network', cause: error });
        throw lastFailure;
      }
    })().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  // A clock set back (an NTP step) must not make a set look fresh, or a cooldown last, for as long as
  // the step: a time before the fetch or the attempt counts as past their end.
  function coolingDown(now: number): boolean {
    return lastAttemptAt !== undefined && now >= lastAttemptAt && now - lastAttemptAt < cooldownMs;
  }

  function fresh(set: LoadedSet, now: number): boolean {
    return now >= set.fetchedAt && now < set.expiresAt;
  }

  // Stale grace is not fresh: a clock set back during an outage keeps the last good set usable.
  function usableStale(set: LoadedSet, now: number): boolean {
    return now < set.expiresAt + maxStaleMs;
  }

  /**
   * Failing closed: `JWKS_INVALID` when what the partner served was not a valid key set (a private
   * member, a malformed key: SHO-FETCH-7, SHO-KEY-6), so that an operator sees it apart from an outage;
   * `KEYS_UNAVAILABLE` when it could not be obtained (SHO-FETCH-10). The message names no token value.
   */
  function failClosed(requirement: string, message: string): ShomeiError {
    const invalid = lastFailure?.code === 'JWKS_INVALID';
    return new ShomeiError(invalid ? 'JWKS_INVALID' : 'KEYS_UNAVAILABLE', message, {
      requirement: invalid ? 'SHO-FETCH-7' : requirement,
      reason: lastFailure?.reason ?? 'fetch_failed',
      cause: lastFailure,
    });
  }

  /** The set to look keys up in: fresh, refreshed, or (within maxStale) the last good one. */
  async function usableTable(): Promise<KeyTable> {
    const now = clock();
    if (current !== undefined && fresh(current, now)) return current.table;
    // After a failure, wait out the cooldown before asking again, so a partner outage does not turn
    // every incoming token into a request.
    if (inflight !== undefined || lastFailure === undefined || !coolingDown(now)) {
      try {
        await refresh();
        if (current !== undefined) return current.table;
      } catch {
        // fall through to the last good set
      }
    }
    if (current !== undefined && usableStale(current, clock())) return current.table;
    throw failClosed('SHO-FETCH-10', `no usable key set from ${target.href}`);
  }

  return {
    async resolve(kid: string, alg: Alg): Promise<ResolvedKey> {
      checkResolveArguments(kid, alg);
      let table = await usableTable();
      if (!table.has(kid) && (inflight !== undefined || !coolingDown(clock()))) {
        // The partner may have rotated: look once more, but at most once per cooldown, so random
        // `kid`s cannot make us hammer the partner.
        try {
          await refresh();
        } catch {
          // We could not look: say so, rather than claim the key does not exist.
          throw failClosed('SHO-FETCH-9', "the token's kid is unknown and the key set could not be refreshed");
        }
        if (current !== undefined) table = current.table;
      }
      if (!table.has(kid) && lastFailure !== undefined && current !== undefined && !fresh(current, clock())) {
        // Absent from an outdated set we could not refresh: the key may well exist now.
        throw failClosed('SHO-FETCH-10', "the token's kid is not in the stale key set, which could not be refreshed");
      }
      return table.resolve(kid, alg);
    },

    state(): KeySetState {
      const now = clock();
      return {
        url: target.href,
        ...(current === undefined ? {} : { fetchedAt: current.fetchedAt, expiresAt: current.expiresAt }),
        stale: current !== undefined && !fresh(current, now),
        kids: current?.table.kids ?? [],
        ...(lastFailure === undefined ? {} : { lastError: lastFailure.code }),
        fetchCount,
      };
    },
  };
}

/** SHO-FETCH-1: `https:`, or `http:` on a loopback host only; no credentials in the URL. */
function parseKeySetUrl(url: string | URL): URL {
  if (typeof url !== 'string' && !(url instanceof URL)) {
    throw invalidArgument('createRemoteKeySet: url must be a string or URL');
  }
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    throw invalidArgument('createRemoteKeySet: url is not a valid absolute URL');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalidArgument('createRemoteKeySet: url must not contain credentials');
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed;
  throw invalidArgument(
    'createRemoteKeySet: key sets are fetched over https only (http is allowed for loopback hosts), ' +
      `got ${parsed.protocol}//${parsed.host}`,
  );
}

/** The WHATWG URL parser has already normalised the host (`127.1` → `127.0.0.1`, `[0::1]` → `[::1]`). */
function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

/** Media type without parameters, case-insensitive (RFC 9110 §8.3.1). */
function isJwksContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const mediaType = value.split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/jwk-set+json' || mediaType === 'application/json';
}

function positive(value: number | undefined, fallback: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw invalidArgument(`createRemoteKeySet: options.${name} must be a positive number of at most ${max}`);
  }
  return value;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const result = positive(value, fallback, name);
  if (!Number.isInteger(result)) throw invalidArgument(`createRemoteKeySet: options.${name} must be an integer`);
  return result;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(`createRemoteKeySet: options.${name} must be a non-negative number`);
  }
  return value;
}
