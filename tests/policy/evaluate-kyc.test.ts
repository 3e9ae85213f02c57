import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/policy/evaluate.js';
import type { KycFact, PolicyFacts } from '../../src/policy/facts.js';
import { BASE_RULE, DAY, NOW, baseFacts, codes, jst, policyWith, ruleWithout } from './fixtures.js';

const policy = policyWith(BASE_RULE);

function withKyc(change: Partial<KycFact>, facts: PolicyFacts = baseFacts()): PolicyFacts {
  const [first] = facts.kyc;
  facts.kyc = [{ ...first!, ...change }];
  return facts;
}

describe('policy: baseline', () => {
  it('SHO-POL-2: the baseline facts satisfy the baseline rule and the decision names the policy', () => {
    const decision = evaluatePolicy(policy, baseFacts());
    expect(decision).toEqual({ outcome: 'allow', reasons: [], policy: { id: 'test-policy', version: '1.2.3' } });
  });
});

describe('policy: KYC rules', () => {
  it('SHO-POL-4: no verified_claims at all is KYC_MISSING, reported once', () => {
    const facts = baseFacts();
    facts.kyc = [];
    const decision = evaluatePolicy(policy, facts);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['KYC_MISSING']);
  });

  it('SHO-POL-4: a rule without KYC requirements does not need KYC', () => {
    const facts = baseFacts();
    facts.kyc = [];
    const rule = ruleWithout('min_ial', 'trust_frameworks', 'proofing_methods', 'max_kyc_age_days');
    expect(evaluatePolicy(policyWith(rule), facts).outcome).toBe('allow');
  });

  it('SHO-POL-5: an IAL below the minimum is IAL_TOO_LOW', () => {
    const decision = evaluatePolicy(policy, withKyc({ ial: 'ial1' }));
    expect(codes(decision)).toEqual(['IAL_TOO_LOW']);
    expect(decision.reasons[0]?.message).toBe('IAL ial1 is below the policy minimum ial2');
  });

  it('SHO-POL-5: a missing IAL is IAL_TOO_LOW', () => {
    expect(codes(evaluatePolicy(policy, withKyc({ ial: undefined })))).toEqual(['IAL_TOO_LOW']);
  });

  it('SHO-POL-5: ial3 satisfies a minimum of ial2', () => {
    expect(evaluatePolicy(policy, withKyc({ ial: 'ial3' })).outcome).toBe('allow');
  });

  it('SHO-POL-6: a trust framework outside the list is TRUST_FRAMEWORK_NOT_ALLOWED', () => {
    const decision = evaluatePolicy(policy, withKyc({ trustFramework: 'nist_800_63A' }));
    expect(codes(decision)).toEqual(['TRUST_FRAMEWORK_NOT_ALLOWED']);
  });

  it('SHO-POL-7: a procedure outside the list is PROOFING_METHOD_NOT_ALLOWED', () => {
    expect(codes(evaluatePolicy(policy, withKyc({ procedure: 'jp_aml.r6_1_1.ro' })))).toEqual([
      'PROOFING_METHOD_NOT_ALLOWED',
    ]);
  });

  it('SHO-POL-7: a missing procedure is PROOFING_METHOD_NOT_ALLOWED', () => {
    expect(codes(evaluatePolicy(policy, withKyc({ procedure: undefined })))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-7: face-to-face i without a chip check is PROOFING_METHOD_NOT_ALLOWED', () => {
    const facts = withKyc({ procedure: 'jp_aml.r6_1_1.i', checkMethods: ['vpip'] });
    expect(codes(evaluatePolicy(policy, facts))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    const noCheck = withKyc({ procedure: 'jp_aml.r6_1_1.i', checkMethods: undefined });
    expect(codes(evaluatePolicy(policy, noCheck))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-7: face-to-face i with the chip signature verified (vcrypt) is accepted', () => {
    const facts = withKyc({ procedure: 'jp_aml.r6_1_1.i', checkMethods: ['vpip', 'vcrypt'] });
    expect(evaluatePolicy(policy, facts).outcome).toBe('allow');
  });

  it('SHO-POL-7: ho KYC younger than min_age_days is PROOFING_METHOD_NOT_ALLOWED', () => {
    const decision = evaluatePolicy(policy, withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: NOW - 3 * DAY }));
    expect(codes(decision)).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    expect(decision.reasons[0]?.message).toContain('30 days');
  });

  it('SHO-POL-7: ho KYC exactly min_age_days old is accepted; one second less is not', () => {
    expect(evaluatePolicy(policy, withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: NOW - 30 * DAY })).outcome).toBe(
      'allow',
    );
    expect(
      codes(evaluatePolicy(policy, withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: NOW - 30 * DAY + 1 }))),
    ).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-7: min_age_days without a verification time fails closed', () => {
    const facts = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: undefined });
    const rule = ruleWithout('max_kyc_age_days');
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-7: not_after is inclusive to the end of that day in JST (2027-03-31 / 2027-04-01)', () => {
    const lastSecond = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: jst(2026, 1, 5) });
    lastSecond.now = jst(2027, 3, 31, 23, 59, 59);
    lastSecond.authentication.authTime = lastSecond.now - 10;
    expect(evaluatePolicy(policy, lastSecond).outcome).toBe('allow');

    const firstSecond = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: jst(2026, 1, 5) });
    firstSecond.now = jst(2027, 4, 1);
    firstSecond.authentication.authTime = firstSecond.now - 10;
    const decision = evaluatePolicy(policy, firstSecond);
    expect(codes(decision)).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    expect(decision.reasons[0]?.message).toContain('2027-03-31');
  });

  it('SHO-POL-7: not_before refuses decisions before that day in JST', () => {
    const facts = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: jst(2019, 1, 5) });
    facts.now = jst(2020, 3, 31, 23, 59, 59);
    facts.authentication.authTime = facts.now - 10;
    const rule = ruleWithout('max_kyc_age_days');
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    facts.now = jst(2020, 4, 1);
    facts.authentication.authTime = facts.now - 10;
    expect(evaluatePolicy(policyWith(rule), facts).outcome).toBe('allow');
  });

  it('SHO-POL-7: several entries for one procedure: any entry that accepts is enough', () => {
    const rule = {
      ...BASE_RULE,
      proofing_methods: [
        { procedure: 'jp_aml.r6_1_1.ho', not_after: '2025-12-31' },
        { procedure: 'jp_aml.r6_1_1.ho', min_age_days: 365 },
      ],
    };
    const facts = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: NOW - 400 * DAY });
    expect(evaluatePolicy(policyWith(rule), facts).outcome).toBe('allow');
    const young = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: NOW - 100 * DAY });
    expect(codes(evaluatePolicy(policyWith(rule), young))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-8: KYC older than max_kyc_age_days is KYC_TOO_OLD', () => {
    const rule = policyWith({ ...BASE_RULE, max_kyc_age_days: 1000 });
    expect(codes(evaluatePolicy(rule, withKyc({ verifiedAt: NOW - 1000 * DAY - 1 })))).toEqual(['KYC_TOO_OLD']);
    expect(evaluatePolicy(rule, withKyc({ verifiedAt: NOW - 1000 * DAY })).outcome).toBe('allow');
  });

  it('SHO-POL-8: a maximum KYC age without a verification time fails closed with KYC_TOO_OLD', () => {
    expect(codes(evaluatePolicy(policy, withKyc({ verifiedAt: undefined })))).toEqual(['KYC_TOO_OLD']);
  });
});

