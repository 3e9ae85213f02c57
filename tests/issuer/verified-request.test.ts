/**
 * The request a link or transaction assertion answers, given as the bank verified it
 * (`request: { token, claims }`, spec/10-binding.md SHO-BIND-11) instead of as a string the issuer
 * decodes again: `req_hash` is still the hash of the token (SHO-BIND-3), and every answer check
 * (SHO-LINK-3, -5, -6, -10, SHO-BIND-4, SHO-TXN-1, -3) refuses through this form exactly as through the
 * string form.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIssuer, type Issuer, type LinkInput, type TransactionInput, type VerifiedRequest } from '../../src/issuer/issue.js';
import { createNodeCryptoBackend } from '../../src/crypto/node.js';
import { signCompact } from '../../src/jws/sign.js';
import { createVerifier } from '../../src/verifier/verify.js';
import type { RequestClaims } from '../../src/kinds/request.js';
import { createWorld, decode, issuanceRefusal, linkInput, NOW_MS, OTHER_ACCOUNT, transactionInput } from '../helpers/world.js';

const w = await createWorld();
// A bank that refuses every assertion not answering its request (the world's bank is lenient).
const strict = createIssuer({ issuer: w.bank.issuer, signer: w.keys.bank.signer, clock: () => NOW_MS });
const strictSync = createIssuer({ issuer: w.bank.issuer, signer: w.keys.bank.signer, clock: () => NOW_MS, crypto: createNodeCryptoBackend() });
const issuers: Array<[string, Issuer]> = [
  ['WebCrypto hashing', strict],
  ['synchronous hashing', strictSync],
];

/** The request as the bank holds it after verifying it: the claims come from its verifier. */
async function verifiedRequest(token: string): Promise<VerifiedRequest> {
  const decision = await w.bankVerifier().verify(token, { kind: 'request', issuer: w.rp.issuer });
  expect(decision.outcome).toBe('allow');
  return { token, claims: decision.claims as RequestClaims };
}

/**
 * A request token over 16 KiB, signed directly (the SDK's issuer refuses to sign one), with its claims as
 * a verifier allowing 1 MiB tokens returns them: the padding member is not a request claim and is dropped.
 */
async function verifiedLargeRequest(): Promise<VerifiedRequest> {
  const base = await w.request();
  const token = await signCompact({ typ: 'shomei-request+jwt' }, { ...base.claims, x_padding: 'p'.repeat(20_000) }, w.keys.rp.signer);
  const verifier = createVerifier({ audience: w.bank.issuer, trust: w.bankTrust(), clock: () => NOW_MS, maxTokenBytes: 1_048_576 });
  const decision = await verifier.verify(token, { kind: 'request', issuer: w.rp.issuer });
  expect(decision.outcome).toBe('allow');
  return { token, claims: decision.claims as RequestClaims };
}

const linkRequest = await w.request();
const linkVerified = await verifiedRequest(linkRequest.token);
const bareRequest = await w.request({ identity: undefined });
const bareVerified = await verifiedRequest(bareRequest.token);
const payoutRequest = await w.payoutRequest();
const payoutVerified = await verifiedRequest(payoutRequest.token);

function sha256(text: string): string {
  return createHash('sha256').update(text, 'ascii').digest('base64url');
}


