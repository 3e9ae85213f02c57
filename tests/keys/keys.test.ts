import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webCryptoBackend } from '../../src/crypto/webcrypto.js';
import { ALGORITHMS, isAlg } from '../../src/jws/algorithms.js';
import { generateKey } from '../../src/keys/generate.js';
import { importPem, importPrivateJwk, importPublicJwk } from '../../src/keys/import.js';
import { assertSigner, createLocalSigner } from '../../src/keys/signer.js';
import { jwkThumbprint } from '../../src/keys/thumbprint.js';
import type { PrivateJwk } from '../../src/keys/types.js';
import {
  expectInvalidArgument,
  expectInvalidArgumentRejection,
  expectShomeiRejection,
} from '../jose/helpers.js';

const message = new TextEncoder().encode('signing input');

async function verifies(publicJwk: Parameters<typeof webCryptoBackend.importPublicKey>[0], alg: (typeof ALGORITHMS)[number], signature: Uint8Array): Promise<boolean> {
  const key = await webCryptoBackend.importPublicKey(publicJwk, alg);
  return webCryptoBackend.verify(alg, key, message, signature);
}

describe('algorithms', () => {
  it('SHO-JWS-6: only ES256, EdDSA and PS256, case-sensitively', () => {
    expect(ALGORITHMS).toEqual(['ES256', 'EdDSA', 'PS256']);
    for (const bad of ['none', 'NONE', 'es256', 'HS256', 'RS256', 'ES384', 'ES256K', 'Ed25519', 1, null]) {
      expect(isAlg(bad)).toBe(false);
    }
  });
});

describe('jwkThumbprint (RFC 7638)', () => {
  it('SHO-JWS-19: reproduces the RFC 7638 §3.1 example', async () => {
    const jwk = {
      kty: 'RSA' as const,
      n:
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj' +
        'hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQ' +
        'vRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(await jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('SHO-KEY-5: a private JWK and its public half have the same thumbprint', async () => {
    const { privateJwk, publicJwk, kid } = await generateKey('ES256');
    expect(await jwkThumbprint(privateJwk)).toBe(kid);
    expect(await jwkThumbprint(publicJwk)).toBe(kid);
  });

  it('SHO-KEY-5: a JWK missing a required member is KEY_INVALID', async () => {
    await expectShomeiRejection(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'AA' }), 'KEY_INVALID');
  });
});

describe('generateKey', () => {
  it.each(ALGORITHMS)('SHO-KEY-13: generates a %s key pair labelled with kid, alg and use', async (alg) => {
    const { privateJwk, publicJwk, kid, alg: got } = await generateKey(alg);
    expect(got).toBe(alg);
    expect(publicJwk).toMatchObject({ kid, alg, use: 'sig' });
    expect(privateJwk).toMatchObject({ kid, alg, use: 'sig' });
    expect(kid).toBe(await jwkThumbprint(publicJwk));
    expect(publicJwk).not.toHaveProperty('d');
    expect(privateJwk).not.toHaveProperty('key_ops');
    expect(privateJwk).not.toHaveProperty('ext');
    const signer = await createLocalSigner(privateJwk, { alg });
    expect(signer.kid).toBe(kid);
    expect(await verifies(publicJwk, alg, await signer.sign(message))).toBe(true);
  });

  it('SHO-KEY-13: ES256 is the default and PS256 accepts a larger modulus only', async () => {
    expect((await generateKey()).alg).toBe('ES256');
    await expectInvalidArgumentRejection(generateKey('PS256', { modulusLength: 1024 }));
    await expectInvalidArgumentRejection(generateKey('ES384' as 'ES256'));
  });
});

