import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { createScratch } from './scratch.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Char code → 6-bit value, or -1. Codes ≥ 128 are out of the table and rejected before lookup.
const DECODE_TABLE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

// Char code of each 6-bit value: the encoder writes ASCII bytes, turned into a string by one native
// decode (ASCII is valid UTF-8), about 3× faster than String.fromCharCode.apply over a Uint16Array.
const ENCODE_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(64);
  for (let i = 0; i < 64; i++) table[i] = ALPHABET.charCodeAt(i);
  return table;
})();

const EQUALS = 0x3d;
const URL_SAFE = /^[A-Za-z0-9_-]*$/;
const asciiDecoder = new TextDecoder();
// Output of encodeBase64url (synchronous, so never shared between two calls).
const scratch = createScratch(1024);

/** Whether every character of `text` is in the base64url alphabet (RFC 4648 §5); length and padding bits are not checked. */
export function isBase64urlAlphabet(text: string): boolean {
  return URL_SAFE.test(text);
}

/** Number of base64url characters (no padding) of `byteLength` bytes. */
export function base64urlLength(byteLength: number): number {
  const rest = byteLength % 3;
  return ((byteLength - rest) / 3) * 4 + (rest === 0 ? 0 : rest + 1);
}

/**
 * Writes the base64url (no padding) ASCII characters of `bytes[start..end)` into `out` from `offset` and
 * returns the offset after the last one. `out` must have {@link base64urlLength} bytes free; the caller
 * checks that. Lets the signer build the JWS signing input as bytes directly (spec/02-tokens.md SHO-JWS-3).
 */
export function encodeBase64urlInto(bytes: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): number {
  const full = end - ((end - start) % 3);
  let o = offset;
  for (let i = start; i < full; i += 3, o += 4) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o] = ENCODE_TABLE[n >>> 18]!;
    out[o + 1] = ENCODE_TABLE[(n >>> 12) & 63]!;
    out[o + 2] = ENCODE_TABLE[(n >>> 6) & 63]!;
    out[o + 3] = ENCODE_TABLE[n & 63]!;
  }
  const rest = end - full;
  if (rest === 1) {
    const n = bytes[full]!;
    out[o++] = ENCODE_TABLE[n >>> 2]!;
    out[o++] = ENCODE_TABLE[(n << 4) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[full]! << 8) | bytes[full + 1]!;
    out[o++] = ENCODE_TABLE[n >>> 10]!;
    out[o++] = ENCODE_TABLE[(n >>> 4) & 63]!;
    out[o++] = ENCODE_TABLE[(n << 2) & 63]!;
  }
  return o;
}

/** The string of ASCII bytes (base64url output, a JWS signing input): one native decode. */
export function asciiString(bytes: Uint8Array): string {
  return asciiDecoder.decode(bytes);
}

/**
 * Encodes bytes as base64url without padding (RFC 7515 §2, RFC 4648 §5).
 *
 * @example encodeBase64url(new Uint8Array([0xfb, 0xff])) // '-_8'
 * @see spec/02-tokens.md SHO-JWS-3
 */
export function encodeBase64url(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw invalidArgument('encodeBase64url: bytes must be a Uint8Array');
  const length = base64urlLength(bytes.length);
  const out = scratch(length);
  encodeBase64urlInto(bytes, 0, bytes.length, out, 0);
  return asciiDecoder.decode(out.subarray(0, length));
}

function malformed(reason: string, message: string): ShomeiError {
  return new ShomeiError('MALFORMED_TOKEN', `base64url: ${message}`, { reason, requirement: 'SHO-JWS-3' });
}

/**
 * Checks that `text` is strict, canonical, unpadded base64url and returns the number of bytes it
 * encodes. Throws `ShomeiError('MALFORMED_TOKEN')` with reason `padding`, `invalid_character`,
 * `invalid_length` or `non_canonical`.
 */
