import { createLocalSigner, generateKey, KeyRing } from 'shomei/issuer';

/**
 * A party's signing keys for the sandbox: one fresh ES256 key, active in a key ring (so the JWKS handler
 * and the issuer share it, and rotation works as in production). A real party loads its key from a file
 * or signs in an HSM / KMS through a `Signer`.
 */
export async function createPartyKeys(): Promise<KeyRing> {
  const key = await generateKey('ES256');
  const signer = await createLocalSigner(key.privateJwk, { alg: 'ES256' });
  return new KeyRing({ keys: [{ signer, publicJwk: key.publicJwk, state: 'active' }] });
}
