import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/policy/evaluate.js';
import type { AuthenticationFact, PolicyFacts } from '../../src/policy/facts.js';
import { BASE_RULE, NOW, baseFacts, codes, policyWith, ruleWithout } from './fixtures.js';

const policy = policyWith(BASE_RULE);

function withAuth(change: Partial<AuthenticationFact>): PolicyFacts {
  const facts = baseFacts();
  facts.authentication = { ...facts.authentication, ...change };
  return facts;
}

describe('policy: authentication rules', () => {
  it('SHO-POL-10: an AAL below the minimum is AAL_TOO_LOW', () => {
    const decision = evaluatePolicy(policy, withAuth({ aal: 'aal1' }));
    expect(codes(decision)).toEqual(['AAL_TOO_LOW']);
    expect(decision.reasons[0]?.message).toBe('AAL aal1 is below the policy minimum aal2');
  });

  it('SHO-POL-10: aal3 satisfies a minimum of aal2', () => {
    const facts = withAuth({ aal: 'aal3', amr: ['hwk', 'user', 'mfa', 'x-passkey-devicebound'], acr: 'phrh' });
    expect(evaluatePolicy(policy, facts).outcome).toBe('allow');
  });

  it('SHO-POL-11: cash-card PIN and birthdate asserted as aal2 is FACTOR_NOT_COUNTED', () => {
    const rule = ruleWithout('counted_factors_min');
    const facts = withAuth({ amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'] });
    const decision = evaluatePolicy(policyWith(rule), facts);
    expect(codes(decision)).toEqual(['FACTOR_NOT_COUNTED']);
    expect(decision.reasons[0]?.message).toBe(
      'amr supports no AAL once ignored values are removed; the policy minimum is aal2',
    );
  });

  it('SHO-POL-11: cash-card PIN and birthdate never count, even if the policy does not list them', () => {
    const rule = { ...ruleWithout('counted_factors_min'), ignored_amr: [] };
    const facts = withAuth({ amr: ['pwd', 'x-jp-cashcard-pin', 'x-jp-birthdate'] });
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['FACTOR_NOT_COUNTED']);
  });

  it('SHO-POL-11: an OTP delivered over an ignored channel (sms) does not count either', () => {
    const rule = { ...ruleWithout('counted_factors_min'), phishing_resistant: 'never' as const };
    const facts = withAuth({ amr: ['pwd', 'sms', 'otp'], acr: undefined, phishingResistant: false });
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['FACTOR_NOT_COUNTED']);
    // The same authentication counts two factors where sms is not ignored.
    const lenient = { ...rule, ignored_amr: [] };
    expect(evaluatePolicy(policyWith(lenient), facts).outcome).toBe('allow');
  });

  it('SHO-POL-11: an asserted aal3 from a synced passkey (no hardware key) is FACTOR_NOT_COUNTED under min aal3', () => {
    const rule = { ...BASE_RULE, min_aal: 'aal3' as const };
    const facts = withAuth({ aal: 'aal3' });
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['FACTOR_NOT_COUNTED']);
    const deviceBound = withAuth({ aal: 'aal3', amr: ['hwk', 'user', 'mfa', 'x-passkey-devicebound'], acr: 'phrh' });
    expect(evaluatePolicy(policyWith(rule), deviceBound).outcome).toBe('allow');
  });

  it('SHO-POL-11: an asserted level above the minimum is fine when the amr supports the minimum', () => {
    expect(evaluatePolicy(policy, withAuth({ aal: 'aal3' })).outcome).toBe('allow');
  });

  it('SHO-POL-11: fewer factor classes than counted_factors_min is FACTOR_NOT_COUNTED', () => {
    const rule = { ...BASE_RULE, counted_factors_min: 3 };
    const decision = evaluatePolicy(policyWith(rule), baseFacts());
    expect(codes(decision)).toEqual(['FACTOR_NOT_COUNTED']);
    expect(decision.reasons[0]?.message).toContain('requires 3 factor classes');
  });

  it('SHO-POL-12: no phishing resistance where always required is PHISHING_RESISTANCE_REQUIRED', () => {
    const decision = evaluatePolicy(policy, withAuth({ phishingResistant: false }));
    expect(codes(decision)).toEqual(['PHISHING_RESISTANCE_REQUIRED']);
  });

  it('SHO-POL-12: a phishing-resistance flag without a phishing-resistant method or acr is not believed', () => {
    const facts = withAuth({ amr: ['pwd', 'otp'], acr: undefined, phishingResistant: true });
    expect(codes(evaluatePolicy(policy, facts))).toEqual(['PHISHING_RESISTANCE_REQUIRED']);
  });

  it('SHO-POL-12: above_amount requires phishing resistance only above the threshold (exclusive)', () => {
    const rule = { ...BASE_RULE, phishing_resistant: { above_amount: { currency: 'JPY', value: '1000000' } } };
    const facts = withAuth({ amr: ['pwd', 'otp', 'hwk'], acr: undefined, phishingResistant: false });
    facts.amount = { currency: 'JPY', value: '1000000' };
    expect(evaluatePolicy(policyWith(rule), facts).outcome).toBe('allow');
    facts.amount = { currency: 'JPY', value: '1000001' };
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['PHISHING_RESISTANCE_REQUIRED']);
  });

  it('SHO-POL-12: above_amount with an amount that cannot be compared requires phishing resistance', () => {
    const rule = {
      ...ruleWithout('amount_limit'),
      phishing_resistant: { above_amount: { currency: 'JPY', value: '1000000' } },
    };
    const facts = withAuth({ amr: ['pwd', 'otp', 'hwk'], acr: undefined, phishingResistant: false });
    facts.amount = { currency: 'USD', value: '10' };
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['PHISHING_RESISTANCE_REQUIRED']);
    delete facts.amount;
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['PHISHING_RESISTANCE_REQUIRED']);
  });

  it('SHO-POL-13: an authentication older than max_auth_age_seconds is AUTH_TOO_OLD', () => {
    expect(codes(evaluatePolicy(policy, withAuth({ authTime: NOW - 301 })))).toEqual(['AUTH_TOO_OLD']);
    expect(evaluatePolicy(policy, withAuth({ authTime: NOW - 300 })).outcome).toBe('allow');
  });
});
