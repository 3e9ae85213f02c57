import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createBankEndpoints, type BankEndpoints } from '../../src/transport/bank-endpoints.js';
import { PartnerError } from '../../src/transport/partner-error.js';
import { createRelyingPartyClient, type RelyingPartyClient, type PushedRequest } from '../../src/transport/relying-party-client.js';
import { ACCOUNT, BANK, BROKER, BROKER_CALLBACK, passkeyAuthentication, VERIFIED_CLAIMS, world, type World } from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let w: World;
let bank: BankEndpoints;
let client: RelyingPartyClient;

/** The bank's real handlers behind msw: the client talks HTTP to them. */
function serveBank(): void {
  server.use(
    http.post(`${BANK}/shomei/request`, ({ request }) => bank.handlePush(request)),
    http.post(`${BANK}/shomei/assertion`, ({ request }) => bank.handleExchange(request)),
    http.post(`${BANK}/shomei/nonce`, ({ request }) => bank.handleNonce(request)),
  );
}

beforeEach(async () => {
  w = await world();
  bank = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now });
  client = createRelyingPartyClient({ issuer: w.broker.issuer, verifier: w.brokerVerifier, timeoutMs: 500 });
});

const LINK_INPUT = { action: 'account_link', redirect_uri: BROKER_CALLBACK, account: { ...ACCOUNT }, identity: { name: '山田 太郎', name_kana: 'ヤマダ タロウ', birthdate: '1985-04-01' } } as const;

