import { exportJWK, importPKCS8, importSPKI } from 'jose';
import { webCryptoBackend } from '../crypto/webcrypto.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import { labelKeyPair, type KeyPairJwk } from './generate.js';
import { algForJwk, publicJwkProblem, toPublicJwk } from './jwks.js';
import { createLocalSigner } from './signer.js';
import { jwkThumbprint } from './thumbprint.js';
import type { PublicJwk } from './types.js';

/** A public key as JWK with its `kid` and algorithm. */
export interface PublicKeyJwk {
  publicJwk: PublicJwk;
  kid: string;
  alg: Alg;
}

/** What {@link importPem} returns: a key pair for a private key, the public key alone for SPKI. */
export type ImportedKey = KeyPairJwk | (PublicKeyJwk & { privateJwk?: undefined });

function keyInvalid(reason: string, message: string, cause?: unknown): ShomeiError {
  return new ShomeiError('KEY_INVALID', message, { reason, cause, requirement: 'SHO-KEY-13' });
}

/** Checks key type and algorithm of a JWK (private members allowed) and returns the algorithm. */
function checkedAlg(jwk: Record<string, unknown>, alg: Alg | undefined): Alg {
  if (alg !== undefined && !isAlg(alg)) throw invalidArgument('alg must be ES256, EdDSA or PS256');
  if (jwk.kty === 'oct' || 'k' in jwk) throw keyInvalid('symmetric_key', 'symmetric keys are not accepted');
  const problem = publicJwkProblem(
    jwk.kty === 'EC' || jwk.kty === 'OKP' || jwk.kty === 'RSA' ? toPublicJwk(jwk) : { kty: jwk.kty },
  );
  if (problem !== undefined) throw keyInvalid(problem, `key is not acceptable (${problem})`);
  // publicJwkProblem's `alg_mismatch` already covers the JWK's own `alg` member.
  const implied = algForJwk(jwk)!;
  if (alg !== undefined && alg !== implied) throw keyInvalid('alg_mismatch', `key cannot be used with ${alg}`);
  return implied;
}

function asRecord(jwk: unknown, name: string): Record<string, unknown> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw invalidArgument(`${name}: jwk must be an object`);
  return jwk as Record<string, unknown>;
}

/** WebCrypto exports Ed25519 JWKs with `alg: "Ed25519"` (RFC 9864); shomei's name for it is `EdDSA`. */
function normalized(jwk: Record<string, unknown>): Record<string, unknown> {
  return jwk.kty === 'OKP' && jwk.alg === 'Ed25519' ? { ...jwk, alg: 'EdDSA' } : jwk;
}

/** The RFC 7638 thumbprint, which a `kid` already in the JWK must equal (SHO-JWS-19, SHO-KEY-5). */
async function thumbprintKid(jwk: Record<string, unknown>): Promise<string> {
  const kid = await jwkThumbprint(toPublicJwk(jwk));
  if (jwk.kid !== undefined && jwk.kid !== kid) {
    throw keyInvalid('kid_not_thumbprint', 'the JWK kid is not its RFC 7638 thumbprint');
  }
  return kid;
}

/**
 * Imports a private JWK for signing: EC P-256 (ES256), OKP Ed25519 (EdDSA) or RSA ≥ 2048 bits with
 * e = 65537 (PS256). `alg` is inferred from the key when absent. The private half is checked against
 * the public half by signing and verifying a test message, so a mismatched key file fails here and not
 * at the partner. `kid` is the RFC 7638 thumbprint; a JWK whose own `kid` differs is refused (SHO-JWS-19).
 *
 * @throws ShomeiError `KEY_INVALID` (symmetric, secp256k1, P-384, RSA < 2048, not private, mismatched
 *   halves, …); TypeError for a non-object.
 * @example const { privateJwk, publicJwk, kid } = await importPrivateJwk(JSON.parse(text));
 * @see spec/11-keys.md SHO-KEY-13, spec/02-tokens.md SHO-JWS-19
 */
