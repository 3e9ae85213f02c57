import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import type { Scratch } from './scratch.js';

const encoder = new TextEncoder();
// fatal: invalid sequences throw instead of becoming U+FFFD; ignoreBOM: a leading BOM is kept, so
// the JSON parser rejects it rather than the decoder silently dropping it.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Encodes a string as UTF-8 bytes.
 *
 * @example encodeUtf8('証明').length // 6
 */
export function encodeUtf8(text: string): Uint8Array {
  if (typeof text !== 'string') throw invalidArgument('encodeUtf8: text must be a string');
  return encoder.encode(text);
}

/**
 * UTF-8 of `text` written into a buffer of `scratch`: a view valid only until that scratch's next use,
 * for a caller that reads it synchronously (hashes it, base64url-encodes it).
 */
export function encodeUtf8Into(text: string, scratch: Scratch): Uint8Array {
  const buffer = scratch(text.length * 3); // a UTF-16 code unit takes at most 3 UTF-8 bytes
  const { written } = encoder.encodeInto(text, buffer);
  return buffer.subarray(0, written);
}

/**
 * Decodes UTF-8 and refuses invalid sequences (overlongs, surrogates, truncation) instead of replacing
 * them, so that two different byte strings never read as the same text.
 *
 * @throws ShomeiError `MALFORMED_TOKEN` (reason `invalid_utf8`).
 * @see spec/02-tokens.md SHO-JWS-4
 */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw invalidArgument('decodeUtf8Strict: bytes must be a Uint8Array');
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new ShomeiError('MALFORMED_TOKEN', 'invalid UTF-8', { reason: 'invalid_utf8', requirement: 'SHO-JWS-4', cause });
  }
}
