import { p256 } from '@noble/curves/nist.js';
import { encodeBase64url, decodeBase64url } from '../../encoding/base64url.js';
import { encodeUtf8 } from '../../encoding/utf8.js';
import { isHighS, P256_ORDER } from '../../jws/ecdsa.js';
import type { ForgeKey } from './keys.js';

/**
 * Raw JWS building for hostile modules (issue 4 point 2: "tokens that jose refuses to produce are built
 * with @noble/curves and raw byte handling"). Nothing here validates anything: that is the point.
 */

/** A header or payload: an object (serialised with JSON.stringify) or raw JSON text, used as is. */
export type JsonPart = Record<string, unknown> | string;

/** base64url of the UTF-8 bytes of a part. */
export function segment(part: JsonPart): string {
  return encodeBase64url(encodeUtf8(typeof part === 'string' ? part : JSON.stringify(part)));
}

/** ES256 over `signingInput` (ASCII), `r || s`, low-S unless asked otherwise. */
export function signEs256(signingInput: string, key: ForgeKey, options: { lowS?: boolean } = {}): Uint8Array {
  return p256.sign(encodeUtf8(signingInput), key.secret, { lowS: options.lowS ?? true });
}

/** HS256 (HMAC-SHA-256) over `signingInput` with `secret` as the key (RFC 7518 §3.2). */
export async function signHs256(signingInput: string, secret: Uint8Array): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey('raw', secret as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, encodeUtf8(signingInput) as BufferSource));
}

/** `r || s` → `r || (n − s)`: the other valid signature for the same message (SHO-JWS-13). */
export function toHighS(signature: Uint8Array): Uint8Array {
  if (isHighS(signature)) return signature.slice();
  const out = new Uint8Array(64);
  out.set(signature.subarray(0, 32));
  out.set(bigIntToBytes(P256_ORDER - bytesToBigInt(signature.subarray(32, 64)), 32), 32);
  return out;
}

/** 64 octets with r and s both set to `value` (0 or n: out of range, SHO-JWS-12). */
export function scalarSignature(value: bigint): Uint8Array {
  const bytes = bigIntToBytes(value, 32);
  const out = new Uint8Array(64);
  out.set(bytes);
  out.set(bytes, 32);
  return out;
}

/** Joins segments into a compact JWS; the signature as bytes (base64url-encoded here) or as ready text. */
export function compact(headerSegment: string, payloadSegment: string, signature: Uint8Array | string): string {
  return `${headerSegment}.${payloadSegment}.${typeof signature === 'string' ? signature : encodeBase64url(signature)}`;
}

/**
 * Signs `header` and `payload` with `key` (ES256). Segments may be given pre-encoded (for non-canonical
 * or padded base64url, signed exactly as written: the signature covers the segments as sent).
 */
export function forge(input: { header: JsonPart; payload: JsonPart; key: ForgeKey; headerSegment?: string; payloadSegment?: string; lowS?: boolean }): string {
  const h = input.headerSegment ?? segment(input.header);
  const p = input.payloadSegment ?? segment(input.payload);
  return compact(h, p, signEs256(`${h}.${p}`, input.key, input.lowS === undefined ? {} : { lowS: input.lowS }));
}

/**
 * Another spelling of the same bytes: the last character of an unpadded base64url text with non-zero
 * unused bits (RFC 4648 §3.5). Returns `undefined` when the text has no unused bits (length ≡ 0 mod 4).
 */
export function nonCanonical(text: string): string | undefined {
  const tail = text.length % 4;
  if (tail === 0) return undefined;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(text.charAt(text.length - 1));
  // The unused low bits (4 after two characters, 2 after three) are zero in canonical text; set one.
  const changed = last | 0x01;
  if (changed === last) return undefined;
  return text.slice(0, -1) + alphabet.charAt(changed);
}

/** The same text with `=` padding added (RFC 4648 §5 allows it; RFC 7515 §2 does not). */
export function padded(text: string): string {
  const tail = text.length % 4;
  return tail === 0 ? text : text + '='.repeat(4 - tail);
}

/** Decodes a segment produced by {@link segment}. */
export function decodeSegment(text: string): string {
  return new TextDecoder().decode(decodeBase64url(text));
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function bigIntToBytes(n: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let rest = n;
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}
