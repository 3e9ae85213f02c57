import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  collectPs256Pins,
  definedRequirementIds,
  ed25519Sign,
  generateVectors,
  loadVectorKeys,
  rfc6979Es256,
  type Generated,
} from '../../spec/scripts/generate-vectors.js';
import { P256_ORDER } from '../../src/jws/ecdsa.js';
import { SPEC_DIR, VECTORS, VECTORS_DIR } from './fixtures.js';

/**
 * The committed vectors are exactly what the generator produces from the committed keys: every ES256
 * (RFC 6979) and EdDSA token byte for byte, and every PS256 token over the same signing input with its
 * committed signature (RSASSA-PSS is randomised, so only a changed signing input could change it).
 */

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function fromHex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

async function regenerate(): Promise<Generated> {
  const { keys } = await loadVectorKeys(`${VECTORS_DIR}keys`, { create: false });
  const pins = await collectPs256Pins(`${VECTORS_DIR}cases`, keys);
  return generateVectors({ keys, pins, ps256: 'pinned-only', requirementIds: definedRequirementIds(SPEC_DIR.replace(/\/$/, '')) });
}

describe('spec/vectors is reproducible', () => {
  it('SHO-JWS-14: the ES256 signer is RFC 6979 (RFC 6979 A.2.5, P-256 / SHA-256, message "sample")', () => {
    const key = fromHex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
    const message = new TextEncoder().encode('sample');
    const raw = rfc6979Es256(key, message, { lowS: false });
    expect(hex(raw)).toBe(
      'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' + 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
    );
    // The vectors use the low-S form of the same signature: s replaced by n − s.
    const low = rfc6979Es256(key, message);
    expect(hex(low.subarray(0, 32))).toBe(hex(raw.subarray(0, 32)));
    expect(BigInt(`0x${hex(low.subarray(32))}`)).toBe(P256_ORDER - BigInt(`0x${hex(raw.subarray(32))}`));
  });

  it('SHO-JWS-16: the EdDSA signer is RFC 8032 Ed25519 (RFC 8032 §7.1 TEST 1)', () => {
    const key = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    expect(hex(ed25519Sign(key, new Uint8Array(0)))).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('SHO-JWS-19: every committed key file names its RFC 7638 thumbprint as kid; seeded keys match their seeds', async () => {
    const { keys, created } = await loadVectorKeys(`${VECTORS_DIR}keys`, { create: false });
    expect(created).toEqual([]);
    for (const key of Object.values(keys)) expect(key.kid).toHaveLength(43);
  });

  it('SHO-JWS-11: regenerating in memory reproduces every committed file byte for byte', async () => {
    const generated = await regenerate();
    expect(generated.freshPs256).toEqual([]);
    for (const [path, text] of generated.files) {
      expect(existsSync(`${VECTORS_DIR}${path}`), path).toBe(true);
      expect(readFileSync(`${VECTORS_DIR}${path}`, 'utf8'), path).toBe(text);
    }
    const committedCases = readdirSync(`${VECTORS_DIR}cases`).map((name) => `cases/${name}`).sort();
    expect([...generated.files.keys()].filter((path) => path.startsWith('cases/')).sort()).toEqual(committedCases);
  });

  it('SHO-JWS-11: every ES256 and EdDSA token is reproduced, PS256 ones only over the same signing input', async () => {
    const generated = new Map((await regenerate()).vectors.map((vector) => [vector.id, vector]));
    for (const vector of VECTORS) {
      const again = generated.get(vector.id)!;
      if (vector.reproducible) {
        expect(again.token, vector.id).toBe(vector.token);
        expect(again.sequence?.map((p) => p.token), vector.id).toEqual(vector.sequence?.map((p) => p.token));
      } else {
        expect(vector.alg, vector.id).toBe('PS256');
        expect(again.token.split('.').slice(0, 2), vector.id).toEqual(vector.token.split('.').slice(0, 2));
      }
    }
  });
});
