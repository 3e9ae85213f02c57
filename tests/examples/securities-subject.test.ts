/**
 * The example securities backend pays out only when the payout was authorised by the holder who linked
 * the payee account (SHO-TXN-9): it hands the stored link `sub` to the verifier, on both delivery paths
 * (the redirect and code exchange, and the app-to-app POST). A stub bank built from the SDK's own bank
 * endpoints signs the assertions, so the test chooses who authorised each payout.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecuritiesApp, type SecuritiesApp } from '../../examples/securities-backend/app.js';
import { createIssuer, type Issuer } from '../../src/issuer/issue.js';
import { generateKey } from '../../src/keys/generate.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import { createBankEndpoints, type BankEndpoints, type PushedRequestRecord } from '../../src/transport/bank-endpoints.js';
import type { FetchLike } from '../../src/transport/partner-http.js';
import { createVerifier } from '../../src/verifier/verify.js';
import { ACCOUNT, bankMetadataDocument, passkeyAuthentication, VERIFIED_CLAIMS } from '../transport/fixtures.js';

const BANK = 'https://bank.example';
const SEC = 'https://sec.example';
const HOLDER = 'holder-pairwise-0000000001';
const INTRUDER = 'other-pairwise-00000000002';
const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

let securities: SecuritiesApp;
let endpoints: BankEndpoints;
let bankIssuer: Issuer;

/** Every call between the two parties, in-process: the bank's metadata and endpoints, the firm's JWKS. */
const route: FetchLike = async (input, init) => {
  const request = new Request(input, init);
  const url = new URL(input);
  if (url.origin === SEC) return securities.fetch(request);
  if (url.pathname === '/.well-known/shomei') {
    return Response.json(bankMetadataDocument(BANK));
  }
  if (url.pathname === '/shomei/request') return endpoints.handlePush(request);
  if (url.pathname === '/shomei/assertion') return endpoints.handleExchange(request);
  return new Response(null, { status: 404 });
};

beforeEach(async () => {
  const key = await generateKey('ES256');
  bankIssuer = createIssuer({ issuer: BANK, signer: await createLocalSigner(key.privateJwk, { alg: 'ES256' }) });
  securities = await createSecuritiesApp({
    issuer: SEC,
    name: '証明証券',
    banks: [BANK],
    trust: { parties: [{ id: BANK, keys: { jwks: { keys: [key.publicJwk] } }, kinds: ['link', 'transaction'], max_ial: 'ial2', max_aal: 'aal3', status: 'active' }] },
    customers: [{ id: 's-1', name: '山田 太郎', name_kana: 'ヤマダ タロウ', birthdate: '1985-04-01' }],
    fetch: route,
  });
  const bankVerifier = createVerifier({
    audience: BANK,
    policy: false,
    trust: { parties: [{ id: SEC, keys: { jwks_uri: `${SEC}/jwks.json` }, kinds: ['request'], max_ial: 'ial2', max_aal: 'aal2', status: 'active', redirect_uris: [`${SEC}/callback`] }] },
    keySet: { fetch: (input, init) => route(input.href, init) },
  });
  endpoints = createBankEndpoints({ issuer: BANK, verifier: bankVerifier });
});

afterEach(async () => {
  await securities?.close();
});

