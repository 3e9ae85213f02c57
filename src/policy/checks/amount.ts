/** Amount limits (spec/14-policy.md SHO-POL-15). */
import { compareDecimal, isDecimal } from '../decimal.js';
import type { AmountFact } from '../facts.js';
import { POLICY_REQUIREMENTS as REQ } from '../requirements.js';
import type { ActionRule } from '../schema.js';
import { deny, quoteCode, type Finding } from './finding.js';

/**
 * Checks the amount against the rule's limit, exactly (scaled BigInt). A limit is stated in one currency; an
 * amount in any other currency, a missing amount or a malformed one is refused rather than converted or guessed.
 */
export function checkAmount(rule: ActionRule, amount: AmountFact | undefined): Finding[] {
  const limit = rule.amount_limit;
  if (limit === undefined) return [];
  const stated = `${limit.currency} ${limit.max}`;
  if (amount === undefined) {
    return [deny('AMOUNT_LIMIT_EXCEEDED', REQ.amountLimit, `the policy limits this action to ${stated}; no amount was asserted`)];
  }
  if (amount.currency !== limit.currency) {
    return [
      deny(
        'AMOUNT_LIMIT_EXCEEDED',
        REQ.amountLimit,
        `currency ${quoteCode(amount.currency)} is not the policy currency ${limit.currency}`,
      ),
    ];
  }
  if (!isDecimal(amount.value)) {
    return [deny('AMOUNT_LIMIT_EXCEEDED', REQ.amountLimit, 'the amount is not a decimal string')];
  }
  if (compareDecimal(amount.value, limit.max) > 0) {
    return [deny('AMOUNT_LIMIT_EXCEEDED', REQ.amountLimit, `the amount exceeds the policy limit ${stated}`)];
  }
  return [];
}
