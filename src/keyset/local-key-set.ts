import type { CryptoBackend } from '../crypto/backend.js';
import { invalidArgument } from '../errors/shomei-error.js';
import type { Alg } from '../jws/algorithms.js';
import { validateJwks } from '../keys/jwks.js';
import {
  checkCryptoBackend,
  checkResolveArguments,
  KeyTable,
  type KeyResolver,
  type KeySetState,
  type ResolvedKey,
} from './key-resolver.js';

/** Options of {@link createLocalKeySet}. */
export interface LocalKeySetOptions {
  /** Imports the JWKs; see `src/crypto/backend.ts`. */
  readonly crypto: CryptoBackend;
}

/** A {@link KeyResolver} over a fixed JWKS; `state()` always reports it fresh with no requests. */
export interface LocalKeySet extends KeyResolver {
  readonly state: () => KeySetState;
}

/**
 * A key resolver over a JWKS the verifier was configured with (a pinned partner key set), for example
 * read from a file (spec/11-keys.md, SHO-FETCH-12).
 *
 * The JWKS is validated now, with the same rules as a fetched one (`validateJwks`: public members
 * only, RSA ≥ 2048 bits, points on the curve, no conflicting duplicate `kid`), so that a broken
 * configuration fails at start-up rather than on the first token. Keys are imported on first use and
 * the handle is kept per `kid`.
 *
 * @throws ShomeiError `JWKS_INVALID` when the JWKS breaks a rule; `TypeError` for a wrong argument.
 * @example
 * const keys = createLocalKeySet({ keys: [bankPublicJwk] }, { crypto: webCryptoBackend });
 * const { handle } = await keys.resolve(header.kid, header.alg);
 */
export function createLocalKeySet(jwks: { keys: unknown[] }, options: LocalKeySetOptions): LocalKeySet {
  if (jwks === null || typeof jwks !== 'object' || !Array.isArray(jwks.keys)) {
    throw invalidArgument('createLocalKeySet: jwks must be an object with a keys array');
  }
  if (options === null || typeof options !== 'object') {
    throw invalidArgument('createLocalKeySet: options must be an object');
  }
  checkCryptoBackend(options.crypto, 'createLocalKeySet');

  const table = new KeyTable(validateJwks(jwks), options.crypto);

  return {
    async resolve(kid: string, alg: Alg): Promise<ResolvedKey> {
      checkResolveArguments(kid, alg);
      return table.resolve(kid, alg);
    },
    state: (): KeySetState => ({ stale: false, kids: table.kids, fetchCount: 0 }),
  };
}
