// NODE-ONLY: imported from the 'shomei/node' entry point, never from the core.
import { constants, createPublicKey, hash as nodeHash, verify as nodeVerify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import type { Alg } from '../jws/algorithms.js';
import type { PublicJwk } from '../keys/types.js';
import { isPlausibleSignature, rsaModulusBytes, type CryptoBackend, type PublicKeyHandle } from './backend.js';
import { checkedKeyMaterial } from './webcrypto.js';

/** Options of {@link createNodeCryptoBackend}. */
export interface NodeCryptoBackendOptions {
  /**
   * Verify on the libuv thread pool (the callback form of `crypto.verify`) instead of on the event loop.
   * Slower per call, better under concurrency: the event loop stays free while signatures are checked.
   * Default false.
   */
  threadPool?: boolean;
}

interface NodeKey {
  readonly alg: Alg;
  readonly digest: string | null;
  readonly input: VerifyKeyObjectInput;
  readonly signatureBytes?: number;
}

const issued = new WeakSet<object>();

const EXPECTED_TYPE: Record<Alg, string> = { ES256: 'ec', EdDSA: 'ed25519', PS256: 'rsa' };

function keyInput(alg: Alg, key: KeyObject): VerifyKeyObjectInput {
  switch (alg) {
    case 'ES256':
      // JOSE signatures are r || s, not DER (RFC 7518 §3.4).
      return { key, dsaEncoding: 'ieee-p1363' };
    case 'PS256':
      // RFC 7518 §3.5: MGF1 with SHA-256 and a salt as long as the hash.
      return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    default:
      return { key };
  }
}

/**
 * node:crypto's one-shot, synchronous SHA-256: hashing a token takes 1–2 µs, a WebCrypto digest job
 * 20–30 µs of hand-off. The backend's `sha256`, and the file decision log's chain hash.
 */
export function nodeSha256(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw invalidArgument('sha256: data must be a Uint8Array');
  return nodeHash('sha256', data, 'buffer');
}

/**
 * A {@link CryptoBackend} on `node:crypto` — about 2.5× the throughput of WebCrypto for verification in
 * Node. Keys are checked exactly as by the WebCrypto backend (curve point, RSA size, private members)
 * before `createPublicKey`.
 *
 * @example const backend = createNodeCryptoBackend({ threadPool: true });
 * @see spec/02-tokens.md SHO-JWS-11, SHO-JWS-12, SHO-JWS-15, SHO-JWS-16
 */
export function createNodeCryptoBackend(options: NodeCryptoBackendOptions = {}): CryptoBackend {
  if (typeof options !== 'object' || options === null) throw invalidArgument('createNodeCryptoBackend: options must be an object');
  if (options.threadPool !== undefined && typeof options.threadPool !== 'boolean') {
    throw invalidArgument('createNodeCryptoBackend: threadPool must be a boolean');
  }
  const threadPool = options.threadPool === true;

  return Object.freeze({
    name: threadPool ? 'node:crypto (thread pool)' : 'node:crypto',

    sha256: nodeSha256,

    // node:crypto hashes a string as its UTF-8 and encodes base64url natively: about a microsecond less
    // per hash than encoding, hashing and base64url-encoding in JavaScript.
    sha256Base64url(data: string | Uint8Array): string {
      if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw invalidArgument('sha256Base64url: data must be a string or Uint8Array');
      return nodeHash('sha256', data, 'base64url');
    },

    // Native decoding of the payload (1–2 KB): several times faster than a JavaScript loop.
    decodeBase64url(text: string): Uint8Array {
      return Buffer.from(text, 'base64url');
    },

    async importPublicKey(jwk: PublicJwk, alg: Alg): Promise<PublicKeyHandle> {
      const material = checkedKeyMaterial(jwk, alg);
      let key: KeyObject;
      try {
        key = createPublicKey({ key: material as Record<string, string>, format: 'jwk' });
      } catch (cause) {
        throw new ShomeiError('KEY_INVALID', 'public key could not be imported', { reason: 'import_failed', cause });
      }
      if (key.asymmetricKeyType !== EXPECTED_TYPE[alg]) {
        throw new ShomeiError('KEY_INVALID', `public key cannot verify ${alg}`, { reason: 'alg_mismatch' });
      }
      const handle: NodeKey = Object.freeze({
        alg,
        digest: alg === 'EdDSA' ? null : 'sha256',
        input: keyInput(alg, key),
        ...(alg === 'PS256' ? { signatureBytes: rsaModulusBytes(material.n!) } : {}),
      });
      issued.add(handle);
      return handle;
    },

    async verify(alg: Alg, key: PublicKeyHandle, signingInput: Uint8Array, signature: Uint8Array): Promise<boolean> {
      if (typeof key !== 'object' || key === null || !issued.has(key)) {
        throw invalidArgument('verify: key was not imported by this node:crypto backend');
      }
      if (!(signingInput instanceof Uint8Array)) throw invalidArgument('verify: signingInput must be a Uint8Array');
      const handle = key as NodeKey;
      if (handle.alg !== alg || !isPlausibleSignature(alg, signature)) return false;
      if (handle.signatureBytes !== undefined && signature.length !== handle.signatureBytes) return false;
      if (!threadPool) {
        try {
          return nodeVerify(handle.digest, signingInput, handle.input, signature);
        } catch {
          return false;
        }
      }
      return new Promise<boolean>((resolve) => {
        try {
          nodeVerify(handle.digest, signingInput, handle.input, signature, (error, valid) => resolve(!error && valid));
        } catch {
          resolve(false);
        }
      });
    },
  });
}

/** The node:crypto backend with synchronous verification (see {@link createNodeCryptoBackend}). */
export const nodeCryptoBackend: CryptoBackend = createNodeCryptoBackend();
