import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createRemoteKeySet, type RemoteKeySetOptions } from '../../src/keyset/remote-key-set.js';
import { countingBackend, fakeClock, generateTestKey, type TestKey } from './fixtures.js';

const JWKS_URL = 'https://bank.example/.well-known/jwks.json';
const JWKS_TYPE = 'application/jwk-set+json';

const server = setupServer();
let es256: TestKey;
let ed25519: TestKey;
let ps256: TestKey;
let rotated: TestKey;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  [es256, ed25519, ps256, rotated] = await Promise.all([
    generateTestKey('ES256'),
    generateTestKey('EdDSA'),
    generateTestKey('PS256'),
    generateTestKey('ES256'),
  ]);
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** msw patches globalThis.fetch in listen(); read it at call time, not at import time. */
const viaMsw: RemoteKeySetOptions['fetch'] = (input, init) => globalThis.fetch(input, init);

/** Serves `respond()` at JWKS_URL and counts the requests. */
function serve(respond: () => Response | Promise<Response>): { hits: () => number } {
  let hits = 0;
  server.use(
    http.get(JWKS_URL, () => {
      hits += 1;
      return respond();
    }),
  );
  return { hits: () => hits };
}

function jwksResponse(keys: TestKey[], headers: Record<string, string> = {}): Response {
  return new HttpResponse(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }), {
    status: 200,
    headers: { 'content-type': JWKS_TYPE, 'cache-control': 'public, max-age=300', ...headers },
  });
}

function keySet(options: Partial<RemoteKeySetOptions> = {}) {
  const crypto = countingBackend();
  const clock = fakeClock();
  const keys = createRemoteKeySet(JWKS_URL, { crypto, fetch: viaMsw, clock: clock.now, ...options });
  return { keys, crypto, clock };
}

