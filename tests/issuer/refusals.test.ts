/**
 * Every refusal of the issuer (spec/02-tokens.md SHO-KIND-5, 08-authentication.md SHO-AUTH, 05, 06, 07,
 * 03): one mutation of a valid input, one `ShomeiError('ISSUANCE_REFUSED')` naming the claim — and a
 * message without personal data (SHO-ERR-3).
 */
import { describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import type { IdentityInput, LinkInput, TransactionInput } from '../../src/issuer/issue.js';
import { KIND_DEFINITIONS, type Kind } from '../../src/kinds/kind.js';
import {
  createWorld,
  decode,
  expectNoPersonalData,
  identityInput,
  issuanceRefusal,
  linkInput,
  NOW,
  requestInput,
  NOW_MS,
  transactionInput,
  verifiedClaims,
} from '../helpers/world.js';

const w = await createWorld();
const linkRequest = await w.request();
const payoutRequest = await w.payoutRequest();

/** Awaits a refusal and returns it; fails when the issuer signed. */
async function refusal(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await issuanceRefusal(promise);
  expectNoPersonalData([error.message, error.claim ?? ''], [linkRequest.token, payoutRequest.token]);
  return error;
}

async function expectRefused(promise: Promise<unknown>, claim: string | RegExp): Promise<void> {
  const error = await refusal(promise);
  if (typeof claim === 'string') expect(error.claim).toBe(claim);
  else expect(error.claim).toMatch(claim);
}

const link = (patch: Partial<Record<keyof LinkInput, unknown>> = {}) =>
  w.bank.link({ ...linkInput(linkRequest.token, linkRequest.claims.nonce), ...patch } as LinkInput);
const transaction = (patch: Partial<Record<keyof TransactionInput, unknown>> = {}) =>
  w.bank.transaction({ ...transactionInput(payoutRequest.token, payoutRequest.claims.nonce), ...patch } as TransactionInput);
const identity = (patch: Partial<Record<keyof IdentityInput, unknown>> = {}) =>
  w.wallet.identity({ ...identityInput(), ...patch } as IdentityInput);

function without<T extends object>(value: T, ...members: string[]): T {
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const member of members) delete copy[member];
  return copy as T;
}

describe('the baseline inputs are signed', () => {
  it('SHO-KIND-5: every kind is issued from the valid fixture inputs', async () => {
    await expect(w.rp.request(requestInput())).resolves.toMatchObject({ kind: 'request' });
    await expect(link()).resolves.toMatchObject({ kind: 'link' });
    await expect(transaction()).resolves.toMatchObject({ kind: 'transaction' });
    await expect(identity()).resolves.toMatchObject({ kind: 'identity' });
  });
});

