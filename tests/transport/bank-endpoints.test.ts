import { beforeEach, describe, expect, it } from 'vitest';
import { createBankEndpoints, seeOther, type BankEndpoints, type PushedRequestRecord } from '../../src/transport/bank-endpoints.js';
import { createMemoryOneTimeStore, type OneTimeStore } from '../../src/transport/one-time-store.js';
import { ACCOUNT, BANK, BROKER, BROKER_CALLBACK, errorOf, OTHER_ACCOUNT, passkeyAuthentication, post, VERIFIED_CLAIMS, WALLET, WALLET_CALLBACK, world, type World } from './fixtures.js';

const PUSH = `${BANK}/shomei/request`;
const EXCHANGE = `${BANK}/shomei/assertion`;
const NONCE = `${BANK}/shomei/nonce`;

let w: World;
let endpoints: BankEndpoints;

beforeEach(async () => {
  w = await world();
  endpoints = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now });
});

async function linkRequest(overrides: Record<string, unknown> = {}) {
  return w.broker.issuer.request({ aud: BANK, action: 'account_link', redirect_uri: BROKER_CALLBACK, state: 'state-1', account: { ...ACCOUNT }, ...overrides } as never);
}

async function pushed(): Promise<PushedRequestRecord> {
  const { token } = await linkRequest();
  const response = await endpoints.handlePush(post(PUSH, { request: token }));
  const { request_uri } = (await response.json()) as { request_uri: string };
  const start = await endpoints.beginAuthorization(new URLSearchParams({ client_id: BROKER, request_uri }));
  if (!start.ok) throw new Error(start.error);
  return start.pushed;
}

/** A direct-debit request and the identity assertion of a wallet customer without KYC, naming `nonce`. */
async function walletWithoutKyc(nonce: string): Promise<{ request: string; identity: string }> {
  const { token: request } = await w.wallet.issuer.request({ aud: BANK, action: 'direct_debit_registration', redirect_uri: WALLET_CALLBACK, state: 'w', account: { ...ACCOUNT } } as never);
  const { token: identity } = await w.wallet.issuer.identity({
    aud: BANK,
    sub: 'wallet-user-000000000002',
    nonce,
    action: 'direct_debit_registration',
    account: { ...ACCOUNT },
    kyc_status: 'none',
    amr: ['pwd', 'otp'],
    auth_time: Math.floor(w.clock.now() / 1000),
    aal: 'aal2',
    phishing_resistant: false,
  } as never);
  return { request, identity };
}

async function linkFor(record: PushedRequestRecord) {
  return w.bank.issuer.link({
    aud: record.clientId,
    sub: 'customer-0000000000001',
    nonce: record.claims.nonce,
    request: record.request,
    action: 'account_link',
    account: { ...ACCOUNT },
    verified_claims: VERIFIED_CLAIMS,
    ...passkeyAuthentication(w.clock.now()),
  } as never);
}

