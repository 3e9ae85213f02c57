import type { Alg } from '../jws/algorithms.js';
import { isP256ScalarInRange } from '../jws/ecdsa.js';
import type { PublicJwk } from '../keys/types.js';

/** A public key imported by one {@link CryptoBackend}; only that backend can use it. */
export type PublicKeyHandle = unknown;

/**
 * Signature verification as the verifier uses it, with an optional synchronous SHA-256 and base64url
 * decoder. The default is WebCrypto (`webCryptoBackend`); the Node entry point offers `node:crypto`
 * (`nodeCryptoBackend`) for throughput.
 *
 * @see spec/02-tokens.md SHO-JWS-11, SHO-JWS-12, SHO-JWS-15, SHO-JWS-16
 */
export interface CryptoBackend {
  readonly name: string;
  /**
   * Imports a public JWK for one algorithm. Refuses (`ShomeiError('KEY_INVALID')`) a key that does not
   * fit `alg`, carries private members, is off-curve or too weak.
   */
  importPublicKey(jwk: PublicJwk, alg: Alg): Promise<PublicKeyHandle>;
  /**
   * Whether `signature` is a valid `alg` signature of `signingInput` under `key`. Never throws for bad
   * signature bytes (wrong length, r or s out of range, a key imported for another alg): returns false.
   *
   * `signingInput` is a view of the whole token's bytes (`ParsedJws.bytes`): read it through its offset and
   * length, never through `.buffer`.
   */
  verify(alg: Alg, key: PublicKeyHandle, signingInput: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /**
   * Synchronous SHA-256, when the platform has one (node:crypto does, WebCrypto does not). The verifier
   * uses it for the token hash and the binding hashes (SHO-BIND), the issuer for `req_hash` and
   * `transaction_hash`; without it, WebCrypto's asynchronous `digest`.
   */
  readonly sha256?: (data: Uint8Array) => Uint8Array;
  /**
   * Synchronous SHA-256 straight to base64url (no padding), of a text's UTF-8 (lone surrogates as U+FFFD,
   * as `TextEncoder` encodes them) or of bytes, when the platform has it (node:crypto's `hash`). Preferred
   * over {@link CryptoBackend.sha256} for the token hash and the binding hashes: the same result without
   * encoding, a digest buffer and base64url in JavaScript.
   */
  readonly sha256Base64url?: (data: string | Uint8Array) => string;
  /**
   * The platform's own base64url decoder, when it has a faster one than shomei's JavaScript decoder
   * (node:crypto's backend uses Buffer's). It is only ever given text the core has already checked to be
   * strict canonical base64url (SHO-JWS-3), so it need not check anything itself; the bytes it returns
   * are read at once and may be a view of a shared buffer.
   */
  readonly decodeBase64url?: (text: string) => Uint8Array;
}

/**
 * Checks what can be checked of a signature without the key, before any platform call: ES256 is exactly
 * 64 bytes with 0 < r, s < n (RFC 7518 §3.4; platforms have had bugs accepting r = s = 0, CVE-2022-21449);
 * Ed25519 is exactly 64 bytes (RFC 8032 §5.1.7); RSA-PSS is as long as the modulus, checked by the caller.
 */
export function isPlausibleSignature(alg: Alg, signature: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array)) return false;
  switch (alg) {
    case 'ES256': {
      return signature.length === 64 && isP256ScalarInRange(signature, 0) && isP256ScalarInRange(signature, 32);
    }
    case 'EdDSA':
      return signature.length === 64;
    case 'PS256':
      return signature.length >= 256;
    default:
      return false;
  }
}

/** Byte length of an RSA modulus given as a JWK `n` (base64url, no leading zero octet). */
export function rsaModulusBytes(n: string): number {
  const length = n.length;
  return Math.floor((length * 3) / 4);
}