describe.each(issuers)('request given as { token, claims } (%s)', (_name, issuer) => {
  const link = (patch: Partial<Record<keyof LinkInput, unknown>> = {}) =>
    issuer.link({ ...linkInput(linkRequest.token, linkRequest.claims.nonce), request: linkVerified, ...patch } as LinkInput);
  const transaction = (patch: Partial<Record<keyof TransactionInput, unknown>> = {}) =>
    issuer.transaction({ ...transactionInput(payoutRequest.token, payoutRequest.claims.nonce), request: payoutVerified, ...patch } as TransactionInput);

  it('SHO-BIND-3: req_hash is SHA-256 of the token, in both forms', async () => {
    const fromClaims = await link();
    const fromString = await link({ request: linkRequest.token });
    expect(fromClaims.claims.req_hash).toBe(sha256(linkRequest.token));
    expect(fromString.claims.req_hash).toBe(sha256(linkRequest.token));
    expect(decode(fromClaims.token).payload.req_hash).toBe(sha256(linkRequest.token));
    const txn = await transaction();
    expect(txn.claims.req_hash).toBe(sha256(payoutRequest.token));
    expect((await transaction({ request: payoutRequest.token })).claims.req_hash).toBe(sha256(payoutRequest.token));
  });

  it('SHO-BIND-11: both forms sign the same claims (but jti)', async () => {
    const { jti: _a, ...fromClaims } = (await link()).claims;
    const { jti: _b, ...fromString } = (await link({ request: linkRequest.token })).claims;
    expect(fromClaims).toEqual(fromString);
    const { jti: _c, ...txnFromClaims } = (await transaction()).claims;
    const { jti: _d, ...txnFromString } = (await transaction({ request: payoutRequest.token })).claims;
    expect(txnFromClaims).toEqual(txnFromString);
  });

  it('SHO-LINK-3: aud other than the requesting party is refused', async () => {
    expect((await issuanceRefusal(link({ aud: 'https://other.example' }))).claim).toBe('aud');
  });
  it('SHO-BIND-4: a nonce other than the request nonce is refused', async () => {
    expect((await issuanceRefusal(link({ nonce: 'another-nonce-0000000' }))).claim).toBe('nonce');
  });
  it('SHO-LINK-5: another action than the request action is refused', async () => {
    expect((await issuanceRefusal(link({ action: 'payout_destination_change' }))).claim).toBe('action');
  });
  it('SHO-LINK-6: another account than the request account is refused', async () => {
    expect((await issuanceRefusal(link({ account: { ...OTHER_ACCOUNT } }))).claim).toBe('account');
  });
  it('SHO-LINK-6: an account with a member more than the request account is refused', async () => {
    expect((await issuanceRefusal(link({ account: { ...linkVerified.claims.account, name: 'x' } }))).claim).toBe('account');
  });
  it('SHO-LINK-6: the same account with its members in another order is signed', async () => {
    const { bank_code, branch_code, type, number } = linkVerified.claims.account!;
    const issued = await link({ account: { number, type, branch_code, bank_code } });
    expect(issued.kind).toBe('link');
    expect(issued.claims.account).toEqual(linkVerified.claims.account);
    expect(decode(issued.token).payload.req_hash).toBe(sha256(linkRequest.token));
  });
  it('SHO-LINK-10: identity_match without a result for an attribute the request sent is refused', async () => {
    const error = await issuanceRefusal(link({ identity_match: { name: 'match', name_kana: 'match' } }));
    expect(error.claim).toBe('identity_match');
    expect(error.reason).toBe('missing');
  });
  it('SHO-MATCH-15: identity_match with a result for an attribute the request did not send is refused', async () => {
    const error = await issuanceRefusal(link({ identity_match: { name: 'match', name_kana: 'match', birthdate: 'match', address: 'match' } }));
    expect(error.claim).toBe('identity_match');
    expect(error.reason).toBe('not_asked');
  });
  it('SHO-LINK-10: identity_match for a request that carried no identity is refused', async () => {
    const input = { ...linkInput(bareRequest.token, bareRequest.claims.nonce), request: bareVerified, identity_match: { name: 'match' } };
    expect((await issuanceRefusal(issuer.link(input as LinkInput))).claim).toBe('identity_match');
    const { identity_match: _omitted, ...without } = input;
    const issued = await issuer.link(without as LinkInput);
    expect(issued.kind).toBe('link');
    expect(issued.claims.req_hash).toBe(sha256(bareRequest.token));
  });
  it('SHO-TXN-3: a transaction other than the request transaction is refused', async () => {
    const changed = { ...payoutVerified.claims.transaction!, amount: { currency: 'JPY', value: '1500000' } };
    expect((await issuanceRefusal(transaction({ transaction: changed }))).claim).toBe('transaction');
  });
  it('SHO-TXN-1: a transaction assertion answering an account_link request is refused', async () => {
    const error = await issuanceRefusal(transaction({ request: linkVerified, nonce: linkVerified.claims.nonce }));
    expect(error.claim).toBe('transaction');
    expect(error.requirement).toBe('SHO-TXN-1');
  });
  it('SHO-TXN-1: a transaction assertion addressed to another party is refused', async () => {
    expect((await issuanceRefusal(transaction({ aud: 'https://other.example' }))).claim).toBe('aud');
  });

  it('SHO-BIND-11: the claims of another request than the token are refused', async () => {
    const error = await issuanceRefusal(link({ request: { token: linkRequest.token, claims: bareVerified.claims } }));
    expect(error.claim).toBe('req_hash');
    expect(error.reason).toBe('claims_not_of_token');
    expect(error.requirement).toBe('SHO-BIND-11');
    const txn = await issuanceRefusal(transaction({ request: { token: payoutRequest.token, claims: linkVerified.claims } }));
    expect(txn.reason).toBe('claims_not_of_token');
  });

  it('SHO-BIND-11: claims changed after verification do not steer the answer checks', async () => {
    // A fresh verification, so that the shared fixture stays untouched.
    const held = await verifiedRequest(linkRequest.token);
    const forged = 'changed-after-verify-0000';
    (held.claims as { nonce: string }).nonce = forged;
    // The checks read the claims as the verifier returned them: the changed nonce is not the request's.
    expect((await issuanceRefusal(link({ request: held, nonce: forged }))).claim).toBe('nonce');
    const issued = await link({ request: held });
    expect(issued.claims.nonce).toBe(linkRequest.claims.nonce);
  });

  it('SHO-BIND-11: nested members changed after verification do not steer the answer checks either', async () => {
    const held = await verifiedRequest(linkRequest.token);
    const account = held.claims.account as { number: string };
    const original = account.number;
    account.number = '7654321';
    const error = await issuanceRefusal(link({ request: held, account: { ...held.claims.account } }));
    expect(error.claim).toBe('account');
    expect((await link({ request: held, account: { ...held.claims.account, number: original } })).kind).toBe('link');

    const payout = await verifiedRequest(payoutRequest.token);
    const amount = payout.claims.transaction!.amount as { value: string };
    amount.value = '9999999';
    const changed = await issuanceRefusal(transaction({ request: payout, transaction: { ...payout.claims.transaction! } }));
    expect(changed.claim).toBe('transaction');
  });

  it('SHO-BIND-11: claims that are compared are not read again (a getter cannot show the checks another value)', async () => {
    const copy = JSON.parse(JSON.stringify(linkVerified.claims)) as Record<string, unknown>;
    const forged = 'forged-after-compare-0000';
    let reads = 0;
    Object.defineProperty(copy, 'nonce', { enumerable: true, get: () => (reads++ === 0 ? linkVerified.claims.nonce : forged) });
    const error = await issuanceRefusal(link({ request: { token: linkRequest.token, claims: copy }, nonce: forged }));
    expect(error.claim).toBe('nonce');
    expect(reads).toBe(1);
  });

  it('SHO-BIND-11: a copy whose optional members are set to undefined is the same request', async () => {
    const copy = JSON.parse(JSON.stringify(linkVerified.claims)) as Record<string, unknown>;
    const absent = ['client_name', 'nbf', 'transaction', 'requirements', 'identity'].filter((name) => !(name in copy));
    expect(absent.length).toBeGreaterThan(0);
    for (const name of absent) copy[name] = undefined;
    const issued = await link({ request: { token: linkRequest.token, claims: copy } });
    expect(issued.claims.req_hash).toBe(sha256(linkRequest.token));
  });

  it('SHO-BIND-11: a request over 16 KiB (a verifier may allow up to 1 MiB) given with a copy of its claims is decoded and signed', async () => {
    const { token, claims } = await verifiedLargeRequest();
    expect(token.length).toBeGreaterThan(16_384);
    const copy = JSON.parse(JSON.stringify(claims)) as RequestClaims;
    const issued = await issuer.link({ ...linkInput(token, claims.nonce), request: { token, claims: copy } } as LinkInput);
    expect(issued.claims.req_hash).toBe(sha256(token));
    expect((await issuer.link({ ...linkInput(token, claims.nonce), request: token } as LinkInput)).claims.req_hash).toBe(sha256(token));
  });

  it('SHO-BIND-11: the claims Issuer.request returned with its token are recognized, and kept as signed', async () => {
    const own = await w.request();
    const issued = await issuer.link({ ...linkInput(own.token, own.claims.nonce), request: { token: own.token, claims: own.claims } } as LinkInput);
    expect(issued.claims.req_hash).toBe(sha256(own.token));
    (own.claims as { iss: string }).iss = 'https://other.example';
    const error = await issuanceRefusal(issuer.link({ ...linkInput(own.token, own.claims.nonce), aud: 'https://other.example', request: own } as LinkInput));
    expect(error.claim).toBe('aud');
  });

  it('SHO-BIND-11: claims read back from a store (a JSON copy, members in any order) are compared with the token and signed', async () => {
    const copy = JSON.parse(JSON.stringify(linkVerified.claims)) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(copy).reverse()) as unknown as RequestClaims;
    for (const claims of [copy as unknown as RequestClaims, reordered]) {
      const issued = await link({ request: { token: linkRequest.token, claims } });
      expect(issued.claims.req_hash).toBe(sha256(linkRequest.token));
    }
    const txnCopy = JSON.parse(JSON.stringify(payoutVerified.claims)) as RequestClaims;
    expect((await transaction({ request: { token: payoutRequest.token, claims: txnCopy } })).claims.req_hash).toBe(sha256(payoutRequest.token));
  });

  it.each([
    ['a member changed', (c: Record<string, unknown>) => ({ ...c, account: { ...(c.account as object), number: '7654321' } })],
    ['a member added', (c: Record<string, unknown>) => ({ ...c, extra: 'x' })],
    ['a member removed', ({ identity: _dropped, ...c }: Record<string, unknown>) => c],
    ['a value that is not JSON', (c: Record<string, unknown>) => ({ ...c, state: 10n })],
  ])('SHO-BIND-11: a copy of the claims with %s is refused, whatever the input', async (_name, change) => {
    const claims = change(JSON.parse(JSON.stringify(linkVerified.claims)) as Record<string, unknown>) as unknown as RequestClaims;
    const input = { request: { token: linkRequest.token, claims }, ...(claims.account !== undefined ? { account: claims.account } : {}) };
    const error = await issuanceRefusal(link(input));
    expect(error.claim).toBe('req_hash');
    expect(error.reason).toBe('claims_not_of_token');
  });

  it('SHO-BIND-11: claims given with a token that is not a request JWS are refused', async () => {
    const copy = JSON.parse(JSON.stringify(linkVerified.claims)) as RequestClaims;
    const cases: Array<[string, string]> = [
      ['not-a-jws', 'malformed'],
      [(await link()).token, 'invalid_request'], // a JWS, but a link assertion: not request claims
    ];
    for (const [token, reason] of cases) {
      const error = await issuanceRefusal(link({ request: { token, claims: copy } }));
      expect(error.claim).toBe('req_hash');
      expect(error.reason).toBe(reason);
    }
  });

  it('SHO-BIND-3: { token, claims } without a token is refused (nothing to hash)', async () => {
    const error = await issuanceRefusal(link({ request: { claims: linkVerified.claims } }));
    expect(error.claim).toBe('req_hash');
    expect(error.reason).toBe('missing');
    expect((await issuanceRefusal(link({ request: { token: '', claims: linkVerified.claims } }))).claim).toBe('req_hash');
  });

  it.each([
    ['without claims', { token: 'x' }],
    ['with claims null', { token: 'x', claims: null }],
    ['with claims an array', { token: 'x', claims: [] }],
    ['with claims a string', { token: 'x', claims: 'eyJ' }],
  ])('SHO-ERR-5: a request object %s is a caller mistake (TypeError)', async (_name, request) => {
    const error = await link({ request }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
  });

  it('SHO-BIND-3: a string request that is not a compact JWS is still refused', async () => {
    const error = await issuanceRefusal(link({ request: 'not-a-jws' }));
    expect(error.claim).toBe('req_hash');
    expect(error.reason).toBe('malformed');
  });
});