describe('push (spec/12-transport.md §12.2)', () => {
  it('SHO-FLOW-5: a verified request is answered 201 with a request_uri and expires_in', async () => {
    const { token } = await linkRequest();
    const response = await endpoints.handlePush(post(PUSH, { request: token }));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { request_uri: string; expires_in: number };
    expect(body.request_uri).toMatch(/^urn:shomei:request:[A-Za-z0-9_-]{22,}$/);
    expect(body.expires_in).toBe(300);
  });

  it('SHO-FLOW-2: push answers, successful or not, carry Cache-Control: no-store', async () => {
    const { token } = await linkRequest();
    const ok = await endpoints.handlePush(post(PUSH, { request: token }));
    const bad = await endpoints.handlePush(post(PUSH, { request: 'x' }));
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(bad.headers.get('cache-control')).toBe('no-store');
    expect(bad.headers.get('content-type')).toBe('application/json');
  });

  it('SHO-FLOW-6: a request_uri never outlives the request exp', async () => {
    const { token } = await linkRequest();
    w.clock.advance(250);
    const response = await endpoints.handlePush(post(PUSH, { request: token }));
    expect(((await response.json()) as { expires_in: number }).expires_in).toBe(50);
  });

  it('SHO-FLOW-7: a method other than POST is 405 with Allow', async () => {
    const response = await endpoints.handlePush(new Request(PUSH));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('SHO-FLOW-7: a body over 64 KiB is 413 TOKEN_TOO_LARGE', async () => {
    const response = await endpoints.handlePush(post(PUSH, { request: 'a'.repeat(70_000) }));
    expect(await errorOf(response)).toMatchObject({ status: 413, error: 'TOKEN_TOO_LARGE' });
  });

  it('SHO-FLOW-7: a body that is not a JSON object is 400 MALFORMED_TOKEN', async () => {
    expect(await errorOf(await endpoints.handlePush(post(PUSH, '[1]')))).toMatchObject({ status: 400, error: 'MALFORMED_TOKEN' });
    expect(await errorOf(await endpoints.handlePush(post(PUSH, '{"request":"a","request":"b"}')))).toMatchObject({ status: 400, error: 'MALFORMED_TOKEN' });
  });

  it('SHO-FLOW-7: a body without the request member is 400 MALFORMED_TOKEN', async () => {
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { req: 'x' })))).toMatchObject({ status: 400, error: 'MALFORMED_TOKEN' });
  });

  it('SHO-REQ-13: a request signed with another key than the trusted one is 401 SIGNATURE_INVALID or KEY_NOT_FOUND', async () => {
    const { token } = await w.impostor.issuer.request({ aud: BANK, action: 'account_link', redirect_uri: BROKER_CALLBACK, state: 's', account: { ...ACCOUNT } } as never);
    const { status, error } = await errorOf(await endpoints.handlePush(post(PUSH, { request: token })));
    expect(status).toBe(401);
    expect(['SIGNATURE_INVALID', 'KEY_NOT_FOUND']).toContain(error);
  });

  it('SHO-ROLE-7: a relying party the bank does not trust is 401 ISSUER_UNKNOWN', async () => {
    const { token } = await w.stranger.issuer.request({ aud: BANK, action: 'account_link', redirect_uri: 'https://stranger.example/cb', state: 's', account: { ...ACCOUNT } } as never);
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { request: token })))).toMatchObject({ status: 401, error: 'ISSUER_UNKNOWN' });
  });

  it('SHO-REQ-5: a redirect_uri not registered for the relying party is refused', async () => {
    const { token } = await linkRequest({ redirect_uri: 'https://broker.example/elsewhere' });
    const { status, error } = await errorOf(await endpoints.handlePush(post(PUSH, { request: token })));
    expect(status).toBe(400);
    expect(error).toBe('CLAIMS_INVALID');
  });

  it('SHO-REQ-13: a request addressed to another bank is 400 AUDIENCE_MISMATCH', async () => {
    const { token } = await linkRequest({ aud: 'https://other-bank.example' });
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { request: token })))).toMatchObject({ status: 400, error: 'AUDIENCE_MISMATCH' });
  });

  it('SHO-REQ-14: pushing the same request twice is REPLAYED', async () => {
    const { token } = await linkRequest();
    expect((await endpoints.handlePush(post(PUSH, { request: token }))).status).toBe(201);
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { request: token })))).toMatchObject({ status: 400, error: 'REPLAYED' });
  });

  it('SHO-ROLE-2: a client_id that is not the request iss is REQUEST_MISMATCH', async () => {
    const { token } = await linkRequest();
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { client_id: WALLET, request: token })))).toMatchObject({ status: 400, error: 'REQUEST_MISMATCH' });
  });

  it('SHO-FLOW-3: error_description names no personal data from the request', async () => {
    const { token } = await linkRequest({ aud: 'https://other-bank.example', identity: { name: '山田 太郎', birthdate: '1985-04-01' } });
    const { description } = await errorOf(await endpoints.handlePush(post(PUSH, { request: token })));
    expect(typeof description).toBe('string');
    expect(String(description)).not.toMatch(/山田|1985|1234567/);
    expect((description as string).length).toBeLessThanOrEqual(256);
  });
});