export async function importPrivateJwk(jwk: unknown, alg?: Alg): Promise<KeyPairJwk> {
  const record = normalized(asRecord(jwk, 'importPrivateJwk'));
  const resolved = checkedAlg(record, alg);
  if (typeof record.d !== 'string') throw keyInvalid('not_private', 'the JWK is not a private key');
  const kid = await thumbprintKid(record);
  const labelled = labelKeyPair(record, kid, resolved);
  const signer = await createLocalSigner(labelled.privateJwk, { alg: resolved, kid });
  const probe = encodeUtf8('shomei key pair check');
  const handle = await webCryptoBackend.importPublicKey(labelled.publicJwk, resolved);
  let signature: Uint8Array;
  try {
    signature = await signer.sign(probe);
  } catch (cause) {
    throw keyInvalid('import_failed', 'private key cannot sign', cause);
  }
  if (!(await webCryptoBackend.verify(resolved, handle, probe, signature))) {
    throw keyInvalid('key_pair_mismatch', 'the private key does not match its public members');
  }
  return { ...labelled, kid, alg: resolved };
}

/**
 * Imports a public JWK (for a key file or pinned key): same key rules as {@link importPrivateJwk};
 * private members are refused rather than silently dropped.
 *
 * @throws ShomeiError `KEY_INVALID`.
 * @example const { publicJwk, kid } = await importPublicJwk(partnerJwk, 'ES256');
 * @see spec/11-keys.md SHO-KEY-13, spec/02-tokens.md SHO-JWS-19
 */
export async function importPublicJwk(jwk: unknown, alg?: Alg): Promise<PublicKeyJwk> {
  const record = normalized(asRecord(jwk, 'importPublicJwk'));
  const resolved = checkedAlg(record, alg);
  const problem = publicJwkProblem(record);
  if (problem !== undefined) throw keyInvalid(problem, `public key is not acceptable (${problem})`);
  const bare = toPublicJwk(record);
  const kid = await thumbprintKid(record);
  // Import once to let the platform check what the JWK rules do not (e.g. an RSA modulus it rejects).
  await webCryptoBackend.importPublicKey(bare, resolved);
  return { publicJwk: { ...bare, kid, alg: resolved, use: 'sig' }, kid, alg: resolved };
}

const PEM_LABEL = /-----BEGIN ([A-Z0-9 ]+)-----/;

/**
 * Imports a PEM key: PKCS#8 `PRIVATE KEY` → key pair, SPKI `PUBLIC KEY` → public key (through jose's
 * importPKCS8 / importSPKI / exportJWK), then the rules of {@link importPrivateJwk}. Legacy
 * `EC PRIVATE KEY` / `RSA PRIVATE KEY` and encrypted keys are refused: convert them with
 * `openssl pkcs8 -topk8 -nocrypt`.
 *
 * @throws ShomeiError `KEY_INVALID`; TypeError for a non-string or unknown `alg`.
 * @example const { privateJwk, kid } = await importPem(readFileSync('bank.pem', 'utf8'), 'ES256');
 * @see spec/11-keys.md SHO-KEY-13, spec/02-tokens.md SHO-JWS-19
 */
export async function importPem(pem: string, alg: Alg): Promise<ImportedKey> {
  if (typeof pem !== 'string') throw invalidArgument('importPem: pem must be a string');
  if (!isAlg(alg)) throw invalidArgument('importPem: alg must be ES256, EdDSA or PS256');
  const label = PEM_LABEL.exec(pem)?.[1];
  if (label !== 'PRIVATE KEY' && label !== 'PUBLIC KEY') {
    throw keyInvalid('unsupported_pem', 'PEM must be a PKCS#8 PRIVATE KEY or an SPKI PUBLIC KEY');
  }
  let jwk: Record<string, unknown>;
  try {
    const key =
      label === 'PRIVATE KEY'
        ? await importPKCS8(pem, alg, { extractable: true })
        : await importSPKI(pem, alg, { extractable: true });
    jwk = (await exportJWK(key)) as Record<string, unknown>;
  } catch (cause) {
    throw keyInvalid('import_failed', `PEM key could not be imported for ${alg}`, cause);
  }
  return label === 'PRIVATE KEY' ? importPrivateJwk(jwk, alg) : importPublicJwk(jwk, alg);
}
