import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import { jwkMatchesAlg, publicJwkProblem, toPublicJwk } from './jwks.js';
import { jwkThumbprint } from './thumbprint.js';
import type { PrivateJwk } from './types.js';

/**
 * Whatever produces signatures for the issuer: a local key ({@link createLocalSigner}), an HSM or a
 * cloud KMS. `sign` receives the JWS signing input (RFC 7515 §5.1 step 5) and returns the signature —
 * for ES256 either JOSE `r || s` (64 bytes) or, with `signatureFormat: 'der'`, the DER form most KMS
 * APIs return; shomei converts it.
 *
 * @example const signer: Signer = { alg: 'ES256', kid, signatureFormat: 'der',
 *   sign: async (data) => kms.sign({ keyId, message: data, algorithm: 'ECDSA_SHA_256' }) };
 * @see spec/11-keys.md SHO-KEY-11
 */
export interface Signer {
  readonly alg: Alg;
  readonly kid: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** `jose` (default): r || s for ES256. `der`: ASN.1 DER ECDSA signature (ES256 only). */
  readonly signatureFormat?: 'jose' | 'der';
}

/**
 * Checks a {@link Signer} when it is handed over, not on first use (STYLE rule 7): `alg` is one of
 * ES256/EdDSA/PS256, `kid` a non-empty string, `sign` a function, and `signatureFormat: 'der'` only
 * with ES256.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`).
 * @see spec/11-keys.md SHO-KEY-11
 */
export function assertSigner(value: unknown): asserts value is Signer {
  if (typeof value !== 'object' || value === null) throw invalidArgument('signer must be an object');
  const signer = value as Record<string, unknown>;
  if (!isAlg(signer.alg)) throw invalidArgument('signer.alg must be ES256, EdDSA or PS256');
  if (typeof signer.kid !== 'string' || signer.kid.length === 0) throw invalidArgument('signer.kid must be a non-empty string');
  if (typeof signer.sign !== 'function') throw invalidArgument('signer.sign must be a function');
  const format = signer.signatureFormat;
  if (format !== undefined && format !== 'jose' && format !== 'der') {
    throw invalidArgument("signer.signatureFormat must be 'jose' or 'der'");
  }
  if (format === 'der' && signer.alg !== 'ES256') throw invalidArgument("signer.signatureFormat 'der' applies to ES256 only");
}

// Signers of this package that have read every byte of `data` when their `sign` call returns (before
// its promise settles): signCompact may hand them a view of a reused buffer instead of allocating a
// fresh one per token. A WeakSet, not a flag on the object: no caller-made Signer can claim it.
const readsInputDuringCall = new WeakSet<Signer>();

/** Marks a signer made here whose `sign` consumes its input synchronously (node:crypto one-shot sign). */
export function markReadsInputDuringCall(signer: Signer): Signer {
  readsInputDuringCall.add(signer);
  return signer;
}

/** Whether `signer` was marked by {@link markReadsInputDuringCall}. */
export function readsInputDuringSignCall(signer: Signer): boolean {
  return readsInputDuringCall.has(signer);
}

// The exact signature length of the PS256 signers made here: their modulus length (SHO-KEY-12). Kept
// beside them, like the mark above, so that no caller-made Signer can claim a length.
const signatureBytes = new WeakMap<Signer, number>();

/** Records that `signer` (a PS256 signer made here) produces signatures of `bytes` octets. */
export function markSignatureLength(signer: Signer, bytes: number): Signer {
  signatureBytes.set(signer, bytes);
  return signer;
}

/** The signature length a signer made here produces, when it is known (PS256: the modulus length). */
export function knownSignatureLength(signer: Signer): number | undefined {
  return signatureBytes.get(signer);
}

/** Options of {@link createLocalSigner}. */
export interface LocalSignerOptions {
  alg: Alg;
  /**
   * Default: the RFC 7638 thumbprint of the public key (SHO-JWS-19); a private JWK whose own `kid`
   * differs is refused. Required for a non-extractable `CryptoKey`, whose public half cannot be read.
   */
  kid?: string;
}

const IMPORT_PARAMS: Record<Alg, EcKeyImportParams | RsaHashedImportParams | Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' } satisfies EcKeyImportParams,
  EdDSA: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' } satisfies RsaHashedImportParams,
};

const SIGN_PARAMS: Record<Alg, EcdsaParams | RsaPssParams | Algorithm> = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' } satisfies EcdsaParams,
  EdDSA: { name: 'Ed25519' },
  PS256: { name: 'RSA-PSS', saltLength: 32 } satisfies RsaPssParams,
};

const PRIVATE_MATERIAL = ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

