import { invalidArgument } from '../errors/shomei-error.js';
import { encodeBase64url } from '../encoding/base64url.js';
import { createScratch } from '../encoding/scratch.js';
import { encodeUtf8, encodeUtf8Into } from '../encoding/utf8.js';
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
  if (typeof data === 'string' && hash !== undefined) return sha256TextWith(data, hash);
  const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
  if (!(bytes instanceof Uint8Array)) throw invalidArgument('sha256Base64url: data must be a string or Uint8Array');
  return encodeBase64url(await sha256(bytes, hash));
}

// UTF-8 of a text hashed synchronously: a request token or a JCS text is a kilobyte or more. Only a
// synchronous hash gets it: the bytes are read before `hash` returns, never after another call.
const textScratch = createScratch(4096);

/**
 * {@link sha256Base64url} of a text with a synchronous `hash`, without a promise: the issuer computes
 * `req_hash` and `transaction_hash` this way when given a synchronous backend. A `hash` that returns a
 * promise after all (not a {@link Sha256}) still gets the right answer, as a promise.
 *
 * @see spec/10-binding.md SHO-BIND-1, SHO-BIND-3
 */
export function sha256TextWith(text: string, hash: Sha256): string | Promise<string> {
  const digest = hashText(text, hash);
  return digest instanceof Uint8Array ? encodeBase64url(digest) : digest.then(encodeBase64url);
}

function hashText(text: string, hash: Sha256): Uint8Array | Promise<Uint8Array> {
  const digest: unknown = hash(encodeUtf8Into(text, textScratch));
  if (digest instanceof Uint8Array) return digest;
  // Not synchronous after all: it may read its input after the buffer is reused, so it hashes bytes of
  // its own (as sha256Base64url did before the buffer existed). The first answer is dropped; its
  // rejection must not become an unhandled one.
  if (digest instanceof Promise) digest.catch(() => undefined);
  return Promise.resolve(hash(encodeUtf8(text)));
}

/**
 * A synchronous SHA-256 that returns base64url itself, of a text's UTF-8 or of bytes, such as
 * `CryptoBackend.sha256Base64url` of the node:crypto backend: no UTF-8 encoding, digest buffer or base64url
 * in JavaScript.
 */
export type Sha256Base64url = (data: string | Uint8Array) => string;

/**
 * base64url SHA-256 of a text's UTF-8, or of bytes: a string when the platform hashes synchronously, else
 * a promise.
 */
export type Digest = (data: string | Uint8Array) => string | Promise<string>;

/**
 * The fastest {@link Digest} a backend offers: its own base64url SHA-256 (`sha256Base64url`), else its
 * synchronous `sha256` (base64url here), else WebCrypto. All three give the same string for the same
 * data. A `sha256Base64url` that answers anything but a string (a promise, bytes) throws rather than put
 * that value into a decision or a token.
 *
 * @see spec/10-binding.md SHO-BIND-1, SHO-BIND-3
 */
export function digestFor(backend: { readonly sha256?: Sha256; readonly sha256Base64url?: Sha256Base64url } = {}): Digest {
  if (typeof backend.sha256Base64url === 'function') {
    const native = backend.sha256Base64url.bind(backend);
    return (data) => {
      const digest: unknown = native(data);
      if (typeof digest !== 'string') throw invalidArgument('sha256Base64url must return a string synchronously');
      return digest;
    };
  }
  if (typeof backend.sha256 === 'function') {
    const hash = backend.sha256.bind(backend);
    return (data) => {
      if (typeof data === 'string') return sha256TextWith(data, hash);
      const digest: unknown = hash(data);
      // The bytes are the caller's own (no reused buffer): a late answer is simply awaited.
      return digest instanceof Uint8Array ? encodeBase64url(digest) : Promise.resolve(digest as Uint8Array).then(encodeBase64url);
    };
  }
  return (data) => sha256Base64url(data);
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
  return sha256Base64url(canonicalize(value), hash);
}