describe('authorization endpoint (§12.3)', () => {
  it('SHO-FLOW-8: a request_uri is usable once; the second use is REPLAYED', async () => {
    const { token } = await linkRequest();
    const { request_uri } = (await (await endpoints.handlePush(post(PUSH, { request: token }))).json()) as { request_uri: string };
    const params = new URLSearchParams({ client_id: BROKER, request_uri });
    expect((await endpoints.beginAuthorization(params)).ok).toBe(true);
    expect(await endpoints.beginAuthorization(params)).toMatchObject({ ok: false, error: 'REPLAYED' });
  });

  it('SHO-FLOW-8: an unknown request_uri is REQUEST_MISMATCH', async () => {
    const start = await endpoints.beginAuthorization(new URLSearchParams({ client_id: BROKER, request_uri: 'urn:shomei:request:AAAAAAAAAAAAAAAAAAAAAA' }));
    expect(start).toMatchObject({ ok: false, error: 'REQUEST_MISMATCH' });
  });

  it('SHO-FLOW-8: an expired request_uri is TOKEN_EXPIRED', async () => {
    const { token } = await linkRequest();
    const { request_uri } = (await (await endpoints.handlePush(post(PUSH, { request: token }))).json()) as { request_uri: string };
    w.clock.advance(301);
    expect(await endpoints.beginAuthorization(new URLSearchParams({ client_id: BROKER, request_uri }))).toMatchObject({ ok: false, error: 'TOKEN_EXPIRED' });
  });

  it('SHO-FLOW-8: a client_id other than the pushing party is REQUEST_MISMATCH', async () => {
    const { token } = await linkRequest();
    const { request_uri } = (await (await endpoints.handlePush(post(PUSH, { request: token }))).json()) as { request_uri: string };
    expect(await endpoints.beginAuthorization(new URLSearchParams({ client_id: WALLET, request_uri }))).toMatchObject({ ok: false, error: 'REQUEST_MISMATCH' });
  });

  it('SHO-FLOW-8: a wrong client_id does not spend the request_uri; the pushing party still uses it once', async () => {
    const { token } = await linkRequest();
    const { request_uri } = (await (await endpoints.handlePush(post(PUSH, { request: token }))).json()) as { request_uri: string };
    expect(await endpoints.beginAuthorization(new URLSearchParams({ client_id: WALLET, request_uri }))).toMatchObject({ ok: false, error: 'REQUEST_MISMATCH' });
    expect(await endpoints.beginAuthorization(new URLSearchParams({ client_id: WALLET, request_uri }))).toMatchObject({ ok: false, error: 'REQUEST_MISMATCH' });
    const start = await endpoints.beginAuthorization(new URLSearchParams({ client_id: BROKER, request_uri }));
    expect(start.ok && start.pushed.clientId).toBe(BROKER);
    expect(await endpoints.beginAuthorization(new URLSearchParams({ client_id: BROKER, request_uri }))).toMatchObject({ ok: false, error: 'REPLAYED' });
  });

  it('SHO-FLOW-6: a request_uri probed with a wrong client_id still expires: the right client is then TOKEN_EXPIRED', async () => {
    const { token } = await linkRequest();
    const { request_uri } = (await (await endpoints.handlePush(post(PUSH, { request: token }))).json()) as { request_uri: string };
    expect(await endpoints.beginAuthorization(new URLSearchParams({ client_id: WALLET, request_uri }))).toMatchObject({ ok: false, error: 'REQUEST_MISMATCH' });
    w.clock.advance(301);
    expect(await endpoints.beginAuthorization(new URLSearchParams({ client_id: BROKER, request_uri }))).toMatchObject({ ok: false, error: 'TOKEN_EXPIRED' });
  });

  it('SHO-FLOW-6: of two concurrent presentations of one request_uri, exactly one gets the request', async () => {
    const { token } = await linkRequest();
    const { request_uri } = (await (await endpoints.handlePush(post(PUSH, { request: token }))).json()) as { request_uri: string };
    const params = new URLSearchParams({ client_id: BROKER, request_uri });
    const starts = await Promise.all([endpoints.beginAuthorization(params), endpoints.beginAuthorization(params), endpoints.beginAuthorization(params)]);
    expect(starts.filter((start) => start.ok)).toHaveLength(1);
    expect(starts.filter((start) => !start.ok)).toEqual([expect.objectContaining({ error: 'REPLAYED' }), expect.objectContaining({ error: 'REPLAYED' })]);
  });

  it('SHO-FLOW-8: a pushed-request store without peek() is refused at construction', () => {
    const { peek: _peek, ...withoutPeek } = createMemoryOneTimeStore<PushedRequestRecord>();
    expect(() => createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, pushedRequests: withoutPeek as never })).toThrow(TypeError);
  });

  it('SHO-FLOW-8: a repeated client_id parameter is REQUEST_MISMATCH', async () => {
    const params = new URLSearchParams([['client_id', BROKER], ['client_id', WALLET], ['request_uri', 'urn:shomei:request:x']]);
    expect(await endpoints.beginAuthorization(params)).toMatchObject({ ok: false, error: 'REQUEST_MISMATCH' });
  });

  it('SHO-FLOW-9: completion redirects to redirect_uri with code, state and iss', async () => {
    const record = await pushed();
    const location = new URL(await endpoints.completeAuthorization(record, await linkFor(record)));
    expect(`${location.origin}${location.pathname}`).toBe(BROKER_CALLBACK);
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(location.searchParams.get('state')).toBe('state-1');
    expect(location.searchParams.get('iss')).toBe(BANK);
    const response = seeOther(location.href);
    expect(response.status).toBe(303);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('SHO-FLOW-10: a customer-side failure redirects with error=ISSUANCE_REFUSED, state and iss', async () => {
    const record = await pushed();
    const location = new URL(endpoints.failAuthorization(record));
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'ISSUANCE_REFUSED', state: 'state-1', iss: BANK });
  });

  it('SHO-LINK-3: completion refuses an assertion addressed to another party', async () => {
    const record = await pushed();
    const issued = await linkFor({ ...record, clientId: WALLET });
    await expect(endpoints.completeAuthorization(record, issued)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  });
});

