import { describe, expect, it } from 'vitest';
import { nodeCryptoBackend } from '../../src/crypto/node.js';
import { webCryptoBackend } from '../../src/crypto/webcrypto.js';
import { ALGORITHMS } from '../../src/jws/algorithms.js';
import { decodePayload, parseCompact } from '../../src/jws/compact.js';
import { isHighS, joseToDer, normalizeLowS, P256_ORDER } from '../../src/jws/ecdsa.js';
import { signCompact } from '../../src/jws/sign.js';
import type { Signer } from '../../src/keys/signer.js';
import { keyFor } from './fixtures.js';
import { expectInvalidArgumentRejection, expectShomeiRejection } from './helpers.js';

const TYP = { typ: 'shomei-link+jwt' };
const CLAIMS = { iss: 'https://bank.example', aud: 'https://rp.example', n: 1, s: '証明' };

function highS(low: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(low.subarray(32)).toString('hex')}`);
  const out = low.slice();
  out.set(Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}

describe('signCompact (RFC 7515 §5.1)', () => {
  it.each(ALGORITHMS)('SHO-JWS-17: round-trips %s through both backends', async (alg) => {
    const { signer, publicJwk } = await keyFor(alg);
    const token = await signCompact(TYP, CLAIMS, signer);
    const parsed = parseCompact(token);
    expect(parsed.header).toEqual({ alg, kid: signer.kid, typ: TYP.typ });
    for (const backend of [webCryptoBackend, nodeCryptoBackend]) {
      const key = await backend.importPublicKey(publicJwk, alg);
      expect(await backend.verify(alg, key, parsed.signingInput, parsed.signature)).toBe(true);
    }
    expect(decodePayload(parsed)).toEqual(CLAIMS);
  });

  it('SHO-JWS-18: the header is exactly alg, kid, typ in that order', async () => {
    const { signer } = await keyFor('ES256');
    const token = await signCompact({ typ: 'shomei-txn+jwt', alg: 'ES256', kid: signer.kid }, {}, signer);
    const header = Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8');
    expect(header).toBe(`{"alg":"ES256","kid":"${signer.kid}","typ":"shomei-txn+jwt"}`);
  });

  it('SHO-JWS-19: the kid of a local signer is the 43-character RFC 7638 thumbprint', async () => {
    const { signer, kid } = await keyFor('EdDSA');
    expect(signer.kid).toBe(kid);
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  const badHeaders: Array<[string, Record<string, unknown>]> = [
    ['another alg', { typ: 'x', alg: 'none' }],
    ['another kid', { typ: 'x', kid: 'other' }],
    ['crit', { typ: 'x', crit: ['exp'] }],
    ['b64', { typ: 'x', b64: false }],
    ['jwk', { typ: 'x', jwk: { kty: 'EC' } }],
    ['x5c', { typ: 'x', x5c: [] }],
    ['cty', { typ: 'x', cty: 'JWT' }],
    ['an unknown member', { typ: 'x', foo: 1 }],
    ['no typ', {}],
    ['an empty typ', { typ: '' }],
    ['a non-string typ', { typ: 1 }],
  ];

  it.each(badHeaders)('SHO-JWS-18: refuses a header with %s (TypeError)', async (_name, header) => {
    const { signer } = await keyFor('ES256');
    await expectInvalidArgumentRejection(signCompact(header as { typ: string }, {}, signer));
  });

  it('SHO-KEY-11: refuses an invalid signer at call time (TypeError)', async () => {
    const sign = async () => new Uint8Array(64);
    for (const bad of [
      null,
      { alg: 'none', kid: 'k', sign },
      { alg: 'ES256', kid: '', sign },
      { alg: 'ES256', kid: 'k' },
      { alg: 'EdDSA', kid: 'k', sign, signatureFormat: 'der' },
      { alg: 'ES256', kid: 'k', sign, signatureFormat: 'asn1' },
    ]) {
      await expectInvalidArgumentRejection(signCompact(TYP, {}, bad as unknown as Signer));
    }
  });

  it('SHO-JWS-18: refuses a payload that is not a plain object or not JSON', async () => {
    const { signer } = await keyFor('ES256');
    await expectInvalidArgumentRejection(signCompact(TYP, [] as unknown as Record<string, unknown>, signer));
    await expectInvalidArgumentRejection(signCompact(TYP, { n: 1n }, signer));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expectInvalidArgumentRejection(signCompact(TYP, cyclic, signer));
  });

  it('SHO-JWS-14: emits low-S even when the signer returns high-S', async () => {
    const { signer, publicJwk } = await keyFor('ES256');
    const highSigner: Signer = {
      alg: 'ES256',
      kid: signer.kid,
      sign: async (data) => highS(normalizeLowS(await signer.sign(data))),
    };
    const key = await webCryptoBackend.importPublicKey(publicJwk, 'ES256');
    for (let i = 0; i < 5; i++) {
      const parsed = parseCompact(await signCompact(TYP, { i }, highSigner));
      expect(isHighS(parsed.signature)).toBe(false);
      expect(await webCryptoBackend.verify('ES256', key, parsed.signingInput, parsed.signature)).toBe(true);
    }
  });

  it('SHO-KEY-11: converts a DER signature and normalises it to low-S', async () => {
    const { signer, publicJwk } = await keyFor('ES256');
    const derHighSigner: Signer = {
      alg: 'ES256',
      kid: signer.kid,
      signatureFormat: 'der',
      sign: async (data) => joseToDer(highS(normalizeLowS(await signer.sign(data)))),
    };
    const parsed = parseCompact(await signCompact(TYP, CLAIMS, derHighSigner));
    expect(parsed.signature.length).toBe(64);
    expect(isHighS(parsed.signature)).toBe(false);
    const key = await nodeCryptoBackend.importPublicKey(publicJwk, 'ES256');
    expect(await nodeCryptoBackend.verify('ES256', key, parsed.signingInput, parsed.signature)).toBe(true);
  });

  const badOutputs: Array<[string, Signer['alg'], 'jose' | 'der' | undefined, () => Promise<unknown>]> = [
    ['throws', 'ES256', undefined, async () => Promise.reject(new Error('HSM offline'))],
    ['returns a string', 'ES256', undefined, async () => 'signature'],
    ['returns an ArrayBuffer', 'ES256', undefined, async () => new ArrayBuffer(64)],
    ['returns 63 bytes for ES256', 'ES256', undefined, async () => new Uint8Array(63).fill(1)],
    ['returns 65 bytes for ES256', 'ES256', undefined, async () => new Uint8Array(65).fill(1)],
    ['returns DER when JOSE was declared', 'ES256', 'jose', async () => joseToDer(new Uint8Array(64).fill(1))],
    ['returns malformed DER', 'ES256', 'der', async () => Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01])],
    ['returns DER with trailing bytes', 'ES256', 'der', async () => Uint8Array.from([...joseToDer(new Uint8Array(64).fill(1)), 0])],
    ['returns DER with a 33-byte integer', 'ES256', 'der', async () => Uint8Array.from([0x30, 0x26, 0x02, 0x21, 1, ...new Uint8Array(32).fill(1), 0x02, 0x01, 0x01])],
    ['returns 63 bytes for EdDSA', 'EdDSA', undefined, async () => new Uint8Array(63)],
    ['returns 128 bytes for PS256', 'PS256', undefined, async () => new Uint8Array(128)],
  ];

  it.each(badOutputs)('SHO-KEY-12: a signer that %s fails with SIGNER_FAILED', async (_name, alg, format, sign) => {
    const signer = { alg, kid: 'k', sign, ...(format ? { signatureFormat: format } : {}) } as Signer;
    await expectShomeiRejection(signCompact(TYP, CLAIMS, signer), 'SIGNER_FAILED');
  });

  it('SHO-KEY-12: the SIGNER_FAILED message contains neither the token nor the claims', async () => {
    const signer: Signer = { alg: 'ES256', kid: 'k', sign: async () => Promise.reject(new Error('boom')) };
    const error = await expectShomeiRejection(signCompact(TYP, { name: '山田太郎' }, signer), 'SIGNER_FAILED');
    expect(error.message).not.toContain('山田');
    expect(error.message).not.toContain('eyJ');
  });
});
