import { createIssuer, createLocalSigner, generateKey, KeyRing, type Issuer } from 'shomei/issuer';

/**
 * A party's signing keys for the sandbox — one fresh ES256 key, active in a key ring (so the JWKS handler
 * and the issuer share it, and rotation works as in production) — and the issuer that signs with them as
 * `party`. A real party loads its key from a file or signs in an HSM / KMS through a `Signer`.
 */
export async function createPartyIssuer(party: string, clock: () => number): Promise<{ keyRing: KeyRing; issuer: Issuer }> {
  const key = await generateKey('ES256');
  const signer = await createLocalSigner(key.privateJwk, { alg: 'ES256' });
  const keyRing = new KeyRing({ keys: [{ signer, publicJwk: key.publicJwk, state: 'active' }] });
  return { keyRing, issuer: createIssuer({ issuer: party, signer: keyRing, clock }) };
}
