/**
 * The evaluation form of a policy (src/policy/compile.ts): compiled once for documents that cannot change,
 * afresh for any other, so that a decision always follows what the document says now (spec/14-policy.md
 * SHO-POL-1, SHO-POL-2, SHO-POL-7).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/policy/default-policy.js';
import { evaluatePolicy } from '../../src/policy/evaluate.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { ActionRule, Policy } from '../../src/policy/schema.js';
import { BASE_RULE, NOW, baseFacts, codes, jst, policyWith } from './fixtures.js';

describe('policy compilation', () => {
  it('SHO-POL-1: loadPolicy returns a deeply frozen document, so its compiled form cannot go stale', () => {
    const policy = policyWith(BASE_RULE);
    expect(evaluatePolicy(policy, baseFacts()).outcome).toBe('allow');
    const rule = policy.rules.account_link as ActionRule & { min_aal: string };
    expect(() => {
      rule.min_aal = 'aal3';
    }).toThrow(TypeError);
    expect(() => (policy.rules.account_link!.trust_frameworks as string[]).push('eidas')).toThrow(TypeError);
    expect(() => {
      (policy.rules.account_link!.proofing_methods![2] as { not_after?: string }).not_after = '2020-01-01';
    }).toThrow(TypeError);
    expect(evaluatePolicy(policy, baseFacts()).outcome).toBe('allow');
  });

  it('SHO-POL-1: loadPolicy does not freeze the caller\'s document', () => {
    const document = { policy_id: 'p', version: '1.0.0', rules: { account_link: { min_aal: 'aal2', ignored_amr: ['sms'] } } };
    loadPolicy(document);
    expect(Object.isFrozen(document)).toBe(false);
    expect(Object.isFrozen(document.rules.account_link.ignored_amr)).toBe(false);
  });

  it('SHO-POL-2: a document that was not loaded is judged by what it says at each call', () => {
    const rule: { min_aal: 'aal2' | 'aal3' } = { min_aal: 'aal2' };
    const document: Policy = { policy_id: 'mutable', version: '1.0.0', rules: { account_link: rule } };
    expect(evaluatePolicy(document, baseFacts()).outcome).toBe('allow');
    rule.min_aal = 'aal3';
    expect(codes(evaluatePolicy(document, baseFacts()))).toEqual(['AAL_TOO_LOW']);
    document.rules.account_link = undefined;
    expect(codes(evaluatePolicy(document, baseFacts()))).toEqual(['POLICY_NOT_FOUND']);
  });

  it('SHO-POL-7: a procedure window edited in a mutable document applies at the next call', () => {
    const method: { procedure: string; not_after?: string } = { procedure: 'jp_aml.r6_1_1.he' };
    const document: Policy = { policy_id: 'mutable', version: '1.0.0', rules: { account_link: { proofing_methods: [method] } } };
    expect(evaluatePolicy(document, baseFacts()).outcome).toBe('allow');
    method.not_after = '2026-11-30';
    const decision = evaluatePolicy(document, baseFacts());
    expect(codes(decision)).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
    expect(decision.reasons[0]!.message).toBe('procedure jp_aml.r6_1_1.he is not accepted after 2026-11-30 (JST)');
  });

  it('SHO-POL-7: not_after ends at 24:00 JST of that day, not at 24:00 UTC', () => {
    const policy = policyWith({ proofing_methods: [{ procedure: 'jp_aml.r6_1_1.he', not_after: '2026-12-01' }] });
    const at = (now: number) => codes(evaluatePolicy(policy, { ...baseFacts(), now }));
    expect(at(jst(2026, 12, 1, 23, 59, 59))).toEqual([]);
    expect(at(jst(2026, 12, 2))).toEqual(['PROOFING_METHOD_NOT_ALLOWED']);
  });

  it('SHO-POL-16: the shipped default decides the same whether passed as is or loaded', () => {
    const facts = { ...baseFacts(), now: NOW };
    expect(evaluatePolicy(DEFAULT_POLICY, facts)).toEqual(evaluatePolicy(loadPolicy(DEFAULT_POLICY), facts));
    expect(Object.isFrozen(DEFAULT_POLICY.rules.account_link!.proofing_methods![0])).toBe(true);
  });

  it('SHO-POL-2: each decision names the policy in an object of its own', () => {
    const policy = policyWith(BASE_RULE);
    const first = evaluatePolicy(policy, baseFacts());
    (first.policy as { id: string }).id = 'changed';
    expect(evaluatePolicy(policy, baseFacts()).policy).toEqual({ id: 'test-policy', version: '1.2.3' });
  });
});
