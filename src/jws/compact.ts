import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { assertBase64url, decodeBase64url } from '../encoding/base64url.js';
import { deepFreeze, parseJsonObject } from '../encoding/json.js';
import { decodeUtf8Strict, encodeUtf8 } from '../encoding/utf8.js';

/**
 * A compact JWS split and checked for form only — nothing in it is trusted yet. The payload is kept
 * encoded: claims are read ({@link decodePayload}) only after the signature over `signingInput` verified.
 */
export interface ParsedJws {
  /**
   * The protected header, a strict JSON object (no duplicate members). Read-only: a header of up to 1024
   * encoded characters is frozen and shared by every token that carries the same one.
   */
  header: Readonly<Record<string, unknown>>;
  protectedB64: string;
  payloadB64: string;
  /** ASCII(protectedB64 '.' payloadB64), the bytes the signature covers (RFC 7515 §5.2 step 8). */
  signingInput: Uint8Array;
  signature: Uint8Array;
  /** ASCII(the whole token), of which `signingInput` is a view: what a token hash is computed over. */
  bytes: Uint8Array;
}

/** Options of {@link parseCompact}. */
export interface ParseCompactOptions {
  /** Longest token accepted, in octets. Default 16384 (16 KiB). */
  maxLength?: number;
}

/** The default size limit of a token, in octets (SHO-JWS-2): verifiers accept no more, issuers sign no more. */
export const MAX_TOKEN_BYTES = 16_384;

/** The largest `maxTokenBytes` a verifier may be configured with (1 MiB): no token shomei reads is longer. */
export const MAX_CONFIGURABLE_TOKEN_BYTES = 1_048_576;

function malformed(reason: string, message: string, cause?: unknown, requirement = 'SHO-JWS-1'): ShomeiError {
  return new ShomeiError('MALFORMED_TOKEN', message, { reason, cause, requirement });
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The limit is in octets (SHO-JWS-2); only a token with non-ASCII characters has more octets than characters. */
function tooLarge(token: string, maxLength: number): boolean {
  if (token.length > maxLength) return true;
  return token.length * 3 > maxLength && NON_ASCII.test(token) && encodeUtf8(token).length > maxLength;
}

/**
 * Decoded protected headers by their encoded form. Every token an issuer signs with one key for one kind
 * carries the same header, so its base64url, UTF-8 and JSON decoding (a third of `parseCompact`) is done
 * once. Only headers that decoded cleanly are kept, frozen, since callers share them; the map is bounded
 * (cleared when full), so headers an attacker varies cost them the decoding and nothing more.
 */
const HEADERS = new Map<string, Readonly<Record<string, unknown>>>();
const HEADER_CACHE_ENTRIES = 256;
const HEADER_CACHE_MAX_LENGTH = 1024;

function decodeHeader(protectedB64: string): Readonly<Record<string, unknown>> {
  const header = inPart('header', () => parseJsonObject(decodeUtf8Strict(decodeBase64url(protectedB64))));
  const frozen = deepFreeze(header);
  if (protectedB64.length > HEADER_CACHE_MAX_LENGTH) return frozen;
  if (HEADERS.size >= HEADER_CACHE_ENTRIES) HEADERS.clear();
  HEADERS.set(protectedB64, frozen);
  return frozen;
}

/** Re-throws a decoding error with the part of the token named, keeping its reason. */
function inPart<T>(part: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ShomeiError) {
      throw malformed(error.reason ?? 'malformed', `JWS ${part}: ${error.message}`, error, error.requirement);
    }
    throw error;
  }
}

/**
 * Splits a compact JWS (RFC 7515 §3.1, §7.1) and checks its form: a string of at most `maxLength`
 * octets (checked before any decoding), exactly three parts, each strict canonical base64url, a non-empty payload and signature,
 * and a protected header that is a strict JSON object. The payload is not decoded.
 *
 * @throws ShomeiError `TOKEN_TOO_LARGE`; `MALFORMED_TOKEN` with reason `not_a_string`, `part_count`,
 *   `empty_part`, a base64url reason (`padding`, `invalid_character`, `invalid_length`,
 *   `non_canonical`), `invalid_utf8` or a JSON reason (`duplicate_member`, `not_an_object`, …).
 * @example const parsed = parseCompact(token); // then verify parsed.signature over parsed.signingInput
 * @see spec/02-tokens.md SHO-JWS-1 to SHO-JWS-5, SHO-JWS-17
 */
