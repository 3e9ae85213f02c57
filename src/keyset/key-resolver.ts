/**
 * How a verifier finds the public key for a token header's `kid` and `alg` (spec/11-keys.md,
 * SHO-FETCH). Implementations: {@link ./local-key-set.js} (a configured JWKS) and
 * {@link ./remote-key-set.js} (a partner's `jwks_uri`).
 */
import type { CryptoBackend, PublicKeyHandle } from '../crypto/backend.js';
import type { ErrorCode } from '../errors/codes.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import { jwkMatchesAlg } from '../keys/jwks.js';
import type { PublicJwk } from '../keys/types.js';

/** A key ready to verify a signature made with `alg`. */
export interface ResolvedKey {
  readonly kid: string;
  readonly alg: Alg;
  readonly jwk: PublicJwk;
  readonly handle: PublicKeyHandle;
}

/** What a key set holds and how it got it; for operations and benchmarks, never for decisions. */
export interface KeySetState {
  /** The `jwks_uri` of a remote key set; absent for a local one. */
  readonly url?: string;
  /** When the key set in use was fetched (ms since the epoch); absent before the first success. */
  readonly fetchedAt?: number;
  /** When it stops being fresh (ms since the epoch); absent before the first success. */
  readonly expiresAt?: number;
  /** The key set in use is past `expiresAt` (it is served only because a refresh failed). */
  readonly stale: boolean;
  /** The `kid`s of the key set in use, in JWKS order. */
  readonly kids: readonly string[];
  /** The code of the last failed refresh, cleared by the next success. */
  readonly lastError?: ErrorCode;
  /** HTTP requests made so far (0 for a local key set). A warm cache makes none. */
  readonly fetchCount: number;
}

/**
 * Finds the key for `kid` that fits `alg` (SHO-FETCH-12).
 *
 * `resolve` throws `ShomeiError` with code `KEY_NOT_FOUND` (no such `kid` after the allowed refetch,
 * SHO-FETCH-9), `ALG_NOT_ALLOWED` (the key does not fit `alg`, SHO-FETCH-12 / SHO-JWS-22) or
 * `KEYS_UNAVAILABLE` (no usable key set could be obtained, SHO-FETCH-10). It never returns a key
 * whose JWK does not fit `alg`.
 */
export interface KeyResolver {
  resolve(kid: string, alg: Alg): Promise<ResolvedKey>;
  readonly state?: () => KeySetState;
}

/**
 * Whether `jwk` may verify a signature made with `alg` (SHO-FETCH-12): EC P-256 ↔ ES256, OKP Ed25519
 * ↔ EdDSA, RSA ↔ PS256; `jwk.alg`, when present, equals `alg`. `use` other than `sig` is refused by
 * `validateJwks` already; it is checked again because a wrong answer here would be a forgery path.
 */
function fitsAlg(jwk: PublicJwk, alg: Alg): boolean {
  return jwkMatchesAlg(jwk, alg) && (jwk.use === undefined || jwk.use === 'sig');
}

interface CachedHandle {
  readonly alg: Alg;
  readonly handle: Promise<PublicKeyHandle>;
}

interface TableEntry {
  readonly jwk: PublicJwk;
  /** Identifies the key material, so that a refreshed set can keep the handles of unchanged keys. */
  readonly fingerprint: string;
  handle?: CachedHandle;
}

/**
 * The keys of one validated JWKS indexed by `kid`, with imported handles cached per `kid` so the hot
 * path never imports a key twice. Internal to the key set implementations; not exported from an entry
 * point.
 */
export class KeyTable {
  readonly kids: readonly string[];
  readonly #entries: ReadonlyMap<string, TableEntry>;
  readonly #crypto: CryptoBackend;