async function failure(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

/** The error behind a KEYS_UNAVAILABLE: what the last attempt failed with. */
function causeOf(error: ShomeiError): ShomeiError {
  expect(error.cause).toBeInstanceOf(ShomeiError);
  return error.cause as ShomeiError;
}

/** A stream of `chunks` × 64 KiB of spaces that counts how many chunks the reader pulled. */
function countedStream(chunks: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= chunks) {
        controller.close();
        return;
      }
      pulled += 1;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe('remote key set: fetching and validating (SHO-FETCH)', () => {
  it('SHO-FETCH-7: resolves ES256, EdDSA and PS256 keys from a valid JWKS', async () => {
    const origin = serve(() => jwksResponse([es256, ed25519, ps256]));
    const { keys } = keySet();
    for (const key of [es256, ed25519, ps256]) {
      const resolved = await keys.resolve(key.kid, key.alg);
      expect(resolved.kid).toBe(key.kid);
      expect(resolved.alg).toBe(key.alg);
      expect(resolved.jwk).toEqual(key.publicJwk);
      expect(resolved.handle).toBeDefined();
    }
    expect(origin.hits()).toBe(1);
    const state = keys.state();
    expect(state).toMatchObject({ url: JWKS_URL, stale: false, fetchCount: 1 });
    expect(state.kids).toEqual([es256.kid, ed25519.kid, ps256.kid]);
    expect(state.lastError).toBeUndefined();
  });

  it('SHO-FETCH-12: a warm cache makes no request and imports each key once', async () => {
    const origin = serve(() => jwksResponse([es256]));
    const { keys, crypto } = keySet();
    for (let i = 0; i < 50; i += 1) await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(1);
    expect(keys.state().fetchCount).toBe(1);
    expect(crypto.imports()).toBe(1);
  });

  it('SHO-FETCH-12: a refresh that does not change a key keeps its imported handle', async () => {
    serve(() => jwksResponse([es256], { 'cache-control': 'max-age=60' }));
    const { keys, crypto, clock } = keySet();
    await keys.resolve(es256.kid, 'ES256');
    clock.advance(61);
    await keys.resolve(es256.kid, 'ES256');
    expect(keys.state().fetchCount).toBe(2);
    expect(crypto.imports()).toBe(1);
  });

  it('SHO-FETCH-12: a key whose type does not fit alg is ALG_NOT_ALLOWED, and triggers no refetch', async () => {
    serve(() => jwksResponse([es256, ed25519, ps256]));
    const { keys, crypto } = keySet();
    const cases: Array<[TestKey, 'ES256' | 'EdDSA' | 'PS256']> = [
      [es256, 'EdDSA'],
      [es256, 'PS256'],
      [ed25519, 'ES256'],
      [ps256, 'ES256'],
    ];
    for (const [key, alg] of cases) {
      const error = await failure(keys.resolve(key.kid, alg));
      expect(error.code).toBe('ALG_NOT_ALLOWED');
      expect(error.reason).toBe('alg_mismatch');
    }
    expect(keys.state().fetchCount).toBe(1);
    expect(crypto.imports()).toBe(0);
  });

  it('SHO-FETCH-11: ten concurrent resolves share one request', async () => {
    const origin = serve(async () => {
      await delay(20);
      return jwksResponse([es256]);
    });
    const { keys, crypto } = keySet();
    const results = await Promise.all(Array.from({ length: 10 }, () => keys.resolve(es256.kid, 'ES256')));
    expect(results.every((r) => r.kid === es256.kid)).toBe(true);
    expect(origin.hits()).toBe(1);
    expect(keys.state().fetchCount).toBe(1);
    expect(crypto.imports()).toBe(1);
  });

  it('SHO-FETCH-11: concurrent resolves of a failing key set share one request and all fail', async () => {
    const origin = serve(async () => {
      await delay(20);
      return new HttpResponse('oops', { status: 500 });
    });
    const { keys } = keySet();
    const errors = await Promise.all(Array.from({ length: 10 }, () => failure(keys.resolve(es256.kid, 'ES256'))));
    expect(errors.every((e) => e.code === 'KEYS_UNAVAILABLE')).toBe(true);
    expect(origin.hits()).toBe(1);
  });
});

describe('remote key set: caching (SHO-FETCH-8)', () => {
  it('SHO-FETCH-8: no refetch inside max-age, one refetch after it', async () => {
    const origin = serve(() => jwksResponse([es256], { 'cache-control': 'public, max-age=120' }));
    const { keys, clock } = keySet();
    await keys.resolve(es256.kid, 'ES256');
    const { fetchedAt, expiresAt } = keys.state();
    expect(expiresAt! - fetchedAt!).toBe(120_000);
    clock.advance(119);
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(1);
    clock.advance(1);
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(2);
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(2);
  });

  it('SHO-FETCH-8: a max-age below minCacheSeconds is raised to it', async () => {
    const origin = serve(() => jwksResponse([es256], { 'cache-control': 'max-age=5' }));
    const { keys, clock } = keySet({ minCacheSeconds: 60 });
    await keys.resolve(es256.kid, 'ES256');
    clock.advance(59);
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(1);
    clock.advance(1);
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(2);
  });

  it('SHO-FETCH-8: a max-age above maxCacheSeconds is lowered to it', async () => {
    const origin = serve(() => jwksResponse([es256], { 'cache-control': 'max-age=31536000' }));
    const { keys, clock } = keySet({ maxCacheSeconds: 86_400 });
    await keys.resolve(es256.kid, 'ES256');
    clock.advance(86_399);
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(1);
    clock.advance(1);
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(2);
  });

  it('SHO-FETCH-8: no-store is cached for minCacheSeconds only', async () => {
    const origin = serve(() => jwksResponse([es256], { 'cache-control': 'no-store' }));
    const { keys, clock } = keySet({ minCacheSeconds: 30 });
    await keys.resolve(es256.kid, 'ES256');
    expect(keys.state().expiresAt! - keys.state().fetchedAt!).toBe(30_000);
    clock.advance(30);
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(2);
  });

  it('SHO-FETCH-8: no-cache is cached for minCacheSeconds only', async () => {
    serve(() => jwksResponse([es256], { 'cache-control': 'max-age=600, no-cache' }));
    const { keys } = keySet({ minCacheSeconds: 30 });
    await keys.resolve(es256.kid, 'ES256');
    expect(keys.state().expiresAt! - keys.state().fetchedAt!).toBe(30_000);
  });

  it('SHO-FETCH-8: without Cache-Control the default lifetime applies', async () => {
    serve(() => jwksResponse([es256], { 'cache-control': '' }));
    const { keys } = keySet({ defaultCacheSeconds: 300 });
    await keys.resolve(es256.kid, 'ES256');
    expect(keys.state().expiresAt! - keys.state().fetchedAt!).toBe(300_000);
  });

  it('SHO-FETCH-8: the smaller of s-maxage and max-age applies, minus Age', async () => {
    serve(() => jwksResponse([es256], { 'cache-control': 'max-age=600, s-maxage=400', age: '100' }));
    const { keys } = keySet({ minCacheSeconds: 10 });
    await keys.resolve(es256.kid, 'ES256');
    expect(keys.state().expiresAt! - keys.state().fetchedAt!).toBe(300_000);
  });
});

describe('remote key set: unknown kid and rotation (SHO-FETCH-9)', () => {
  it('SHO-FETCH-9: an unknown kid right after the first fetch makes no second request', async () => {
    const origin = serve(() => jwksResponse([es256]));
    const { keys } = keySet();
    const error = await failure(keys.resolve('unknown-kid', 'ES256'));
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(origin.hits()).toBe(1);
  });

  it('SHO-FETCH-9: an unknown kid triggers exactly one refetch, then KEY_NOT_FOUND; a second one within the cooldown none', async () => {
    const origin = serve(() => jwksResponse([es256]));
    const { keys, clock } = keySet({ cooldownSeconds: 30 });
    await keys.resolve(es256.kid, 'ES256');
    clock.advance(31);
    const first = await failure(keys.resolve('unknown-1', 'ES256'));
    expect(first.code).toBe('KEY_NOT_FOUND');
    expect(first.reason).toBe('unknown_kid');
    expect(origin.hits()).toBe(2);
    clock.advance(29);
    const second = await failure(keys.resolve('unknown-2', 'ES256'));
    expect(second.code).toBe('KEY_NOT_FOUND');
    expect(origin.hits()).toBe(2);
    clock.advance(1);
    await failure(keys.resolve('unknown-3', 'ES256'));
    expect(origin.hits()).toBe(3);
  });

  it('SHO-FETCH-9: a key added on the server is found with one refetch', async () => {
    let published = [es256];
    const origin = serve(() => jwksResponse(published));
    const { keys, clock } = keySet({ cooldownSeconds: 30 });
    await keys.resolve(es256.kid, 'ES256');
    published = [es256, rotated];
    clock.advance(30);
    const resolved = await keys.resolve(rotated.kid, 'ES256');
    expect(resolved.jwk).toEqual(rotated.publicJwk);
    expect(origin.hits()).toBe(2);
    expect(keys.state().kids).toEqual([es256.kid, rotated.kid]);
    await keys.resolve(es256.kid, 'ES256');
    await keys.resolve(rotated.kid, 'ES256');
    expect(origin.hits()).toBe(2);
  });

  it('SHO-FETCH-14: a key removed on the server is no longer resolved after the refresh', async () => {
    let published = [es256, rotated];
    serve(() => jwksResponse(published, { 'cache-control': 'max-age=60' }));
    const { keys, clock } = keySet();
    await keys.resolve(es256.kid, 'ES256');
    published = [rotated];
    clock.advance(60);
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEY_NOT_FOUND');
  });

  it('SHO-FETCH-9: an unknown kid whose refetch fails is KEYS_UNAVAILABLE and keeps the good set', async () => {
    let down = false;
    serve(() => (down ? new HttpResponse(null, { status: 503 }) : jwksResponse([es256])));
    const { keys, clock } = keySet();
    await keys.resolve(es256.kid, 'ES256');
    down = true;
    clock.advance(31);
    const error = await failure(keys.resolve(rotated.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('status');
    expect(keys.state()).toMatchObject({ kids: [es256.kid], lastError: 'FETCH_FAILED', stale: false });
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
  });
});

describe('remote key set: failures and stale keys (SHO-FETCH-3, SHO-FETCH-10)', () => {
  it('SHO-FETCH-3: a 500 with no last good set is KEYS_UNAVAILABLE', async () => {
    serve(() => new HttpResponse('<h1>Internal Server Error</h1>', { status: 500, headers: { 'content-type': 'text/html' } }));
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('status');
    expect(causeOf(error).code).toBe('FETCH_FAILED');
    expect(keys.state()).toMatchObject({ lastError: 'FETCH_FAILED', kids: [], stale: false, fetchCount: 1 });
    expect(keys.state().fetchedAt).toBeUndefined();
  });

  it('SHO-FETCH-10: after a failure, no new request until the cooldown has passed', async () => {
    const origin = serve(() => new HttpResponse(null, { status: 500 }));
    const { keys, clock } = keySet({ cooldownSeconds: 30 });
    await failure(keys.resolve(es256.kid, 'ES256'));
    clock.advance(29);
    expect((await failure(keys.resolve(es256.kid, 'ES256'))).code).toBe('KEYS_UNAVAILABLE');
    expect(origin.hits()).toBe(1);
    clock.advance(1);
    await failure(keys.resolve(es256.kid, 'ES256'));
    expect(origin.hits()).toBe(2);
  });

  for (const status of [201, 204, 404]) {
    it(`SHO-FETCH-3: status ${status} is refused`, async () => {
      serve(() => new HttpResponse(status === 204 ? null : JSON.stringify({ keys: [es256.publicJwk] }), {
        status,
        headers: { 'content-type': JWKS_TYPE },
      }));
      const { keys } = keySet();
      const error = await failure(keys.resolve(es256.kid, 'ES256'));
      expect(error.code).toBe('KEYS_UNAVAILABLE');
      expect(error.reason).toBe('status');
    });
  }

  it('SHO-FETCH-10: a 500 after a good fetch serves the stale set until maxStale, then KEYS_UNAVAILABLE', async () => {
    let down = false;
    const origin = serve(() =>
      down ? new HttpResponse(null, { status: 500 }) : jwksResponse([es256], { 'cache-control': 'max-age=60' }),
    );
    const { keys, clock } = keySet({ maxStaleSeconds: 3600, cooldownSeconds: 30 });
    await keys.resolve(es256.kid, 'ES256');
    const { expiresAt } = keys.state();
    down = true;

    clock.advance(60);
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
    expect(keys.state()).toMatchObject({ stale: true, lastError: 'FETCH_FAILED', expiresAt, fetchCount: 2 });

    clock.advance(10); // within the cooldown: served stale without asking again
    await keys.resolve(es256.kid, 'ES256');
    expect(origin.hits()).toBe(2);

    clock.advance(3600 - 10 - 1); // one second before the stale limit; cooldown passed, so one retry
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
    expect(origin.hits()).toBe(3);

    clock.advance(1); // exactly expiresAt + maxStale
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('status');
  });

  it('SHO-FETCH-10: the server recovering replaces the stale set and clears lastError', async () => {
    let down = false;
    serve(() => (down ? new HttpResponse(null, { status: 500 }) : jwksResponse([es256], { 'cache-control': 'max-age=60' })));
    const { keys, clock } = keySet();
    await keys.resolve(es256.kid, 'ES256');
    down = true;
    clock.advance(60);
    await keys.resolve(es256.kid, 'ES256');
    expect(keys.state().stale).toBe(true);
    down = false;
    clock.advance(30);
    await keys.resolve(es256.kid, 'ES256');
    const state = keys.state();
    expect(state.stale).toBe(false);
    expect(state.lastError).toBeUndefined();
    expect(state.fetchCount).toBe(3);
  });

  it('SHO-FETCH-10: an invalid JWKS never replaces the good set', async () => {
    let broken = false;
    serve(() =>
      broken
        ? new HttpResponse(JSON.stringify({ keys: [rotated.privateJwk] }), { headers: { 'content-type': JWKS_TYPE } })
        : jwksResponse([es256], { 'cache-control': 'max-age=60' }),
    );
    const { keys, clock } = keySet();
    await keys.resolve(es256.kid, 'ES256');
    broken = true;
    clock.advance(60);
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
    expect(keys.state()).toMatchObject({ kids: [es256.kid], stale: true, lastError: 'JWKS_INVALID' });
    clock.advance(30);
    const error = await failure(keys.resolve(rotated.kid, 'ES256'));
    // What the partner served was not a valid key set: said apart from an outage (SHO-FETCH-7).
    expect(error.code).toBe('JWKS_INVALID');
    expect(causeOf(error).code).toBe('JWKS_INVALID');
  });

  it('SHO-FETCH-6: a network error is KEYS_UNAVAILABLE', async () => {
    serve(() => HttpResponse.error());
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('network');
  });
});

describe('remote key set: hostile responses (SHO-FETCH-2, -4, -5, -6, -7)', () => {
  it('SHO-FETCH-4: an HTML body is refused by its Content-Type', async () => {
    serve(() => HttpResponse.html('<!doctype html><title>Login</title>'));
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('content_type');
  });

  it('SHO-FETCH-7: an HTML body labelled application/json is JWKS_INVALID', async () => {
    serve(() => new HttpResponse('<!doctype html><title>Login</title>', { headers: { 'content-type': 'application/json' } }));
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    // What the partner served was not a valid key set: said apart from an outage (SHO-FETCH-7).
    expect(error.code).toBe('JWKS_INVALID');
    expect(causeOf(error).code).toBe('JWKS_INVALID');
    expect(error.reason).toBe('invalid_json');
  });

  for (const contentType of ['application/jwk-set+json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8']) {
    it(`SHO-FETCH-4: Content-Type "${contentType}" is accepted`, async () => {
      serve(() => jwksResponse([es256], { 'content-type': contentType }));
      const { keys } = keySet();
      await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
    });
  }

  for (const contentType of ['text/plain', 'application/jwk+json', 'application/jsonx', '']) {
    it(`SHO-FETCH-4: Content-Type "${contentType}" is refused`, async () => {
      serve(() => jwksResponse([es256], { 'content-type': contentType }));
      const { keys } = keySet();
      const error = await failure(keys.resolve(es256.kid, 'ES256'));
      expect(error.code).toBe('KEYS_UNAVAILABLE');
      expect(error.reason).toBe('content_type');
    });
  }

  it('SHO-FETCH-7: a JSON array body is refused', async () => {
    serve(() => new HttpResponse(JSON.stringify([es256.publicJwk]), { headers: { 'content-type': JWKS_TYPE } }));
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    // What the partner served was not a valid key set: said apart from an outage (SHO-FETCH-7).
    expect(error.code).toBe('JWKS_INVALID');
    expect(causeOf(error).code).toBe('JWKS_INVALID');
    expect(error.reason).toBe('not_an_object');
  });

  it('SHO-FETCH-7: a body with a duplicate member name is refused', async () => {
    const body = `{"keys":[],"keys":[${JSON.stringify(es256.publicJwk)}]}`;
    serve(() => new HttpResponse(body, { headers: { 'content-type': JWKS_TYPE } }));
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(causeOf(error).code).toBe('JWKS_INVALID');
    expect(error.reason).toBe('duplicate_member');
  });

  it('SHO-FETCH-7: a body that is not UTF-8 is refused', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]);
    serve(() => new HttpResponse(bytes, { headers: { 'content-type': JWKS_TYPE } }));
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(causeOf(error).code).toBe('JWKS_INVALID');
    expect(error.reason).toBe('invalid_utf8');
  });

  it('SHO-FETCH-7: a set containing a private key is refused as a whole', async () => {
    serve(() =>
      new HttpResponse(JSON.stringify({ keys: [es256.publicJwk, rotated.privateJwk] }), {
        headers: { 'content-type': JWKS_TYPE },
      }),
    );
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    // What the partner served was not a valid key set: said apart from an outage (SHO-FETCH-7).
    expect(error.code).toBe('JWKS_INVALID');
    expect(causeOf(error).code).toBe('JWKS_INVALID');
    expect(error.reason).toBe('private_member');
    expect(keys.state().lastError).toBe('JWKS_INVALID');
  });

  it('SHO-FETCH-5: a 1 MiB body is refused without reading it all', async () => {
    const huge = countedStream(16);
    serve(() => new HttpResponse(huge.stream, { headers: { 'content-type': JWKS_TYPE } }));
    const { keys } = keySet({ maxBodyBytes: 65_536 });
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('too_large');
    expect(huge.pulled()).toBeLessThanOrEqual(8); // at most half of the 1 MiB was ever produced
  });

  it('SHO-FETCH-5: a Content-Length that understates the body does not lift the cap', async () => {
    const huge = countedStream(16);
    serve(() => new HttpResponse(huge.stream, { headers: { 'content-type': JWKS_TYPE, 'content-length': '100' } }));
    const { keys } = keySet({ maxBodyBytes: 65_536 });
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.reason).toBe('too_large');
    expect(huge.pulled()).toBeLessThanOrEqual(8); // at most half of the 1 MiB was ever produced
  });

  it('SHO-FETCH-5: a Content-Length above the cap is refused before the body is read', async () => {
    const body = countedStream(1);
    serve(() => new HttpResponse(body.stream, { headers: { 'content-type': JWKS_TYPE, 'content-length': '10485760' } }));
    const { keys } = keySet({ maxBodyBytes: 65_536 });
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('too_large');
  });

  it('SHO-FETCH-5: a body of exactly maxBodyBytes is accepted', async () => {
    const json = JSON.stringify({ keys: [es256.publicJwk] });
    const padded = json.padEnd(4096, ' ');
    serve(() => new HttpResponse(padded, { headers: { 'content-type': JWKS_TYPE } }));
    const { keys } = keySet({ maxBodyBytes: 4096 });
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
  });

  it('SHO-FETCH-6: a server that never answers is KEYS_UNAVAILABLE after timeoutMs', async () => {
    serve(async () => {
      await delay('infinite');
      return jwksResponse([es256]);
    });
    const { keys } = keySet({ timeoutMs: 50 });
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('timeout');
  });

  it('SHO-FETCH-6: a body that stalls is KEYS_UNAVAILABLE after bodyTimeoutMs', async () => {
    const encoder = new TextEncoder();
    serve(
      () =>
        new HttpResponse(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(encoder.encode('{"keys":['));
              // and nothing more, ever
            },
          }),
          { headers: { 'content-type': JWKS_TYPE } },
        ),
    );
    const { keys } = keySet({ bodyTimeoutMs: 50 });
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('timeout');
  });

  for (const status of [301, 302, 307, 308]) {
    it(`SHO-FETCH-2: a ${status} redirect to another host is not followed`, async () => {
      let elsewhere = 0;
      server.use(
        http.get('https://attacker.example/jwks.json', () => {
          elsewhere += 1;
          return jwksResponse([es256]);
        }),
      );
      serve(() => new HttpResponse(null, { status, headers: { location: 'https://attacker.example/jwks.json' } }));
      const { keys } = keySet();
      const error = await failure(keys.resolve(es256.kid, 'ES256'));
      expect(error.code).toBe('KEYS_UNAVAILABLE');
      expect(error.reason).toBe('redirect');
      expect(elsewhere).toBe(0);
    });
  }
});

