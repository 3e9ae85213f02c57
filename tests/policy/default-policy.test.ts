import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/policy/default-policy.js';
import { evaluatePolicy } from '../../src/policy/evaluate.js';
import type { KycFact, PolicyFacts } from '../../src/policy/facts.js';
import { loadPolicy } from '../../src/policy/load.js';
import { renderDefaultPolicy } from '../../spec/scripts/write-default-policy.js';
import { DAY, codes, jst } from './fixtures.js';

const NOW = jst(2026, 11, 20, 10);

const CHIP_SELFIE_KYC: KycFact = {
  trustFramework: 'jp_aml',
  ial: 'ial2',
  procedure: 'jp_aml.r6_1_1.he',
  verifiedAt: NOW - 2 * 365 * DAY,
  evidenceTypes: ['document'],
  checkMethods: ['vcrypt'],
};

/** A legitimate payout-account link: device-bound passkey at the bank, chip KYC, full match. */
function passkeyLink(action: PolicyFacts['action'] = 'account_link'): PolicyFacts {
  return {
    action,
    now: NOW,
    kyc: [{ ...CHIP_SELFIE_KYC }],
    authentication: {
      aal: 'aal3',
      amr: ['hwk', 'user', 'mfa', 'x-passkey-devicebound'],
      acr: 'phrh',
      authTime: NOW - 45,
      phishingResistant: true,
    },
    identityMatch: { name: 'match', birthdate: 'match' },
  };
}

function payout(value: string, currency = 'JPY'): PolicyFacts {
  const facts = passkeyLink('payout');
  facts.kyc = [];
  delete facts.identityMatch;
  facts.amount = { currency, value };
  return facts;
}

describe('default policy: document', () => {
  it('SHO-POL-16: is named shomei-default-jp 2026.11.0 and passes its own schema', () => {
    expect(DEFAULT_POLICY.policy_id).toBe('shomei-default-jp');
    expect(DEFAULT_POLICY.version).toBe('2026.11.0');
    expect(loadPolicy(JSON.parse(JSON.stringify(DEFAULT_POLICY)))).toEqual(DEFAULT_POLICY);
  });

  it('SHO-POL-16: spec/default-policy.json is exactly what spec/scripts/write-default-policy.ts writes', () => {
    const committed = readFileSync(new URL('../../spec/default-policy.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderDefaultPolicy());
    expect(loadPolicy(JSON.parse(committed))).toEqual(DEFAULT_POLICY);
  });

  it('SHO-POL-16: is deeply frozen so that no caller weakens the shared default', () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.rules.account_link?.proofing_methods)).toBe(true);
    expect(() => {
      (DEFAULT_POLICY.rules as Record<string, unknown>).payout = {};
    }).toThrow(TypeError);
  });

  it('SHO-POL-16: has a rule for every action', () => {
    expect(Object.keys(DEFAULT_POLICY.rules).sort()).toEqual([
      'account_link',
      'direct_debit_registration',
      'payout',
      'payout_destination_change',
    ]);
  });
});