describe('hash backends', () => {
  it('SHO-BIND-3: a crypto.sha256 that answers late (a promise) still gives req_hash and transaction_hash of this request', async () => {
    const late = {
      sha256: ((data: Uint8Array) =>
        new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(createHash('sha256').update(data).digest()), 2))) as unknown as (data: Uint8Array) => Uint8Array,
    };
    const issuer = createIssuer({ issuer: w.bank.issuer, signer: w.keys.bank.signer, clock: () => NOW_MS, crypto: late });
    const other = await w.request();
    const otherVerified = await verifiedRequest(other.token);
    const [first, second] = await Promise.all([
      issuer.link({ ...linkInput(linkRequest.token, linkRequest.claims.nonce), request: linkVerified }),
      issuer.link({ ...linkInput(other.token, other.claims.nonce), request: otherVerified }),
    ]);
    expect(first.claims.req_hash).toBe(sha256(linkRequest.token));
    expect(second.claims.req_hash).toBe(sha256(other.token));
    const reference = await strict.link({ ...linkInput(linkRequest.token, linkRequest.claims.nonce), request: linkVerified });
    expect(first.claims.transaction_hash).toBe(reference.claims.transaction_hash);
  });
});

describe('the lenient (test-only) issuer keeps the identity_match check in both forms', () => {
  it('SHO-LINK-10: allowUnansweredRequests does not lift the identity_match check of the { token, claims } form', async () => {
    const input = { ...linkInput(linkRequest.token, linkRequest.claims.nonce), request: linkVerified, identity_match: { name: 'match' } };
    expect((await issuanceRefusal(w.bank.link(input as LinkInput))).claim).toBe('identity_match');
  });
});