describe('authentication data (spec/08-authentication.md)', () => {
  const requirementOf = { amr: 'SHO-AUTH-1', auth_time: 'SHO-AUTH-3', aal: 'SHO-AUTH-4', phishing_resistant: 'SHO-AUTH-4' } as const;
  for (const kind of ['link', 'transaction', 'identity'] as const) {
    for (const member of ['amr', 'auth_time', 'aal', 'phishing_resistant'] as const) {
      it(`${requirementOf[member]}: a ${kind} assertion without ${member} is refused`, async () => {
        const input =
          kind === 'link'
            ? linkInput(linkRequest.token, linkRequest.claims.nonce)
            : kind === 'transaction'
              ? transactionInput(payoutRequest.token, payoutRequest.claims.nonce)
              : identityInput();
        const issuer = kind === 'identity' ? w.wallet : w.bank;
        await expectRefused((issuer[kind] as (input: unknown) => Promise<unknown>)(without(input, member)), member);
      });
    }
  }

  it('SHO-AUTH-3: auth_time one second in the future is refused', async () => {
    await expectRefused(link({ auth_time: NOW + 1 }), 'auth_time');
  });

  it('SHO-AUTH-3: auth_time equal to iat is signed', async () => {
    await expect(link({ auth_time: NOW })).resolves.toMatchObject({ kind: 'link' });
  });

  it('SHO-AUTH-1: an unknown amr value is refused, naming its position', async () => {
    await expectRefused(link({ amr: ['pwd', 'x-sms-magic-link'], aal: 'aal1', phishing_resistant: false, acr: undefined }), 'amr.1');
  });

  it('SHO-AUTH-1: an empty amr is refused', async () => {
    await expectRefused(link({ amr: [] }), 'amr');
  });

  it('SHO-AUTH-1: an amr with a duplicate value is refused', async () => {
    await expectRefused(link({ amr: ['pwd', 'pwd'], aal: 'aal1', phishing_resistant: false, acr: undefined }), /^amr/);
  });

  it('SHO-AUTH-1: amr as a string instead of an array is refused', async () => {
    await expectRefused(link({ amr: 'x-passkey-devicebound' }), 'amr');
  });

  it('SHO-AUTH-5: cash-card PIN + birthdate asserted as aal1 is refused (no counting factor)', async () => {
    await expectRefused(
      link({ amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'], aal: 'aal1', phishing_resistant: false, acr: undefined }),
      'amr',
    );
  });

  it('SHO-AUTH-5: cash-card PIN + birthdate asserted as aal2 is refused (no counting factor)', async () => {
    await expectRefused(
      transaction({ amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'], aal: 'aal2', phishing_resistant: false, acr: undefined }),
      'amr',
    );
  });

  it('SHO-AUTH-8: password + cash-card PIN asserted as aal2 is refused (the PIN is no second factor)', async () => {
    await expectRefused(link({ amr: ['pwd', 'x-jp-cashcard-pin'], aal: 'aal2', phishing_resistant: false, acr: undefined }), 'aal');
  });

  it('SHO-AUTH-6: a password alone asserted as aal2 is refused', async () => {
    await expectRefused(link({ amr: ['pwd'], aal: 'aal2', phishing_resistant: false, acr: undefined }), 'aal');
  });

  it('SHO-AUTH-10: a synced passkey asserted as aal3 is refused (not a hardware authenticator)', async () => {
    await expectRefused(link({ amr: ['x-passkey-synced'], aal: 'aal3' }), 'aal');
  });

  it('SHO-AUTH-10: password + SMS OTP asserted as aal3 is refused', async () => {
    await expectRefused(link({ amr: ['pwd', 'sms', 'otp'], aal: 'aal3', phishing_resistant: false, acr: undefined }), 'aal');
  });

  it('SHO-AUTH-7: phishing_resistant true with password + OTP and no phishing-resistant acr is refused', async () => {
    await expectRefused(link({ amr: ['pwd', 'otp'], aal: 'aal2', phishing_resistant: true, acr: undefined }), 'phishing_resistant');
  });

  it('SHO-AUTH-9: password + SMS OTP as aal2 without phishing resistance is signed (a policy decides)', async () => {
    await expect(link({ amr: ['pwd', 'sms', 'otp'], aal: 'aal2', phishing_resistant: false, acr: undefined })).resolves.toMatchObject({ kind: 'link' });
  });
});

describe('lifetime (SHO-KIND-5)', () => {
  const issue: Record<Kind, (lifetime: number) => Promise<unknown>> = {
    request: (lifetime) => w.rp.request(requestInput(), { lifetime }),
    link: (lifetime) => w.bank.link(linkInput(linkRequest.token, linkRequest.claims.nonce), { lifetime }),
    transaction: (lifetime) => w.bank.transaction(transactionInput(payoutRequest.token, payoutRequest.claims.nonce), { lifetime }),
    identity: (lifetime) => w.wallet.identity(identityInput(), { lifetime }),
  };
  for (const kind of ['request', 'link', 'transaction', 'identity'] as const) {
    const max = KIND_DEFINITIONS[kind].maxLifetime;
    it(`SHO-KIND-5: a ${kind} with lifetime ${max + 1} s (maximum + 1) is refused`, async () => {
      await expectRefused(issue[kind](max + 1), 'exp');
    });
    it(`SHO-KIND-3: a ${kind} with exactly the maximum lifetime ${max} s is signed with exp − iat = ${max}`, async () => {
      const issued = (await issue[kind](max)) as { claims: { iat: number; exp: number } };
      expect(issued.claims.exp - issued.claims.iat).toBe(max);
    });
  }
  for (const lifetime of [0, -1, 60.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`SHO-KIND-5: a lifetime of ${lifetime} is refused`, async () => {
      await expectRefused(issue.link(lifetime), 'exp');
    });
  }
  it('SHO-KIND-5: without a lifetime the kind default is used', async () => {
    const issued = await link();
    expect(issued.claims.exp - issued.claims.iat).toBe(KIND_DEFINITIONS.link.defaultLifetime);
  });
});

describe('transaction details (spec/05-transaction.md)', () => {
  const txn = (patch: (details: Record<string, unknown>) => void) => {
    const details = structuredClone(transactionInput(payoutRequest.token, payoutRequest.claims.nonce).transaction) as unknown as Record<string, unknown>;
    patch(details);
    return transaction({ transaction: details });
  };
  const amount = (value: unknown, currency: unknown = 'JPY') => txn((details) => (details.amount = { currency, value }));

  it('SHO-TXN-2: a transaction assertion without transaction is refused', async () => {
    await expectRefused(transaction({ transaction: undefined }), 'transaction');
  });
  it('SHO-TXN-5: a transaction without amount is refused', async () => {
    await expectRefused(txn((details) => delete details.amount), 'transaction.amount');
  });
  it('SHO-TXN-5: a transaction without payee is refused', async () => {
    await expectRefused(txn((details) => delete details.payee), 'transaction.payee');
  });
  it('SHO-TXN-5: a transaction with an unknown member is refused', async () => {
    await expectRefused(txn((details) => (details.memo = 'rent')), 'transaction');
  });
  it('SHO-TXN-5: a payee with a malformed account number is refused', async () => {
    await expectRefused(txn((details) => ((details.payee as Record<string, unknown>).number = '123456')), 'transaction.payee.number');
  });
  it('SHO-BIND-8: an amount given as a JSON number is refused', async () => {
    await expectRefused(txn((details) => (details.amount = 150000)), 'transaction.amount');
  });
  it('SHO-BIND-8: an amount value given as a JSON number is refused', async () => {
    await expectRefused(amount(150000), 'transaction.amount.value');
  });
  it("SHO-TXN-6: '1.50' (trailing fractional zero) is refused", async () => {
    await expectRefused(amount('1.50', 'EUR'), 'transaction.amount.value');
  });
  it("SHO-TXN-6: JPY with decimals ('100.5') is refused", async () => {
    await expectRefused(amount('100.5'), 'transaction.amount.value');
  });
  it("SHO-TXN-6: a leading zero ('0150000') is refused", async () => {
    await expectRefused(amount('0150000'), 'transaction.amount.value');
  });
  it("SHO-TXN-6: an exponent ('1e5') is refused", async () => {
    await expectRefused(amount('1e5'), 'transaction.amount.value');
  });
  it("SHO-TXN-6: a zero amount ('0') is refused", async () => {
    await expectRefused(amount('0'), 'transaction.amount.value');
  });
  it("SHO-TXN-6: a negative amount ('-150000') is refused", async () => {
    await expectRefused(amount('-150000'), 'transaction.amount.value');
  });
  it("SHO-TXN-6: a lower-case currency ('jpy') is refused", async () => {
    await expectRefused(amount('150000', 'jpy'), 'transaction.amount.currency');
  });
  it('SHO-BIND-3: a transaction assertion without the request it answers is refused', async () => {
    await expectRefused(transaction({ request: undefined }), 'req_hash');
  });
  it('SHO-BIND-3: a link assertion without the request it answers is refused', async () => {
    await expectRefused(link({ request: '' }), 'req_hash');
  });
});

describe('KYC (spec/06-identity.md, spec/07-kyc.md)', () => {
  const jpAml = (patch: (verification: Record<string, unknown>) => void) => {
    const claims = verifiedClaims();
    patch(claims.verification as unknown as Record<string, unknown>);
    return link({ verified_claims: claims });
  };

  it('SHO-IDA-8: an identity assertion without verified_claims and without kyc_status none is refused', async () => {
    await expectRefused(identity({ verified_claims: undefined }), 'verified_claims');
  });
  it('SHO-IDA-2: an identity assertion with both verified_claims and kyc_status none is refused', async () => {
    await expectRefused(identity({ kyc_status: 'none' }), 'verified_claims');
  });
  it("SHO-IDA-7: kyc_status 'none' without verified_claims is signed and says so", async () => {
    const issued = await identity({ verified_claims: undefined, kyc_status: 'none' });
    const { payload } = decode(issued.token);
    expect(payload.kyc_status).toBe('none');
    expect('verified_claims' in payload).toBe(false);
  });
  it('SHO-IDA-4: an identity assertion for another action is refused', async () => {
    await expectRefused(identity({ action: 'account_link' }), 'action');
  });
  it('SHO-LINK-9: a link assertion without verified_claims is refused', async () => {
    await expectRefused(link({ verified_claims: undefined }), 'verified_claims');
  });
  it('SHO-KYC-4: jp_aml without assurance_process.procedure is refused', async () => {
    await expectRefused(jpAml((v) => delete v.assurance_process), 'verified_claims.verification.assurance_process.procedure');
  });
  it('SHO-KYC-4: jp_aml with an unknown method code is refused', async () => {
    await expectRefused(
      jpAml((v) => (v.assurance_process = { procedure: 'jp_aml.r6_1_1.zz' })),
      'verified_claims.verification.assurance_process.procedure',
    );
  });
  it('SHO-KYC-5: jp_aml without time is refused', async () => {
    await expectRefused(jpAml((v) => delete v.time), 'verified_claims.verification.time');
  });
  it('SHO-KYC-5: jp_aml with a time without time zone is refused', async () => {
    await expectRefused(jpAml((v) => (v.time = '2025-05-01T10:00:00')), 'verified_claims.verification.time');
  });
  it('SHO-KYC-3: jp_aml without assurance_level is refused', async () => {
    await expectRefused(jpAml((v) => delete v.assurance_level), 'verified_claims.verification.assurance_level');
  });
  it("SHO-KYC-3: jp_aml with assurance_level 'ial4' is refused", async () => {
    await expectRefused(jpAml((v) => (v.assurance_level = 'ial4')), 'verified_claims.verification.assurance_level');
  });
  it('SHO-KYC-1: verified_claims with a member besides verification and claims is refused', async () => {
    await expectRefused(link({ verified_claims: { ...verifiedClaims(), txn: 'x' } }), 'verified_claims');
  });
});

describe('identity match (spec/09-account.md SHO-MATCH-15, spec/04-link.md SHO-LINK-10)', () => {
  it('SHO-MATCH-15: a result for an attribute the request did not send (address) is refused', async () => {
    await expectRefused(link({ identity_match: { name: 'match', name_kana: 'match', birthdate: 'match', address: 'match' } }), /^identity_match/);
  });
  it('SHO-LINK-10: identity_match for a request that carried no identity is refused', async () => {
    const bare = await w.request({ identity: undefined });
    await expectRefused(
      w.bank.link({ ...linkInput(bare.token, bare.claims.nonce), identity_match: { name: 'match' } }),
      /^identity_match/,
    );
  });
  it('SHO-LINK-10: a link assertion without a result for an attribute the request sent (birthdate) is refused', async () => {
    await expectRefused(link({ identity_match: { name: 'match', name_kana: 'match' } }), /^identity_match/);
  });
});

describe('requests (spec/03-request.md)', () => {
  const request = (patch: Record<string, unknown>) => w.rp.request({ ...requestInput(), ...patch } as never);

  it('SHO-REQ-6: a request without state is refused', async () => {
    await expectRefused(request({ state: undefined }), 'state');
  });
  it('SHO-REQ-6: a state with a control character is refused', async () => {
    await expectRefused(request({ state: 'a\nb' }), 'state');
  });
  it('SHO-REQ-8: a payout request without transaction is refused', async () => {
    await expectRefused(w.rp.request({ ...requestInput({ action: 'payout' }), transaction: undefined }), 'transaction');
  });
  it('SHO-REQ-8: an account_link request with a transaction is refused', async () => {
    await expectRefused(request({ transaction: requestInput({ action: 'payout' }).transaction }), 'transaction');
  });
  it('SHO-REQ-7: an account_link request without account is refused', async () => {
    await expectRefused(request({ account: undefined }), 'account');
  });
  it('SHO-REQ-7: a payout_destination_change request without account is refused', async () => {
    await expectRefused(request({ action: 'payout_destination_change', account: undefined }), 'account');
  });
  it('SHO-REQ-3: an unknown action is refused', async () => {
    await expectRefused(request({ action: 'withdraw_everything' }), 'action');
  });
  it('SHO-REQ-4: an http redirect_uri on a public host is refused', async () => {
    await expectRefused(request({ redirect_uri: 'http://sec.example/callback' }), 'redirect_uri');
  });
  it('SHO-REQ-4: a redirect_uri with a fragment is refused', async () => {
    await expectRefused(request({ redirect_uri: 'https://sec.example/callback#frag' }), 'redirect_uri');
  });
  it('SHO-CLM-2: an aud array is refused', async () => {
    await expectRefused(request({ aud: ['https://bank.example'] }), 'aud');
  });
  it('SHO-CLM-10: a nonce shorter than 16 characters is refused', async () => {
    await expectRefused(request({ nonce: 'short' }), 'nonce');
  });
});

describe('size (SHO-JWS-2)', () => {
  it('SHO-JWS-2: the issuer never produces a token above 16384 octets', async () => {
    const claims = verifiedClaims();
    (claims.claims as Record<string, unknown>).address = { formatted: '東京都千代田区'.repeat(1200) };
    const outcome = await link({ verified_claims: claims }).then(
      (issued) => issued.token.length,
      (error: unknown) => error,
    );
    if (typeof outcome === 'number') expect(outcome, 'token length').toBeLessThanOrEqual(16384);
    else {
      expect(outcome).toBeInstanceOf(ShomeiError);
      expect((outcome as ShomeiError).code).toBe('ISSUANCE_REFUSED');
    }
  });
});

describe('caller mistakes', () => {
  it('SHO-ERR-5: a non-object input is a caller mistake (TypeError ERR_INVALID_ARG_VALUE), not a refusal', async () => {
    const error = await w.bank.link(null as never).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
  });
});

describe('an assertion answers its request (issuer side of dynamic linking)', () => {
  it('SHO-LINK-4/SHO-LINK-5/SHO-LINK-6/SHO-TXN-3: a bank issuer refuses to answer a request with another nonce, audience, action, account or transaction', async () => {
    const { createIssuer } = await import('../../src/issuer/issue.js');
    const world = await createWorld();
    const strict = createIssuer({ issuer: world.bank.issuer, signer: world.keys.bank.signer, clock: () => NOW_MS });
    const request = await world.request();
    const link = await world.link();
    const base = { ...(link.claims as unknown as Record<string, unknown>) };
    for (const name of ['iss', 'iat', 'exp', 'jti', 'req_hash', 'transaction_hash']) delete base[name];
    const answer = { ...base, request: request.token, nonce: request.claims.nonce, aud: request.claims.iss, action: request.claims.action, account: request.claims.account };
    await expect(strict.link(answer as never)).resolves.toBeDefined();
    for (const [claim, value] of [['nonce', 'another-nonce-0000000'], ['aud', 'https://other.example'], ['action', 'payout_destination_change'], ['account', { ...request.claims.account, number: '0000001' }]] as const) {
      await expect(strict.link({ ...answer, [claim]: value } as never)).rejects.toMatchObject({ code: 'ISSUANCE_REFUSED', claim });
    }
    const payout = await world.payoutRequest();
    const txn = await world.transaction();
    const txnBase = { ...(txn.claims as unknown as Record<string, unknown>) };
    for (const name of ['iss', 'iat', 'exp', 'jti', 'req_hash', 'transaction_hash']) delete txnBase[name];
    const txnAnswer = { ...txnBase, request: payout.token, nonce: payout.claims.nonce, aud: payout.claims.iss, transaction: payout.claims.transaction };
    await expect(strict.transaction(txnAnswer as never)).resolves.toBeDefined();
    const changed = { ...payout.claims.transaction, amount: { currency: 'JPY', value: '1500000' } };
    await expect(strict.transaction({ ...txnAnswer, transaction: changed } as never)).rejects.toMatchObject({ code: 'ISSUANCE_REFUSED', claim: 'transaction' });
    await expect(strict.transaction({ ...txnAnswer, request: request.token, nonce: request.claims.nonce } as never)).rejects.toMatchObject({ code: 'ISSUANCE_REFUSED', claim: 'transaction' });
  });

  it('SHO-CLM-1: iss, iat, exp, nbf and jti are set by the issuer, never by the caller', async () => {
    const world = await createWorld();
    for (const name of ['iss', 'iat', 'exp', 'nbf', 'jti']) {
      await expect(world.rp.request({ ...(requestInput() as object), [name]: name === 'iss' ? 'https://other.example' : 1 } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    }
  });
});
