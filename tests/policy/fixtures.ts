/** Shared baseline for the policy tests: a rule that uses every requirement, and facts that satisfy it. */
import { loadPolicy } from '../../src/policy/load.js';
import type { Action, PolicyFacts } from '../../src/policy/facts.js';
import type { ActionRule, Policy } from '../../src/policy/schema.js';

export const DAY = 86_400;
/** 2026-12-01T12:00:00+09:00 */
export const NOW = Date.UTC(2026, 11, 1, 3, 0, 0) / 1000;
/** Epoch seconds of a wall-clock time in Japan. */
export function jst(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour - 9, minute, second) / 1000;
}

export const BASE_RULE = {
  min_ial: 'ial2',
  trust_frameworks: ['jp_aml'],
  proofing_methods: [
    { procedure: 'jp_aml.r6_1_1.he' },
    { procedure: 'jp_aml.r6_1_1.i', check_methods: ['vcrypt'] },
    { procedure: 'jp_aml.r6_1_1.ho', not_before: '2020-04-01', not_after: '2027-03-31', min_age_days: 30 },
  ],
  max_kyc_age_days: 3650,
  min_aal: 'aal2',
  phishing_resistant: 'always',
  max_auth_age_seconds: 300,
  ignored_amr: ['sms', 'x-email-otp'],
  counted_factors_min: 2,
  identity_match: { required: ['name', 'birthdate'], close_match: 'review' },
  amount_limit: { currency: 'JPY', max: '10000000' },
} satisfies ActionRule;

/** A validated one-rule policy. */
export function policyWith(rule: ActionRule, action: Action = 'account_link'): Policy {
  return loadPolicy({ policy_id: 'test-policy', version: '1.2.3', rules: { [action]: rule } });
}

/** BASE_RULE without the named members. */
export function ruleWithout(...keys: Array<keyof ActionRule>): ActionRule {
  const rule: Record<string, unknown> = { ...BASE_RULE };
  for (const key of keys) delete rule[key];
  return rule as ActionRule;
}

/** Facts that satisfy BASE_RULE: synced-passkey authentication, chip-and-selfie KYC, full identity match. */
export function baseFacts(): PolicyFacts {
  return {
    action: 'account_link',
    now: NOW,
    kyc: [
      {
        trustFramework: 'jp_aml',
        ial: 'ial2',
        procedure: 'jp_aml.r6_1_1.he',
        verifiedAt: NOW - 400 * DAY,
        evidenceTypes: ['document'],
        checkMethods: ['vcrypt'],
      },
    ],
    authentication: {
      aal: 'aal2',
      amr: ['swk', 'user', 'mfa', 'x-passkey-synced'],
      acr: 'phr',
      authTime: NOW - 60,
      phishingResistant: true,
    },
    identityMatch: { name: 'match', birthdate: 'match' },
    amount: { currency: 'JPY', value: '150000' },
  };
}

/** The codes of a decision, in order. */
export function codes(decision: { reasons: Array<{ code: string }> }): string[] {
  return decision.reasons.map((reason) => reason.code);
}
