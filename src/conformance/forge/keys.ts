import { p256 } from '@noble/curves/nist.js';
import { encodeBase64url } from '../../encoding/base64url.js';
import { jwkThumbprint } from '../../keys/thumbprint.js';
import type { Signer } from '../../keys/signer.js';
import type { PublicJwk } from '../../keys/types.js';

/**
 * A P-256 key the suite holds as raw bytes, so that it can sign whatever a hostile module needs —
 * high-S, DER, over non-canonical segments — which WebCrypto and jose refuse to produce. Test keys
 * only (SHO-CONF-1): generated per run, never written anywhere.
 */
export interface ForgeKey {
  readonly kid: string;
  readonly secret: Uint8Array;
  /** The uncompressed public point, 65 bytes `04 || x || y`. */
  readonly point: Uint8Array;
  readonly publicJwk: PublicJwk & { kid: string; alg: 'ES256'; use: 'sig' };
  /** A {@link Signer} over this key (low-S `r || s`), for the package's own issuer. */
  readonly signer: Signer;
}

/**
 * Generates a P-256 test key with @noble/curves; `kid` is its RFC 7638 thumbprint (SHO-JWS-19).
 *
 * @example const bank = await createForgeKey(); bank.publicJwk.kid === bank.kid
 */
export async function createForgeKey(): Promise<ForgeKey> {
  const secret = p256.utils.randomSecretKey();
  const point = p256.getPublicKey(secret, false);
  const x = encodeBase64url(point.subarray(1, 33));
  const y = encodeBase64url(point.subarray(33, 65));
  const kid = await jwkThumbprint({ kty: 'EC', crv: 'P-256', x, y });
  return {
    kid,
    secret,
    point,
    publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' },
    signer: { alg: 'ES256', kid, sign: async (data) => p256.sign(data, secret, { lowS: true }) },
  };
}

/** DER prefix of a P-256 SubjectPublicKeyInfo (RFC 5480), followed by the 65-byte point. */
const SPKI_P256_PREFIX = Uint8Array.from([
  0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
]);

/**
 * The public key as PEM SPKI text — what a verifier that mistakes the public key for an HMAC secret
 * feeds to HS256 (RFC 8725 §2.1, the classic algorithm-confusion attack).
 */
export function spkiPem(key: ForgeKey): string {
  const der = new Uint8Array(SPKI_P256_PREFIX.length + key.point.length);
  der.set(SPKI_P256_PREFIX);
  der.set(key.point, SPKI_P256_PREFIX.length);
  let binary = '';
  for (const byte of der) binary += String.fromCharCode(byte);
  const base64 = btoa(binary).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN PUBLIC KEY-----\n${base64}\n-----END PUBLIC KEY-----\n`;
}

/**
 * A JWK whose point is not on P-256 (y changed by one): an invalid-curve key that a verifier must refuse
 * with the whole set (SHO-FETCH-7). Its `kid` is the thumbprint of the bad members, so it looks
 * like any other published key.
 */
export async function offCurveJwk(from: ForgeKey): Promise<PublicJwk & { kid: string }> {
  const y = new Uint8Array(from.point.subarray(33, 65));
  y[31] = (y[31]! ^ 0x01) & 0xff;
  const jwk = { kty: 'EC' as const, crv: 'P-256', x: from.publicJwk.x as string, y: encodeBase64url(y) };
  const kid = await jwkThumbprint(jwk);
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
}