  /**
   * @param keys Output of `validateJwks` (so: public, well-formed, no conflicting duplicate `kid`s).
   * @param previous The table this one replaces; handles of keys that did not change are kept.
   */
  constructor(keys: readonly PublicJwk[], crypto: CryptoBackend, previous?: KeyTable) {
    const entries = new Map<string, TableEntry>();
    for (const jwk of keys) {
      // A key without `kid` can never be selected: every shomei token names its key (SHO-JWS).
      if (typeof jwk.kid !== 'string' || entries.has(jwk.kid)) continue;
      const fingerprint = jwkFingerprint(jwk);
      const carried = previous === undefined ? undefined : previous.#entries.get(jwk.kid);
      entries.set(jwk.kid, {
        jwk,
        fingerprint,
        ...(carried?.handle !== undefined && carried.fingerprint === fingerprint ? { handle: carried.handle } : {}),
      });
    }
    this.#entries = entries;
    this.#crypto = crypto;
    this.kids = [...entries.keys()];
  }

  has(kid: string): boolean {
    return this.#entries.has(kid);
  }

  /** The key for `kid` fitting `alg`; `KEY_NOT_FOUND` or `ALG_NOT_ALLOWED` otherwise. */
  async resolve(kid: string, alg: Alg): Promise<ResolvedKey> {
    const entry = this.#entries.get(kid);
    if (entry === undefined) {
      // The kid is the token's, whatever its sender put there: not repeated in a message that may be logged
      // or answered to that sender (the decision keeps a printable kid in its own member).
      throw new ShomeiError('KEY_NOT_FOUND', 'no key with the token\'s kid in the key set', {
        requirement: 'SHO-FETCH-9',
        reason: 'unknown_kid',
      });
    }
    if (!fitsAlg(entry.jwk, alg)) {
      // spec/11-keys.md SHO-FETCH-12 and spec/02-tokens.md SHO-JWS-22 name this ALG_NOT_ALLOWED: the
      // key exists, the header's algorithm is what is wrong for it.
      throw new ShomeiError('ALG_NOT_ALLOWED', `key ${quoteKid(kid)} does not fit alg ${alg}`, {
        requirement: 'SHO-FETCH-12',
        claim: 'alg',
        reason: 'alg_mismatch',
      });
    }
    let cached = entry.handle;
    if (cached === undefined || cached.alg !== alg) {
      const handle = this.#crypto.importPublicKey(entry.jwk, alg);
      cached = { alg, handle };
      entry.handle = cached;
      // A failed import is not remembered: the next call tries again rather than repeating a failure
      // that may have been transient (a KMS-backed backend, for example).
      handle.catch(() => {
        if (entry.handle === cached) delete entry.handle;
      });
    }
    let handle: PublicKeyHandle;
    try {
      handle = await cached.handle;
    } catch (cause) {
      if (cause instanceof ShomeiError) throw cause;
      throw new ShomeiError('KEY_INVALID', `key ${quoteKid(kid)} could not be imported`, { cause });
    }
    return { kid, alg, jwk: entry.jwk, handle };
  }
}

/** Checks `resolve` arguments: they come from the verifier, so a wrong type is a caller mistake. */
export function checkResolveArguments(kid: unknown, alg: unknown): void {
  if (typeof kid !== 'string' || kid === '') throw invalidArgument('resolve: kid must be a non-empty string');
  // The verifier refuses other algorithms (ALG_NOT_ALLOWED) before it asks for a key.
  if (!isAlg(alg)) throw invalidArgument('resolve: alg must be one of ES256, EdDSA, PS256');
}

/** Checks the `crypto` option when a key set is constructed (not on first use). */
export function checkCryptoBackend(crypto: unknown, where: string): asserts crypto is CryptoBackend {
  if (
    crypto === null ||
    typeof crypto !== 'object' ||
    typeof (crypto as { importPublicKey?: unknown }).importPublicKey !== 'function'
  ) {
    throw invalidArgument(`${where}: options.crypto must be a CryptoBackend`);
  }
}

/** A `kid` for a message: it comes from an untrusted header, so it is quoted and shortened. */
export function quoteKid(kid: string): string {
  return JSON.stringify(kid.length > 64 ? `${kid.slice(0, 64)}…` : kid);
}

function jwkFingerprint(jwk: PublicJwk): string {
  const record = jwk as unknown as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(record)
      .sort()
      .map((name) => [name, record[name]]),
  );
}