describe('createLocalSigner and assertSigner', () => {
  it('SHO-KEY-11: assertSigner validates alg, kid, sign and signatureFormat', () => {
    const sign = async () => new Uint8Array();
    expect(() => assertSigner({ alg: 'ES256', kid: 'k', sign, signatureFormat: 'der' })).not.toThrow();
    for (const bad of [
      undefined,
      'signer',
      { alg: 'RS256', kid: 'k', sign },
      { alg: 'ES256', kid: 7, sign },
      { alg: 'ES256', kid: '', sign },
      { alg: 'ES256', kid: 'k', sign: 'sign' },
      { alg: 'PS256', kid: 'k', sign, signatureFormat: 'der' },
      { alg: 'ES256', kid: 'k', sign, signatureFormat: 'raw' },
    ]) {
      expectInvalidArgument(() => assertSigner(bad));
    }
  });

  it('SHO-KEY-11: signs with a non-extractable CryptoKey when a kid is given', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    await expectInvalidArgumentRejection(createLocalSigner(pair.privateKey, { alg: 'ES256' }));
    const signer = await createLocalSigner(pair.privateKey, { alg: 'ES256', kid: 'hsm-1' });
    const signature = await signer.sign(message);
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey, signature as BufferSource, message)).toBe(true);
  });

  it('SHO-KEY-11: derives the kid from an extractable CryptoKey', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const signer = await createLocalSigner(pair.privateKey, { alg: 'EdDSA' });
    const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    expect(signer.kid).toBe(await jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: publicJwk.x! }));
  });

  it('SHO-KEY-13: refuses a key that does not fit alg with KEY_INVALID', async () => {
    const { privateJwk } = await generateKey('ES256');
    await expectShomeiRejection(createLocalSigner(privateJwk, { alg: 'EdDSA' }), 'KEY_INVALID', 'alg_mismatch');
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    await expectShomeiRejection(createLocalSigner(pair.privateKey, { alg: 'ES256' }), 'KEY_INVALID', 'alg_mismatch');
  });

  it('SHO-JWS-19: refuses a private JWK whose kid is not its thumbprint', async () => {
    const { privateJwk } = await generateKey('ES256');
    await expectShomeiRejection(createLocalSigner({ ...privateJwk, kid: 'custom' }, { alg: 'ES256' }), 'KEY_INVALID', 'kid_not_thumbprint');
  });

  it('SHO-KEY-11: caller mistakes are TypeErrors', async () => {
    const { privateJwk, publicJwk } = await generateKey('ES256');
    await expectInvalidArgumentRejection(createLocalSigner(privateJwk, { alg: 'HS256' as 'ES256' }));
    await expectInvalidArgumentRejection(createLocalSigner(publicJwk as PrivateJwk, { alg: 'ES256' }));
    await expectInvalidArgumentRejection(createLocalSigner('key' as unknown as PrivateJwk, { alg: 'ES256' }));
    await expectInvalidArgumentRejection(createLocalSigner(privateJwk, { alg: 'ES256', kid: '' }));
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    await expectInvalidArgumentRejection(createLocalSigner(pair.publicKey, { alg: 'EdDSA' }));
  });
});