async function failure(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

/** Runs the bank's side of the browser step: take the pushed request, sign a link, redirect. */
async function bankAuthorizes(pushed: PushedRequest, overrides: Record<string, unknown> = {}): Promise<URLSearchParams> {
  const start = await bank.beginAuthorization(new URL(client.authorizationUrl(w.bankMetadata, client.clientId, pushed.request_uri)).searchParams);
  if (!start.ok) throw new Error(start.error);
  const issued = await w.bank.issuer.link({
    aud: start.pushed.clientId,
    sub: 'customer-0000000000001',
    nonce: start.pushed.claims.nonce,
    request: start.pushed.request,
    action: 'account_link',
    account: { ...ACCOUNT },
    verified_claims: VERIFIED_CLAIMS,
    identity_match: { name: 'match', name_kana: 'match', birthdate: 'match' },
    ...passkeyAuthentication(w.clock.now()),
    ...overrides,
  } as never);
  return new URL(await bank.completeAuthorization(start.pushed, issued)).searchParams;
}

describe('push', () => {
  it('SHO-FLOW-5: pushes { request } signed for the bank and keeps what the flow needs', async () => {
    let sent: Record<string, unknown> = {};
    server.use(
      http.post(`${BANK}/shomei/request`, async ({ request }) => {
        sent = (await request.clone().json()) as Record<string, unknown>;
        return bank.handlePush(request);
      }),
    );
    const pushed = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    expect(Object.keys(sent)).toEqual(['request']);
    expect(sent.request).toBe(pushed.request);
    expect(pushed.claims.aud).toBe(BANK);
    expect(pushed.claims.iss).toBe(BROKER);
    expect(pushed.nonce).toBe(pushed.claims.nonce);
    expect(pushed.state).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(pushed.request_uri).toMatch(/^urn:shomei:request:/);
  });

  it('SHO-FLOW-3: a protocol error response becomes a PartnerError with the bank error code', async () => {
    server.use(http.post(`${BANK}/shomei/request`, () => HttpResponse.json({ error: 'KYC_MISSING', error_description: 'no' }, { status: 403 })));
    const error = await failure(client.pushRequest(w.bankMetadata, LINK_INPUT));
    expect(error).toBeInstanceOf(PartnerError);
    expect(error).toMatchObject({ code: 'FETCH_FAILED', reason: 'refused', status: 403, partnerError: 'KYC_MISSING' });
  });

  it('SHO-FLOW-3: an error code outside the closed list is not passed on', async () => {
    server.use(http.post(`${BANK}/shomei/request`, () => HttpResponse.json({ error: 'invalid_request' }, { status: 400 })));
    const error = (await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))) as PartnerError;
    expect(error.partnerError).toBeUndefined();
  });

  it('SHO-FLOW-5: a push answered 200 instead of 201 is FETCH_FAILED (status)', async () => {
    server.use(http.post(`${BANK}/shomei/request`, () => HttpResponse.json({ request_uri: 'urn:shomei:request:AAAAAAAAAAAAAAAAAAAAAA', expires_in: 60 })));
    expect(await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'status' });
  });

  it('SHO-FLOW-5: a request_uri of the wrong form is FETCH_FAILED (invalid_response)', async () => {
    server.use(http.post(`${BANK}/shomei/request`, () => HttpResponse.json({ request_uri: 'https://evil.example/', expires_in: 60 }, { status: 201 })));
    expect(await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'invalid_response' });
  });

  it('SHO-FLOW-1: a redirect is never followed', async () => {
    server.use(http.post(`${BANK}/shomei/request`, () => new HttpResponse(null, { status: 307, headers: { location: 'https://evil.example/collect' } })));
    expect(await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'redirect' });
  });

  it('SHO-FLOW-1: an answer that is not application/json is FETCH_FAILED (content_type)', async () => {
    server.use(http.post(`${BANK}/shomei/request`, () => new HttpResponse('{"request_uri":"x"}', { status: 201, headers: { 'content-type': 'text/html' } })));
    expect(await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'content_type' });
  });

  it('SHO-FLOW-1: a JSON body with duplicate members is FETCH_FAILED (not_json)', async () => {
    server.use(http.post(`${BANK}/shomei/request`, () => new HttpResponse('{"expires_in":60,"expires_in":600}', { status: 201, headers: { 'content-type': 'application/json' } })));
    expect(await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'not_json' });
  });

  it('SHO-FLOW-1: a body larger than the cap is abandoned (too_large)', async () => {
    const big = JSON.stringify({ request_uri: 'x'.repeat(70_000) });
    server.use(http.post(`${BANK}/shomei/request`, () => new HttpResponse(big, { status: 201, headers: { 'content-type': 'application/json' } })));
    expect(await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'too_large' });
  });

  it('SHO-FLOW-1: a bank that never answers times out (timeout)', async () => {
    server.use(http.post(`${BANK}/shomei/request`, async () => {
      await delay('infinite');
      return HttpResponse.json({});
    }));
    expect(await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'timeout' });
  });

  it('SHO-FLOW-1: a network error is FETCH_FAILED (network)', async () => {
    server.use(http.post(`${BANK}/shomei/request`, () => HttpResponse.error()));
    expect(await failure(client.pushRequest(w.bankMetadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'network' });
  });

  it('SHO-FLOW-1: an endpoint over plain http on a public host is refused before any request', async () => {
    const metadata = { ...w.bankMetadata, request_endpoint: 'http://bank.example/shomei/request' };
    expect(await failure(client.pushRequest(metadata, LINK_INPUT))).toMatchObject({ code: 'FETCH_FAILED', reason: 'url' });
  });
});