/** Starts a flow at the firm as an API client: the flow id, the pushed request at the bank, the browser's cookie. */
async function startFlow(path: '/links' | '/payouts', body: Record<string, string>): Promise<{ flowId: string; pushed: PushedRequestRecord; cookie: string }> {
  const response = await securities.fetch(new Request(`${SEC}${path}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) }));
  expect(response.status).toBe(201);
  const { flow_id: flowId, authorization_url: authorizationUrl } = (await response.json()) as { flow_id: string; authorization_url: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const start = await endpoints.beginAuthorization(new URL(authorizationUrl).searchParams);
  if (!start.ok) throw new Error(start.error);
  return { flowId, pushed: start.pushed, cookie };
}

/** The bank redirects the browser back with a code; the firm exchanges and verifies it; its JSON answer. */
async function complete(flow: { flowId: string; pushed: PushedRequestRecord; cookie: string }, sub: string): Promise<Record<string, unknown>> {
  const location = await endpoints.completeAuthorization(flow.pushed, await signedFor(flow.pushed, sub));
  const callback = await securities.fetch(new Request(location, { headers: { cookie: flow.cookie } }));
  expect(callback.status).toBe(303);
  const answer = await securities.fetch(new Request(`${SEC}/flows/${flow.flowId}`, { headers: { accept: 'application/json' } }));
  return ((await answer.json()) as { decision: Record<string, unknown> }).decision;
}

/** What the bank signs for the pushed request, as authorised by `sub`. */
async function signedFor(pushed: PushedRequestRecord, sub: string) {
  const common = { aud: pushed.clientId, sub, nonce: pushed.claims.nonce, request: pushed.request, ...passkeyAuthentication(Date.now()) };
  if (pushed.claims.action === 'payout') return bankIssuer.transaction({ ...common, transaction: pushed.claims.transaction } as never);
  return bankIssuer.link({
    ...common,
    action: 'account_link',
    account: pushed.claims.account,
    verified_claims: VERIFIED_CLAIMS,
    identity_match: { name: 'match', name_kana: 'match', birthdate: 'match' },
  } as never);
}

async function linkAsHolder(): Promise<void> {
  const link = await startFlow('/links', { customer_id: 's-1', bank: BANK, bank_code: ACCOUNT.bank_code, branch_code: ACCOUNT.branch_code, number: ACCOUNT.number });
  expect(await complete(link, HOLDER)).toMatchObject({ outcome: 'allow', reasons: [] });
  expect(securities.linkedAccount('s-1')?.sub).toBe(HOLDER);
}

describe('securities backend: who authorised the payout (SHO-TXN-9)', () => {
  it('SHO-TXN-9: a payout authorised by another customer than the linked holder is denied ACCOUNT_MISMATCH and not executed', async () => {
    await linkAsHolder();
    const payout = await startFlow('/payouts', { customer_id: 's-1', amount: '150000' });
    expect(await complete(payout, INTRUDER)).toEqual({
      outcome: 'deny',
      stage: 'verification',
      kind: 'transaction',
      reasons: [{ code: 'ACCOUNT_MISMATCH', requirement: 'SHO-TXN-9', message: expect.any(String) }],
      effect: '出金は実行していません。',
    });
    expect(securities.payouts()).toEqual([]);
  });

  it('SHO-TXN-9: a payout authorised by the linked holder is allowed and executed once', async () => {
    await linkAsHolder();
    const payout = await startFlow('/payouts', { customer_id: 's-1', amount: '150000' });
    expect(await complete(payout, HOLDER)).toMatchObject({ outcome: 'allow', reasons: [], effect: '出金を実行しました。' });
    expect(securities.payouts()).toMatchObject([{ flow: payout.flowId, customerId: 's-1', amount: '150000', account: { ...ACCOUNT } }]);
  });

  it('SHO-TXN-9: an assertion delivered app-to-app by another customer is denied ACCOUNT_MISMATCH too', async () => {
    await linkAsHolder();
    const payout = await startFlow('/payouts', { customer_id: 's-1', amount: '150000' });
    const { token } = await signedFor(payout.pushed, INTRUDER);
    const response = await securities.fetch(new Request(`${SEC}/api/flows/${payout.flowId}/assertion`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ assertion: token }) }));
    const { decision } = (await response.json()) as { decision: { outcome: string; reasons: Array<{ code: string; requirement?: string }> } };
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons.map((reason) => [reason.code, reason.requirement])).toEqual([['ACCOUNT_MISMATCH', 'SHO-TXN-9']]);
    expect(securities.payouts()).toEqual([]);
  });
});
