/**
 * The encode side of base64url (spec/02-tokens.md SHO-JWS-3) writes ASCII bytes into a reused buffer:
 * every output is compared with node:buffer's, across the buffer's size boundaries and after a longer
 * input, so that bytes left over from an earlier call would show.
 */
import { describe, expect, it } from 'vitest';
import { base64urlLength, encodeBase64url, encodeBase64urlInto } from '../../src/encoding/base64url.js';

function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 151 + seed * 17 + 3) & 0xff);
}

describe('encodeBase64url (RFC 4648 §5, no padding)', () => {
  it('SHO-JWS-3: equals node:buffer base64url at the reused buffer boundaries, large inputs before small ones', () => {
    // 768 bytes fill the initial 1024-character buffer exactly; 49152 bytes make 65536 characters.
    const lengths = [100_003, 49_153, 49_152, 49_151, 769, 768, 767, 5, 2000, 0, 1, 2, 3, 64, 32, 16, 70_000, 4];
    for (const [seed, length] of lengths.entries()) {
      const bytes = bytesOf(length, seed);
      const text = encodeBase64url(bytes);
      expect(text.length).toBe(base64urlLength(length));
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('SHO-JWS-3: encodes a subarray view (offset into a larger buffer) by its own bytes', () => {
    const backing = bytesOf(100, 9);
    const view = backing.subarray(7, 50);
    expect(encodeBase64url(view)).toBe(Buffer.from(view).toString('base64url'));
  });

  it('SHO-JWS-3: encodeBase64urlInto writes a range at an offset and returns the end', () => {
    for (let length = 0; length <= 10; length++) {
      const bytes = bytesOf(20, length);
      const out = new Uint8Array(40).fill(0x2a);
      const end = encodeBase64urlInto(bytes, 3, 3 + length, out, 5);
      const expected = Buffer.from(bytes.subarray(3, 3 + length)).toString('base64url');
      expect(end).toBe(5 + expected.length);
      expect(Buffer.from(out.subarray(5, end)).toString('latin1')).toBe(expected);
      expect(out.subarray(0, 5).every((byte) => byte === 0x2a)).toBe(true);
      expect(out.subarray(end).every((byte) => byte === 0x2a)).toBe(true);
    }
  });

  it('SHO-JWS-3: base64urlLength is the unpadded length', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 32, 64].map(base64urlLength)).toEqual([0, 2, 3, 4, 6, 7, 8, 43, 86]);
  });
});
