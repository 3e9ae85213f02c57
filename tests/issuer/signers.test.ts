/**
 * Pluggable signers (spec/11-keys.md SHO-KEY-11, SHO-KEY-12): an HSM or KMS signer that returns DER
 * ECDSA, as the cloud KMS APIs do, produces a token that verifies; a signer that misbehaves produces no
 * token.
 */
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../src/encoding/base64url.js';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createIssuer } from '../../src/issuer/issue.js';
import { isHighS } from '../../src/jws/ecdsa.js';
import { createNodeSigner } from '../../src/keys/node-signer.js';
import { createLocalSigner, knownSignatureLength, markSignatureLength, type Signer } from '../../src/keys/signer.js';
import type { PrivateJwk } from '../../src/keys/types.js';
import { BANK, codes, createWorld, decode, expectAllowed, linkInput, NOW_MS, parts, testKey } from '../helpers/world.js';

const w = await createWorld();
const key = w.keys.bank;

/** A KMS-style signer: node:crypto ECDSA with DER output, the private key never leaving "the HSM". */
function kmsSigner(sign: (data: Uint8Array) => Promise<Uint8Array>): Signer {
  return { alg: 'ES256', kid: key.kid, signatureFormat: 'der', sign };
}

const derSigner = kmsSigner(async (data) => new Uint8Array(nodeSign('sha256', data, { key: key.keyObject, dsaEncoding: 'der' })));

async function signLink(signer: Signer): Promise<string> {
  const request = await w.request();
  const bank = createIssuer({ issuer: BANK, signer, clock: () => NOW_MS });
  return (await bank.link(linkInput(request.token, request.claims.nonce))).token;
}

