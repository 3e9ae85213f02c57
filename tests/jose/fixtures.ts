import { generateKey, type KeyPairJwk } from '../../src/keys/generate.js';
import { createLocalSigner, type Signer } from '../../src/keys/signer.js';
import type { Alg } from '../../src/jws/algorithms.js';

const cache = new Map<Alg, Promise<KeyPairJwk & { signer: Signer }>>();

/** One key pair and local signer per algorithm, generated once per test file. */
export function keyFor(alg: Alg): Promise<KeyPairJwk & { signer: Signer }> {
  let entry = cache.get(alg);
  if (entry === undefined) {
    entry = (async () => {
      const pair = await generateKey(alg);
      return { ...pair, signer: await createLocalSigner(pair.privateJwk, { alg }) };
    })();
    cache.set(alg, entry);
  }
  return entry;
}
