/**
 * Several keys, one active, rotation without downtime (spec/11-keys.md SHO-KEY-5 to SHO-KEY-10): a
 * verifier that refreshes its copy of the JWKS whenever the bank changes it never sees a gap.
 */
import { describe, expect, it } from 'vitest';
import { createIssuer } from '../../src/issuer/issue.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { PublicJwk } from '../../src/keys/types.js';
import {
  BANK,
  codes,
  createWorld,
  decode,
  expectAllowed,
  NOW_MS,
  testKey,
  type Flow,
  type TestKey,
  type World,
} from '../helpers/world.js';

const w = await createWorld();
const [keyA, keyB] = await Promise.all([testKey('ES256'), testKey('ES256')]);

function ringOf(active: TestKey, ...others: Array<[TestKey, 'next' | 'retiring']>): KeyRing {
  return new KeyRing({
    keys: [
      { signer: active.signer, publicJwk: active.publicJwk, state: 'active' },
      ...others.map(([key, state]) => ({ signer: key.signer, publicJwk: key.publicJwk, state })),
    ],
  });
}

/** A fresh RP verifier that trusts exactly the JWKS the ring publishes now (as after a refetch). */
function verifierFor(world: World, ring: KeyRing) {
  return world.rpVerifier({ trust: { parties: [{ ...world.partyEntry(BANK, keyA, ['link']), keys: { jwks: ring.publicJwks() } }] } });
}

function kidsOf(ring: KeyRing): string[] {
  return ring.publicJwks().keys.map((jwk: PublicJwk) => jwk.kid!);
}

async function linkSignedBy(ring: KeyRing): Promise<Flow<'link'>> {
  return w.link({}, { issuer: createIssuer({ issuer: BANK, signer: ring, clock: () => NOW_MS }) });
}

describe('one active key (SHO-KEY-8)', () => {
  it('SHO-KEY-8: a ring with two active keys is refused (TypeError)', () => {
    expect(
      () =>
        new KeyRing({
          keys: [
            { signer: keyA.signer, publicJwk: keyA.publicJwk, state: 'active' },
            { signer: keyB.signer, publicJwk: keyB.publicJwk, state: 'active' },
          ],
        }),
    ).toThrow(TypeError);
  });

  it('SHO-KEY-8: a ring without an active key is refused (TypeError)', () => {
    expect(() => new KeyRing({ keys: [{ signer: keyA.signer, publicJwk: keyA.publicJwk, state: 'next' }] })).toThrow(TypeError);
  });

  it('SHO-KEY-8: the issuer signs with the active key only', async () => {
    const ring = ringOf(keyA, [keyB, 'next']);
    const flow = await linkSignedBy(ring);
    expect(decode(flow.token).header.kid).toBe(keyA.kid);
  });

  it('SHO-KEY-8: the active key cannot be removed', () => {
    const ring = ringOf(keyA, [keyB, 'next']);
    expect(() => ring.remove(keyA.kid)).toThrow(TypeError);
  });

  it('SHO-KEY-5: KeyRing.create refuses a kid that is not the RFC 7638 thumbprint', async () => {
    const signer = await createLocalSigner(keyA.privateJwk, { alg: 'ES256', kid: 'bank-key-2026' });
    await expect(KeyRing.create({ keys: [{ signer, publicJwk: { ...keyA.publicJwk, kid: 'bank-key-2026' }, state: 'active' }] })).rejects.toThrow(
      TypeError,
    );
  });

  it('SHO-KEY-6: a ring refuses a public JWK that carries private members (TypeError)', () => {
    expect(() => new KeyRing({ keys: [{ signer: keyA.signer, publicJwk: keyA.privateJwk, state: 'active' }] })).toThrow(TypeError);
  });
});

describe('rotation without downtime (SHO-KEY-9, SHO-KEY-10)', () => {
  it('SHO-KEY-9: a new key is published before it signs', () => {
    const ring = ringOf(keyA);
    ring.add({ signer: keyB.signer, publicJwk: keyB.publicJwk });
    expect(kidsOf(ring)).toEqual([keyA.kid, keyB.kid]);
    expect(ring.activeSigner().kid).toBe(keyA.kid);
    expect(ring.list()).toEqual([
      { kid: keyA.kid, alg: 'ES256', state: 'active' },
      { kid: keyB.kid, alg: 'ES256', state: 'next' },
    ]);
  });

  it('SHO-KEY-10: a token signed by the old key still verifies while that key is retiring and published', async () => {
    const ring = ringOf(keyA);
    const old = await linkSignedBy(ring);
    ring.add({ signer: keyB.signer, publicJwk: keyB.publicJwk });
    ring.activate(keyB.kid);
    expect(ring.list().map((key) => key.state)).toEqual(['retiring', 'active']);
    expectAllowed(await verifierFor(w, ring).verify(old.token, old.expect));
  });

  it('SHO-KEY-9: after activation the new key signs and verifies against the published set', async () => {
    const ring = ringOf(keyA);
    ring.add({ signer: keyB.signer, publicJwk: keyB.publicJwk });
    const beforeActivation = verifierFor(w, ring);
    ring.activate(keyB.kid);
    const fresh = await linkSignedBy(ring);
    expect(decode(fresh.token).header.kid).toBe(keyB.kid);
    // A verifier that fetched the set while B was only `next` already knows B: no gap.
    expectAllowed(await beforeActivation.verify(fresh.token, fresh.expect));
  });

  it('SHO-KEY-14: a removed key no longer verifies (KEY_NOT_FOUND)', async () => {
    const ring = ringOf(keyA);
    const old = await linkSignedBy(ring);
    ring.add({ signer: keyB.signer, publicJwk: keyB.publicJwk });
    ring.activate(keyB.kid);
    ring.remove(keyA.kid);
    expect(kidsOf(ring)).toEqual([keyB.kid]);
    expect(codes(await verifierFor(w, ring).verify(old.token, old.expect))).toEqual(['KEY_NOT_FOUND']);
  });

  it('SHO-KEY-8: activating the retiring key again rolls the rotation back', async () => {
    const ring = ringOf(keyA, [keyB, 'next']);
    ring.activate(keyB.kid);
    ring.activate(keyA.kid);
    expect(ring.list().map((key) => key.state)).toEqual(['active', 'retiring']);
    expect(decode((await linkSignedBy(ring)).token).header.kid).toBe(keyA.kid);
  });

  it('SHO-KEY-4: every published key has kid, alg, use sig and public members only', () => {
    const ring = ringOf(keyA, [keyB, 'next']);
    for (const jwk of ring.publicJwks().keys) {
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(jwk).toMatchObject({ alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' });
    }
  });
});
