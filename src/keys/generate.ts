import { invalidArgument } from '../errors/shomei-error.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import { toPublicJwk } from './jwks.js';
import { jwkThumbprint } from './thumbprint.js';
import type { PrivateJwk, PublicJwk } from './types.js';

/** A key pair as JWKs, with its `kid` (RFC 7638 thumbprint) and algorithm. */
export interface KeyPairJwk {
  /** Private JWK with `kid`, `alg` and `use: 'sig'`. Keep it secret. */
  privateJwk: PrivateJwk;
  /** Public JWK with `kid`, `alg` and `use: 'sig'`, ready for the JWKS. */
  publicJwk: PublicJwk;
  kid: string;
  alg: Alg;
}

/** Options of {@link generateKey}. */
export interface GenerateKeyOptions {
  /** PS256 only: RSA modulus length in bits, at least 2048. Default 2048. */
  modulusLength?: number;
}

const PRIVATE_MATERIAL = ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/**
 * Copies the key material of an exported private JWK and labels it (shared by generation and import),
 * dropping WebCrypto's `ext` and `key_ops` and any other member.
 */
export function labelKeyPair(jwk: Record<string, unknown>, kid: string, alg: Alg): { privateJwk: PrivateJwk; publicJwk: PublicJwk } {
  const privateJwk: Record<string, string> = {};
  for (const member of PRIVATE_MATERIAL) {
    const value = jwk[member];
    if (typeof value === 'string') privateJwk[member] = value;
  }
  Object.assign(privateJwk, { kid, alg, use: 'sig' });
  const publicJwk: PublicJwk = { ...toPublicJwk(privateJwk), kid, alg, use: 'sig' };
  return { privateJwk: privateJwk as unknown as PrivateJwk, publicJwk };
}

function generationParams(alg: Alg, modulusLength: number): RsaHashedKeyGenParams | EcKeyGenParams | Algorithm {
  switch (alg) {
    case 'ES256':
      return { name: 'ECDSA', namedCurve: 'P-256' } satisfies EcKeyGenParams;
    case 'EdDSA':
      return { name: 'Ed25519' };
    case 'PS256':
      return {
        name: 'RSA-PSS',
        hash: 'SHA-256',
        modulusLength,
        publicExponent: new Uint8Array([1, 0, 1]),
      } satisfies RsaHashedKeyGenParams;
  }
}

/**
 * Generates a signing key pair with WebCrypto: ES256 (P-256, the default), EdDSA (Ed25519) or PS256
 * (RSA, 2048 bits unless `modulusLength` asks for more). The `kid` is the RFC 7638 thumbprint.
 *
 * @throws TypeError for an unknown `alg` or a modulus under 2048 bits.
 * @example const { privateJwk, publicJwk, kid } = await generateKey('ES256');
 * @see spec/11-keys.md SHO-KEY-13
 */
export async function generateKey(alg: Alg = 'ES256', options: GenerateKeyOptions = {}): Promise<KeyPairJwk> {
  if (!isAlg(alg)) throw invalidArgument('generateKey: alg must be ES256, EdDSA or PS256');
  const modulusLength = options.modulusLength ?? 2048;
  if (!Number.isInteger(modulusLength) || modulusLength < 2048 || modulusLength > 16384 || modulusLength % 8 !== 0) {
    throw invalidArgument('generateKey: modulusLength must be a multiple of 8 from 2048 to 16384');
  }
  const pair = (await globalThis.crypto.subtle.generateKey(generationParams(alg, modulusLength), true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const exported = (await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)) as Record<string, unknown>;
  const kid = await jwkThumbprint(toPublicJwk(exported));
  return { ...labelKeyPair(exported, kid, alg), kid, alg };
}
