import { invalidArgument } from '../errors/shomei-error.js';
import { encodeBase64url } from '../encoding/base64url.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { canonicalize } from './jcs.js';

/**
 * A synchronous SHA-256, such as `CryptoBackend.sha256` of the node:crypto backend. WebCrypto's `digest`
 * is asynchronous: on Node each call is a job on the libuv thread pool, 20–30 µs of hand-off (far more
 * on a loaded host) for a hash that takes 1–2 µs.
 */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/**
 * SHA-256 of `data`: with `hash` when given, otherwise through WebCrypto.
 *
 * @see spec/10-binding.md SHO-BIND-1
 */
export async function sha256(data: Uint8Array, hash?: Sha256): Promise<Uint8Array> {
  if (!(data instanceof Uint8Array)) throw invalidArgument('sha256: data must be a Uint8Array');
  if (hash !== undefined) return hash(data);
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data as BufferSource));
}

/**
 * base64url (no padding) of SHA-256 of `data`; a string is hashed as its UTF-8 bytes, which for a
 * compact JWS are its ASCII bytes (the `req_hash` of a request token).
 *
 * @example await sha256Base64url('abc') // 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0'
 * @see spec/10-binding.md SHO-BIND-3
 */
export async function sha256Base64url(data: string | Uint8Array, hash?: Sha256): Promise<string> {
  const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
  if (!(bytes instanceof Uint8Array)) throw invalidArgument('sha256Base64url: data must be a string or Uint8Array');
  return encodeBase64url(await sha256(bytes, hash));
}

/**
 * base64url(SHA-256(UTF-8(JCS(value)))): the hash that binds transaction or link details into a token
 * (`transaction_hash`).
 *
 * @throws TypeError when `value` is not canonicalizable (see {@link canonicalize}).
 * @example await hashCanonical({ action: 'account_link', account })
 * @see spec/10-binding.md SHO-BIND-1, SHO-BIND-2
 */
export async function hashCanonical(value: unknown, hash?: Sha256): Promise<string> {
  return sha256Base64url(encodeUtf8(canonicalize(value)), hash);
}
