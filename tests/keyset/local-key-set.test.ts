import { beforeAll, describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createLocalKeySet } from '../../src/keyset/local-key-set.js';
import { countingBackend, generateTestKey, type TestKey } from './fixtures.js';

let es256: TestKey;
let ed25519: TestKey;
let ps256: TestKey;

beforeAll(async () => {
  [es256, ed25519, ps256] = await Promise.all([generateTestKey('ES256'), generateTestKey('EdDSA'), generateTestKey('PS256')]);
});

async function failure(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

describe('local key set (SHO-FETCH-12)', () => {
  it('SHO-FETCH-12: resolves each key for its own alg', async () => {
    const keys = createLocalKeySet({ keys: [es256.publicJwk, ed25519.publicJwk, ps256.publicJwk] }, { crypto: countingBackend() });
    for (const key of [es256, ed25519, ps256]) {
      const resolved = await keys.resolve(key.kid, key.alg);
      expect(resolved).toMatchObject({ kid: key.kid, alg: key.alg, jwk: key.publicJwk });
      expect(resolved.handle).toBeDefined();
    }
    expect(keys.state()).toEqual({ stale: false, kids: [es256.kid, ed25519.kid, ps256.kid], fetchCount: 0 });
  });

  it('SHO-FETCH-12: imports a key once, however often it is resolved', async () => {
    const crypto = countingBackend();
    const keys = createLocalKeySet({ keys: [es256.publicJwk] }, { crypto });
    await Promise.all(Array.from({ length: 20 }, () => keys.resolve(es256.kid, 'ES256')));
    await keys.resolve(es256.kid, 'ES256');
    expect(crypto.imports()).toBe(1);
  });

  it('SHO-FETCH-9: an unknown kid is KEY_NOT_FOUND', async () => {
    const keys = createLocalKeySet({ keys: [es256.publicJwk] }, { crypto: countingBackend() });
    const error = await failure(keys.resolve(ed25519.kid, 'EdDSA'));
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(error.reason).toBe('unknown_kid');
  });

  it('SHO-FETCH-9: a kid named like an Object.prototype member is just unknown', async () => {
    const keys = createLocalKeySet({ keys: [es256.publicJwk] }, { crypto: countingBackend() });
    for (const kid of ['__proto__', 'constructor', 'toString']) {
      expect((await failure(keys.resolve(kid, 'ES256'))).code).toBe('KEY_NOT_FOUND');
    }
  });

  for (const [name, alg] of [
    ['ES256 key asked for EdDSA', 'EdDSA'],
    ['ES256 key asked for PS256', 'PS256'],
  ] as const) {
    it(`SHO-FETCH-12: ${name} is ALG_NOT_ALLOWED`, async () => {
      const crypto = countingBackend();
      const keys = createLocalKeySet({ keys: [es256.publicJwk] }, { crypto });
      const error = await failure(keys.resolve(es256.kid, alg));
      expect(error.code).toBe('ALG_NOT_ALLOWED');
      expect(error.reason).toBe('alg_mismatch');
      expect(crypto.imports()).toBe(0);
    });
  }

  it('SHO-FETCH-12: an Ed25519 key is not returned for ES256, nor an RSA key for EdDSA (ALG_NOT_ALLOWED)', async () => {
    const keys = createLocalKeySet({ keys: [ed25519.publicJwk, ps256.publicJwk] }, { crypto: countingBackend() });
    expect((await failure(keys.resolve(ed25519.kid, 'ES256'))).code).toBe('ALG_NOT_ALLOWED');
    expect((await failure(keys.resolve(ps256.kid, 'EdDSA'))).code).toBe('ALG_NOT_ALLOWED');
  });

  it('SHO-FETCH-7: a key without an alg member is refused at construction (SHO-KEY-4)', () => {
    const { alg: _alg, ...withoutAlg } = es256.publicJwk;
    expect(() => createLocalKeySet({ keys: [withoutAlg] }, { crypto: countingBackend() })).toThrowError(
      expect.objectContaining({ code: 'JWKS_INVALID' }),
    );
  });

  it('SHO-FETCH-7: a key of an unknown kty is ignored; the others still resolve', async () => {
    const future = { kty: 'AKP', alg: 'ML-DSA-44', kid: 'post-quantum', use: 'sig', pub: 'AAAA' };
    const keys = createLocalKeySet({ keys: [future, es256.publicJwk] }, { crypto: countingBackend() });
    expect(keys.state().kids).toEqual([es256.kid]);
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
    expect((await failure(keys.resolve('post-quantum', 'ES256'))).code).toBe('KEY_NOT_FOUND');
  });

  it('SHO-FETCH-7: a JWKS with a private key is refused at construction', () => {
    expect(() => createLocalKeySet({ keys: [es256.privateJwk] }, { crypto: countingBackend() })).toThrowError(
      expect.objectContaining({ code: 'JWKS_INVALID', reason: 'private_member' }),
    );
  });

  it('SHO-FETCH-7: a JWKS whose key alg contradicts its type is refused at construction', () => {
    expect(() =>
      createLocalKeySet({ keys: [{ ...es256.publicJwk, alg: 'EdDSA' }] }, { crypto: countingBackend() }),
    ).toThrowError(expect.objectContaining({ code: 'JWKS_INVALID' }));
  });

  it('SHO-FETCH-12: wrong arguments are caller mistakes (TypeError)', async () => {
    const crypto = countingBackend();
    expect(() => createLocalKeySet(null as unknown as { keys: unknown[] }, { crypto })).toThrowError(TypeError);
    expect(() => createLocalKeySet({} as { keys: unknown[] }, { crypto })).toThrowError(TypeError);
    expect(() => createLocalKeySet({ keys: [] }, {} as { crypto: typeof crypto })).toThrowError(TypeError);
    const keys = createLocalKeySet({ keys: [es256.publicJwk] }, { crypto });
    await expect(keys.resolve('', 'ES256')).rejects.toThrowError(TypeError);
    await expect(keys.resolve(es256.kid, 'none' as 'ES256')).rejects.toThrowError(TypeError);
  });
});
