import { invalidArgument } from '../errors/shomei-error.js';
import { encodeBase64url } from '../encoding/base64url.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { canonicalize } from './jcs.js';

/**
 * SHA-256 of `data` through WebCrypto.
 *
 * @see spec/10-binding.md SHO-BIND-1
 */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  if (!(data instanceof Uint8Array)) throw invalidArgument('sha256: data must be a Uint8Array');
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data as BufferSource));
}

/**
 * base64url (no padding) of SHA-256 of `data`; a string is hashed as its UTF-8 bytes, which for a
 * compact JWS are its ASCII bytes (the `req_hash` of a request token).
 *
 * @example await sha256Base64url('abc') // 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0'
 * @see spec/10-binding.md SHO-BIND-3
 */
export async function sha256Base64url(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
  if (!(bytes instanceof Uint8Array)) throw invalidArgument('sha256Base64url: data must be a string or Uint8Array');
  return encodeBase64url(await sha256(bytes));
}

/**
 * base64url(SHA-256(UTF-8(JCS(value)))): the hash that binds transaction or link details into a token
 * (`transaction_hash`).
 *
 * @throws TypeError when `value` is not canonicalizable (see {@link canonicalize}).
 * @example await hashCanonical({ action: 'account_link', account })
 * @see spec/10-binding.md SHO-BIND-1, SHO-BIND-2
 */
export async function hashCanonical(value: unknown): Promise<string> {
  return sha256Base64url(encodeUtf8(canonicalize(value)));
}