function keyInvalid(reason: string, message: string, cause?: unknown): ShomeiError {
  return new ShomeiError('KEY_INVALID', message, { reason, cause, requirement: 'SHO-KEY-13' });
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

function cryptoKeyFits(key: CryptoKey, alg: Alg): boolean {
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm & RsaHashedKeyAlgorithm>;
  switch (alg) {
    case 'ES256':
      return algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256';
    case 'EdDSA':
      return algorithm.name === 'Ed25519';
    case 'PS256':
      return algorithm.name === 'RSA-PSS' && algorithm.hash?.name === 'SHA-256' && (algorithm.modulusLength ?? 0) >= 2048;
  }
}

async function importPrivate(jwk: PrivateJwk, alg: Alg): Promise<{ key: CryptoKey; defaultKid: () => Promise<string> }> {
  if (typeof jwk.d !== 'string') throw invalidArgument('createLocalSigner: the JWK has no private member d');
  const publicJwk = toPublicJwk(jwk);
  // WebCrypto exports Ed25519 JWKs with `alg: "Ed25519"` (RFC 9864), shomei's `EdDSA`.
  if (publicJwk.kty === 'OKP' && publicJwk.alg === 'Ed25519') publicJwk.alg = 'EdDSA';
  const problem = publicJwkProblem(publicJwk);
  if (problem !== undefined) throw keyInvalid(problem, `private key is not acceptable (${problem})`);
  if (!jwkMatchesAlg(publicJwk, alg)) throw keyInvalid('alg_mismatch', `private key cannot sign ${alg}`);
  const material: Record<string, string> = {};
  for (const member of PRIVATE_MATERIAL) {
    const value = (jwk as unknown as Record<string, unknown>)[member];
    if (typeof value === 'string') material[member] = value;
  }
  let key: CryptoKey;
  try {
    key = await globalThis.crypto.subtle.importKey('jwk', material, IMPORT_PARAMS[alg], false, ['sign']);
  } catch (cause) {
    throw keyInvalid('import_failed', 'private key could not be imported', cause);
  }
  return {
    key,
    defaultKid: async () => {
      const kid = await jwkThumbprint(publicJwk);
      if (publicJwk.kid !== undefined && publicJwk.kid !== kid) {
        throw keyInvalid('kid_not_thumbprint', 'the JWK kid is not its RFC 7638 thumbprint');
      }
      return kid;
    },
  };
}

async function kidOfCryptoKey(key: CryptoKey): Promise<string> {
  if (!key.extractable) throw invalidArgument('createLocalSigner: options.kid is required for a non-extractable key');
  const exported = await globalThis.crypto.subtle.exportKey('jwk', key);
  return jwkThumbprint(toPublicJwk(exported as Record<string, unknown>));
}

/**
 * A {@link Signer} over a local private key (a private JWK or a WebCrypto `CryptoKey`), signing with
 * WebCrypto. The key is checked now: it must fit `alg` (EC P-256, Ed25519, RSA ≥ 2048 bits).
 *
 * @throws TypeError for a wrong argument; ShomeiError `KEY_INVALID` for an unusable key.
 * @example const signer = await createLocalSigner(privateJwk, { alg: 'ES256' });
 * @see spec/11-keys.md SHO-KEY-11
 */
export async function createLocalSigner(privateKey: PrivateJwk | CryptoKey, options: LocalSignerOptions): Promise<Signer> {
  if (typeof options !== 'object' || options === null || !isAlg(options.alg)) {
    throw invalidArgument('createLocalSigner: options.alg must be ES256, EdDSA or PS256');
  }
  const { alg } = options;
  if (options.kid !== undefined && (typeof options.kid !== 'string' || options.kid.length === 0)) {
    throw invalidArgument('createLocalSigner: options.kid must be a non-empty string');
  }
  let key: CryptoKey;
  let kid: string;
  if (isCryptoKey(privateKey)) {
    if (privateKey.type !== 'private' || !privateKey.usages.includes('sign')) {
      throw invalidArgument("createLocalSigner: the CryptoKey must be a private key with usage 'sign'");
    }
    if (!cryptoKeyFits(privateKey, alg)) throw keyInvalid('alg_mismatch', `private key cannot sign ${alg}`);
    key = privateKey;
    kid = options.kid ?? (await kidOfCryptoKey(privateKey));
  } else if (typeof privateKey === 'object' && privateKey !== null) {
    const imported = await importPrivate(privateKey, alg);
    key = imported.key;
    kid = options.kid ?? (await imported.defaultKid());
  } else {
    throw invalidArgument('createLocalSigner: privateKey must be a private JWK or a CryptoKey');
  }
  const params = SIGN_PARAMS[alg];
  const signer: Signer = Object.freeze({
    alg,
    kid,
    signatureFormat: 'jose' as const,
    async sign(data: Uint8Array): Promise<Uint8Array> {
      if (!(data instanceof Uint8Array)) throw invalidArgument('sign: data must be a Uint8Array');
      return new Uint8Array(await globalThis.crypto.subtle.sign(params, key, data as BufferSource));
    },
  });
  if (alg !== 'PS256') return signer;
  // The rules a verifier applies to the public key (SHO-KEY-13), for a CryptoKey as for a JWK.
  const { modulusLength, publicExponent } = key.algorithm as RsaHashedKeyAlgorithm;
  if (modulusLength < 2048 || modulusLength > 16384) throw keyInvalid('rsa_modulus_invalid', `an RSA key of ${modulusLength} bits (2048 to 16384 allowed)`);
  if (!isExponent65537(publicExponent)) throw keyInvalid('rsa_exponent_unsupported', 'an RSA exponent other than 65537');
  return markSignatureLength(signer, Math.ceil(modulusLength / 8));
}

/** WebCrypto's big-endian `publicExponent` is 65537, with or without leading zeros. */
function isExponent65537(exponent: Uint8Array): boolean {
  let start = 0;
  while (start < exponent.length && exponent[start] === 0) start++;
  return exponent.length - start === 3 && exponent[start] === 1 && exponent[start + 1] === 0 && exponent[start + 2] === 1;
}