describe('remote key set: what it reports, and a clock set back', () => {
  it('SHO-FETCH-3: a 304 without a cached copy is a status failure, not a redirect', async () => {
    serve(() => new HttpResponse(null, { status: 304 }));
    const { keys } = keySet();
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('status');
  });

  it('SHO-ERR-3: an unknown kid is not repeated in the message (it is the sender\'s text)', async () => {
    serve(() => jwksResponse([es256]));
    const { keys } = keySet();
    const kid = '山田太郎 1985-04-01 0901234567';
    const error = await failure(keys.resolve(kid, 'ES256'));
    expect(error.code).toBe('KEY_NOT_FOUND');
    expect(error.message).not.toContain('1985');
    expect(error.message).not.toContain('山田');
  });

  it('SHO-FETCH-8: a clock set back after a fetch does not keep the set fresh for as long as the step', async () => {
    const { hits } = serve(() => jwksResponse([es256], { 'cache-control': 'max-age=300' }));
    const { keys, clock } = keySet();
    await keys.resolve(es256.kid, 'ES256');
    expect(hits()).toBe(1);
    clock.advance(-10 * 86_400);
    expect(keys.state().stale).toBe(true);
    await keys.resolve(es256.kid, 'ES256');
    expect(hits()).toBe(2);
  });

  it('SHO-FETCH-10: a clock set back during a partner outage still serves the last good set', async () => {
    let up = true;
    serve(() => (up ? jwksResponse([es256], { 'cache-control': 'max-age=300' }) : new HttpResponse(null, { status: 503 })));
    const { keys, clock } = keySet();
    await keys.resolve(es256.kid, 'ES256');
    up = false;
    clock.advance(-2);
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
  });

  it('SHO-FETCH-9: a clock set back after a failed attempt does not stretch the cooldown', async () => {
    let up = false;
    const { hits } = serve(() => (up ? jwksResponse([es256]) : new HttpResponse(null, { status: 503 })));
    const { keys, clock } = keySet();
    expect((await failure(keys.resolve(es256.kid, 'ES256'))).code).toBe('KEYS_UNAVAILABLE');
    up = true;
    clock.advance(-10 * 86_400);
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
    expect(hits()).toBe(2);
  });
});

