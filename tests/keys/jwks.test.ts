import { generateKeyPairSync } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../src/encoding/base64url.js';
import { generateKey } from '../../src/keys/generate.js';
import { jwkMatchesAlg, toPublicJwk, validateJwks } from '../../src/keys/jwks.js';
import type { PublicJwk } from '../../src/keys/types.js';
import { expectInvalidArgument, expectShomeiError } from '../jose/helpers.js';

const [ec, ed, rsa, ec2] = await Promise.all([generateKey('ES256'), generateKey('EdDSA'), generateKey('PS256'), generateKey('ES256')]);

// RFC 7638 §3.1 example key (2048-bit RSA, e = AQAB).
const RFC7638_N =
  '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj' +
  'hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQ' +
  'vRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';

// Ed25519 points of small order (RFC 8032 encodings): a public key equal to one of them lets anyone forge.
const ED25519_IDENTITY = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0));
const ED25519_ORDER_2 = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xec : i === 31 ? 0x7f : 0xff));
const ED25519_ORDER_8 = Uint8Array.from(Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'hex'));

/** A real key's point plus a point of order 8: on the curve, outside the prime-order subgroup. */
function mixedOrder(x: string): Uint8Array {
  return ed25519.Point.fromBytes(decodeBase64url(x)).add(ed25519.Point.fromBytes(ED25519_ORDER_8)).toBytes();
}

function set(...keys: unknown[]): unknown {
  return { keys };
}

function flipLastBit(value: string): string {
  const bytes = decodeBase64url(value);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
  return encodeBase64url(bytes);
}

