import { describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import { derToJose, isHighS, joseToDer, normalizeLowS, P256_ORDER } from '../../src/jws/ecdsa.js';
import { expectInvalidArgument } from './helpers.js';

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

const R32 = '7f'.repeat(32);
const S32 = '01'.repeat(32);

describe('ECDSA DER <-> JOSE (RFC 7518 §3.4, X.690 DER)', () => {
  it('SHO-KEY-11: the P-256 order constant is the curve order', () => {
    expect(P256_ORDER).toBe(p256.Point.CURVE().n);
  });

  it('SHO-KEY-11: converts minimal DER, left-padding short integers and stripping the sign byte', () => {
    const der = hex(`3046 0221 00${'ff'.repeat(32)} 0221 00${'80'.repeat(32)}`);
    expect(derToJose(der)).toEqual(hex('ff'.repeat(32) + '80'.repeat(32)));
    const short = hex(`3006 0201 01 0201 02`);
    const raw = derToJose(short);
    expect(raw.length).toBe(64);
    expect(raw[31]).toBe(1);
    expect(raw[63]).toBe(2);
    expect(raw.slice(0, 31).every((b) => b === 0)).toBe(true);
  });

  it('SHO-KEY-11: joseToDer and derToJose are inverse, for random signatures from node:crypto', async () => {
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    for (let i = 0; i < 50; i++) {
      const der = new Uint8Array(sign('sha256', Buffer.from(`m${i}`), privateKey));
      const raw = derToJose(der);
      expect(raw.length).toBe(64);
      expect(joseToDer(raw)).toEqual(der);
      const p1363 = new Uint8Array(sign('sha256', Buffer.from(`m${i}`), { key: privateKey, dsaEncoding: 'ieee-p1363' }));
      expect(derToJose(joseToDer(p1363))).toEqual(p1363);
    }
  });

  const badDer: Array<[string, string]> = [
    ['empty input', ''],
    ['not a SEQUENCE', `3144 0220 ${R32} 0220 ${S32}`],
    ['extra byte after the SEQUENCE', `3044 0220 ${R32} 0220 ${S32} 00`],
    ['SEQUENCE length too long', `3045 0220 ${R32} 0220 ${S32}`],
    ['SEQUENCE length too short', `3043 0220 ${R32} 0220 ${S32}`],
    ['non-minimal long-form SEQUENCE length', `308144 0220 ${R32} 0220 ${S32}`],
    ['indefinite length', `3080 0220 ${R32} 0220 ${S32} 0000`],
    ['first element not an INTEGER', `3044 0420 ${R32} 0220 ${S32}`],
    ['negative r', `3044 0220 ${'80'.repeat(32)} 0220 ${S32}`],
    ['negative s', `3044 0220 ${R32} 0220 ${'ff'.repeat(32)}`],
    ['non-minimal r (superfluous 00)', `3045 0221 00${R32} 0220 ${S32}`],
    ['non-minimal s (two leading 00)', `3046 0220 ${R32} 0222 0000${'80'.repeat(32)}`],
    ['r = 0', `3025 0201 00 0220 ${S32}`],
    ['zero-length INTEGER', `3024 0200 0220 ${S32}`],
    ['r longer than 32 bytes', `3046 0222 00${'ff'.repeat(33)} 0220 ${S32}`],
    ['r of 33 non-zero bytes', `3045 0221 01${'ff'.repeat(32)} 0220 ${S32}`],
    ['trailing bytes inside the SEQUENCE', `3046 0220 ${R32} 0220 ${S32} 0500`],
    ['a third INTEGER', `3047 0220 ${R32} 0220 ${S32} 020101`],
    ['only one INTEGER', `3022 0220 ${R32}`],
    ['INTEGER runs past the end', `3024 0230 ${R32}`],
    ['a JOSE raw signature given as DER', `${R32}${S32}`],
  ];

  it.each(badDer)('SHO-KEY-11: derToJose rejects %s', (_name, text) => {
    expectInvalidArgument(() => derToJose(hex(text)));
  });

  it('SHO-KEY-11: joseToDer refuses empty or odd-length input', () => {
    expectInvalidArgument(() => joseToDer(new Uint8Array(0)));
    expectInvalidArgument(() => joseToDer(new Uint8Array(63)));
  });
});

describe('low-S (RFC 7518 §3.4 allows both; shomei emits low-S)', () => {
  const half = P256_ORDER >> 1n;
  const toBytes = (n: bigint): Uint8Array => hex(n.toString(16).padStart(64, '0'));
  const sig = (s: bigint): Uint8Array => {
    const out = new Uint8Array(64);
    out.set(hex(R32), 0);
    out.set(toBytes(s), 32);
    return out;
  };

  it('SHO-JWS-14: s = n/2 is low, s = n/2 + 1 is high', () => {
    expect(isHighS(sig(half))).toBe(false);
    expect(isHighS(sig(half + 1n))).toBe(true);
    expect(isHighS(sig(1n))).toBe(false);
  });

  it('SHO-JWS-14: normalizeLowS replaces s by n - s and keeps r', () => {
    const high = sig(P256_ORDER - 5n);
    const low = normalizeLowS(high);
    expect(low.subarray(0, 32)).toEqual(high.subarray(0, 32));
    expect(low.subarray(32)).toEqual(toBytes(5n));
    expect(isHighS(low)).toBe(false);
    const already = sig(5n);
    expect(normalizeLowS(already)).toBe(already);
  });

  it('SHO-JWS-14: refuses anything but 64 bytes', () => {
    expectInvalidArgument(() => isHighS(new Uint8Array(63)));
    expectInvalidArgument(() => normalizeLowS(new Uint8Array(65)));
  });
});

describe('low-S by byte arithmetic equals the BigInt definition (SHO-JWS-14)', () => {
  const HALF = P256_ORDER >> 1n;
  const toBytes32 = (value: bigint): Uint8Array => Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
  const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  /** The reference: s above n/2 becomes n − s, computed with BigInt. */
  const reference = (s: bigint): bigint => (s > HALF ? P256_ORDER - s : s);

  function check(s: bigint): void {
    const r = toBytes32(0x1234n);
    const raw = Uint8Array.from([...r, ...toBytes32(s)]);
    const low = normalizeLowS(raw);
    expect(toBigInt(low.subarray(32)), `s = ${s.toString(16)}`).toBe(reference(s));
    expect(low.subarray(0, 32)).toEqual(r);
    expect(isHighS(raw)).toBe(s > HALF);
  }

  it('SHO-JWS-14: edge values 1, n/2 − 1, n/2, n/2 + 1, n/2 + 2, n − 2, n − 1 and byte-borrow patterns', () => {
    const edges = [1n, 2n, HALF - 1n, HALF, HALF + 1n, HALF + 2n, P256_ORDER - 2n, P256_ORDER - 1n, 0xffn, 0x100n, (1n << 255n) - 1n, 1n << 255n, P256_ORDER - 0x100n, P256_ORDER - 0xffn];
    for (const s of edges) check(s);
  });

  it('SHO-JWS-14: 2000 random s in 1..n−1', () => {
    for (let i = 0; i < 2000; i++) {
      const s = toBigInt(globalThis.crypto.getRandomValues(new Uint8Array(32))) % (P256_ORDER - 1n) + 1n;
      check(s);
    }
  });
});