describe('redirect and exchange', () => {
  it('SHO-FLOW-8: the authorization URL carries client_id and request_uri', async () => {
    const url = new URL(client.authorizationUrl(w.bankMetadata, client.clientId, 'urn:shomei:request:abc'));
    expect(`${url.origin}${url.pathname}`).toBe(w.bankMetadata.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: BROKER, request_uri: 'urn:shomei:request:abc' });
  });

  it('SHO-FLOW-11: a redirect with another state is REQUEST_MISMATCH', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    const params = await bankAuthorizes(pushed);
    params.set('state', 'someone-elses-state');
    expect(() => client.readCallback(pushed, params)).toThrow(expect.objectContaining({ code: 'REQUEST_MISMATCH' }));
  });

  it('SHO-FLOW-11: a redirect whose iss is not the bank of the flow is REQUEST_MISMATCH', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    const params = await bankAuthorizes(pushed);
    params.set('iss', 'https://mix-up.example');
    expect(() => client.readCallback(pushed, params)).toThrow(expect.objectContaining({ code: 'REQUEST_MISMATCH' }));
  });

  it('SHO-FLOW-10: a redirect with error returns the code without exchanging', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    const params = new URLSearchParams({ error: 'ISSUANCE_REFUSED', state: pushed.state, iss: BANK });
    expect(client.readCallback(pushed, params)).toEqual({ error: 'ISSUANCE_REFUSED' });
  });

  it('SHO-FLOW-14: the whole flow ends in an allowed link decision', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    const result = client.readCallback(pushed, await bankAuthorizes(pushed));
    if (!('code' in result)) throw new Error('no code');
    const decision = await client.redeem(w.bankMetadata, pushed, result.code);
    expect(decision.reasons).toEqual([]);
    expect(decision.outcome).toBe('allow');
  });

  it('SHO-FLOW-14: a code exchanged twice fails the second time with the bank REPLAYED', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    const result = client.readCallback(pushed, await bankAuthorizes(pushed));
    if (!('code' in result)) throw new Error('no code');
    await client.exchangeCode(w.bankMetadata, result.code);
    expect(await failure(client.exchangeCode(w.bankMetadata, result.code))).toMatchObject({ partnerError: 'REPLAYED', status: 400 });
  });

  it('SHO-FLOW-15: the assertion is verified as the kind the request implies, whatever kind the bank names', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    const result = client.readCallback(pushed, await bankAuthorizes(pushed));
    if (!('code' in result)) throw new Error('no code');
    const { assertion } = await client.exchangeCode(w.bankMetadata, result.code);
    // A bank (or a proxy) that relabels the answer does not change how it is verified.
    server.use(http.post(`${BANK}/shomei/assertion`, () => HttpResponse.json({ assertion, kind: 'transaction' })));
    const decision = await client.redeem(w.bankMetadata, pushed, 'any-code-0000000000000');
    expect(decision.kind).toBe('link');
    expect(decision.outcome).toBe('allow');
  });

  it('SHO-FLOW-14: an exchange answer without an assertion string is FETCH_FAILED (invalid_response)', async () => {
    server.use(http.post(`${BANK}/shomei/assertion`, () => HttpResponse.json({ assertion: 42, kind: 'link' })));
    expect(await failure(client.exchangeCode(w.bankMetadata, 'code-000000000000000000'))).toMatchObject({ code: 'FETCH_FAILED', reason: 'invalid_response' });
  });

  it('SHO-LINK-7: a link for another account than the request is denied ACCOUNT_MISMATCH', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    const params = await bankAuthorizes(pushed, { account: { ...ACCOUNT, number: '7777777' } });
    const result = client.readCallback(pushed, params);
    if (!('code' in result)) throw new Error('no code');
    const decision = await client.redeem(w.bankMetadata, pushed, result.code);
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons.map((reason) => reason.code)).toContain('ACCOUNT_MISMATCH');
  });
});