describe('validateJwks (RFC 7517 §5)', () => {
  it('SHO-KEY-4: accepts a set of EC, OKP and RSA keys and returns public copies', () => {
    // RFC 7638 §3.1: the example key's thumbprint, which its kid must be (SHO-KEY-5).
    const rfcKid = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
    const keys = validateJwks(set(ec.publicJwk, ed.publicJwk, rsa.publicJwk, { kty: 'RSA', n: RFC7638_N, e: 'AQAB', kid: rfcKid, alg: 'PS256', use: 'sig' }));
    expect(keys.map((k) => k.kid)).toEqual([ec.kid, ed.kid, rsa.kid, rfcKid]);
    expect(keys[0]).toEqual(ec.publicJwk);
  });

  it('SHO-KEY-4: drops unknown members such as key_ops, x5c and ext from the result', () => {
    const [key] = validateJwks(set({ ...ec.publicJwk, key_ops: ['verify'], x5c: ['MII'], ext: true }));
    expect(Object.keys(key!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('SHO-FETCH-7: skips keys of an unknown kty or alg (forward compatibility)', () => {
    const keys = validateJwks(
      set(
        ec.publicJwk,
        { kty: 'EC', crv: 'P-384', x: 'AA', y: 'AA', kid: 'p384', alg: 'ES384', use: 'sig' },
        { kty: 'OKP', crv: 'X25519', x: ed.publicJwk.x, kid: 'x', alg: 'ECDH-ES', use: 'enc' },
        { kty: 'RSA', n: RFC7638_N, e: 'AQAB', kid: 'rs', alg: 'RS256', use: 'sig' },
        { kty: 'AKP', alg: 'ML-DSA-44', pub: 'AA', kid: 'pq' },
      ),
    );
    expect(keys.map((k) => k.kid)).toEqual([ec.kid]);
  });

  it('SHO-FETCH-7: allowedAlgs filters the result without rejecting the set', () => {
    const keys = validateJwks(set(ec.publicJwk, ed.publicJwk, rsa.publicJwk), { allowedAlgs: ['EdDSA'] });
    expect(keys.map((k) => k.kid)).toEqual([ed.kid]);
    expectInvalidArgument(() => validateJwks(set(), { allowedAlgs: ['HS256' as 'ES256'] }));
  });

  it('SHO-KEY-5: a key listed twice is refused: kid values are unique within the set', () => {
    expectShomeiError(() => validateJwks(set(ec.publicJwk, { ...ec.publicJwk })), 'JWKS_INVALID', 'duplicate_kid');
  });

  it('SHO-KEY-5: a kid that is not the RFC 7638 thumbprint of its key is refused, for every key type', () => {
    for (const key of [ec, ed, rsa]) {
      expectShomeiError(() => validateJwks(set({ ...key.publicJwk, kid: 'bank-signing-key-2026' })), 'JWKS_INVALID', 'kid_not_thumbprint');
      expectShomeiError(() => validateJwks(set({ ...key.publicJwk, kid: flipLastBit(key.kid) })), 'JWKS_INVALID', 'kid_not_thumbprint');
    }
  });

  it('SHO-FETCH-7: an empty set is valid and yields no key', () => {
    expect(validateJwks(set())).toEqual([]);
  });

  const offCurve = { ...ec.publicJwk, y: flipLastBit(ec.publicJwk.y!) };
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
  const rsa3 = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey.export({ format: 'jwk' });
  const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ format: 'jwk' });

  const rejected: Array<[string, unknown, string]> = [
    ['a non-object body', 'keys', 'not_a_jwk_set'],
    ['null', null, 'not_a_jwk_set'],
    ['a bare array', [ec.publicJwk], 'not_a_jwk_set'],
    ['keys not an array', { keys: ec.publicJwk }, 'not_a_jwk_set'],
    ['more than 100 keys', { keys: Array.from({ length: 101 }, () => ec.publicJwk) }, 'too_many_keys'],
    ['a key that is not an object', set(ec.publicJwk, 'key'), 'not_an_object'],
    ['an EC key with d', set({ ...ec.publicJwk, d: 'AA' }), 'private_member'],
    ['an RSA key with p', set({ ...rsa.publicJwk, p: 'AA' }), 'private_member'],
    ['an RSA key with qi', set({ ...rsa.publicJwk, qi: 'AA' }), 'private_member'],
    ['an RSA key with oth', set({ ...rsa.publicJwk, oth: [] }), 'private_member'],
    ['a symmetric key (k)', set(ec.publicJwk, { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }), 'private_member'],
    ['an unknown-kty key with d', set(ec.publicJwk, { kty: 'XYZ', d: 'AA', kid: 'z' }), 'private_member'],
    ['a private key among good ones', set(ec.publicJwk, ed.privateJwk), 'private_member'],
    ['a key without kid', set({ ...ec.publicJwk, kid: undefined }), 'kid_missing'],
    ['an empty kid', set({ ...ec.publicJwk, kid: '' }), 'kid_invalid'],
    ['a numeric kid', set({ ...ec.publicJwk, kid: 1 }), 'invalid_kid'],
    ['a key without alg', set({ ...ec.publicJwk, alg: undefined }), 'alg_missing'],
    ['a key without use', set({ ...ec.publicJwk, use: undefined }), 'use_missing'],
    ['use enc', set({ ...ec.publicJwk, use: 'enc' }), 'use_not_sig'],
    ['alg that does not fit the key', set({ ...ec.publicJwk, alg: 'PS256' }), 'alg_mismatch'],
    ['EC on P-384 claiming ES256', set({ ...ec.publicJwk, crv: 'P-384' }), 'unsupported_key'],
    ['secp256k1 claiming ES256', set({ ...secp256k1, kid: 'k1', alg: 'ES256', use: 'sig' }), 'unsupported_key'],
    ['OKP Ed448 claiming EdDSA', set({ ...ed.publicJwk, crv: 'Ed448' }), 'unsupported_key'],
    ['an off-curve EC point', set(offCurve), 'point_not_on_curve'],
    ['EC x of 31 bytes', set({ ...ec.publicJwk, x: encodeBase64url(new Uint8Array(31)) }), 'invalid_coordinates'],
    ['EC y padded base64', set({ ...ec.publicJwk, y: `${ec.publicJwk.y}=` }), 'invalid_coordinates'],
    ['EC point (0, 0)', set({ ...ec.publicJwk, x: encodeBase64url(new Uint8Array(32)), y: encodeBase64url(new Uint8Array(32)) }), 'point_not_on_curve'],
    ['EC x above the field prime', set({ ...ec.publicJwk, x: encodeBase64url(new Uint8Array(32).fill(0xff)) }), 'point_not_on_curve'],
    ['Ed25519 x of 33 bytes', set({ ...ed.publicJwk, x: encodeBase64url(new Uint8Array(33)) }), 'invalid_coordinates'],
    ['Ed25519 x of 31 bytes', set({ ...ed.publicJwk, x: encodeBase64url(new Uint8Array(31)) }), 'invalid_coordinates'],
    ['Ed25519 identity point', set({ ...ed.publicJwk, x: encodeBase64url(ED25519_IDENTITY) }), 'point_small_order'],
    ['Ed25519 point of order 2', set({ ...ed.publicJwk, x: encodeBase64url(ED25519_ORDER_2) }), 'point_small_order'],
    ['Ed25519 point of order 8', set({ ...ed.publicJwk, x: encodeBase64url(ED25519_ORDER_8) }), 'point_small_order'],
    ['Ed25519 key plus a point of order 8 (mixed order)', set({ ...ed.publicJwk, x: encodeBase64url(mixedOrder(ed.publicJwk.x!)) }), 'point_small_order'],
    ['RSA 1024-bit modulus', set({ ...rsa1024, kid: 'r', alg: 'PS256', use: 'sig' }), 'rsa_modulus_too_small'],
    ['RSA exponent 3', set({ ...rsa3, kid: 'r', alg: 'PS256', use: 'sig' }), 'rsa_exponent_unsupported'],
    ['RSA modulus with a leading zero octet', set({ ...rsa.publicJwk, n: encodeBase64url(Uint8Array.from([0, ...decodeBase64url(rsa.publicJwk.n!)])) }), 'rsa_modulus_invalid'],
    ['RSA even modulus', set({ ...rsa.publicJwk, n: encodeBase64url(Uint8Array.from([...decodeBase64url(rsa.publicJwk.n!).slice(0, -1), 2])) }), 'rsa_modulus_invalid'],
    ['another key\'s kid on different material', set(ec.publicJwk, { ...ec2.publicJwk, kid: ec.kid }), 'kid_not_thumbprint'],
    ['another key\'s kid across key types', set(ec.publicJwk, { ...ed.publicJwk, kid: ec.kid }), 'kid_not_thumbprint'],
  ];

  it.each(rejected)('SHO-FETCH-7: rejects the whole set for %s with JWKS_INVALID', (_name, body, reason) => {
    expectShomeiError(() => validateJwks(body), 'JWKS_INVALID', reason);
  });

  it('SHO-KEY-6: a set with a private member is rejected citing SHO-KEY-6', () => {
    let thrown: unknown;
    try {
      validateJwks(set({ ...ec.publicJwk, d: 'AA' }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'validateJwks accepted a private member').toBeDefined();
    expect((thrown as { requirement?: string }).requirement).toBe('SHO-KEY-6');
  });
});

describe('toPublicJwk', () => {
  it.each([['ES256'], ['EdDSA'], ['PS256']] as const)('SHO-KEY-6: strips every private member of a %s key', async (alg) => {
    const { privateJwk, publicJwk } = await generateKey(alg);
    const copy = toPublicJwk({ ...privateJwk, k: 'x', oth: [], key_ops: ['sign'] } as unknown as PublicJwk);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth', 'key_ops']) expect(copy).not.toHaveProperty(member);
    expect(copy).toEqual(publicJwk);
  });

  it('SHO-KEY-6: refuses a non-object or an unknown kty (TypeError)', () => {
    expectInvalidArgument(() => toPublicJwk(null as unknown as PublicJwk));
    expectInvalidArgument(() => toPublicJwk({ kty: 'oct' } as unknown as PublicJwk));
  });
});

describe('jwkMatchesAlg', () => {
  it('SHO-JWS-22: pairs EC P-256 with ES256, OKP Ed25519 with EdDSA, RSA with PS256, and honours alg', () => {
    expect(jwkMatchesAlg(ec.publicJwk, 'ES256')).toBe(true);
    expect(jwkMatchesAlg(ec.publicJwk, 'EdDSA')).toBe(false);
    expect(jwkMatchesAlg(ed.publicJwk, 'EdDSA')).toBe(true);
    expect(jwkMatchesAlg(rsa.publicJwk, 'PS256')).toBe(true);
    expect(jwkMatchesAlg({ ...rsa.publicJwk, alg: 'RS256' }, 'PS256')).toBe(false);
    expect(jwkMatchesAlg({ ...ed.publicJwk, alg: 'Ed25519' }, 'EdDSA')).toBe(false);
    expect(jwkMatchesAlg({ ...ec.publicJwk, crv: 'P-384' }, 'ES256')).toBe(false);
    expect(jwkMatchesAlg({ kty: 'RSA', n: RFC7638_N, e: 'AQAB' }, 'PS256')).toBe(true);
  });
});
