// NODE-ONLY (benchmark): a `Signer` on node:crypto, plugged in through the public Signer interface the
// way an HSM or KMS signer is. shomei/node has no such signer yet (see bench/README.md: proposed as
// `createNodeSigner` in src/crypto/node.ts); until then the benchmark carries its own.
import { constants, sign as nodeSign, type KeyObject, type SignKeyObjectInput } from 'node:crypto';
import type { Alg } from '../src/jws/algorithms.js';
import type { Signer } from '../src/issuer.js';

export interface NodeSignerOptions {
  alg: Alg;
  kid: string;
  /** Sign on the libuv thread pool (callback form) instead of on the event loop. */
  threadPool?: boolean;
}

export function createNodeSigner(privateKey: KeyObject, options: NodeSignerOptions): Signer {
  const { alg, kid } = options;
  const digest = alg === 'EdDSA' ? null : 'sha256';
  const input: SignKeyObjectInput =
    alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : alg === 'PS256' ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key: privateKey };
  const sign = options.threadPool === true
    ? (data: Uint8Array): Promise<Uint8Array> =>
        new Promise((resolve, reject) => {
          nodeSign(digest, data, input, (error, signature) => (error ? reject(error) : resolve(signature)));
        })
    : async (data: Uint8Array): Promise<Uint8Array> => nodeSign(digest, data, input);
  return Object.freeze({ alg, kid, signatureFormat: 'jose' as const, sign });
}