describe('importPrivateJwk / importPublicJwk', () => {
  it.each(ALGORITHMS)('SHO-KEY-13: imports a %s private JWK and infers alg', async (alg) => {
    const generated = await generateKey(alg);
    const { alg: _a, use: _u, kid: _k, ...bare } = generated.privateJwk;
    const imported = await importPrivateJwk(bare);
    expect(imported.alg).toBe(alg);
    expect(imported.kid).toBe(generated.kid);
    expect(imported.publicJwk).toEqual(generated.publicJwk);
  });

  it('SHO-KEY-13: accepts a WebCrypto Ed25519 export (alg "Ed25519") and labels it EdDSA', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    expect(jwk.alg).toBe('Ed25519');
    const imported = await importPrivateJwk(jwk);
    expect(imported.alg).toBe('EdDSA');
    expect(imported.publicJwk.alg).toBe('EdDSA');
  });

  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' });
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'jwk' });
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' });
  const ed448 = generateKeyPairSync('ed448').privateKey.export({ format: 'jwk' });
  const x25519 = generateKeyPairSync('x25519').privateKey.export({ format: 'jwk' });

  const rejected: Array<[string, () => Promise<unknown>, string | undefined]> = [
    ['a symmetric key', async () => ({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' }), 'symmetric_key'],
    ['an EC P-384 key', async () => p384, 'unsupported_key'],
    ['a secp256k1 key', async () => k1, 'unsupported_key'],
    ['an RSA 1024 key', async () => rsa1024, 'rsa_modulus_too_small'],
    ['an Ed448 key', async () => ed448, 'unsupported_key'],
    ['an X25519 key', async () => x25519, 'unsupported_key'],
    ['a public key', async () => (await generateKey('ES256')).publicJwk, 'not_private'],
    ['a wrong alg member', async () => ({ ...(await generateKey('ES256')).privateJwk, alg: 'ES384' }), 'alg_mismatch'],
    ['use enc', async () => ({ ...(await generateKey('ES256')).privateJwk, use: 'enc' }), 'use_not_sig'],
    ['a kid that is not the thumbprint', async () => ({ ...(await generateKey('ES256')).privateJwk, kid: 'legacy' }), 'kid_not_thumbprint'],
    [
      'an EC private half that does not match the public half',
      async () => ({ ...(await generateKey('ES256')).privateJwk, d: (await generateKey('ES256')).privateJwk.d, kid: undefined }),
      undefined,
    ],
    [
      'an Ed25519 private half that does not match the public half',
      async () => ({ ...(await generateKey('EdDSA')).privateJwk, d: (await generateKey('EdDSA')).privateJwk.d, kid: undefined }),
      undefined,
    ],
  ];

  it.each(rejected)('SHO-KEY-13: importPrivateJwk refuses %s with KEY_INVALID', async (_name, make, reason) => {
    await expectShomeiRejection(importPrivateJwk(await make()), 'KEY_INVALID', reason);
  });

  it('SHO-KEY-13: importPrivateJwk refuses an RSA key whose private members do not produce valid signatures', async () => {
    const { privateJwk } = await generateKey('PS256');
    const flip = (value: string): string => {
      const bytes = Buffer.from(value, 'base64url');
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 2;
      return bytes.toString('base64url');
    };
    // Both d and dp: OpenSSL falls back from a faulty CRT result to d, so one corruption alone still signs.
    const corrupted = { ...privateJwk, d: flip(privateJwk.d), dp: flip(privateJwk.dp!) };
    await expectShomeiRejection(importPrivateJwk(corrupted), 'KEY_INVALID', 'key_pair_mismatch');
  });

  it('SHO-KEY-13: importPrivateJwk refuses an explicit alg that does not fit', async () => {
    const { privateJwk } = await generateKey('EdDSA');
    await expectShomeiRejection(importPrivateJwk(privateJwk, 'ES256'), 'KEY_INVALID', 'alg_mismatch');
  });

  it('SHO-KEY-6: importPublicJwk refuses private members instead of dropping them', async () => {
    const { privateJwk, publicJwk } = await generateKey('ES256');
    await expectShomeiRejection(importPublicJwk(privateJwk), 'KEY_INVALID', 'private_member');
    expect((await importPublicJwk(publicJwk)).publicJwk).toEqual(publicJwk);
  });
});

describe('importPem', () => {
  const cases = [
    ['ES256', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['EdDSA', generateKeyPairSync('ed25519')],
    ['PS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ] as const;

  it.each(cases)('SHO-KEY-13: imports a %s PKCS#8 private key and its SPKI public key', async (alg, pair) => {
    const privatePem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const publicPem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const fromPrivate = await importPem(privatePem, alg);
    const fromPublic = await importPem(publicPem, alg);
    expect(fromPrivate.privateJwk?.d).toBeTypeOf('string');
    expect(fromPublic.privateJwk).toBeUndefined();
    expect(fromPublic.kid).toBe(fromPrivate.kid);
    expect(fromPublic.publicJwk).toEqual(fromPrivate.publicJwk);
    const signer = await createLocalSigner(fromPrivate.privateJwk!, { alg });
    expect(await verifies(fromPublic.publicJwk, alg, await signer.sign(message))).toBe(true);
  });

  it('SHO-KEY-13: refuses legacy, encrypted and weak PEM keys with KEY_INVALID', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sec1 = ec.privateKey.export({ format: 'pem', type: 'sec1' }) as string;
    await expectShomeiRejection(importPem(sec1, 'ES256'), 'KEY_INVALID', 'unsupported_pem');
    const encrypted = ec.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    await expectShomeiRejection(importPem(encrypted, 'ES256'), 'KEY_INVALID', 'unsupported_pem');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    await expectShomeiRejection(importPem(p384, 'ES256'), 'KEY_INVALID');
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    await expectShomeiRejection(importPem(rsa1024, 'PS256'), 'KEY_INVALID');
    await expectShomeiRejection(importPem('not a pem', 'ES256'), 'KEY_INVALID', 'unsupported_pem');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    await expectShomeiRejection(importPem(ed, 'ES256'), 'KEY_INVALID');
    await expectInvalidArgumentRejection(importPem(ed, 'HS256' as 'ES256'));
  });
});
