/**
 * The JWKS and metadata handlers (spec/11-keys.md SHO-KEY-1, SHO-KEY-3, SHO-KEY-6): public members
 * only, the cache headers verifiers rely on for rotation, revalidation, and validation at construction.
 */
import { describe, expect, it } from 'vitest';
import { createJwksHandler, createMetadataHandler } from '../../src/issuer/handlers.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import type { PrivateJwk, PublicJwk } from '../../src/keys/types.js';
import type { PartyMetadata } from '../../src/transport/metadata.js';
import { BANK, testKey } from '../helpers/world.js';
import { bankMetadataDocument } from '../transport/fixtures.js';

const [es, ed, rsa] = await Promise.all([testKey('ES256'), testKey('EdDSA'), testKey('PS256')]);
const ring = new KeyRing({
  keys: [
    { signer: es.signer, publicJwk: es.publicJwk, state: 'active' },
    { signer: ed.signer, publicJwk: ed.publicJwk, state: 'next' },
  ],
});
const JWKS_URL = `${BANK}/.well-known/jwks.json`;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const metadata: PartyMetadata = bankMetadataDocument(BANK, { jwks_uri: JWKS_URL });

function get(url: string, headers: Record<string, string> = {}): Request {
  return new Request(url, { headers });
}

function expectNoPrivateMembers(body: { keys: Array<Record<string, unknown>> }): void {
  for (const jwk of body.keys) for (const member of PRIVATE_MEMBERS) expect(jwk, `private member ${member}`).not.toHaveProperty(member);
}

describe('JWKS handler', () => {
  it('SHO-KEY-3: GET answers 200 application/jwk-set+json with Cache-Control public, max-age=300', async () => {
    const response = await createJwksHandler(ring)(get(JWKS_URL));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/jwk-set+json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('SHO-KEY-4: the body is { keys } with every ring key, public members only', async () => {
    const body = (await (await createJwksHandler(ring)(get(JWKS_URL))).json()) as { keys: PublicJwk[] };
    expect(body.keys.map((jwk) => jwk.kid)).toEqual([es.kid, ed.kid]);
    expectNoPrivateMembers(body as unknown as { keys: Array<Record<string, unknown>> });
    expect(body.keys[0]).toEqual(es.publicJwk);
  });

  it('SHO-KEY-6: the handler throws rather than publish a JWK with a private member', async () => {
    for (const jwk of [es.privateJwk, ed.privateJwk, rsa.privateJwk]) {
      const handler = createJwksHandler(() => ({ keys: [es.publicJwk, jwk] as PrivateJwk[] }));
      const thrown = await handler(get(JWKS_URL)).then(() => undefined, (error: unknown) => error);
      expect(thrown).toMatchObject({ code: 'KEY_INVALID', requirement: 'SHO-KEY-6' });
      expect(String((thrown as Error).message)).not.toContain(jwk.d);
    }
  });

  it('SHO-KEY-3: the response carries an ETag, and If-None-Match with it answers 304 without a body', async () => {
    const handler = createJwksHandler(ring);
    const first = await handler(get(JWKS_URL));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    const second = await handler(get(JWKS_URL, { 'if-none-match': etag! }));
    expect(second.status).toBe(304);
    expect(await second.text()).toBe('');
    expect(second.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('SHO-KEY-9: the ETag changes when a key is added, so a revalidating verifier sees the next key', async () => {
    const growing = new KeyRing({ keys: [{ signer: es.signer, publicJwk: es.publicJwk, state: 'active' }] });
    const handler = createJwksHandler(growing);
    const before = (await handler(get(JWKS_URL))).headers.get('etag')!;
    growing.add({ signer: ed.signer, publicJwk: ed.publicJwk });
    const after = await handler(get(JWKS_URL, { 'if-none-match': before }));
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('SHO-KEY-3: POST answers 405 with Allow: GET, HEAD', async () => {
    const response = await createJwksHandler(ring)(new Request(JWKS_URL, { method: 'POST', body: '{}' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('SHO-KEY-3: HEAD answers 200 with the headers and no body', async () => {
    const response = await createJwksHandler(ring)(new Request(JWKS_URL, { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await response.text()).toBe('');
  });

  it('SHO-KEY-3: a maxAge outside 0–86400 is refused at construction (TypeError)', () => {
    expect(() => createJwksHandler(ring, { maxAge: -1 })).toThrow(TypeError);
    expect(() => createJwksHandler(ring, { maxAge: 1.5 })).toThrow(TypeError);
  });
});

describe('metadata handler', () => {
  it('SHO-KEY-3: GET answers 200 application/json with Cache-Control public, max-age=300 and the document', async () => {
    const response = await createMetadataHandler(metadata)(get(`${BANK}/.well-known/shomei`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await response.json()).toEqual(metadata);
  });

  it('SHO-KEY-3: POST answers 405', async () => {
    const response = await createMetadataHandler(metadata)(new Request(`${BANK}/.well-known/shomei`, { method: 'POST' }));
    expect(response.status).toBe(405);
  });

  it('SHO-KEY-1: an issuer that is not an https URL is refused at construction, not at the first request', () => {
    let thrown: unknown;
    try {
      createMetadataHandler({ ...metadata, issuer: 'http://bank.example' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
  });

  it('SHO-KEY-1: metadata without jwks_uri is refused at construction', () => {
    const { jwks_uri: _dropped, ...rest } = metadata;
    expect(() => createMetadataHandler(rest as PartyMetadata)).toThrow(TypeError);
  });

  it('SHO-KEY-1: metadata with an unknown kind is refused at construction', () => {
    expect(() => createMetadataHandler({ ...metadata, kinds_supported: ['link', 'id_token'] } as unknown as PartyMetadata)).toThrow(TypeError);
  });

  it('SHO-KEY-1: metadata with an empty roles list is refused at construction', () => {
    expect(() => createMetadataHandler({ ...metadata, roles: [] })).toThrow(TypeError);
  });
});
