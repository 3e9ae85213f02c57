import { describe, expect, it } from 'vitest';
import { generateKey, type KeyPairJwk } from '../../src/keys/generate.js';
import { KeyRing, type KeyState } from '../../src/keys/key-ring.js';
import { createLocalSigner, type Signer } from '../../src/keys/signer.js';
import { validateJwks } from '../../src/keys/jwks.js';
import { expectInvalidArgument, expectInvalidArgumentRejection } from '../jose/helpers.js';

async function key(alg: 'ES256' | 'EdDSA' | 'PS256' = 'ES256'): Promise<KeyPairJwk & { signer: Signer }> {
  const pair = await generateKey(alg);
  return { ...pair, signer: await createLocalSigner(pair.privateJwk, { alg }) };
}

const [a, b, c, ed] = await Promise.all([key(), key(), key(), key('EdDSA')]);

function entry(k: typeof a, state: KeyState) {
  return { signer: k.signer, publicJwk: k.publicJwk, state };
}

describe('KeyRing', () => {
  it('SHO-KEY-8: signs with the one active key and publishes every key', () => {
    const ring = new KeyRing({ keys: [entry(a, 'retiring'), entry(b, 'active'), entry(c, 'next')] });
    expect(ring.activeSigner()).toBe(b.signer);
    const jwks = ring.publicJwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([a.kid, b.kid, c.kid]);
    expect(validateJwks(jwks).length).toBe(3);
    for (const published of jwks.keys) expect(published).not.toHaveProperty('d');
  });

  it('SHO-KEY-9, SHO-KEY-10: rotation publishes next, activates it, keeps the old one retiring, then removes it', () => {
    const ring = new KeyRing({ keys: [entry(a, 'active')] });
    ring.add({ signer: b.signer, publicJwk: b.publicJwk });
    expect(ring.activeSigner()).toBe(a.signer);
    expect(ring.publicJwks().keys.map((k) => k.kid)).toEqual([a.kid, b.kid]);
    ring.activate(b.kid);
    expect(ring.activeSigner()).toBe(b.signer);
    expect(ring.list()).toEqual([
      { kid: a.kid, alg: 'ES256', state: 'retiring' },
      { kid: b.kid, alg: 'ES256', state: 'active' },
    ]);
    expect(ring.publicJwks().keys.map((k) => k.kid)).toEqual([a.kid, b.kid]);
    ring.remove(a.kid);
    expect(ring.publicJwks().keys.map((k) => k.kid)).toEqual([b.kid]);
  });

  it('SHO-KEY-8: activating a retiring key rolls back; activating the active key is a no-op', () => {
    const ring = new KeyRing({ keys: [entry(a, 'retiring'), entry(b, 'active')] });
    ring.activate(b.kid);
    expect(ring.activeSigner()).toBe(b.signer);
    ring.activate(a.kid);
    expect(ring.activeSigner()).toBe(a.signer);
    expect(ring.list().find((k) => k.kid === b.kid)?.state).toBe('retiring');
  });

  it('SHO-KEY-8: the active key cannot be removed; unknown kids are refused', () => {
    const ring = new KeyRing({ keys: [entry(a, 'active'), entry(b, 'next')] });
    expectInvalidArgument(() => ring.remove(a.kid));
    expectInvalidArgument(() => ring.remove('nope'));
    expectInvalidArgument(() => ring.activate('nope'));
    ring.remove(b.kid);
    expect(ring.list().length).toBe(1);
  });

  const invalid: Array<[string, () => unknown]> = [
    ['no key', () => new KeyRing({ keys: [] })],
    ['no active key', () => new KeyRing({ keys: [entry(a, 'next'), entry(b, 'retiring')] })],
    ['two active keys', () => new KeyRing({ keys: [entry(a, 'active'), entry(b, 'active')] })],
    ['an unknown state', () => new KeyRing({ keys: [{ ...entry(a, 'active'), state: 'primary' as KeyState }] })],
    ['duplicate kids', () => new KeyRing({ keys: [entry(a, 'active'), entry(a, 'next')] })],
    ['a publicJwk kid different from the signer kid', () => new KeyRing({ keys: [{ ...entry(a, 'active'), publicJwk: b.publicJwk }] })],
    ['a publicJwk of another key type', () => new KeyRing({ keys: [{ ...entry(a, 'active'), publicJwk: { ...ed.publicJwk, kid: a.kid } }] })],
    ['a publicJwk with private members', () => new KeyRing({ keys: [{ ...entry(a, 'active'), publicJwk: a.privateJwk }] })],
    ['an invalid signer', () => new KeyRing({ keys: [{ ...entry(a, 'active'), signer: { alg: 'ES256', kid: a.kid } as Signer }] })],
    ['keys not an array', () => new KeyRing({} as { keys: [] })],
  ];

  it.each(invalid)('SHO-KEY-8: the constructor refuses %s (TypeError)', (_name, make) => {
    expectInvalidArgument(make);
  });

  it('SHO-KEY-5: add refuses a kid already in the ring', () => {
    const ring = new KeyRing({ keys: [entry(a, 'active')] });
    expectInvalidArgument(() => ring.add({ signer: a.signer, publicJwk: a.publicJwk }));
  });

  it('SHO-KEY-5: the constructor, add and KeyRing.create refuse a kid that is not the RFC 7638 thumbprint', async () => {
    // Verifiers refuse a whole set holding such a kid (SHO-FETCH-7): the ring never publishes one.
    const custom: Signer = { alg: 'ES256', kid: 'custom-kid', sign: (data) => a.signer.sign(data) };
    const { kid: _kid, ...publicJwk } = a.publicJwk;
    expect(() => new KeyRing({ keys: [{ signer: custom, publicJwk, state: 'active' }] })).toThrow(TypeError);
    const good = new KeyRing({ keys: [entry(a, 'active')] });
    const { kid: _edKid, ...edJwk } = ed.publicJwk;
    expect(() => good.add({ signer: { alg: 'EdDSA', kid: 'next-key', sign: (data) => ed.signer.sign(data) }, publicJwk: edJwk })).toThrow(TypeError);
    expect(good.publicJwks().keys).toHaveLength(1);
    await expectInvalidArgumentRejection(KeyRing.create({ keys: [{ signer: custom, publicJwk, state: 'active' }] }));
    const ring = await KeyRing.create({ keys: [entry(a, 'active'), entry(ed, 'next')] });
    expect(ring.publicJwks().keys.map((k) => k.alg)).toEqual(['ES256', 'EdDSA']);
  });
});
