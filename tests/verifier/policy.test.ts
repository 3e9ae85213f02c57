/**
 * Step 12, the default policy on real tokens (spec/14-policy.md SHO-POL-16; the 2020 patterns of
 * ../shared/reference/japan.md): a link authenticated with a cash-card PIN and a birthdate, a payout
 * destination proofed by photo upload days ago, a birthdate that does not match — denied; a close
 * match — review; a passkey-authenticated link with IC-chip or JPKI KYC — allowed.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/policy/default-policy.js';
import {
  codes,
  createWorld,
  DAY,
  decode,
  expectAllowed,
  expectDenied,
  forge,
  headerFor,
  jstDateTime,
  NOW,
  verifiedClaims,
} from '../helpers/world.js';

const w = await createWorld();

/** A link the issuer SDK refuses to sign, signed anyway by the bank's key (a bank not using shomei). */
async function forgedLink(mutate: (payload: Record<string, unknown>) => void) {
  const flow = await w.link();
  const { payload } = decode(flow.token);
  mutate(payload);
  return { ...flow, token: forge({ header: headerFor(w.keys.bank, 'shomei-link+jwt'), payload, key: w.keys.bank }) };
}

describe('the 2020 patterns are denied', () => {
  it('SHO-AUTH-8: a link authenticated by cash-card PIN + birthdate, asserted as aal2, is FACTOR_NOT_COUNTED and PHISHING_RESISTANCE_REQUIRED', async () => {
    const flow = await forgedLink((payload) => {
      Object.assign(payload, { amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'], aal: 'aal2', phishing_resistant: false });
      delete payload.acr;
    });
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expectDenied(decision, 'FACTOR_NOT_COUNTED');
    expectDenied(decision, 'PHISHING_RESISTANCE_REQUIRED');
    expect(decision.policy).toEqual({ id: DEFAULT_POLICY.policy_id, version: DEFAULT_POLICY.version });
  });

  it('SHO-POL-10: the same PIN + birthdate link asserted honestly as aal1 is AAL_TOO_LOW', async () => {
    const flow = await forgedLink((payload) => {
      Object.assign(payload, { amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'], aal: 'aal1', phishing_resistant: false });
      delete payload.acr;
    });
    expectDenied(await w.rpVerifier().verify(flow.token, flow.expect), 'AAL_TOO_LOW');
  });

  it('SHO-POL-12: password + SMS OTP (aal2, phishable) for an account link is PHISHING_RESISTANCE_REQUIRED', async () => {
    const flow = await w.link({ amr: ['pwd', 'sms', 'otp'], acr: undefined, aal: 'aal2', phishing_resistant: false });
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expect(codes(decision)).toEqual(['PHISHING_RESISTANCE_REQUIRED']);
  });

  it('SHO-AUTH-7: phishing_resistant true without a phishing-resistant method (forged) is not credited', async () => {
    const flow = await forgedLink((payload) => {
      Object.assign(payload, { amr: ['pwd', 'otp'], aal: 'aal2', phishing_resistant: true });
      delete payload.acr;
    });
    expectDenied(await w.rpVerifier().verify(flow.token, flow.expect), 'PHISHING_RESISTANCE_REQUIRED');
  });

  it('SHO-POL-7: a payout destination proofed by photo upload (ホ) 3 days ago is PROOFING_METHOD_NOT_ALLOWED', async () => {
    const flow = await w.link({ verified_claims: verifiedClaims({ procedure: 'jp_aml.r6_1_1.ho', time: jstDateTime(NOW - 3 * DAY) }) });
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expect(codes(decision)).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-14: a birthdate no_match (account opened in the victim’s name) is IDENTITY_NO_MATCH', async () => {
    const flow = await w.link({ identity_match: { name: 'match', name_kana: 'match', birthdate: 'no_match' } });
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['IDENTITY_NO_MATCH']);
  });

  it('SHO-POL-2: all three patterns at once are all reported', async () => {
    const flow = await forgedLink((payload) => {
      Object.assign(payload, {
        amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'],
        aal: 'aal2',
        phishing_resistant: false,
        verified_claims: verifiedClaims({ procedure: 'jp_aml.r6_1_1.ho', time: jstDateTime(NOW - 3 * DAY) }),
        identity_match: { name: 'match', name_kana: 'match', birthdate: 'no_match' },
      });
      delete payload.acr;
    });
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(expect.arrayContaining(['PROOFING_METHOD_NOT_ALLOWED', 'FACTOR_NOT_COUNTED', 'PHISHING_RESISTANCE_REQUIRED', 'IDENTITY_NO_MATCH']));
  });
});

describe('review and allow', () => {
  it('SHO-POL-14: a name close_match (kana variant) goes to review with IDENTITY_CLOSE_MATCH', async () => {
    const flow = await w.link({ identity_match: { name: 'close_match', name_kana: 'match', birthdate: 'match' } });
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('review');
    expect(codes(decision)).toEqual(['IDENTITY_CLOSE_MATCH']);
    expect(decision.claims).toBeDefined();
  });

  it('SHO-POL-16: a legitimate link — device-bound passkey, JPKI (ワ) KYC, full match — is allowed', async () => {
    const flow = await w.link();
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expectAllowed(decision);
    expect(decision.policy).toEqual({ id: 'shomei-default-jp', version: DEFAULT_POLICY.version });
  });

  it('SHO-POL-16: a synced passkey with IC-chip + selfie (ヘ) KYC is allowed', async () => {
    const flow = await w.link({ amr: ['x-passkey-synced'], verified_claims: verifiedClaims({ procedure: 'jp_aml.r6_1_1.he' }) });
    expectAllowed(await w.rpVerifier().verify(flow.token, flow.expect));
  });

  it('SHO-POL-7: ホ proofing 60 days old is still accepted before 2027-04-01', async () => {
    const flow = await w.link({ verified_claims: verifiedClaims({ procedure: 'jp_aml.r6_1_1.ho', time: jstDateTime(NOW - 60 * DAY) }) });
    expectAllowed(await w.rpVerifier().verify(flow.token, flow.expect));
  });

  it('SHO-POL-16: a legitimate passkey payout of JPY 150,000 is allowed', async () => {
    const flow = await w.transaction();
    expectAllowed(await w.rpVerifier().verify(flow.token, flow.expect));
  });

  it('SHO-POL-16: a wallet identity assertion with ヘ KYC at ial2 is allowed at the bank', async () => {
    const flow = await w.identity();
    expectAllowed(await w.bankVerifier().verify(flow.token, flow.expect));
  });
});

describe('other default-policy rules on real tokens', () => {
  it('SHO-IDA-7: a wallet that did no KYC (kyc_status none) is KYC_MISSING at the bank', async () => {
    const flow = await w.identity({ verified_claims: undefined, kyc_status: 'none' });
    const decision = await w.bankVerifier().verify(flow.token, flow.expect);
    expect(codes(decision)).toEqual(['KYC_MISSING']);
  });

  it('SHO-POL-7: copy-and-mail proofing (ヌ) is PROOFING_METHOD_NOT_ALLOWED for an account link', async () => {
    const flow = await w.link({ verified_claims: verifiedClaims({ procedure: 'jp_aml.r6_1_1.nu' }) });
    expect(codes(await w.rpVerifier().verify(flow.token, flow.expect))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-5: KYC at ial1 is IAL_TOO_LOW', async () => {
    const flow = await w.link({ verified_claims: verifiedClaims({ level: 'ial1' }) });
    expect(codes(await w.rpVerifier().verify(flow.token, flow.expect))).toEqual(['IAL_TOO_LOW']);
  });

  it('SHO-KYC-13, SHO-POL-5: a self_asserted ial2 element is credited no IAL: IAL_TOO_LOW', async () => {
    const flow = await forgedLink((payload) => {
      ((payload.verified_claims as { verification: Record<string, unknown> }).verification).assurance_basis = 'self_asserted';
    });
    expect(codes(await w.rpVerifier().verify(flow.token, flow.expect))).toEqual(['IAL_TOO_LOW']);
  });

  it('SHO-KYC-13: an assurance_basis this version does not know is credited no IAL either', async () => {
    const flow = await forgedLink((payload) => {
      ((payload.verified_claims as { verification: Record<string, unknown> }).verification).assurance_basis = 'Self_Asserted';
    });
    expect(codes(await w.rpVerifier().verify(flow.token, flow.expect))).toEqual(['IAL_TOO_LOW']);
  });

  it('SHO-KYC-13: an evidence or inherited basis keeps the credited level', async () => {
    for (const basis of ['evidence', 'inherited']) {
      const flow = await forgedLink((payload) => {
        ((payload.verified_claims as { verification: Record<string, unknown> }).verification).assurance_basis = basis;
      });
      expectAllowed(await w.rpVerifier().verify(flow.token, flow.expect));
    }
  });

  it('SHO-POL-6: KYC under another trust framework is TRUST_FRAMEWORK_NOT_ALLOWED', async () => {
    const claims = verifiedClaims();
    claims.verification.trust_framework = 'eidas';
    const flow = await w.link({ verified_claims: claims });
    expectDenied(await w.rpVerifier().verify(flow.token, flow.expect), 'TRUST_FRAMEWORK_NOT_ALLOWED');
  });

  it('SHO-POL-13: an authentication 301 s old is AUTH_TOO_OLD', async () => {
    const flow = await w.link({ auth_time: NOW - 301 });
    expect(codes(await w.rpVerifier().verify(flow.token, flow.expect))).toEqual(['AUTH_TOO_OLD']);
  });

  it('SHO-POL-14: a link without the required birthdate result is IDENTITY_MATCH_MISSING', async () => {
    const flow = await forgedLink((payload) => void (payload.identity_match = { name: 'match' }));
    expect(codes(await w.rpVerifier().verify(flow.token, flow.expect))).toEqual(['IDENTITY_MATCH_MISSING']);
  });

  it('SHO-POL-15: a payout above JPY 10,000,000 is AMOUNT_LIMIT_EXCEEDED', async () => {
    const flow = await w.transaction({ transaction: { type: 'payout', amount: { currency: 'JPY', value: '10000001' }, payee: { bank_code: '0005', branch_code: '123', type: '1', number: '1234567' } } });
    const decision = await w.rpVerifier().verify(flow.token, { ...flow.expect, transaction: flow.claims.transaction });
    expect(codes(decision)).toEqual(['AMOUNT_LIMIT_EXCEEDED']);
  });

  it('SHO-POL-12: a payout with password + SMS OTP is PHISHING_RESISTANCE_REQUIRED', async () => {
    const flow = await w.transaction({ amr: ['pwd', 'sms', 'otp'], acr: undefined, phishing_resistant: false });
    expect(codes(await w.rpVerifier().verify(flow.token, flow.expect))).toEqual(['PHISHING_RESISTANCE_REQUIRED']);
  });

  it('SHO-VER-8: policy: false decides on the checks alone (no policy named)', async () => {
    const flow = await w.link({ identity_match: { name: 'match', name_kana: 'match', birthdate: 'no_match' } });
    const decision = await w.rpVerifier({ policy: false }).verify(flow.token, flow.expect);
    expectAllowed(decision);
    expect(decision.policy).toBeUndefined();
  });
});