function checkedLength(text: string): number {
  const length = text.length;
  if (length % 4 === 1) throw malformed('invalid_length', 'length is not a possible base64url length');
  // The engine's compiled regular expression scans the alphabet several times faster than a JS loop;
  // the loop runs only to name what is wrong.
  if (!URL_SAFE.test(text)) {
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === EQUALS) throw malformed('padding', 'padding is not allowed');
      if (c >= 128 || DECODE_TABLE[c] === -1) break;
    }
    throw malformed('invalid_character', 'character outside the URL-safe alphabet');
  }
  // Two texts must never decode to the same bytes (RFC 4648 §3.5), otherwise a token could be altered
  // without touching its signature: the bits the last character carries beyond the data must be zero.
  const tail = length % 4;
  if (tail !== 0) {
    const last = DECODE_TABLE[text.charCodeAt(length - 1)]!;
    if ((tail === 2 && (last & 0x0f) !== 0) || (tail === 3 && (last & 0x03) !== 0)) {
      throw malformed('non_canonical', 'unused bits of the last character are not zero');
    }
  }
  return ((length >>> 2) * 3) + (tail === 0 ? 0 : tail - 1);
}

/**
 * Throws `ShomeiError('MALFORMED_TOKEN')` unless `text` is strict canonical base64url, without
 * decoding it (used for the JWS payload, which is read only after the signature check).
 *
 * @see spec/02-tokens.md SHO-JWS-3
 */
export function assertBase64url(text: string): void {
  if (typeof text !== 'string') throw invalidArgument('assertBase64url: text must be a string');
  checkedLength(text);
}

/**
 * Decodes strict base64url (RFC 7515 §2): only `[A-Za-z0-9_-]`, no `=` padding, no impossible length,
 * and canonical (the unused low bits of the last character are zero), so that one byte string has
 * exactly one accepted encoding.
 *
 * @throws ShomeiError `MALFORMED_TOKEN` with reason `padding` | `invalid_character` | `invalid_length` |
 *   `non_canonical`.
 * @example decodeBase64url('-_8') // Uint8Array [0xfb, 0xff]
 * @see spec/02-tokens.md SHO-JWS-3
 */
export function decodeBase64url(text: string): Uint8Array {
  if (typeof text !== 'string') throw invalidArgument('decodeBase64url: text must be a string');
  const length = text.length;
  const tail = length % 4;
  if (tail === 1) throw malformed('invalid_length', 'length is not a possible base64url length');
  const full = length - tail;
  const out = new Uint8Array((full >>> 2) * 3 + (tail === 0 ? 0 : tail - 1));
  // One branch-free pass: `bad` turns negative if any character maps to -1, `high` exceeds 127 if any
  // character is outside ASCII (looked up masked, then refused). The precise reason is found only then.
  let bad = 0;
  let high = 0;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    high |= c0 | c1 | c2 | c3;
    const v0 = DECODE_TABLE[c0 & 127]!;
    const v1 = DECODE_TABLE[c1 & 127]!;
    const v2 = DECODE_TABLE[c2 & 127]!;
    const v3 = DECODE_TABLE[c3 & 127]!;
    bad |= v0 | v1 | v2 | v3;
    const n = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
    out[o++] = (n >>> 16) & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  if (tail !== 0) {
    const c0 = text.charCodeAt(full);
    const c1 = text.charCodeAt(full + 1);
    const c2 = tail === 3 ? text.charCodeAt(full + 2) : 0x41;
    high |= c0 | c1 | c2;
    const v0 = DECODE_TABLE[c0 & 127]!;
    const v1 = DECODE_TABLE[c1 & 127]!;
    const v2 = DECODE_TABLE[c2 & 127]!;
    bad |= v0 | v1 | v2;
    const n = (v0 << 18) | (v1 << 12) | (v2 << 6);
    out[o++] = (n >>> 16) & 0xff;
    if (tail === 3) out[o++] = (n >>> 8) & 0xff;
    // Unused low bits of the last character: 4 for a 2-character tail, 2 for a 3-character tail.
    if (bad >= 0 && high < 128 && ((tail === 2 && (v1 & 0x0f) !== 0) || (tail === 3 && (v2 & 0x03) !== 0))) {
      throw malformed('non_canonical', 'unused bits of the last character are not zero');
    }
  }
  if (bad < 0 || high > 127) {
    checkedLength(text); // throws with the precise reason
    throw malformed('invalid_character', 'character outside the URL-safe alphabet');
  }
  return out;
}
