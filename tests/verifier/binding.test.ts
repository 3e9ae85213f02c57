/**
 * Steps 7 to 10: audience, issuer, nonce and binding (spec/10-binding.md SHO-BIND; spec/04 SHO-LINK-5/7/8;
 * spec/05 SHO-TXN-3/4/9; spec/06 SHO-IDA-5/6; spec/03 SHO-REQ-5): the assertion is bound to what the
 * relying party itself holds, recomputed from its own data — never from the token.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNodeCryptoBackend } from '../../src/crypto/node.js';
import { hashCanonical } from '../../src/canonical/digest.js';
import type { Expectations } from '../../src/verifier/verify.js';
import {
  ACCOUNT,
  BANK,
  codes,
  createWorld,
  decode,
  expectAllowed,
  expectDenied,
  forge,
  headerFor,
  type HarnessOptions,
  OTHER_ACCOUNT,
  RP_CALLBACK,
  TXN,
  WALLET,
} from '../helpers/world.js';

const w = await createWorld();

function resignedLink(token: string, mutate: (payload: Record<string, unknown>) => void): string {
  const { payload } = decode(token);
  mutate(payload);
  return forge({ header: headerFor(w.keys.bank, 'shomei-link+jwt'), payload, key: w.keys.bank });
}

describe('nonce (SHO-BIND-4, SHO-IDA-3)', () => {
  it('SHO-BIND-4: a link assertion with another nonce than the request’s is NONCE_MISMATCH', async () => {
    const flow = await w.link();
    expectDenied(await w.rpVerifier().verify(flow.token, { ...flow.expect, nonce: 'another-nonce-0000000001' }), 'NONCE_MISMATCH', 'nonce');
  });

  it('SHO-BIND-4: a transaction assertion with another nonce is NONCE_MISMATCH', async () => {
    const flow = await w.transaction();
    expectDenied(await w.rpVerifier().verify(flow.token, { ...flow.expect, nonce: 'another-nonce-0000000001' }), 'NONCE_MISMATCH', 'nonce');
  });

  it('SHO-IDA-3: an identity assertion with a nonce the bank did not issue is NONCE_MISMATCH', async () => {
    const flow = await w.identity();
    expectDenied(await w.bankVerifier().verify(flow.token, { ...flow.expect, nonce: 'bank-nonce-other-000001' }), 'NONCE_MISMATCH', 'nonce');
  });

  it('SHO-BIND-9: a nonce differing only in case is NONCE_MISMATCH (no normalisation)', async () => {
    const flow = await w.link();
    expectDenied(await w.rpVerifier().verify(flow.token, { ...flow.expect, nonce: flow.expect.nonce!.toUpperCase() === flow.expect.nonce ? flow.expect.nonce!.toLowerCase() : flow.expect.nonce!.toUpperCase() }), 'NONCE_MISMATCH');
  });
});

describe('request binding (SHO-BIND-3, SHO-LINK-5)', () => {
  it('SHO-BIND-3: a link assertion answering another request (req_hash) is REQUEST_MISMATCH', async () => {
    const flow = await w.link();
    const other = await w.request();
    expectDenied(await w.rpVerifier().verify(flow.token, { ...flow.expect, request: other.token }), 'REQUEST_MISMATCH', 'req_hash');
  });

  it('SHO-BIND-3: a transaction assertion answering another payout request is REQUEST_MISMATCH', async () => {
    const flow = await w.transaction();
    const other = await w.payoutRequest();
    expectDenied(await w.rpVerifier().verify(flow.token, { ...flow.expect, request: other.token }), 'REQUEST_MISMATCH', 'req_hash');
  });

  it('SHO-LINK-5: a link assertion for payout_destination_change when the RP asked for account_link is REQUEST_MISMATCH', async () => {
    const flow = await w.link({ action: 'payout_destination_change' });
    expectDenied(await w.rpVerifier().verify(flow.token, flow.expect), 'REQUEST_MISMATCH', 'action');
  });

  it('SHO-IDA-6: an identity assertion whose action differs from the expected one is denied', async () => {
    const flow = await w.identity();
    const decision = await w.bankVerifier().verify(flow.token, { ...flow.expect, action: 'account_link' });
    expectDenied(decision, 'REQUEST_MISMATCH', 'action');
  });
});

describe('transaction binding (SHO-TXN-3, SHO-TXN-4, SHO-BIND-5, SHO-BIND-6)', () => {
  const expectWith = (base: Expectations<'transaction'>, patch: (txn: Record<string, any>) => void): Expectations<'transaction'> => {
    const transaction = structuredClone(TXN) as Record<string, any>;
    patch(transaction);
    return { ...base, transaction: transaction as Expectations<'transaction'>['transaction'] };
  };

  it('SHO-TXN-3: the amount the RP executes differs (150001) — TRANSACTION_MISMATCH', async () => {
    const flow = await w.transaction();
    expectDenied(await w.rpVerifier().verify(flow.token, expectWith(flow.expect, (t) => (t.amount.value = '150001'))), 'TRANSACTION_MISMATCH', 'transaction_hash');
  });

  it('SHO-TXN-3: the currency the RP executes differs (USD) — TRANSACTION_MISMATCH', async () => {
    const flow = await w.transaction();
    expectDenied(await w.rpVerifier().verify(flow.token, expectWith(flow.expect, (t) => (t.amount.currency = 'USD'))), 'TRANSACTION_MISMATCH', 'transaction_hash');
  });

  for (const member of ['bank_code', 'branch_code', 'type', 'number'] as const) {
    it(`SHO-TXN-3: the payee ${member} the RP executes differs — TRANSACTION_MISMATCH`, async () => {
      const flow = await w.transaction();
      const changed = { bank_code: '0009', branch_code: '456', type: '2', number: '7654321' }[member];
      expectDenied(await w.rpVerifier().verify(flow.token, expectWith(flow.expect, (t) => (t.payee[member] = changed))), 'TRANSACTION_MISMATCH', 'transaction_hash');
    });
  }

  it('SHO-TXN-3: a reference the RP adds is TRANSACTION_MISMATCH', async () => {
    const flow = await w.transaction();
    expectDenied(await w.rpVerifier().verify(flow.token, expectWith(flow.expect, (t) => (t.reference = 'order-1'))), 'TRANSACTION_MISMATCH');
  });

  it('SHO-BIND-9: the same amount spelled differently by the RP (150000.0 is not canonical) does not match', async () => {
    const flow = await w.transaction();
    expectDenied(await w.rpVerifier().verify(flow.token, expectWith(flow.expect, (t) => (t.amount.value = '150000.0'))), 'TRANSACTION_MISMATCH');
  });

  it('SHO-BIND-6: the same transaction with members in another order still matches (JCS)', async () => {
    const flow = await w.transaction();
    const reordered = { payee: { number: TXN.payee.number, type: TXN.payee.type, branch_code: TXN.payee.branch_code, bank_code: TXN.payee.bank_code }, amount: { value: '150000', currency: 'JPY' }, type: 'payout' };
    expectAllowed(await w.rpVerifier().verify(flow.token, { ...flow.expect, transaction: reordered as Expectations<'transaction'>['transaction'] }));
  });

  it('SHO-TXN-4: a transaction_hash inconsistent with the token’s own transaction is TRANSACTION_MISMATCH', async () => {
    const flow = await w.transaction();
    const { payload } = decode(flow.token);
    (payload.transaction as { amount: { value: string } }).amount.value = '9900000';
    const token = forge({ header: headerFor(w.keys.bank, 'shomei-txn+jwt'), payload, key: w.keys.bank });
    // The RP expects the amount the bank swapped in, so only the token's own inconsistency remains.
    const decision = await w.rpVerifier().verify(token, expectWith(flow.expect, (t) => (t.amount.value = '9900000')));
    expectDenied(decision, 'TRANSACTION_MISMATCH', 'transaction_hash');
  });

  it('SHO-TXN-9: a payout authorised by another customer (sub) than the linked holder is ACCOUNT_MISMATCH', async () => {
    const flow = await w.transaction({ sub: 'someone-else-0000000001' });
    expectDenied(await w.rpVerifier().verify(flow.token, flow.expect), 'ACCOUNT_MISMATCH', 'sub');
  });
});

describe('account binding (SHO-LINK-7, SHO-LINK-8, SHO-IDA-5, SHO-IDA-6)', () => {
  it('SHO-LINK-7: a link assertion for an account other than the one the customer entered is ACCOUNT_MISMATCH', async () => {
    const flow = await w.link({ account: { ...OTHER_ACCOUNT } });
    expectDenied(await w.rpVerifier().verify(flow.token, flow.expect), 'ACCOUNT_MISMATCH', 'account');
  });

  for (const [member, value] of [
    ['bank_code', '0009'],
    ['branch_code', '456'],
    ['type', '2'],
    ['number', '1234568'],
  ] as const) {
    it(`SHO-LINK-7: an account differing only in ${member} is ACCOUNT_MISMATCH`, async () => {
      const flow = await w.link({ account: { ...ACCOUNT, [member]: value } });
      expectDenied(await w.rpVerifier().verify(flow.token, flow.expect), 'ACCOUNT_MISMATCH', 'account');
    });
  }

  it('SHO-LINK-8: a link transaction_hash that is not the hash of { action, account } is TRANSACTION_MISMATCH', async () => {
    const flow = await w.link();
    const token = resignedLink(flow.token, (payload) => {
      payload.transaction_hash = 'A'.repeat(43);
    });
    expectDenied(await w.rpVerifier().verify(token, flow.expect), 'TRANSACTION_MISMATCH', 'transaction_hash');
  });

  it('SHO-LINK-8: a link whose account was swapped after hashing is TRANSACTION_MISMATCH and ACCOUNT_MISMATCH', async () => {
    const flow = await w.link();
    const token = resignedLink(flow.token, (payload) => {
      payload.account = { ...OTHER_ACCOUNT };
    });
    const decision = await w.rpVerifier().verify(token, flow.expect);
    expectDenied(decision, 'TRANSACTION_MISMATCH');
    expectDenied(decision, 'ACCOUNT_MISMATCH', 'account');
  });

  it('SHO-LINK-8: a link hashed over another action is TRANSACTION_MISMATCH', async () => {
    const flow = await w.link();
    const hash = await hashCanonical({ action: 'direct_debit_registration', account: ACCOUNT });
    const token = resignedLink(flow.token, (payload) => void (payload.transaction_hash = hash));
    expectDenied(await w.rpVerifier().verify(token, flow.expect), 'TRANSACTION_MISMATCH', 'transaction_hash');
  });

  it('SHO-IDA-6: an identity assertion for another account than the pushed request’s is ACCOUNT_MISMATCH', async () => {
    const flow = await w.identity({ account: { ...OTHER_ACCOUNT } });
    expectDenied(await w.bankVerifier().verify(flow.token, flow.expect), 'ACCOUNT_MISMATCH', 'account');
  });

  it('SHO-IDA-5: an identity transaction_hash inconsistent with its account is TRANSACTION_MISMATCH', async () => {
    const flow = await w.identity();
    const { payload } = decode(flow.token);
    payload.transaction_hash = await hashCanonical({ action: 'direct_debit_registration', account: OTHER_ACCOUNT });
    const token = forge({ header: headerFor(w.keys.wallet, 'shomei-identity+jwt'), payload, key: w.keys.wallet });
    expectDenied(await w.bankVerifier().verify(token, flow.expect), 'TRANSACTION_MISMATCH', 'transaction_hash');
  });
});

describe('issuer and audience (SHO-CLM-1, SHO-CLM-2, SHO-VER-3)', () => {
  it('SHO-VER-3: a validly signed bank token whose iss names another bank is ISSUER_MISMATCH', async () => {
    const flow = await w.link();
    const token = resignedLink(flow.token, (payload) => void (payload.iss = 'https://other-bank.example'));
    expectDenied(await w.rpVerifier().verify(token, flow.expect), 'ISSUER_MISMATCH', 'iss');
  });

  it('SHO-TRUST-3: iss with a trailing slash is ISSUER_MISMATCH (exact comparison)', async () => {
    const flow = await w.link();
    const token = resignedLink(flow.token, (payload) => void (payload.iss = `${BANK}/`));
    expectDenied(await w.rpVerifier().verify(token, flow.expect), 'ISSUER_MISMATCH', 'iss');
  });

  it('SHO-VER-3: a trusted wallet signing a link with iss = the bank is ISSUER_MISMATCH (iss is not the key owner)', async () => {
    const flow = await w.link();
    const trust = w.rpTrust({}, [w.partyEntry(WALLET, w.keys.wallet, ['link'])]);
    const token = forge({ header: headerFor(w.keys.wallet, 'shomei-link+jwt'), payload: decode(flow.token).payload, key: w.keys.wallet });
    expectDenied(await w.rpVerifier({ trust }).verify(token, { ...flow.expect, issuer: WALLET }), 'ISSUER_MISMATCH', 'iss');
  });

  it('SHO-LINK-3: a link assertion addressed to another relying party is AUDIENCE_MISMATCH', async () => {
    const flow = await w.link({ aud: 'https://other-broker.example' });
    expectDenied(await w.rpVerifier().verify(flow.token, flow.expect), 'AUDIENCE_MISMATCH', 'aud');
  });

  it('SHO-IDA-1: an identity assertion addressed to another bank is AUDIENCE_MISMATCH', async () => {
    const flow = await w.identity({ aud: 'https://other-bank.example' });
    expectDenied(await w.bankVerifier().verify(flow.token, flow.expect), 'AUDIENCE_MISMATCH', 'aud');
  });
});

describe('requests at the bank (SHO-REQ-5, SHO-REQ-13)', () => {
  it('SHO-REQ-5: a request with a redirect_uri the RP did not register is CLAIMS_INVALID on redirect_uri', async () => {
    const request = await w.request({ redirect_uri: 'https://sec.example/shomei/callback-evil' });
    expectDenied(await w.bankVerifier().verify(request.token, { kind: 'request', issuer: w.rp.issuer }), 'CLAIMS_INVALID', 'redirect_uri');
  });

  it('SHO-REQ-5: a redirect_uri differing only by a trailing slash is not registered', async () => {
    const request = await w.request({ redirect_uri: `${RP_CALLBACK}/` });
    expectDenied(await w.bankVerifier().verify(request.token, { kind: 'request', issuer: w.rp.issuer }), 'CLAIMS_INVALID', 'redirect_uri');
  });

  it('SHO-REQ-5: the registered redirect_uri is accepted', async () => {
    const request = await w.request();
    expectAllowed(await w.bankVerifier().verify(request.token, { kind: 'request', issuer: w.rp.issuer }));
  });

  it('SHO-REQ-1: a request addressed to another bank is AUDIENCE_MISMATCH', async () => {
    const request = await w.request({ aud: 'https://other-bank.example' });
    expectDenied(await w.bankVerifier().verify(request.token, { kind: 'request', issuer: w.rp.issuer }), 'AUDIENCE_MISMATCH', 'aud');
  });

  it('SHO-REQ-3: a request whose action differs from the one expected is REQUEST_MISMATCH', async () => {
    const request = await w.request();
    expectDenied(await w.bankVerifier().verify(request.token, { kind: 'request', issuer: w.rp.issuer, action: 'payout' }), 'REQUEST_MISMATCH', 'action');
  });

  it('SHO-REQ-13: every binding failure of one request is listed', async () => {
    const request = await w.request({ redirect_uri: 'https://sec.example/elsewhere', aud: 'https://other-bank.example' });
    const decision = await w.bankVerifier().verify(request.token, { kind: 'request', issuer: w.rp.issuer, action: 'payout' });
    expect(codes(decision).sort()).toEqual(['AUDIENCE_MISMATCH', 'CLAIMS_INVALID', 'REQUEST_MISMATCH']);
  });
});

describe('binding checks are never skipped for a missing argument (SHO-BIND-7)', () => {
  it('SHO-LINK-5: verified with only kind, issuer, nonce and request, a link for another action is REQUEST_MISMATCH (taken from the request)', async () => {
    const flow = await w.link({ action: 'payout_destination_change' });
    const { kind, issuer, nonce, request } = flow.expect as Expectations<'link'>;
    expectDenied(await w.rpVerifier().verify(flow.token, { kind, issuer, nonce: nonce as string, request: request as string }), 'REQUEST_MISMATCH', 'action');
  });

  it('SHO-LINK-7: verified without an account, a link for another account than the request named is ACCOUNT_MISMATCH', async () => {
    const flow = await w.link({ account: { ...OTHER_ACCOUNT } });
    const { kind, issuer, nonce, request } = flow.expect as Expectations<'link'>;
    expectDenied(await w.rpVerifier().verify(flow.token, { kind, issuer, nonce: nonce as string, request: request as string }), 'ACCOUNT_MISMATCH', 'account');
  });

  it('SHO-BIND-7: an expectations.request that is not a compact JWS is a caller mistake (TypeError) when the action or account must be read from it', async () => {
    const flow = await w.link();
    const { kind, issuer, nonce } = flow.expect as Expectations<'link'>;
    await expect(w.rpVerifier().verifier.verify(flow.token, { kind, issuer, nonce: nonce as string, request: 'not-a-jws' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
  });
});

describe('binding hashes through every backend path (SHO-BIND-1, SHO-BIND-3)', () => {
  // The node:crypto backend hashes to base64url natively; without it, its synchronous sha256 is used;
  // the default backend hashes through WebCrypto. All three must bind exactly alike.
  const native = createNodeCryptoBackend();
  const { sha256Base64url: _native, ...syncOnly } = native;
  const backends: Array<[string, HarnessOptions]> = [
    ['WebCrypto', {}],
    ['synchronous sha256', { crypto: syncOnly }],
    ['native base64url', { crypto: native }],
  ];

  it('SHO-BIND-3: each allows the same link and transaction with the same token and transaction hashes', async () => {
    const link = await w.link();
    const payout = await w.transaction();
    const seen: Array<{ link: unknown; payout: unknown }> = [];
    for (const [name, options] of backends) {
      const linkDecision = await w.rpVerifier(options).verify(link.token, link.expect);
      expectAllowed(linkDecision);
      const payoutDecision = await w.rpVerifier(options).verify(payout.token, payout.expect);
      expectAllowed(payoutDecision);
      seen.push({
        link: [linkDecision.tokenHash, linkDecision.transactionHash],
        payout: [payoutDecision.tokenHash, payoutDecision.transactionHash],
      });
      expect(linkDecision.tokenHash, name).toBe(createHash('sha256').update(link.token).digest('base64url'));
    }
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });

  it.each(backends)('SHO-BIND-3: %s denies another request, one byte longer or with a lone surrogate added', async (_name, options) => {
    const flow = await w.link();
    const request = flow.expect.request!;
    for (const other of [`${request}A`, `${request}\ud800`, (await w.request()).token]) {
      expectDenied(await w.rpVerifier(options).verify(flow.token, { ...flow.expect, request: other }), 'REQUEST_MISMATCH', 'req_hash');
    }
  });

  it('SHO-BIND-3: a backend whose sha256Base64url answers something else than a string makes a deny, not a decision with it', async () => {
    const flow = await w.link();
    const broken = { ...native, sha256Base64url: ((data: string | Uint8Array) => Promise.resolve(native.sha256Base64url!(data))) as unknown as (data: string | Uint8Array) => string };
    const decision = await w.rpVerifier({ crypto: broken }).verifier.verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    // A defect of a plug-in: denied with the internal-error reason, not with a stray value in the decision.
    expect(decision.reasons.map((reason) => [reason.code, reason.requirement])).toEqual([['CLAIMS_INVALID', 'SHO-VER-1']]);
    expect(decision.tokenHash).toBeUndefined();
  });

  it('SHO-VER-11: expectations.request that is not a string is a caller mistake (TypeError)', async () => {
    const flow = await w.link();
    const bytes = new TextEncoder().encode(flow.expect.request!);
    await expect(w.rpVerifier({ crypto: native }).verifier.verify(flow.token, { ...flow.expect, request: bytes as unknown as string })).rejects.toThrow(TypeError);
  });
});
