// NODE-ONLY: imported from the 'shomei/node' entry point, never from the core.
import { constants, sign as nodeSign, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import { MAX_RSA_BITS, MIN_RSA_BITS } from './jwks.js';
import { markReadsInputDuringCall, markSignatureLength, type Signer } from './signer.js';

/** Options of {@link createNodeSigner}. */
export interface NodeSignerOptions {
  alg: Alg;
  /** The RFC 7638 thumbprint of the public key (`jwkThumbprint`), as published in the JWKS. */
  kid: string;
  /** Sign on the libuv thread pool (callback form) instead of on the event loop. Default false. */
  threadPool?: boolean;
}

const EXPECTED_TYPE: Record<Alg, string> = { ES256: 'ec', EdDSA: 'ed25519', PS256: 'rsa' };

/**
 * A {@link Signer} over a node:crypto private `KeyObject` (from `loadKeyFile` or `createPrivateKey`):
 * about 5× the signing throughput of the WebCrypto-based `createLocalSigner` on Node, because the
 * signature is made synchronously instead of as a WebCrypto job. ES256 signatures are produced as
 * r || s; signCompact still normalises them to low-S.
 *
 * @throws TypeError when the key is not a private key fitting `alg`.
 * @example const signer = createNodeSigner(createPrivateKey(pem), { alg: 'ES256', kid });
 * @see spec/11-keys.md SHO-KEY-11
 */
export function createNodeSigner(privateKey: KeyObject, options: NodeSignerOptions): Signer {
  if (typeof options !== 'object' || options === null || !isAlg(options.alg)) throw invalidArgument('createNodeSigner: options.alg must be ES256, EdDSA or PS256');
  if (typeof options.kid !== 'string' || options.kid.length === 0) throw invalidArgument('createNodeSigner: options.kid must be a non-empty string');
  if (typeof privateKey !== 'object' || privateKey === null || privateKey.type !== 'private') throw invalidArgument('createNodeSigner: privateKey must be a private KeyObject');
  const { alg, kid } = options;
  if (privateKey.asymmetricKeyType !== EXPECTED_TYPE[alg] || (alg === 'ES256' && privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')) {
    throw invalidArgument(`createNodeSigner: the key cannot sign ${alg}`);
  }
  const modulusBits = privateKey.asymmetricKeyDetails?.modulusLength;
  if (alg === 'PS256') {
    // The rules a verifier applies to the public key (SHO-KEY-13), refused here rather than at the first token.
    if (modulusBits === undefined || modulusBits < MIN_RSA_BITS || modulusBits > MAX_RSA_BITS) {
      throw new ShomeiError('KEY_INVALID', `createNodeSigner: an RSA key of ${modulusBits ?? 'unknown'} bits (2048 to 16384 allowed)`, { reason: 'rsa_modulus_invalid', requirement: 'SHO-KEY-13' });
    }
    if (privateKey.asymmetricKeyDetails?.publicExponent !== 65537n) {
      throw new ShomeiError('KEY_INVALID', 'createNodeSigner: an RSA exponent other than 65537', { reason: 'rsa_exponent_unsupported', requirement: 'SHO-KEY-13' });
    }
  }
  const digest = alg === 'EdDSA' ? null : 'sha256';
  const input: SignKeyObjectInput =
    alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : alg === 'PS256' ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key: privateKey };
  const sign = options.threadPool === true
    ? (data: Uint8Array): Promise<Uint8Array> =>
        new Promise((resolve, reject) => {
          nodeSign(digest, data, input, (error, signature) => (error ? reject(error) : resolve(signature)));
        })
    : async (data: Uint8Array): Promise<Uint8Array> => nodeSign(digest, data, input);
  const signer = Object.freeze({ alg, kid, signatureFormat: 'jose' as const, sign });
  if (alg === 'PS256') markSignatureLength(signer, Math.ceil(modulusBits! / 8));
  // The one-shot sign reads `data` before `sign` returns; the thread-pool form is not vouched for.
  return options.threadPool === true ? signer : markReadsInputDuringCall(signer);
}
