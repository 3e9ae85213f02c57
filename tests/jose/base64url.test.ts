import { describe, expect, it } from 'vitest';
import { assertBase64url, decodeBase64url, encodeBase64url } from '../../src/encoding/base64url.js';
import { expectInvalidArgument, expectShomeiError } from './helpers.js';

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

describe('base64url (RFC 7515 §2, RFC 4648 §5)', () => {
  it('SHO-JWS-3: encodes without padding and with the URL-safe alphabet', () => {
    expect(encodeBase64url(new Uint8Array([]))).toBe('');
    expect(encodeBase64url(new Uint8Array([0x66]))).toBe('Zg');
    expect(encodeBase64url(new Uint8Array([0x66, 0x6f]))).toBe('Zm8');
    expect(encodeBase64url(new Uint8Array([0x66, 0x6f, 0x6f]))).toBe('Zm9v');
    expect(encodeBase64url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    // RFC 7515 §2 / Appendix C example octets
    expect(encodeBase64url(new Uint8Array([3, 236, 255, 224, 193]))).toBe('A-z_4ME');
  });

  it('SHO-JWS-3: round-trips every length up to 70 and a large buffer, matching Buffer', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = randomBytes(length);
      const text = encodeBase64url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(decodeBase64url(text)).toEqual(bytes);
    }
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 131 + 7) & 0xff);
    expect(decodeBase64url(encodeBase64url(big))).toEqual(big);
  });

  it('SHO-JWS-3: decodes the RFC 7515 Appendix C example', () => {
    expect(Array.from(decodeBase64url('A-z_4ME'))).toEqual([3, 236, 255, 224, 193]);
  });

  const rejected: Array<[string, string, string]> = [
    ['one padding character', 'Zm8=', 'padding'],
    ['two padding characters', 'Zg==', 'padding'],
    ['padding in the middle', 'Zg==Zm9v', 'padding'],
    ['standard base64 +', 'a+bc', 'invalid_character'],
    ['standard base64 /', 'a/bc', 'invalid_character'],
    ['a space', 'Zm9v Zm9', 'invalid_character'],
    ['a line break', 'Zm9v\nZm9', 'invalid_character'],
    ['a tab', '\tZm9', 'invalid_character'],
    ['a dot', 'Zm9.', 'invalid_character'],
    ['a non-ASCII letter', 'Zm9ä', 'invalid_character'],
    ['a full-width letter', 'Ｚm9v', 'invalid_character'],
    ['a NUL', 'Zm9\u0000', 'invalid_character'],
    ['length 1 mod 4', 'Zm9vZ', 'invalid_length'],
    ['a single character', 'A', 'invalid_length'],
    // 'QQ' and 'QR' both decode to 0x41 in lenient decoders (Buffer.from('QR', 'base64url')).
    ['non-canonical 2-char tail (QR vs QQ)', 'QR', 'non_canonical'],
    ['non-canonical 2-char tail (AB vs AA)', 'AB', 'non_canonical'],
    ['non-canonical 3-char tail (Zm9 vs Zm8)', 'Zm9', 'non_canonical'],
    ['non-canonical 3-char tail (AAB vs AAA)', 'AAB', 'non_canonical'],
    ['non-canonical tail after full quads', 'Zm9vQR', 'non_canonical'],
  ];

  it.each(rejected)('SHO-JWS-3: rejects %s with MALFORMED_TOKEN', (_name, text, reason) => {
    expectShomeiError(() => decodeBase64url(text), 'MALFORMED_TOKEN', reason);
    expectShomeiError(() => assertBase64url(text), 'MALFORMED_TOKEN', reason);
  });

  it('SHO-JWS-3: the non-canonical pair QQ/QR really is one byte string for a lenient decoder', () => {
    expect(Buffer.from('QR', 'base64url')).toEqual(Buffer.from('QQ', 'base64url'));
    expect(Array.from(decodeBase64url('QQ'))).toEqual([0x41]);
  });

  it('SHO-JWS-3: every canonical 2- and 3-character tail is accepted, every other rejected', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let value = 0; value < 64; value++) {
      const two = `A${alphabet[value]}`;
      const three = `AA${alphabet[value]}`;
      if ((value & 0x0f) === 0) expect(() => decodeBase64url(two)).not.toThrow();
      else expectShomeiError(() => decodeBase64url(two), 'MALFORMED_TOKEN', 'non_canonical');
      if ((value & 0x03) === 0) expect(() => decodeBase64url(three)).not.toThrow();
      else expectShomeiError(() => decodeBase64url(three), 'MALFORMED_TOKEN', 'non_canonical');
    }
  });

  it('SHO-JWS-3: on random input, accepts exactly what re-encodes to itself (agrees with Buffer)', () => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ .é';
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 5000; round++) {
      const length = next() % 12;
      let text = '';
      for (let i = 0; i < length; i++) text += chars[next() % (round % 2 === 0 ? 64 : chars.length)];
      let decoded: Uint8Array | undefined;
      try {
        decoded = decodeBase64url(text);
      } catch {
        decoded = undefined;
      }
      const strict = /^[A-Za-z0-9_-]*$/.test(text) && length % 4 !== 1 && Buffer.from(text, 'base64url').toString('base64url') === text;
      expect(decoded !== undefined).toBe(strict);
      if (decoded !== undefined) expect(decoded).toEqual(new Uint8Array(Buffer.from(text, 'base64url')));
    }
  });

  it('SHO-JWS-3: a wrong argument type is a caller mistake (TypeError)', () => {
    expectInvalidArgument(() => decodeBase64url(42 as unknown as string));
    expectInvalidArgument(() => encodeBase64url('abc' as unknown as Uint8Array));
  });
});
