import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { fetchPartyMetadata } from '../../src/transport/fetch-metadata.js';
import { BANK, bankMetadataDocument } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const METADATA = bankMetadataDocument(BANK);

function serve(response: () => Response): void {
  server.use(http.get(`${BANK}/.well-known/shomei`, response));
}

async function failure(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

describe('fetchPartyMetadata', () => {
  it('SHO-KEY-1: fetches <party>/.well-known/shomei and returns the validated document', async () => {
    serve(() => HttpResponse.json(METADATA));
    expect(await fetchPartyMetadata(BANK)).toEqual(METADATA);
  });

  it('SHO-KEY-2: a document naming another issuer is FETCH_FAILED (issuer_mismatch)', async () => {
    serve(() => HttpResponse.json({ ...METADATA, issuer: 'https://evil.example' }));
    expect(await failure(fetchPartyMetadata(BANK))).toMatchObject({ code: 'FETCH_FAILED', reason: 'issuer_mismatch' });
  });

  it('SHO-KEY-2: an issuer that differs only by a trailing slash is a mismatch too', async () => {
    serve(() => HttpResponse.json({ ...METADATA, issuer: `${BANK}/` }));
    expect(await failure(fetchPartyMetadata(BANK))).toMatchObject({ code: 'FETCH_FAILED' });
  });

  it('SHO-KEY-1: a document with an http endpoint on a public host is FETCH_FAILED (invalid_metadata)', async () => {
    serve(() => HttpResponse.json({ ...METADATA, assertion_endpoint: 'http://bank.example/shomei/assertion' }));
    expect(await failure(fetchPartyMetadata(BANK))).toMatchObject({ code: 'FETCH_FAILED', reason: 'invalid_metadata', claim: 'assertion_endpoint' });
  });

  it('SHO-FETCH-2: a redirect is not followed', async () => {
    serve(() => new HttpResponse(null, { status: 302, headers: { location: 'https://evil.example/.well-known/shomei' } }));
    expect(await failure(fetchPartyMetadata(BANK))).toMatchObject({ code: 'FETCH_FAILED', reason: 'redirect' });
  });

  it('SHO-FETCH-3: a status other than 200 is FETCH_FAILED (status)', async () => {
    serve(() => new HttpResponse('gone', { status: 404, headers: { 'content-type': 'text/plain' } }));
    expect(await failure(fetchPartyMetadata(BANK))).toMatchObject({ code: 'FETCH_FAILED', reason: 'status' });
  });

  it('SHO-FETCH-4: a document served as text/html is FETCH_FAILED (content_type)', async () => {
    serve(() => new HttpResponse(JSON.stringify(METADATA), { headers: { 'content-type': 'text/html' } }));
    expect(await failure(fetchPartyMetadata(BANK))).toMatchObject({ code: 'FETCH_FAILED', reason: 'content_type' });
  });

  it('SHO-FETCH-5: a document over the size cap is FETCH_FAILED (too_large)', async () => {
    serve(() => HttpResponse.json({ ...METADATA, organization_name: 'x'.repeat(100) , padding: 'y'.repeat(70_000) }));
    expect(await failure(fetchPartyMetadata(BANK))).toMatchObject({ code: 'FETCH_FAILED', reason: 'too_large' });
  });

  it('SHO-FETCH-7: a top-level array is FETCH_FAILED (not_json)', async () => {
    serve(() => new HttpResponse('[]', { headers: { 'content-type': 'application/json' } }));
    expect(await failure(fetchPartyMetadata(BANK))).toMatchObject({ code: 'FETCH_FAILED', reason: 'not_json' });
  });

  it('SHO-ERR-5: a party identifier that is not an https URL is a caller mistake (TypeError)', async () => {
    await expect(fetchPartyMetadata('http://bank.example')).rejects.toThrow(TypeError);
  });
});
