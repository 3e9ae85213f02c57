import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../src/policy/evaluate.js';
import { BASE_RULE, baseFacts, codes, policyWith } from './fixtures.js';

const policy = policyWith(BASE_RULE);

describe('policy: identity match', () => {
  it('SHO-POL-14: a no_match on birthdate is IDENTITY_NO_MATCH', () => {
    const facts = baseFacts();
    facts.identityMatch = { name: 'match', birthdate: 'no_match' };
    const decision = evaluatePolicy(policy, facts);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['IDENTITY_NO_MATCH']);
    expect(decision.reasons[0]?.message).toBe('birthdate does not match');
  });

  it('SHO-POL-14: a no_match on an attribute that is not required still denies', () => {
    const facts = baseFacts();
    facts.identityMatch = { name: 'match', birthdate: 'match', address: 'no_match' };
    expect(codes(evaluatePolicy(policy, facts))).toEqual(['IDENTITY_NO_MATCH']);
  });

  it('SHO-POL-14: a required attribute without a result is IDENTITY_MATCH_MISSING', () => {
    const facts = baseFacts();
    facts.identityMatch = { name: 'match' };
    expect(codes(evaluatePolicy(policy, facts))).toEqual(['IDENTITY_MATCH_MISSING']);
    delete facts.identityMatch;
    expect(codes(evaluatePolicy(policy, facts))).toEqual(['IDENTITY_MATCH_MISSING', 'IDENTITY_MATCH_MISSING']);
  });

  it('SHO-POL-14: close_match leads to review with IDENTITY_CLOSE_MATCH', () => {
    const facts = baseFacts();
    facts.identityMatch = { name: 'close_match', birthdate: 'match' };
    const decision = evaluatePolicy(policy, facts);
    expect(decision.outcome).toBe('review');
    expect(codes(decision)).toEqual(['IDENTITY_CLOSE_MATCH']);
  });

  it('SHO-POL-14: close_match is review when the policy does not say, deny or allow when it does', () => {
    const facts = baseFacts();
    facts.identityMatch = { name: 'close_match', birthdate: 'match' };
    const unset = policyWith({ ...BASE_RULE, identity_match: { required: ['name'] } });
    expect(evaluatePolicy(unset, facts).outcome).toBe('review');
    const strict = policyWith({ ...BASE_RULE, identity_match: { close_match: 'deny' } });
    const denied = evaluatePolicy(strict, facts);
    expect(denied.outcome).toBe('deny');
    expect(codes(denied)).toEqual(['IDENTITY_CLOSE_MATCH']);
    const lenient = policyWith({ ...BASE_RULE, identity_match: { close_match: 'allow' } });
    expect(evaluatePolicy(lenient, facts)).toMatchObject({ outcome: 'allow', reasons: [] });
  });

  it('SHO-POL-2: a deny reason outweighs a review reason', () => {
    const facts = baseFacts();
    facts.identityMatch = { name: 'close_match', birthdate: 'no_match' };
    const decision = evaluatePolicy(policy, facts);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['IDENTITY_CLOSE_MATCH', 'IDENTITY_NO_MATCH']);
  });
});

describe('policy: amount limits', () => {
  it.each([
    ['9999999', 'allow'],
    ['10000000', 'allow'],
    ['10000000.00', 'allow'],
    ['10000000.01', 'deny'],
    ['10000001', 'deny'],
  ])('SHO-POL-15: JPY %s against a limit of 10000000 is %s', (value, outcome) => {
    const facts = baseFacts();
    facts.amount = { currency: 'JPY', value };
    const decision = evaluatePolicy(policy, facts);
    expect(decision.outcome).toBe(outcome);
    expect(codes(decision)).toEqual(outcome === 'deny' ? ['AMOUNT_LIMIT_EXCEEDED'] : []);
  });

  it('SHO-POL-15: compares exactly beyond 2^53 (no float rounding)', () => {
    const rule = { ...BASE_RULE, amount_limit: { currency: 'JPY', max: '9007199254740992' } };
    const facts = baseFacts();
    facts.amount = { currency: 'JPY', value: '9007199254740993' };
    expect(codes(evaluatePolicy(policyWith(rule), facts))).toEqual(['AMOUNT_LIMIT_EXCEEDED']);
    facts.amount = { currency: 'JPY', value: '9007199254740992' };
    expect(evaluatePolicy(policyWith(rule), facts).outcome).toBe('allow');
  });

  it('SHO-POL-15: an amount in another currency is AMOUNT_LIMIT_EXCEEDED, not converted', () => {
    const facts = baseFacts();
    facts.amount = { currency: 'USD', value: '1' };
    const decision = evaluatePolicy(policy, facts);
    expect(codes(decision)).toEqual(['AMOUNT_LIMIT_EXCEEDED']);
    expect(decision.reasons[0]?.message).toBe('currency USD is not the policy currency JPY');
  });

  it.each(['1e7', '-1', '0x10', ' 100', '01', '1.', ''])(
    'SHO-POL-15: a malformed amount %j fails closed with AMOUNT_LIMIT_EXCEEDED',
    (value) => {
      const facts = baseFacts();
      facts.amount = { currency: 'JPY', value };
      expect(codes(evaluatePolicy(policy, facts))).toEqual(['AMOUNT_LIMIT_EXCEEDED']);
    },
  );

  it('SHO-POL-15: a missing amount under a limit fails closed with AMOUNT_LIMIT_EXCEEDED', () => {
    const facts = baseFacts();
    delete facts.amount;
    expect(codes(evaluatePolicy(policy, facts))).toEqual(['AMOUNT_LIMIT_EXCEEDED']);
  });
});