describe('policy: several KYC records', () => {
  const weak: KycFact = {
    trustFramework: 'jp_aml',
    ial: 'ial1',
    procedure: 'jp_aml.r6_1_1.ro',
    verifiedAt: NOW - 2000 * DAY,
    evidenceTypes: ['document'],
  };

  it('SHO-POL-9: one record that satisfies every KYC rule is enough, in any position', () => {
    const facts = baseFacts();
    facts.kyc = [weak, ...facts.kyc];
    expect(evaluatePolicy(policy, facts).outcome).toBe('allow');
    facts.kyc.reverse();
    expect(evaluatePolicy(policy, facts).outcome).toBe('allow');
  });

  it('SHO-POL-9: the rules must hold within one record, not across records', () => {
    const facts = baseFacts();
    // ial2 in one record and an allowed procedure in another do not add up to one acceptable KYC.
    facts.kyc = [
      { ...weak, ial: 'ial2' },
      { ...weak, procedure: 'jp_aml.r6_1_1.he' },
    ];
    const decision = evaluatePolicy(policy, facts);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    expect(decision.reasons[0]?.message.startsWith('verified_claims[0]: ')).toBe(true);
  });

  it('SHO-POL-9: when none satisfies, the closest record is reported', () => {
    const facts = baseFacts();
    facts.kyc = [weak, { ...weak, procedure: 'jp_aml.r6_1_1.he' }];
    const decision = evaluatePolicy(policy, facts);
    expect(codes(decision)).toEqual(['IAL_TOO_LOW']);
    expect(decision.reasons[0]?.message).toBe('verified_claims[1]: IAL ial1 is below the policy minimum ial2');
  });
});

describe('policy: legal effective window of jp_aml methods', () => {
  const lenient = { ...BASE_RULE, proofing_methods: [{ procedure: 'jp_aml.r6_1_1.ho' }] };

  it('SHO-KYC-6: a ho proofing performed on or after 2027-04-01 (JST) is never credited, whatever the policy says', () => {
    const facts = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: jst(2027, 4, 1) });
    facts.now = jst(2027, 6, 1);
    facts.authentication.authTime = facts.now - 10;
    const decision = evaluatePolicy(policyWith(lenient), facts);
    expect(codes(decision)).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    expect(decision.reasons[0]?.message).toContain('legal effective window');
    // Also where the rule names no methods at all.
    const noMethods = ruleWithout('proofing_methods');
    expect(codes(evaluatePolicy(policyWith(noMethods), facts))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-KYC-6: a ho proofing performed on 2027-03-31 (JST) stays lawful under a lenient policy', () => {
    const facts = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: jst(2027, 3, 31, 23, 59, 59) });
    facts.now = jst(2027, 6, 1);
    facts.authentication.authTime = facts.now - 10;
    expect(evaluatePolicy(policyWith(lenient), facts).outcome).toBe('allow');
  });

  it('SHO-KYC-6: a proofing dated before its method existed is not credited', () => {
    const facts = withKyc({ procedure: 'jp_aml.r6_1_1.ho', verifiedAt: jst(2018, 11, 29) });
    const rule = { ...ruleWithout('max_kyc_age_days'), proofing_methods: [{ procedure: 'jp_aml.r6_1_1.ho' }] };
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });
});