describe('payout (redeem with the linked subject)', () => {
  const LINKED_SUB = 'customer-0000000000001';
  const TRANSACTION = { type: 'payout', amount: { currency: 'JPY', value: '150000' }, payee: { ...ACCOUNT } } as const;
  const PAYOUT_INPUT = { action: 'payout', redirect_uri: BROKER_CALLBACK, account: { ...ACCOUNT }, transaction: TRANSACTION } as const;

  /** The bank's side of a payout: a transaction assertion authorised by `sub`, and the redirect's code. */
  async function payoutCode(pushed: PushedRequest, sub: string): Promise<string> {
    const start = await bank.beginAuthorization(new URL(client.authorizationUrl(w.bankMetadata, client.clientId, pushed.request_uri)).searchParams);
    if (!start.ok) throw new Error(start.error);
    const issued = await w.bank.issuer.transaction({ aud: start.pushed.clientId, sub, nonce: start.pushed.claims.nonce, request: start.pushed.request, transaction: TRANSACTION, ...passkeyAuthentication(w.clock.now()) } as never);
    const result = client.readCallback(pushed, new URL(await bank.completeAuthorization(start.pushed, issued)).searchParams);
    if (!('code' in result)) throw new Error('no code');
    return result.code;
  }

  it('SHO-TXN-9: a payout authorised by the holder who linked the account is allowed', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, PAYOUT_INPUT as never);
    const decision = await client.redeem(w.bankMetadata, pushed, await payoutCode(pushed, LINKED_SUB), { subject: LINKED_SUB });
    expect(decision).toMatchObject({ outcome: 'allow', kind: 'transaction', reasons: [] });
  });

  it('SHO-TXN-9: a payout authorised by another customer than the linked holder is denied ACCOUNT_MISMATCH', async () => {
    serveBank();
    const pushed = await client.pushRequest(w.bankMetadata, PAYOUT_INPUT as never);
    const decision = await client.redeem(w.bankMetadata, pushed, await payoutCode(pushed, 'customer-0000000000002'), { subject: LINKED_SUB });
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons.map((reason) => [reason.code, reason.requirement])).toEqual([['ACCOUNT_MISMATCH', 'SHO-TXN-9']]);
  });

  it('SHO-TXN-9: a subject for a link flow, or an empty one, is a caller mistake refused before the code is spent', async () => {
    serveBank();
    const link = await client.pushRequest(w.bankMetadata, LINK_INPUT);
    const linkResult = client.readCallback(link, await bankAuthorizes(link));
    if (!('code' in linkResult)) throw new Error('no code');
    await expect(client.redeem(w.bankMetadata, link, linkResult.code, { subject: LINKED_SUB })).rejects.toThrow(TypeError);
    expect((await client.redeem(w.bankMetadata, link, linkResult.code)).outcome).toBe('allow');
    const payout = await client.pushRequest(w.bankMetadata, PAYOUT_INPUT as never);
    const code = await payoutCode(payout, LINKED_SUB);
    await expect(client.redeem(w.bankMetadata, payout, code, { subject: '' })).rejects.toThrow(TypeError);
    expect((await client.redeem(w.bankMetadata, payout, code, { subject: LINKED_SUB })).outcome).toBe('allow');
  });
});

describe('reverse flow', () => {
  it('SHO-FLOW-12: requestNonce returns the bank nonce; a malformed one is FETCH_FAILED', async () => {
    serveBank();
    const { nonce, expires_in } = await client.requestNonce(w.bankMetadata);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(expires_in).toBeGreaterThan(0);
    server.use(http.post(`${BANK}/shomei/nonce`, () => HttpResponse.json({ nonce: 'short', expires_in: 60 })));
    expect(await failure(client.requestNonce(w.bankMetadata))).toMatchObject({ code: 'FETCH_FAILED', reason: 'invalid_response' });
  });

  it('SHO-FLOW-13: pushRequest sends identity_assertion beside the request', async () => {
    let sent: Record<string, unknown> = {};
    server.use(
      http.post(`${BANK}/shomei/request`, async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ request_uri: 'urn:shomei:request:AAAAAAAAAAAAAAAAAAAAAA', expires_in: 60 }, { status: 201 });
      }),
    );
    await client.pushRequest(w.bankMetadata, LINK_INPUT, { identityAssertion: 'a.b.c' });
    expect(sent.identity_assertion).toBe('a.b.c');
  });
});

describe('arguments', () => {
  it('SHO-ERR-5: a caller mistake is a TypeError, a missing endpoint in partner metadata is not', async () => {
    expect(() => createRelyingPartyClient({ issuer: w.broker.issuer, verifier: {} as never })).toThrow(TypeError);
    await expect(client.pushRequest(w.bankMetadata, { ...LINK_INPUT, aud: BANK } as never)).rejects.toThrow(TypeError);
    const { request_endpoint: _dropped, ...withoutPush } = w.bankMetadata;
    expect(await failure(client.pushRequest(withoutPush, LINK_INPUT))).toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
