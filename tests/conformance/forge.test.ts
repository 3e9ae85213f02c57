import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { decodeBase64url } from 'shomei';
import { decodePayload, parseCompact, webCryptoBackend } from 'shomei/verifier';
import { compact, forge, nonCanonical, padded, scalarSignature, segment, signEs256, toHighS } from '../../src/conformance/forge/jws.js';
import { createForgeKey, offCurveJwk, spkiPem } from '../../src/conformance/forge/keys.js';
import { publicJwkProblem } from '../../src/keys/jwks.js';
import { isHighS, joseToDer, P256_ORDER } from '../../src/jws/ecdsa.js';

/** The hostile-token toolkit builds what jose refuses to produce; these tests pin that it does. */
describe('forging hostile tokens', () => {
  it('SHO-JWS-13: a high-S signature is a valid signature of the same input', async () => {
    const key = await createForgeKey();
    const input = `${segment({ alg: 'ES256' })}.${segment({ a: 1 })}`;
    const low = signEs256(input, key);
    const high = toHighS(low);
    expect(isHighS(low)).toBe(false);
    expect(isHighS(high)).toBe(true);
    const handle = await webCryptoBackend.importPublicKey(key.publicJwk, 'ES256');
    expect(await webCryptoBackend.verify('ES256', handle, new TextEncoder().encode(input), high)).toBe(true);
  });

  it('SHO-JWS-11: the DER form of a signature is 70–72 octets and still verifies as DER', async () => {
    const key = await createForgeKey();
    const input = 'a.b';
    const der = joseToDer(signEs256(input, key));
    expect(der.length).toBeGreaterThanOrEqual(68);
    expect(der[0]).toBe(0x30);
    expect(p256.verify(der, new TextEncoder().encode(input), key.point, { format: 'der', lowS: false })).toBe(true);
  });

  it('SHO-JWS-12: r = s = 0 and r = s = n signatures are 64 octets with out-of-range scalars', () => {
    expect(scalarSignature(0n)).toEqual(new Uint8Array(64));
    const n = scalarSignature(P256_ORDER);
    expect(n.length).toBe(64);
    expect(Buffer.from(n.subarray(0, 32)).toString('hex')).toBe(P256_ORDER.toString(16));
  });

  it('SHO-JWS-3: a non-canonical spelling decodes to the same bytes leniently but is refused strictly', () => {
    const text = segment('{"x":1}');
    expect(text.length % 4).not.toBe(0);
    const other = nonCanonical(text) as string;
    expect(other).not.toBe(text);
    expect(Buffer.from(other, 'base64url')).toEqual(Buffer.from(text, 'base64url'));
    expect(() => decodeBase64url(other)).toThrow();
    expect(() => decodeBase64url(padded(text))).toThrow();
  });

  it('SHO-FETCH-7: the off-curve JWK is refused by the package rules; its kid is a thumbprint', async () => {
    const bad = await offCurveJwk(await createForgeKey());
    expect(publicJwkProblem(bad)).toBe('point_not_on_curve');
    expect(bad.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('SHO-JWS-6: the HS256 key of the confusion attack is the PEM text of the public key', async () => {
    const key = await createForgeKey();
    expect(spkiPem(key)).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
  });

  it('SHO-JWS-19: forge() produces a token the package parses and verifies', async () => {
    const key = await createForgeKey();
    const token = forge({ header: { alg: 'ES256', kid: key.kid, typ: 'shomei-link+jwt' }, payload: { iss: 'https://bank.example' }, key });
    const parsed = parseCompact(token);
    expect(decodePayload(parsed)).toEqual({ iss: 'https://bank.example' });
    const handle = await webCryptoBackend.importPublicKey(key.publicJwk, 'ES256');
    expect(await webCryptoBackend.verify('ES256', handle, parsed.signingInput, parsed.signature)).toBe(true);
    expect(compact('a', 'b', '')).toBe('a.b.');
  });
});