describe('exchange (§12.4)', () => {
  async function code(): Promise<string> {
    const record = await pushed();
    return new URL(await endpoints.completeAuthorization(record, await linkFor(record))).searchParams.get('code') as string;
  }

  it('SHO-FLOW-14: a code is exchanged once for { assertion, kind }', async () => {
    const response = await endpoints.handleExchange(post(EXCHANGE, { code: await code() }));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { assertion: string; kind: string };
    expect(body.kind).toBe('link');
    expect(body.assertion.split('.')).toHaveLength(3);
  });

  it('SHO-FLOW-14: a reused code is REPLAYED', async () => {
    const c = await code();
    await endpoints.handleExchange(post(EXCHANGE, { code: c }));
    expect(await errorOf(await endpoints.handleExchange(post(EXCHANGE, { code: c })))).toMatchObject({ status: 400, error: 'REPLAYED' });
  });

  it('SHO-FLOW-14: an unknown code is REQUEST_MISMATCH', async () => {
    expect(await errorOf(await endpoints.handleExchange(post(EXCHANGE, { code: 'bm90LWEtY29kZS1hdC1hbGw' })))).toMatchObject({ status: 400, error: 'REQUEST_MISMATCH' });
  });

  it('SHO-FLOW-14: a code older than 60 s is TOKEN_EXPIRED', async () => {
    const c = await code();
    w.clock.advance(61);
    expect(await errorOf(await endpoints.handleExchange(post(EXCHANGE, { code: c })))).toMatchObject({ status: 400, error: 'TOKEN_EXPIRED' });
  });

  it('SHO-FLOW-7: an exchange body without code is 400 MALFORMED_TOKEN', async () => {
    expect(await errorOf(await endpoints.handleExchange(post(EXCHANGE, { code: 5 })))).toMatchObject({ status: 400, error: 'MALFORMED_TOKEN' });
  });
});