describe('default policy: legitimate operations are allowed', () => {
  it('SHO-POL-16: a device-bound passkey link with chip KYC and a full match is allowed', () => {
    const decision = evaluatePolicy(DEFAULT_POLICY, passkeyLink());
    expect(decision).toEqual({ outcome: 'allow', reasons: [], policy: { id: 'shomei-default-jp', version: '2026.11.0' } });
  });

  it('SHO-POL-16: a synced passkey (aal2, phishing-resistant) payout-destination change is allowed', () => {
    const facts = passkeyLink('payout_destination_change');
    facts.authentication = {
      aal: 'aal2',
      amr: ['swk', 'user', 'mfa', 'x-passkey-synced'],
      acr: 'phr',
      authTime: NOW - 30,
      phishingResistant: true,
    };
    expect(evaluatePolicy(DEFAULT_POLICY, facts).outcome).toBe('allow');
  });

  it.each(['jp_aml.r6_1_1.wa', 'jp_aml.r6_1_1.ka', 'jp_aml.r6_1_1.to_1'])(
    'SHO-POL-16: KYC by %s is accepted for a link',
    (procedure) => {
      const facts = passkeyLink();
      facts.kyc = [{ ...CHIP_SELFIE_KYC, procedure, checkMethods: [] }];
      expect(evaluatePolicy(DEFAULT_POLICY, facts).outcome).toBe('allow');
    },
  );

  it('SHO-POL-16: face-to-face i is accepted only with the IC chip verified', () => {
    const facts = passkeyLink();
    facts.kyc = [{ ...CHIP_SELFIE_KYC, procedure: 'jp_aml.r6_1_1.i', checkMethods: ['vcrypt'] }];
    expect(evaluatePolicy(DEFAULT_POLICY, facts).outcome).toBe('allow');
    facts.kyc = [{ ...CHIP_SELFIE_KYC, procedure: 'jp_aml.r6_1_1.i', checkMethods: ['vpip'] }];
    expect(codes(evaluatePolicy(DEFAULT_POLICY, facts))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });
});

describe('default policy: the 2020 patterns are refused', () => {
  it('SHO-POL-16: a link authenticated by cash-card PIN and birthdate, asserted as aal2, is denied', () => {
    const facts = passkeyLink();
    facts.authentication = {
      aal: 'aal2',
      amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'],
      authTime: NOW - 30,
      phishingResistant: false,
    };
    const decision = evaluatePolicy(DEFAULT_POLICY, facts);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['FACTOR_NOT_COUNTED', 'PHISHING_RESISTANCE_REQUIRED']);
  });

  it('SHO-POL-16: PIN + birthdate is refused even if the bank claims phishing resistance', () => {
    const facts = passkeyLink();
    facts.authentication = {
      aal: 'aal2',
      amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'],
      authTime: NOW - 30,
      phishingResistant: true,
    };
    expect(codes(evaluatePolicy(DEFAULT_POLICY, facts))).toEqual([
      'FACTOR_NOT_COUNTED',
      'PHISHING_RESISTANCE_REQUIRED',
    ]);
  });

  it('SHO-POL-16: a wallet identity assertion without KYC (direct-debit registration) is KYC_MISSING', () => {
    const facts: PolicyFacts = {
      action: 'direct_debit_registration',
      now: NOW,
      kyc: [],
      authentication: { aal: 'aal2', amr: ['pwd', 'otp'], authTime: NOW - 20, phishingResistant: false },
    };
    expect(codes(evaluatePolicy(DEFAULT_POLICY, facts))).toEqual(['KYC_MISSING']);
    facts.kyc = [{ trustFramework: 'jp_mpiupa', ial: 'ial2', verifiedAt: NOW - 100 * DAY, evidenceTypes: ['document'] }];
    expect(evaluatePolicy(DEFAULT_POLICY, facts).outcome).toBe('allow');
  });

  it.each(['account_link', 'payout_destination_change'] as const)(
    'SHO-POL-16: %s to an account whose KYC was a photo upload (ho) 3 days ago is denied',
    (action) => {
      const facts = passkeyLink(action);
      facts.kyc = [{ ...CHIP_SELFIE_KYC, procedure: 'jp_aml.r6_1_1.ho', verifiedAt: NOW - 3 * DAY, checkMethods: [] }];
      const decision = evaluatePolicy(DEFAULT_POLICY, facts);
      expect(decision.outcome).toBe('deny');
      expect(codes(decision)).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    },
  );

  it.each(['account_link', 'payout_destination_change'] as const)(
    'SHO-POL-16: %s whose identity match is no_match on birthdate is denied',
    (action) => {
      const facts = passkeyLink(action);
      facts.identityMatch = { name: 'match', birthdate: 'no_match' };
      const decision = evaluatePolicy(DEFAULT_POLICY, facts);
      expect(decision.outcome).toBe('deny');
      expect(codes(decision)).toEqual(['IDENTITY_NO_MATCH']);
    },
  );

  it('SHO-POL-16: a same-name account without a birthdate comparison is IDENTITY_MATCH_MISSING', () => {
    const facts = passkeyLink('payout_destination_change');
    facts.identityMatch = { name: 'match' };
    expect(codes(evaluatePolicy(DEFAULT_POLICY, facts))).toEqual(['IDENTITY_MATCH_MISSING']);
  });

  it('SHO-POL-16: a close name match goes to review', () => {
    const facts = passkeyLink();
    facts.identityMatch = { name: 'close_match', birthdate: 'match' };
    const decision = evaluatePolicy(DEFAULT_POLICY, facts);
    expect(decision.outcome).toBe('review');
    expect(codes(decision)).toEqual(['IDENTITY_CLOSE_MATCH']);
  });
});