async function signerFailure(signer: Signer): Promise<ShomeiError> {
  const error = await signLink(signer).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

describe('KMS signer with DER output', () => {
  it('SHO-KEY-11: a link assertion signed by a DER-returning KMS signer verifies at the RP', async () => {
    const flow = await w.link({}, { issuer: createIssuer({ issuer: BANK, signer: derSigner, clock: () => NOW_MS }) });
    const signature = decodeBase64url(parts(flow.token)[2]);
    expect(signature).toHaveLength(64);
    expect(decode(flow.token).header).toEqual({ alg: 'ES256', kid: key.kid, typ: 'shomei-link+jwt' });
    expectAllowed(await w.rpVerifier().verify(flow.token, flow.expect));
  });

  it('SHO-JWS-14: DER signatures are converted to low-S R || S, whatever the KMS returned', async () => {
    for (let i = 0; i < 20; i++) {
      const token = await signLink(derSigner);
      expect(isHighS(decodeBase64url(parts(token)[2]))).toBe(false);
    }
  });

  it('SHO-KEY-11: a KMS signer returning malformed DER fails with SIGNER_FAILED and no token', async () => {
    const broken = kmsSigner(async (data) => {
      const der = new Uint8Array(nodeSign('sha256', data, { key: key.keyObject, dsaEncoding: 'der' }));
      return der.subarray(0, der.length - 1);
    });
    expect((await signerFailure(broken)).code).toBe('SIGNER_FAILED');
  });

  it('SHO-KEY-11: a KMS signer returning raw R || S while declaring DER fails with SIGNER_FAILED', async () => {
    const mislabelled = kmsSigner(async (data) => new Uint8Array(nodeSign('sha256', data, { key: key.keyObject, dsaEncoding: 'ieee-p1363' })));
    expect((await signerFailure(mislabelled)).code).toBe('SIGNER_FAILED');
  });
});

describe('signer output checks (SHO-KEY-12)', () => {
  it('SHO-KEY-12: a signer that throws fails with SIGNER_FAILED', async () => {
    const throwing: Signer = { alg: 'ES256', kid: key.kid, sign: async () => Promise.reject(new Error('HSM offline')) };
    expect((await signerFailure(throwing)).code).toBe('SIGNER_FAILED');
  });

  it('SHO-KEY-12: an ES256 signer returning 63 octets fails with SIGNER_FAILED', async () => {
    const short: Signer = { alg: 'ES256', kid: key.kid, sign: async (data) => (await key.signer.sign(data)).subarray(0, 63) };
    expect((await signerFailure(short)).code).toBe('SIGNER_FAILED');
  });

  it('SHO-KEY-12: an EdDSA signer returning 65 octets fails with SIGNER_FAILED', async () => {
    const ed = await testKey('EdDSA');
    const long: Signer = { alg: 'EdDSA', kid: ed.kid, sign: async (data) => new Uint8Array([...(await ed.signer.sign(data)), 0]) };
    expect((await signerFailure(long)).code).toBe('SIGNER_FAILED');
  });

  it('SHO-KEY-12: a PS256 signer made here returning other than its modulus length fails with SIGNER_FAILED', async () => {
    // A 3072-bit signer's signatures are 384 octets: 256 octets (a 2048-bit length) is refused.
    const short = markSignatureLength({ alg: 'PS256', kid: key.kid, sign: async () => new Uint8Array(256).fill(1) }, 384);
    expect((await signerFailure(short)).code).toBe('SIGNER_FAILED');
  });

  it('SHO-KEY-12: a PS256 signer of unknown modulus returning more than a 16384-bit signature fails with SIGNER_FAILED', async () => {
    const huge: Signer = { alg: 'PS256', kid: key.kid, sign: async () => new Uint8Array(2049).fill(1) };
    expect((await signerFailure(huge)).code).toBe('SIGNER_FAILED');
  });

  it('SHO-KEY-12: createNodeSigner and createLocalSigner know their PS256 signature length (the modulus)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    expect(knownSignatureLength(createNodeSigner(privateKey, { alg: 'PS256', kid: 'k' }))).toBe(384);
    const jwk = privateKey.export({ format: 'jwk' }) as unknown as PrivateJwk;
    expect(knownSignatureLength(await createLocalSigner(jwk, { alg: 'PS256', kid: 'k' }))).toBe(384);
  });

  it('SHO-KEY-13: createLocalSigner refuses an RSA CryptoKey with an exponent other than 65537 (KEY_INVALID)', async () => {
    const { privateKey } = (await globalThis.crypto.subtle.generateKey(
      { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([3]), hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    await expect(createLocalSigner(privateKey, { alg: 'PS256', kid: 'k' })).rejects.toMatchObject({ code: 'KEY_INVALID', reason: 'rsa_exponent_unsupported' });
  });

  it('SHO-KEY-13: createNodeSigner refuses an RSA key under 2048 bits or with an exponent other than 65537 (KEY_INVALID)', () => {
    for (const options of [{ modulusLength: 1024 }, { modulusLength: 2048, publicExponent: 3 }]) {
      const { privateKey } = generateKeyPairSync('rsa', options);
      expect(() => createNodeSigner(privateKey, { alg: 'PS256', kid: 'k' })).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
    }
  });

  it('SHO-KEY-12: a signer returning a string fails with SIGNER_FAILED', async () => {
    const wrong = { alg: 'ES256', kid: key.kid, sign: async () => 'signature' } as unknown as Signer;
    expect((await signerFailure(wrong)).code).toBe('SIGNER_FAILED');
  });

  it('SHO-KEY-11: a signer without sign() is refused when the issuer is created (TypeError)', () => {
    expect(() => createIssuer({ issuer: BANK, signer: { alg: 'ES256', kid: key.kid } as unknown as Signer })).toThrow(TypeError);
  });

  it("SHO-KEY-11: signatureFormat 'der' with EdDSA is refused when the issuer is created (TypeError)", () => {
    expect(() =>
      createIssuer({ issuer: BANK, signer: { alg: 'EdDSA', kid: key.kid, signatureFormat: 'der', sign: async () => new Uint8Array(64) } }),
    ).toThrow(TypeError);
  });

  it('SHO-JWS-6: a signer with alg HS256 is refused when the issuer is created (TypeError)', () => {
    expect(() => createIssuer({ issuer: BANK, signer: { alg: 'HS256', kid: key.kid, sign: async () => new Uint8Array(32) } as unknown as Signer })).toThrow(
      TypeError,
    );
  });

  it('SHO-KEY-12: a signer whose signature is wrong produces a token that the verifier denies (SIGNATURE_INVALID)', async () => {
    const other = w.keys.attacker;
    const lying: Signer = { alg: 'ES256', kid: key.kid, sign: (data) => other.signer.sign(data) };
    const flow = await w.link({}, { issuer: createIssuer({ issuer: BANK, signer: lying, clock: () => NOW_MS }) });
    expect(codes(await w.rpVerifier().verify(flow.token, flow.expect))).toEqual(['SIGNATURE_INVALID']);
  });
});
