import type { CryptoBackend } from '../../src/crypto/backend.js';
import { webCryptoBackend } from '../../src/crypto/webcrypto.js';
import type { Alg } from '../../src/jws/algorithms.js';
import { jwkThumbprint } from '../../src/keys/thumbprint.js';
import type { PrivateJwk, PublicJwk } from '../../src/keys/types.js';

const PARAMS: Record<Alg, RsaHashedKeyGenParams | EcKeyGenParams | Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  EdDSA: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

export interface TestKey {
  readonly kid: string;
  readonly alg: Alg;
  readonly publicJwk: PublicJwk;
  readonly privateJwk: PrivateJwk;
}

/** A fresh key pair for `alg`, its public JWK carrying kid (RFC 7638 thumbprint), alg and use. */
export async function generateTestKey(alg: Alg): Promise<TestKey> {
  const pair = (await globalThis.crypto.subtle.generateKey(PARAMS[alg], true, ['sign', 'verify'])) as CryptoKeyPair;
  const exported = (await globalThis.crypto.subtle.exportKey('jwk', pair.publicKey)) as Record<string, unknown>;
  const privateExported = (await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)) as Record<string, unknown>;
  const members = alg === 'PS256' ? ['kty', 'n', 'e'] : alg === 'ES256' ? ['kty', 'crv', 'x', 'y'] : ['kty', 'crv', 'x'];
  const bare = Object.fromEntries(members.map((m) => [m, exported[m]])) as unknown as PublicJwk;
  const kid = await jwkThumbprint(bare);
  const publicJwk: PublicJwk = { ...bare, kid, alg, use: 'sig' };
  const privateJwk = { ...privateExported, kid, alg, use: 'sig' } as unknown as PrivateJwk;
  delete (privateJwk as unknown as Record<string, unknown>)['key_ops'];
  delete (privateJwk as unknown as Record<string, unknown>)['ext'];
  return { kid, alg, publicJwk, privateJwk };
}

/** The real WebCrypto backend, counting imports so tests can prove the hot path never re-imports. */
export function countingBackend(): CryptoBackend & { readonly imports: () => number } {
  let imports = 0;
  return {
    name: 'counting-webcrypto',
    async importPublicKey(jwk, alg) {
      imports += 1;
      return webCryptoBackend.importPublicKey(jwk, alg);
    },
    verify: (alg, key, input, signature) => webCryptoBackend.verify(alg, key, input, signature),
    imports: () => imports,
  };
}

/** A controllable clock in ms, starting at a fixed instant. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance: (seconds: number) => void } {
  let current = start;
  return {
    now: () => current,
    advance: (seconds) => {
      current += seconds * 1000;
    },
  };
}
