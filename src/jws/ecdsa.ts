import { invalidArgument } from '../errors/shomei-error.js';

/** Order n of the P-256 group (SEC 2 §2.4.2 / FIPS 186-4 D.1.2.3). */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_HALF_ORDER = P256_ORDER >> 1n;
// The same numbers as 32-byte big-endian arrays: the range check of every verification and the low-S
// form of every signature compare bytes instead of building BigInts (about 10 µs a signature).
const P256_ORDER_BYTES = bigIntToBytes(P256_ORDER, 32);
const P256_HALF_ORDER_BYTES = bigIntToBytes(P256_HALF_ORDER, 32);

/** Compares the 32 bytes of `raw` at `offset` with `bound`, both big-endian: -1, 0 or 1. */
function compare32(raw: Uint8Array, offset: number, bound: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const a = raw[offset + i]!;
    const b = bound[i]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * Whether the 32-byte big-endian scalar at `offset` of a 64-byte ES256 signature is in 1..n-1 (RFC 7518
 * §3.4; some platforms accepted r = s = 0, CVE-2022-21449).
 */
export function isP256ScalarInRange(raw: Uint8Array, offset: 0 | 32): boolean {
  let zero = true;
  for (let i = 0; i < 32; i++) {
    if (raw[offset + i] !== 0) {
      zero = false;
      break;
    }
  }
  return !zero && compare32(raw, offset, P256_ORDER_BYTES) < 0;
}


function bigIntToBytes(n: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

function badDer(message: string): TypeError {
  return invalidArgument(`derToJose: ${message}`);
}

/** Reads one DER INTEGER at `offset`; returns its positive value's bytes without sign padding. */
function readPositiveInteger(der: Uint8Array, offset: number, size: number): { value: Uint8Array; next: number } {
  if (der[offset] !== 0x02) throw badDer('expected INTEGER');
  const length = der[offset + 1];
  // A P-256..P-521 scalar with its sign byte fits a short-form length (≤ 127).
  if (length === undefined || length === 0 || length > 0x7f) throw badDer('invalid INTEGER length');
  const start = offset + 2;
  const end = start + length;
  if (end > der.length) throw badDer('INTEGER runs past the end');
  const first = der[start]!;
  if (first & 0x80) throw badDer('negative INTEGER');
  let from = start;
  if (first === 0x00) {
    if (length === 1) throw badDer('INTEGER is zero');
    // X.690 §8.3.2: a leading zero octet is allowed only to clear the sign bit of the next one.
    if ((der[start + 1]! & 0x80) === 0) throw badDer('INTEGER is not minimally encoded');
    from = start + 1;
  }
  if (end - from > size) throw badDer('INTEGER is larger than the curve order');
  return { value: der.subarray(from, end), next: end };
}

/**
 * Converts an ECDSA signature from DER (`SEQUENCE { r INTEGER, s INTEGER }`, what most KMS and HSM APIs
 * and node:crypto return) to the JOSE form `r || s`, each left-padded to `size` bytes (RFC 7518 §3.4).
 * The parse is strict: minimal lengths and integers, positive non-zero values, no trailing bytes.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) for anything that is not such a DER signature.
 * @example derToJose(kmsSignature) // 64 bytes for P-256
 * @see spec/02-tokens.md SHO-JWS-11; spec/11-keys.md SHO-KEY-11
 */
export function derToJose(der: Uint8Array, size = 32): Uint8Array {
  if (!(der instanceof Uint8Array)) throw invalidArgument('derToJose: der must be a Uint8Array');
  if (!Number.isInteger(size) || size < 1 || size > 66) throw invalidArgument('derToJose: invalid size');
  if (der[0] !== 0x30) throw badDer('expected SEQUENCE');
  let offset = 2;
  let length = der[1];
  if (length === 0x81) {
    // Long form is minimal only for lengths ≥ 128 (P-521 signatures).
    length = der[2];
    if (length === undefined || length < 0x80) throw badDer('SEQUENCE length is not minimally encoded');
    offset = 3;
  } else if (length === undefined || length > 0x7f) {
    throw badDer('invalid SEQUENCE length');
  }
  if (offset + length !== der.length) throw badDer('SEQUENCE length does not match the input');
  const r = readPositiveInteger(der, offset, size);
  const s = readPositiveInteger(der, r.next, size);
  if (s.next !== der.length) throw badDer('trailing bytes after the INTEGERs');
  const raw = new Uint8Array(size * 2);
  raw.set(r.value, size - r.value.length);
  raw.set(s.value, size * 2 - s.value.length);
  return raw;
}

function encodeInteger(bytes: Uint8Array): number[] {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const body = Array.from(bytes.subarray(start));
  if (body[0]! & 0x80) body.unshift(0);
  return [0x02, body.length, ...body];
}

/**
 * Converts a JOSE ECDSA signature `r || s` (RFC 7518 §3.4) to DER, for APIs that verify DER.
 *
 * @throws TypeError when `raw` is empty, of odd length or longer than a P-521 signature.
 * @example joseToDer(signature.subarray(0, 64))
 */
export function joseToDer(raw: Uint8Array): Uint8Array {
  if (!(raw instanceof Uint8Array)) throw invalidArgument('joseToDer: raw must be a Uint8Array');
  if (raw.length === 0 || raw.length % 2 !== 0 || raw.length > 132) {
    throw invalidArgument('joseToDer: raw must be r || s of equal, non-zero length');
  }
  const half = raw.length / 2;
  const body = [...encodeInteger(raw.subarray(0, half)), ...encodeInteger(raw.subarray(half))];
  const header = body.length > 0x7f ? [0x30, 0x81, body.length] : [0x30, body.length];
  return Uint8Array.from([...header, ...body]);
}

function assertP256Raw(raw: Uint8Array, name: string): void {
  if (!(raw instanceof Uint8Array) || raw.length !== 64) {
    throw invalidArgument(`${name}: expected a 64-byte ES256 signature`);
  }
}

/**
 * Whether the `s` half of a 64-byte ES256 signature is above n/2. Such a signature is valid (RFC 7518
 * §3.4 does not require low-S), but `(r, n - s)` is valid too, so only low-S is ever emitted.
 *
 * @see spec/02-tokens.md SHO-JWS-13, SHO-JWS-14
 */
export function isHighS(raw: Uint8Array): boolean {
  assertP256Raw(raw, 'isHighS');
  return compare32(raw, 32, P256_HALF_ORDER_BYTES) > 0;
}

/**
 * Returns the low-S form of a 64-byte ES256 signature (`s` replaced by `n - s` when above n/2); the
 * input is returned unchanged when it already is low-S.
 *
 * @example normalizeLowS(signature)
 * @see spec/02-tokens.md SHO-JWS-14
 */
export function normalizeLowS(raw: Uint8Array): Uint8Array {
  assertP256Raw(raw, 'normalizeLowS');
  if (compare32(raw, 32, P256_HALF_ORDER_BYTES) <= 0) return raw;
  const out = new Uint8Array(64);
  out.set(raw.subarray(0, 32));
  // n - s, byte by byte with borrow (s < n here, so no borrow is left at the end).
  let borrow = 0;
  for (let i = 31; i >= 0; i--) {
    const difference = P256_ORDER_BYTES[i]! - raw[32 + i]! - borrow;
    borrow = difference < 0 ? 1 : 0;
    out[32 + i] = difference & 0xff;
  }
  return out;
}