describe('remote key set: construction (SHO-FETCH-1)', () => {
  const crypto = countingBackend();

  for (const url of [
    'http://bank.example/jwks.json',
    'http://127.0.0.1.nip.io/jwks.json',
    'http://localhost.attacker.example/jwks.json',
    'http://10.0.0.1/jwks.json',
    'ftp://bank.example/jwks.json',
    'file:///etc/jwks.json',
    'https://user:secret@bank.example/jwks.json',
    'not a url',
    '/relative/jwks.json',
  ]) {
    it(`SHO-FETCH-1: refuses ${url} at construction`, () => {
      expect(() => createRemoteKeySet(url, { crypto })).toThrowError(TypeError);
      try {
        createRemoteKeySet(url, { crypto });
      } catch (error) {
        expect((error as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
      }
    });
  }

  for (const url of [
    'https://bank.example/jwks.json',
    'http://localhost:8080/jwks.json',
    'http://127.0.0.1/jwks.json',
    'http://127.1.2.3:9000/jwks.json',
    'http://[::1]:8080/jwks.json',
  ]) {
    it(`SHO-FETCH-1: accepts ${url}`, () => {
      const keys = createRemoteKeySet(new URL(url), { crypto, fetch: viaMsw });
      expect(keys.state()).toMatchObject({ url: new URL(url).href, fetchCount: 0, kids: [], stale: false });
    });
  }

  it('SHO-FETCH-1: checks the options when constructed, not on first use', () => {
    const bad: Array<Partial<RemoteKeySetOptions>> = [
      { crypto: undefined as unknown as RemoteKeySetOptions['crypto'] },
      { timeoutMs: 0 },
      { bodyTimeoutMs: -1 },
      { maxBodyBytes: 1.5 },
      { minCacheSeconds: 100, maxCacheSeconds: 10 },
      { cooldownSeconds: Number.NaN },
      { maxStaleSeconds: -5 },
      { fetch: 'fetch' as unknown as RemoteKeySetOptions['fetch'] },
      { clock: 0 as unknown as RemoteKeySetOptions['clock'] },
    ];
    for (const options of bad) {
      expect(() => createRemoteKeySet(JWKS_URL, { crypto, ...options } as RemoteKeySetOptions)).toThrowError(TypeError);
    }
  });

  it('SHO-FETCH-12: resolve refuses a non-string kid or an unknown alg as a caller mistake', async () => {
    const keys = createRemoteKeySet(JWKS_URL, { crypto, fetch: viaMsw });
    await expect(keys.resolve('' as string, 'ES256')).rejects.toThrowError(TypeError);
    await expect(keys.resolve(42 as unknown as string, 'ES256')).rejects.toThrowError(TypeError);
    await expect(keys.resolve('kid', 'HS256' as unknown as 'ES256')).rejects.toThrowError(TypeError);
    expect(keys.state().fetchCount).toBe(0);
  });
});
