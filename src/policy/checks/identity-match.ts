/** Identity-match rules (spec/14-policy.md SHO-POL-14). */
import type { MatchAttribute, MatchResult } from '../facts.js';
import { POLICY_REQUIREMENTS as REQ } from '../requirements.js';
import { MATCH_ATTRIBUTES, type ActionRule } from '../schema.js';
import { deny, type Finding } from './finding.js';

/**
 * Checks the bank's per-attribute comparison of what the relying party knows about the customer with the bank's
 * KYC record. Any `no_match` denies, whether or not the attribute is required: a birthdate that differs is the
 * signature of an account opened in a victim's name. `close_match` leads to review unless the policy says
 * otherwise, because kana readings and abbreviations differ legitimately (spec/09-account.md). Appends what it
 * finds to `findings`.
 */
export function checkIdentityMatch(
  rule: ActionRule,
  results: Partial<Record<MatchAttribute, MatchResult>> | undefined,
  findings: Finding[],
): void {
  const matchRule = rule.identity_match;
  if (matchRule === undefined) return;
  const required = matchRule.required ?? NONE;
  const onClose = matchRule.close_match ?? 'review';
  for (const attribute of MATCH_ATTRIBUTES) {
    const result: unknown = results?.[attribute];
    if (result === undefined) {
      if (required.includes(attribute)) {
        findings.push(
          deny('IDENTITY_MATCH_MISSING', REQ.identityMatch, `the policy requires a match result for ${attribute}`),
        );
      }
    } else if (result === 'close_match') {
      if (onClose !== 'allow') {
        findings.push({
          code: 'IDENTITY_CLOSE_MATCH',
          requirement: REQ.identityMatch,
          message: `${attribute} is a close match, not a match`,
          severity: onClose,
        });
      }
    } else if (result !== 'match') {
      // `no_match`, or anything else a faulty mapping produced: fail closed.
      findings.push(deny('IDENTITY_NO_MATCH', REQ.identityMatch, `${attribute} does not match`));
    }
  }
}

const NONE: readonly MatchAttribute[] = [];