export function parseCompact(token: string, options: ParseCompactOptions = {}): ParsedJws {
  const maxLength = options.maxLength ?? MAX_TOKEN_BYTES;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw invalidArgument('parseCompact: maxLength must be a positive integer');
  if (typeof token !== 'string') throw malformed('not_a_string', 'JWS: token is not a string');
  if (tooLarge(token, maxLength)) {
    throw new ShomeiError('TOKEN_TOO_LARGE', `JWS: token longer than ${maxLength} octets`, {
      reason: 'too_large',
      requirement: 'SHO-JWS-2',
    });
  }
  const firstDot = token.indexOf('.');
  const secondDot = firstDot === -1 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot === -1 || token.indexOf('.', secondDot + 1) !== -1) {
    throw malformed('part_count', 'JWS: compact serialization must have exactly three parts');
  }
  const protectedB64 = token.slice(0, firstDot);
  const payloadB64 = token.slice(firstDot + 1, secondDot);
  const signatureB64 = token.slice(secondDot + 1);
  // Empty payload = detached content (RFC 7515 Appendix F); empty signature = `alg: none`. Neither is ours.
  if (protectedB64.length === 0 || payloadB64.length === 0 || signatureB64.length === 0) {
    throw malformed('empty_part', 'JWS: empty header, payload or signature');
  }
  const header = HEADERS.get(protectedB64) ?? decodeHeader(protectedB64);
  inPart('payload', () => assertBase64url(payloadB64));
  const signature = inPart('signature', () => decodeBase64url(signatureB64));
  // Every part was checked to be base64url, so the token is ASCII: one encoding serves the signature
  // check (a view of its first two parts) and the token's hash.
  const bytes = encodeUtf8(token);
  return new CheckedJws(MINT, header, protectedB64, payloadB64, bytes.subarray(0, secondDot), signature, bytes);
}

/** Only parseCompact, which has just checked the payload, may make a {@link CheckedJws}. */
const MINT: unique symbol = Symbol('parseCompact');

/**
 * The {@link ParsedJws} {@link parseCompact} returns: it keeps, privately, the payload text it checked,
 * so that {@link decodePayload} does not check it again unless `payloadB64` was replaced since. (A private
 * field rather than a WeakMap entry per token: nothing for the garbage collector to track.)
 */
class CheckedJws implements ParsedJws {
  readonly #checkedPayload: string;

  constructor(
    mint: typeof MINT,
    public header: Readonly<Record<string, unknown>>,
    public protectedB64: string,
    public payloadB64: string,
    public signingInput: Uint8Array,
    public signature: Uint8Array,
    public bytes: Uint8Array,
  ) {
    // Reachable as `parsed.constructor`, or through a subclass: without the module's own symbol it would
    // mark any text as checked.
    if (mint !== MINT) throw invalidArgument('ParsedJws: only parseCompact makes one');
    this.#checkedPayload = payloadB64;
  }

  /** Whether `value` came from parseCompact and `payloadB64` is the text it checked. */
  static checked(value: object, payloadB64: string): boolean {
    return #checkedPayload in value && (value as CheckedJws).#checkedPayload === payloadB64;
  }
}

/** Options of {@link decodePayload}. */
export interface DecodePayloadOptions {
  /** A platform base64url decoder (`CryptoBackend.decodeBase64url`); strictness is checked here first. */
  decodeBase64url?: (text: string) => Uint8Array;
}

/**
 * Decodes the payload of a parsed JWS as a strict JSON object (UTF-8, no duplicate members, depth ≤ 32).
 * Call it only after the signature verified. `options.decodeBase64url` (a backend's
 * `CryptoBackend.decodeBase64url`) is handed the payload only once it is known to be strict base64url:
 * checked by {@link parseCompact} for this very text, or checked here.
 *
 * @throws ShomeiError `MALFORMED_TOKEN` (base64url, UTF-8 or JSON reasons as for {@link parseCompact}).
 * @example const claims = decodePayload(parsed);
 * @see spec/02-tokens.md SHO-JWS-3, SHO-JWS-4, SHO-JWS-5, SHO-JWS-20
 */
export function decodePayload(parsed: Pick<ParsedJws, 'payloadB64'>, options: DecodePayloadOptions = {}): Record<string, unknown> {
  // Read once: what is checked is what is decoded, even from an object with a getter.
  const payloadB64 = typeof parsed === 'object' && parsed !== null ? parsed.payloadB64 : undefined;
  if (typeof payloadB64 !== 'string') {
    throw invalidArgument('decodePayload: expected a parsed JWS');
  }
  const decode = options.decodeBase64url;
  return inPart('payload', () => {
    if (decode === undefined) return parseJsonObject(decodeUtf8Strict(decodeBase64url(payloadB64)));
    // A platform decoder is lenient (padding, the standard alphabet, whitespace): the text must have been
    // checked to be strict canonical base64url, by parseCompact or here.
    if (!CheckedJws.checked(parsed, payloadB64)) assertBase64url(payloadB64);
    return parseJsonObject(decodeUtf8Strict(decode(payloadB64)));
  });
}

/**
 * The payload of a compact JWS whose signature is not checked here, or `undefined` when it is not a
 * well-formed compact JWS of at most `maxLength` characters: for a token this party signed or verified
 * itself (the request an assertion answers), or to route a token to the right verification.
 *
 * @see spec/02-tokens.md SHO-JWS-1, SHO-JWS-3
 */
export function peekPayload(token: string, maxLength: number = MAX_TOKEN_BYTES): Record<string, unknown> | undefined {
  try {
    return decodePayload(parseCompact(token, { maxLength }));
  } catch {
    return undefined;
  }
}
