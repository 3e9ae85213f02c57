import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import { jwkMatchesAlg, publicJwkProblem } from '../keys/jwks.js';
import type { PublicJwk } from '../keys/types.js';
import { isPlausibleSignature, rsaModulusBytes, type CryptoBackend, type PublicKeyHandle } from './backend.js';

interface WebCryptoKey {
  readonly alg: Alg;
  readonly key: CryptoKey;
  /** RSA only: an RSA-PSS signature is exactly this long. */
  readonly signatureBytes?: number;
}

// Handles are plain frozen objects; this set proves one came from this module.
const issued = new WeakSet<object>();

const IMPORT_PARAMS: Record<Alg, EcKeyImportParams | RsaHashedImportParams | Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' } satisfies EcKeyImportParams,
  EdDSA: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' } satisfies RsaHashedImportParams,
};

const VERIFY_PARAMS: Record<Alg, EcdsaParams | RsaPssParams | Algorithm> = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' } satisfies EcdsaParams,
  EdDSA: { name: 'Ed25519' },
  // RFC 7518 §3.5: salt as long as the hash output.
  PS256: { name: 'RSA-PSS', saltLength: 32 } satisfies RsaPssParams,
};

/**
 * Checks a public JWK for `alg` and returns only its key material, so that `kid`, `use`, `alg` or
 * unknown members never influence the platform import. Shared with the node:crypto backend.
 *
 * @throws ShomeiError `KEY_INVALID` with the reason from {@link publicJwkProblem} or `alg_mismatch`.
 */
export function checkedKeyMaterial(jwk: PublicJwk, alg: Alg): JsonWebKey {
  if (!isAlg(alg)) throw invalidArgument('importPublicKey: alg must be ES256, EdDSA or PS256');
  const problem = publicJwkProblem(jwk);
  if (problem !== undefined) {
    throw new ShomeiError('KEY_INVALID', `public key is not acceptable (${problem})`, { reason: problem });
  }
  if (!jwkMatchesAlg(jwk, alg)) {
    throw new ShomeiError('KEY_INVALID', `public key cannot verify ${alg}`, { reason: 'alg_mismatch' });
  }
  return jwk.kty === 'RSA'
    ? { kty: 'RSA', n: jwk.n!, e: jwk.e! }
    : jwk.kty === 'EC'
      ? { kty: 'EC', crv: jwk.crv!, x: jwk.x!, y: jwk.y! }
      : { kty: 'OKP', crv: jwk.crv!, x: jwk.x! };
}

/**
 * The default {@link CryptoBackend}: WebCrypto (`globalThis.crypto.subtle`), available in Node, Deno,
 * Bun, browsers and edge runtimes. ES256 = ECDSA P-256 / SHA-256, EdDSA = Ed25519, PS256 = RSA-PSS /
 * SHA-256 with a 32-byte salt.
 *
 * @example const key = await webCryptoBackend.importPublicKey(jwk, 'ES256');
 *          await webCryptoBackend.verify('ES256', key, parsed.signingInput, parsed.signature);
 * @see spec/02-tokens.md SHO-JWS-11, SHO-JWS-12, SHO-JWS-15, SHO-JWS-16
 */
export const webCryptoBackend: CryptoBackend = Object.freeze({
  name: 'webcrypto',

  async importPublicKey(jwk: PublicJwk, alg: Alg): Promise<PublicKeyHandle> {
    const material = checkedKeyMaterial(jwk, alg);
    let key: CryptoKey;
    try {
      key = await globalThis.crypto.subtle.importKey('jwk', material, IMPORT_PARAMS[alg], false, ['verify']);
    } catch (cause) {
      throw new ShomeiError('KEY_INVALID', 'public key could not be imported', { reason: 'import_failed', cause });
    }
    const handle: WebCryptoKey = Object.freeze(
      alg === 'PS256' ? { alg, key, signatureBytes: rsaModulusBytes(material.n!) } : { alg, key },
    );
    issued.add(handle);
    return handle;
  },

  async verify(alg: Alg, key: PublicKeyHandle, signingInput: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (typeof key !== 'object' || key === null || !issued.has(key)) {
      throw invalidArgument('verify: key was not imported by webCryptoBackend');
    }
    if (!(signingInput instanceof Uint8Array)) throw invalidArgument('verify: signingInput must be a Uint8Array');
    const handle = key as WebCryptoKey;
    // A key imported for one algorithm never verifies another (no algorithm confusion).
    if (handle.alg !== alg || !isPlausibleSignature(alg, signature)) return false;
    if (handle.signatureBytes !== undefined && signature.length !== handle.signatureBytes) return false;
    try {
      return await globalThis.crypto.subtle.verify(VERIFY_PARAMS[alg], handle.key, signature as BufferSource, signingInput as BufferSource);
    } catch {
      return false;
    }
  },
});
