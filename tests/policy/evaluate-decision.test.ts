import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/policy/evaluate.js';
import type { Action } from '../../src/policy/facts.js';
import type { Policy } from '../../src/policy/schema.js';
import { BASE_RULE, NOW, baseFacts, codes, policyWith } from './fixtures.js';

const policy = policyWith(BASE_RULE);

describe('policy: decisions', () => {
  it('SHO-POL-3: an action without a rule is POLICY_NOT_FOUND', () => {
    const facts = baseFacts();
    facts.action = 'payout';
    const decision = evaluatePolicy(policy, facts);
    expect(decision).toEqual({
      outcome: 'deny',
      reasons: [{ code: 'POLICY_NOT_FOUND', requirement: 'SHO-POL-3', message: 'the policy has no rule for this action' }],
      policy: { id: 'test-policy', version: '1.2.3' },
    });
  });

  it('SHO-POL-3: an unknown action (not even a property of rules) is POLICY_NOT_FOUND', () => {
    for (const action of ['login', '__proto__', 'constructor', 'toString']) {
      const facts = baseFacts();
      facts.action = action as Action;
      expect(codes(evaluatePolicy(policy, facts))).toEqual(['POLICY_NOT_FOUND']);
    }
  });

  it('SHO-POL-2: every failing rule is reported, in a stable order, each with its requirement', () => {
    const facts = baseFacts();
    facts.kyc[0]!.ial = 'ial1';
    facts.kyc[0]!.trustFramework = 'eidas';
    facts.authentication.aal = 'aal1';
    facts.authentication.phishingResistant = false;
    facts.authentication.authTime = NOW - 3600;
    facts.identityMatch = { name: 'match', birthdate: 'no_match' };
    facts.amount = { currency: 'JPY', value: '20000000' };
    const decision = evaluatePolicy(policy, facts);
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons.map((r) => [r.code, r.requirement])).toEqual([
      ['IAL_TOO_LOW', 'SHO-POL-5'],
      ['TRUST_FRAMEWORK_NOT_ALLOWED', 'SHO-POL-6'],
      ['AAL_TOO_LOW', 'SHO-POL-10'],
      ['PHISHING_RESISTANCE_REQUIRED', 'SHO-POL-12'],
      ['AUTH_TOO_OLD', 'SHO-POL-13'],
      ['IDENTITY_NO_MATCH', 'SHO-POL-14'],
      ['AMOUNT_LIMIT_EXCEEDED', 'SHO-POL-15'],
    ]);
  });

  it('SHO-POL-2: messages never carry values from the assertion that are not vocabulary codes', () => {
    const personal = 'Yamada Taro 1990-01-01 0001234';
    const facts = baseFacts();
    facts.kyc[0]!.trustFramework = personal;
    facts.kyc[0]!.procedure = personal;
    facts.amount = { currency: personal, value: '1' };
    const decision = evaluatePolicy(policy, facts);
    expect(codes(decision)).toEqual([
      'TRUST_FRAMEWORK_NOT_ALLOWED',
      'PROOFING_METHOD_NOT_ALLOWED',
      'AMOUNT_LIMIT_EXCEEDED',
    ]);
    for (const reason of decision.reasons) {
      expect(reason.message).not.toContain('Yamada');
      expect(reason.message).toContain('(unlisted value)');
    }
  });

  it('SHO-POL-2: the evaluation is pure: it neither mutates its inputs nor depends on the clock', () => {
    const facts = baseFacts();
    const before = JSON.stringify({ policy, facts });
    const first = evaluatePolicy(policy, facts);
    const second = evaluatePolicy(policy, facts);
    expect(second).toEqual(first);
    expect(JSON.stringify({ policy, facts })).toBe(before);
  });

  it('SHO-POL-2: a caller passing something other than a policy or facts gets ERR_INVALID_ARG_VALUE', () => {
    const facts = baseFacts();
    expect(() => evaluatePolicy(null as unknown as Policy, facts)).toThrow(TypeError);
    expect(() => evaluatePolicy(policy, { ...facts, now: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
    expect(() => evaluatePolicy(policy, { ...facts, kyc: undefined as never })).toThrow(TypeError);
  });

  it('SHO-POL-2: facts with a NaN authTime or a non-object KYC element are refused, not evaluated', () => {
    const facts = baseFacts();
    expect(() => evaluatePolicy(policy, { ...facts, authentication: { ...facts.authentication, authTime: Number.NaN } })).toThrow(TypeError);
    expect(() => evaluatePolicy(policy, { ...facts, kyc: [null as never] })).toThrow(TypeError);
  });

  it('SHO-POL-1: a document that was never loaded is read as loadPolicy reads it: a misspelt or mistyped rule is refused', () => {
    const facts = baseFacts();
    const misspelt = { policy_id: 'p', version: '1.0.0', rules: { account_link: { ...BASE_RULE, min_aa: 'aal2' } } } as unknown as Policy;
    expect(() => evaluatePolicy(misspelt, facts)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    const mistyped = { policy_id: 'p', version: '1.0.0', rules: { account_link: { ...BASE_RULE, max_auth_age_seconds: Number.NaN } } } as unknown as Policy;
    expect(() => evaluatePolicy(mistyped, facts)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    // The same document, correct, decides as its loaded form does.
    const plain = JSON.parse(JSON.stringify(policy)) as Policy;
    expect(evaluatePolicy(plain, facts)).toEqual(evaluatePolicy(policy, facts));
  });

  it('SHO-POL-3: a rule inherited from a polluted Object.prototype is no rule: POLICY_NOT_FOUND', () => {
    const facts = { ...baseFacts(), action: 'payout' as Action };
    const fresh = policyWith(BASE_RULE); // loaded, not compiled yet: compiled at its first evaluation below
    const proto = Object.prototype as Record<string, unknown>;
    proto.payout = {};
    try {
      expect(codes(evaluatePolicy(fresh, facts))).toEqual(['POLICY_NOT_FOUND']);
    } finally {
      delete proto.payout;
    }
  });
});