describe('reverse flow (§12.5)', () => {
  async function nonce(): Promise<string> {
    const response = await endpoints.handleNonce(new Request(NONCE, { method: 'POST' }));
    expect(response.status).toBe(200);
    return ((await response.json()) as { nonce: string }).nonce;
  }

  async function directDebit(identity: Record<string, unknown>, requestOverrides: Record<string, unknown> = {}, bank: BankEndpoints = endpoints) {
    const { request, identityAssertion } = await directDebitTokens(identity, requestOverrides);
    return bank.handlePush(post(PUSH, { request, identity_assertion: identityAssertion }));
  }

  async function directDebitTokens(identity: Record<string, unknown>, requestOverrides: Record<string, unknown> = {}) {
    const { token: request } = await w.wallet.issuer.request({ aud: BANK, action: 'direct_debit_registration', redirect_uri: WALLET_CALLBACK, state: 'w-1', account: { ...ACCOUNT }, ...requestOverrides } as never);
    const { token: identityAssertion } = await w.wallet.issuer.identity({
      aud: BANK,
      sub: 'wallet-user-000000000001',
      action: 'direct_debit_registration',
      account: { ...ACCOUNT },
      verified_claims: { ...VERIFIED_CLAIMS, verification: { ...VERIFIED_CLAIMS.verification, assurance_process: { procedure: 'jp_aml.r6_1_1.he' }, evidence: [{ type: 'document', check_details: [{ check_method: 'vcrypt' }] }] } },
      amr: ['pwd', 'otp'],
      auth_time: Math.floor(w.clock.now() / 1000) - 10,
      aal: 'aal2',
      phishing_resistant: false,
      ...identity,
    } as never);
    return { request, identityAssertion };
  }

  /** The header of a real identity assertion, a payload naming the wallet and the nonce, and no signature: what anyone who saw the nonce can make. */
  function garbageIdentity(genuine: string, nonce: string): string {
    const payload = Buffer.from(JSON.stringify({ iss: WALLET, aud: BANK, nonce })).toString('base64url');
    return `${genuine.split('.')[0]}.${payload}.${'A'.repeat(86)}`;
  }

  /** The same token with its signature's last characters changed. */
  function tampered(token: string): string {
    return `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  }

  it('SHO-FLOW-12: the nonce endpoint answers 200 with a fresh nonce and expires_in ≤ 300', async () => {
    const response = await endpoints.handleNonce(new Request(NONCE, { method: 'POST' }));
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { nonce: string; expires_in: number };
    expect(body.nonce).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(body.expires_in).toBeLessThanOrEqual(300);
  });

  it('SHO-FLOW-13: a wallet with KYC and a live nonce gets a request_uri; the record holds the verified identity', async () => {
    const response = await directDebit({ nonce: await nonce() });
    expect(response.status).toBe(201);
    const { request_uri } = (await response.json()) as { request_uri: string };
    const start = await endpoints.beginAuthorization(new URLSearchParams({ client_id: WALLET, request_uri }));
    expect(start.ok && start.pushed.identity?.claims.sub).toBe('wallet-user-000000000001');
  });

  it('SHO-IDA-7: a wallet without KYC (kyc_status none) is refused with KYC_MISSING', async () => {
    const { request, identity } = await walletWithoutKyc(await nonce());
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { request, identity_assertion: identity })))).toMatchObject({ status: 403, error: 'KYC_MISSING' });
  });

  it('SHO-IDA-3: a nonce the bank never issued is NONCE_MISMATCH', async () => {
    expect(await errorOf(await directDebit({ nonce: 'bm90LWEtYmFuay1ub25jZQ' }))).toMatchObject({ status: 400, error: 'NONCE_MISMATCH' });
  });

  it('SHO-IDA-3: a nonce used once is NONCE_MISMATCH the second time', async () => {
    const n = await nonce();
    expect((await directDebit({ nonce: n })).status).toBe(201);
    expect(await errorOf(await directDebit({ nonce: n }))).toMatchObject({ status: 400, error: 'NONCE_MISMATCH' });
  });

  it('SHO-IDA-3: a garbage or forged identity assertion does not spend the nonce; the wallet then uses it once', async () => {
    const n = await nonce();
    // Each push carries a fresh request: a verified request is spent by the verifier's replay store (SHO-REQ-14).
    const genuine = await directDebitTokens({ nonce: n });
    const first = await directDebitTokens({ nonce: n });
    const garbage = await errorOf(await endpoints.handlePush(post(PUSH, { request: first.request, identity_assertion: garbageIdentity(genuine.identityAssertion, n) })));
    expect(garbage).toMatchObject({ status: 401, error: 'SIGNATURE_INVALID' });
    const second = await directDebitTokens({ nonce: n });
    const forged = await errorOf(await endpoints.handlePush(post(PUSH, { request: second.request, identity_assertion: tampered(genuine.identityAssertion) })));
    expect(forged).toMatchObject({ status: 401, error: 'SIGNATURE_INVALID' });
    expect((await endpoints.handlePush(post(PUSH, { request: genuine.request, identity_assertion: genuine.identityAssertion }))).status).toBe(201);
    expect(await errorOf(await directDebit({ nonce: n }))).toMatchObject({ status: 400, error: 'NONCE_MISMATCH' });
  });

  it('SHO-IDA-3: an identity assertion refused on its claims (ACCOUNT_MISMATCH) does not spend the nonce', async () => {
    const n = await nonce();
    expect(await errorOf(await directDebit({ nonce: n, account: { ...OTHER_ACCOUNT } }))).toMatchObject({ status: 400, error: 'ACCOUNT_MISMATCH' });
    expect((await directDebit({ nonce: n })).status).toBe(201);
  });

  it('SHO-IDA-3: an expired nonce is still NONCE_MISMATCH', async () => {
    const n = await nonce();
    w.clock.advance(301);
    expect(await errorOf(await directDebit({ nonce: n }))).toMatchObject({ status: 400, error: 'NONCE_MISMATCH' });
  });

  it('SHO-IDA-3: of two concurrent valid pushes with one nonce, exactly one gets a request_uri', async () => {
    const n = await nonce();
    const [first, second, third] = await Promise.all([directDebitTokens({ nonce: n }), directDebitTokens({ nonce: n }), directDebitTokens({ nonce: n })]);
    const responses = await Promise.all([first, second, third].map(({ request, identityAssertion }) => endpoints.handlePush(post(PUSH, { request, identity_assertion: identityAssertion }))));
    expect(responses.map((response) => response.status).sort()).toEqual([201, 400, 400]);
    for (const response of responses.filter((candidate) => candidate.status === 400)) expect(await errorOf(response)).toMatchObject({ error: 'NONCE_MISMATCH' });
  });

  it('SHO-IDA-3: with a nonce store without peek(), the nonce is still spent only by a verified assertion, once', async () => {
    const memory = createMemoryOneTimeStore<true>({ clock: w.clock.now });
    const takeOnly: OneTimeStore<true> = { put: (key, value, expiresAt) => memory.put(key, value, expiresAt), take: (key) => memory.take(key) };
    const bank = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now, nonces: takeOnly });
    const n = ((await (await bank.handleNonce(new Request(NONCE, { method: 'POST' }))).json()) as { nonce: string }).nonce;
    const { identityAssertion } = await directDebitTokens({ nonce: n });
    const { request } = await directDebitTokens({ nonce: n });
    expect(await errorOf(await bank.handlePush(post(PUSH, { request, identity_assertion: garbageIdentity(identityAssertion, n) })))).toMatchObject({ status: 401, error: 'SIGNATURE_INVALID' });
    expect((await directDebit({ nonce: n }, {}, bank)).status).toBe(201);
    expect(await errorOf(await directDebit({ nonce: n }, {}, bank))).toMatchObject({ status: 400, error: 'NONCE_MISMATCH' });
    expect(await errorOf(await directDebit({ nonce: 'bm90LWEtYmFuay1ub25jZQ' }, {}, bank))).toMatchObject({ status: 400, error: 'NONCE_MISMATCH' });
  });

  it('SHO-IDA-6: an identity assertion for another account than the request is ACCOUNT_MISMATCH', async () => {
    expect(await errorOf(await directDebit({ nonce: await nonce(), account: { ...OTHER_ACCOUNT } }))).toMatchObject({ status: 400, error: 'ACCOUNT_MISMATCH' });
  });

  it('SHO-FLOW-13: a direct_debit_registration request without identity_assertion is refused', async () => {
    const { token } = await w.wallet.issuer.request({ aud: BANK, action: 'direct_debit_registration', redirect_uri: WALLET_CALLBACK, state: 'w', account: { ...ACCOUNT } } as never);
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { request: token })))).toMatchObject({ status: 400, error: 'MALFORMED_TOKEN' });
  });

  it('SHO-FLOW-13: an identity assertion pushed with a request of another action is REQUEST_MISMATCH', async () => {
    const { token: identity } = await w.wallet.issuer.identity({ aud: BANK, sub: 'wallet-user-000000000001', nonce: await nonce(), action: 'direct_debit_registration', account: { ...ACCOUNT }, kyc_status: 'none', amr: ['pwd', 'otp'], auth_time: Math.floor(w.clock.now() / 1000), aal: 'aal2', phishing_resistant: false } as never);
    const { token: request } = await w.wallet.issuer.request({ aud: BANK, action: 'account_link', redirect_uri: WALLET_CALLBACK, state: 'w', account: { ...ACCOUNT } } as never);
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { request, identity_assertion: identity })))).toMatchObject({ status: 400, error: 'REQUEST_MISMATCH' });
  });

  it('SHO-FLOW-13: an identity assertion from another party than the request is REQUEST_MISMATCH', async () => {
    const { token: identity } = await w.broker.issuer.identity({ aud: BANK, sub: 'wallet-user-000000000001', nonce: await nonce(), action: 'direct_debit_registration', account: { ...ACCOUNT }, kyc_status: 'none', amr: ['pwd', 'otp'], auth_time: Math.floor(w.clock.now() / 1000), aal: 'aal2', phishing_resistant: false } as never);
    const { token: request } = await w.wallet.issuer.request({ aud: BANK, action: 'direct_debit_registration', redirect_uri: WALLET_CALLBACK, state: 'w', account: { ...ACCOUNT } } as never);
    expect(await errorOf(await endpoints.handlePush(post(PUSH, { request, identity_assertion: identity })))).toMatchObject({ status: 400, error: 'REQUEST_MISMATCH' });
  });
});

describe('state', () => {
  it('SHO-FLOW-6: a full pushed-request store refuses with 503 REPLAY_STORE_UNAVAILABLE rather than evict a live flow', async () => {
    const small = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now, pushedRequests: createMemoryOneTimeStore({ maxEntries: 1, clock: w.clock.now }) });
    expect((await small.handlePush(post(PUSH, { request: (await linkRequest()).token }))).status).toBe(201);
    expect(await errorOf(await small.handlePush(post(PUSH, { request: (await linkRequest()).token })))).toMatchObject({ status: 503, error: 'REPLAY_STORE_UNAVAILABLE' });
  });

  it('SHO-FLOW-14: options above the protocol maxima are refused at construction', () => {
    expect(() => createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, codeLifetime: 61 })).toThrow(TypeError);
    expect(() => createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, requestUriLifetime: 301 })).toThrow(TypeError);
  });

  it('SHO-LINK-1: the transaction kind answers a payout request, the link kind the others', async () => {
    const record = await pushed();
    const transaction = { type: 'payout', amount: { currency: 'JPY', value: '150000' }, payee: { ...ACCOUNT } };
    const wrongKind = await w.bank.issuer.transaction({ aud: BROKER, sub: 'customer-0000000000001', nonce: record.claims.nonce, request: record.request, transaction, ...passkeyAuthentication(w.clock.now()) } as never);
    await expect(endpoints.completeAuthorization(record, wrongKind)).rejects.toThrow(TypeError);
  });
});

describe('failing closed when a store or a sender fails (SHO-REPLAY-5, SHO-FLOW-7)', () => {
  /** A store whose every call fails as a Redis that is down would, with its address in the message. */
  function downStore<T>(): OneTimeStore<T> & { peek(key: string): Promise<never> } {
    const down = async (): Promise<never> => {
      throw new Error('redis down ECONNREFUSED 10.0.0.5:6379');
    };
    return { put: down, take: down, peek: down };
  }

  it('SHO-REPLAY-5: an exchange whose code store fails is 503 REPLAY_STORE_UNAVAILABLE, in the bank\'s own words', async () => {
    const bank = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now, codes: downStore() });
    const failure = await errorOf(await bank.handleExchange(post(EXCHANGE, { code: 'c'.repeat(22) })));
    expect(failure).toMatchObject({ status: 503, error: 'REPLAY_STORE_UNAVAILABLE' });
    expect(String(failure.description)).not.toContain('10.0.0.5');
  });

  it('SHO-REPLAY-5: a store that answers something other than a take result fails closed too', async () => {
    const garbage: OneTimeStore<never> = { put: async () => undefined, take: async () => undefined as never };
    const bank = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now, codes: garbage });
    expect(await errorOf(await bank.handleExchange(post(EXCHANGE, { code: 'c'.repeat(22) })))).toMatchObject({ status: 503, error: 'REPLAY_STORE_UNAVAILABLE' });
  });

  it('SHO-REPLAY-5: the authorization page gets REPLAY_STORE_UNAVAILABLE when the pushed-request store fails', async () => {
    const bank = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now, pushedRequests: downStore() });
    const start = await bank.beginAuthorization(new URLSearchParams({ client_id: BROKER, request_uri: 'urn:shomei:request:x' }));
    expect(start).toMatchObject({ ok: false, error: 'REPLAY_STORE_UNAVAILABLE' });
    expect(JSON.stringify(start)).not.toContain('10.0.0.5');
  });

  it('SHO-REPLAY-5: a push whose nonce store fails is 503 REPLAY_STORE_UNAVAILABLE', async () => {
    const bank = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now, nonces: downStore() });
    const { request, identity } = await walletWithoutKyc('n'.repeat(22));
    const failure = await errorOf(await bank.handlePush(post(PUSH, { request, identity_assertion: identity })));
    expect(failure).toMatchObject({ status: 503, error: 'REPLAY_STORE_UNAVAILABLE' });
    expect(String(failure.description)).not.toContain('10.0.0.5');
  });

  it('SHO-REPLAY-5: completing an authorization whose code cannot be stored throws REPLAY_STORE_UNAVAILABLE', async () => {
    const record = await pushed();
    const issued = await linkFor(record);
    const bank = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now, codes: downStore() });
    await expect(bank.completeAuthorization(record, issued)).rejects.toMatchObject({ code: 'REPLAY_STORE_UNAVAILABLE' });
  });

  it('SHO-FLOW-7: a body that trickles and never ends is answered 400 once bodyTimeoutMs has passed', async () => {
    const bank = createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, clock: w.clock.now, bodyTimeoutMs: 100 });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"request":"'));
      },
    });
    const request = new Request(PUSH, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    const failure = await errorOf(await bank.handlePush(request));
    expect(failure).toMatchObject({ status: 400, error: 'MALFORMED_TOKEN' });
    expect(String(failure.description)).toContain('did not arrive');
  });

  it('SHO-FLOW-7: bodyTimeoutMs outside 100–60000 ms is refused at construction', () => {
    for (const bodyTimeoutMs of [0, 99, 60_001, 1.5]) {
      expect(() => createBankEndpoints({ issuer: BANK, verifier: w.bankVerifier, bodyTimeoutMs })).toThrow(TypeError);
    }
  });
});