describe('default policy: ho around 2027-04-01', () => {
  function hoLink(now: number): PolicyFacts {
    const facts = passkeyLink();
    facts.now = now;
    facts.authentication.authTime = now - 10;
    facts.kyc = [{ ...CHIP_SELFIE_KYC, procedure: 'jp_aml.r6_1_1.ho', verifiedAt: jst(2025, 6, 1), checkMethods: [] }];
    return facts;
  }

  it('SHO-POL-16: ho KYC older than 30 days is accepted up to 2027-03-31 23:59:59 JST', () => {
    expect(evaluatePolicy(DEFAULT_POLICY, hoLink(NOW)).outcome).toBe('allow');
    expect(evaluatePolicy(DEFAULT_POLICY, hoLink(jst(2027, 3, 31, 23, 59, 59))).outcome).toBe('allow');
  });

  it('SHO-POL-16: ho KYC is refused from 2027-04-01 00:00 JST (2027-03-31 15:00 UTC), however old', () => {
    expect(codes(evaluatePolicy(DEFAULT_POLICY, hoLink(jst(2027, 4, 1))))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    expect(codes(evaluatePolicy(DEFAULT_POLICY, hoLink(jst(2028, 1, 1))))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-16: he KYC is unaffected by the 2027 change', () => {
    const facts = passkeyLink();
    facts.now = jst(2027, 4, 1);
    facts.authentication.authTime = facts.now - 10;
    expect(evaluatePolicy(DEFAULT_POLICY, facts).outcome).toBe('allow');
  });
});

describe('default policy: payouts', () => {
  it('SHO-POL-16: a passkey-authenticated payout of JPY 9,999,999 is allowed', () => {
    expect(evaluatePolicy(DEFAULT_POLICY, payout('9999999')).outcome).toBe('allow');
  });

  it('SHO-POL-16: a payout of JPY 10,000,001 is AMOUNT_LIMIT_EXCEEDED', () => {
    expect(codes(evaluatePolicy(DEFAULT_POLICY, payout('10000001')))).toEqual(['AMOUNT_LIMIT_EXCEEDED']);
  });

  it('SHO-POL-16: a payout in another currency is AMOUNT_LIMIT_EXCEEDED', () => {
    expect(codes(evaluatePolicy(DEFAULT_POLICY, payout('100', 'USD')))).toEqual(['AMOUNT_LIMIT_EXCEEDED']);
  });

  it('SHO-POL-16: a payout authenticated by password + SMS OTP is PHISHING_RESISTANCE_REQUIRED', () => {
    const facts = payout('150000');
    facts.authentication = { aal: 'aal2', amr: ['pwd', 'sms', 'otp'], authTime: NOW - 20, phishingResistant: false };
    expect(codes(evaluatePolicy(DEFAULT_POLICY, facts))).toEqual(['PHISHING_RESISTANCE_REQUIRED']);
  });

  it('SHO-POL-16: a payout authentication older than 300 s is AUTH_TOO_OLD', () => {
    const facts = payout('150000');
    facts.authentication.authTime = NOW - 301;
    expect(codes(evaluatePolicy(DEFAULT_POLICY, facts))).toEqual(['AUTH_TOO_OLD']);
  });
});
