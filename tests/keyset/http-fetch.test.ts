/**
 * The default transport (undici's fetch with an undici Agent) against a real node:http server on
 * 127.0.0.1: msw cannot intercept undici's own fetch, so this is where the production path is proven.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createDefaultHttpGet, createFetchHttpGet, type FetchFunction } from '../../src/keyset/http-fetch.js';
import { createRemoteKeySet, type RemoteKeySetOptions } from '../../src/keyset/remote-key-set.js';
import { countingBackend, generateTestKey, type TestKey } from './fixtures.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let handler: Handler;
const hits = new Map<string, number>();
let es256: TestKey;

beforeAll(async () => {
  es256 = await generateTestKey('ES256');
  server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  hits.clear();
  server.closeAllConnections();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function jwksBody(): string {
  return JSON.stringify({ keys: [es256.publicJwk] });
}

function keySet(options: Partial<RemoteKeySetOptions> = {}) {
  return createRemoteKeySet(`${base}/jwks`, { crypto: countingBackend(), timeoutMs: 500, bodyTimeoutMs: 500, ...options });
}

async function failure(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

describe('default undici transport (SHO-FETCH)', () => {
  it('SHO-FETCH-7: fetches and resolves a key over loopback http', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' });
      res.end(jwksBody());
    };
    const keys = keySet();
    await expect(keys.resolve(es256.kid, 'ES256')).resolves.toMatchObject({ kid: es256.kid });
    await keys.resolve(es256.kid, 'ES256');
    expect(hits.get('/jwks')).toBe(1);
    expect(keys.state().fetchCount).toBe(1);
  });

  it('SHO-FETCH-15: asks for a JWK set and sends no credentials', async () => {
    let seen: IncomingMessage['headers'] = {};
    handler = (req, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'set-cookie': 'session=1' });
      res.end(jwksBody());
    };
    const keys = keySet({ minCacheSeconds: 0, defaultCacheSeconds: 0 });
    await keys.resolve(es256.kid, 'ES256');
    await keys.resolve(es256.kid, 'ES256');
    expect(hits.get('/jwks')).toBe(2);
    expect(seen['accept']).toBe('application/jwk-set+json, application/json');
    expect(seen['cookie']).toBeUndefined();
    expect(seen['authorization']).toBeUndefined();
  });

  it('SHO-FETCH-2: returns a redirect as it is, without following it', async () => {
    handler = (req, res) => {
      if (req.url === '/elsewhere') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(jwksBody());
        return;
      }
      res.writeHead(302, { location: `${base}/elsewhere` });
      res.end();
    };
    const get = createDefaultHttpGet({ timeoutMs: 500, bodyTimeoutMs: 500, maxBodyBytes: 65_536 });
    const response = await get(new URL(`${base}/jwks`), { timeoutMs: 500, bodyTimeoutMs: 500, maxBodyBytes: 65_536 });
    expect(response.status).toBe(302);
    expect(response.headers['location']).toBe(`${base}/elsewhere`);
    const error = await failure(keySet().resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('redirect');
    expect(hits.get('/elsewhere')).toBeUndefined();
  });

  it('SHO-FETCH-6: response headers that never come are a timeout', async () => {
    handler = () => {
      // never answer
    };
    const error = await failure(keySet({ timeoutMs: 100 }).resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('timeout');
  });

  it('SHO-FETCH-6: a body that stalls is a timeout', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
    };
    const error = await failure(keySet({ bodyTimeoutMs: 100 }).resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('timeout');
  });

  it('SHO-FETCH-5: a chunked 1 MiB body is cut off at the cap', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 16) {
          sent += 1;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    };
    const error = await failure(keySet({ maxBodyBytes: 65_536 }).resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('too_large');
  });

  it('SHO-FETCH-5: a Content-Length above the cap is refused', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
      res.write(' ');
    };
    const error = await failure(keySet({ maxBodyBytes: 65_536 }).resolve(es256.kid, 'ES256'));
    expect(error.reason).toBe('too_large');
  });

  it('SHO-FETCH-5: the cap counts decoded bytes, so a gzip bomb is refused', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(65_536);
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    };
    const error = await failure(keySet({ maxBodyBytes: 65_536 }).resolve(es256.kid, 'ES256'));
    expect(error.reason).toBe('too_large');
  });

  it('SHO-FETCH-6: a refused connection is KEYS_UNAVAILABLE (network)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const keys = createRemoteKeySet(`http://127.0.0.1:${port}/jwks`, { crypto: countingBackend(), timeoutMs: 500 });
    const error = await failure(keys.resolve(es256.kid, 'ES256'));
    expect(error.code).toBe('KEYS_UNAVAILABLE');
    expect(error.reason).toBe('network');
  });

  it('SHO-FETCH-3: returns status, lower-case headers and the body bytes', async () => {
    handler = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain', 'X-Trace': 'abc' });
      res.end('nope');
    };
    const limits = { timeoutMs: 500, bodyTimeoutMs: 500, maxBodyBytes: 1024 };
    const response = await createDefaultHttpGet(limits)(new URL(`${base}/jwks`), limits);
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.headers['x-trace']).toBe('abc');
    expect(new TextDecoder().decode(response.body)).toBe('nope');
  });
});

describe('createFetchHttpGet over a fetch that ignores its signal (the shared readCapped)', () => {
  const LIMITS = { timeoutMs: 200, bodyTimeoutMs: 50, maxBodyBytes: 64 };
  const URL_ = new URL('https://bank.example/jwks');

  /** A fetch double whose body is `chunks`, then (when `stall`) never ends; it records a cancel. */
  function double(chunks: Uint8Array[], stall = false) {
    const seen = { cancelled: false };
    let index = 0;
    const fetchFn: FetchFunction = async () =>
      new Response(
        new ReadableStream<Uint8Array>(
          {
            pull(controller) {
              const chunk = chunks[index++];
              if (chunk !== undefined) controller.enqueue(chunk);
              else if (stall) return new Promise<void>(() => undefined);
              else controller.close();
              return undefined;
            },
            cancel() {
              seen.cancelled = true;
            },
          },
          { highWaterMark: 0 },
        ),
        { status: 200 },
      );
    return { get: createFetchHttpGet(fetchFn), seen };
  }

  it('SHO-FETCH-6: a body that stalls is a timeout even when the fetch ignores the abort, and is cancelled', async () => {
    const { get, seen } = double([new Uint8Array(10)], true);
    expect(await failure(get(URL_, LIMITS))).toMatchObject({ code: 'FETCH_FAILED', reason: 'timeout' });
    expect(seen.cancelled).toBe(true);
  });

  it('SHO-FETCH-5: a body crossing maxBodyBytes mid-chunk is too_large, and is cancelled', async () => {
    const { get, seen } = double([new Uint8Array(40), new Uint8Array(40)], true);
    expect(await failure(get(URL_, LIMITS))).toMatchObject({ code: 'FETCH_FAILED', reason: 'too_large' });
    expect(seen.cancelled).toBe(true);
  });

  it('SHO-FETCH-5: a body of exactly maxBodyBytes in chunks is returned whole', async () => {
    const { get } = double([new Uint8Array(40), new Uint8Array(24)]);
    expect((await get(URL_, LIMITS)).body.byteLength).toBe(64);
  });
});
