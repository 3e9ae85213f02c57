/** Amount limits (spec/14-policy.md SHO-POL-15). */
import { compareDecimal, isDecimal } from '../decimal.js';
import type { AmountFact } from '../facts.js';
import { POLICY_REQUIREMENTS as REQ } from '../requirements.js';
import type { ActionRule } from '../schema.js';
import { deny, quoteCode, type Finding } from './finding.js';

/**
 * Checks the amount against the rule's limit, exactly (scaled BigInt). A limit is stated in one currency; an
 * amount in any other currency, a missing amount or a malformed one is refused rather than converted or guessed.
 * Appends what it finds to `findings`.
 */
export function checkAmount(rule: ActionRule, amount: AmountFact | undefined, findings: Finding[]): void {
  const limit = rule.amount_limit;
  if (limit === undefined) return;
  if (amount === undefined) {
    findings.push(deny('AMOUNT_LIMIT_EXCEEDED', REQ.amountLimit, `the policy limits this action to ${limit.currency} ${limit.max}; no amount was asserted`));
  } else if (amount.currency !== limit.currency) {
    findings.push(
      deny(
        'AMOUNT_LIMIT_EXCEEDED',
        REQ.amountLimit,
        `currency ${quoteCode(amount.currency)} is not the policy currency ${limit.currency}`,
      ),
    );
  } else if (!isDecimal(amount.value)) {
    findings.push(deny('AMOUNT_LIMIT_EXCEEDED', REQ.amountLimit, 'the amount is not a decimal string'));
  } else if (compareDecimal(amount.value, limit.max) > 0) {
    findings.push(deny('AMOUNT_LIMIT_EXCEEDED', REQ.amountLimit, `the amount exceeds the policy limit ${limit.currency} ${limit.max}`));
  }
}
