import type { ErrorCode } from '../errors/codes.js';
import { invalidArgument } from '../errors/shomei-error.js';
import { checkAmount } from './checks/amount.js';
import { checkAuthentication } from './checks/authentication.js';
import type { Finding } from './checks/finding.js';
import { checkIdentityMatch } from './checks/identity-match.js';
import { checkKyc } from './checks/kyc.js';
import { compiledPolicyOf, isStablePolicy } from './compile.js';
import type { PolicyFacts } from './facts.js';
import { loadPolicy } from './load.js';
import { POLICY_REQUIREMENTS as REQ } from './requirements.js';
import type { Policy } from './schema.js';

/** Why a policy did not simply allow: a stable code, the spec requirement, and a message without personal data. */
export interface PolicyReason {
  code: ErrorCode;
  requirement: string;
  message: string;
}

/** The outcome of one policy evaluation, naming the policy that decided it (SHO-POL-2). */
export interface PolicyDecision {
  outcome: 'allow' | 'deny' | 'review';
  /** Every broken rule, in a stable order: KYC, authentication, identity match, amount. Empty when allowed. */
  reasons: PolicyReason[];
  policy: { id: string; version: string };
}

/**
 * Decides whether `facts` satisfy the rule of `policy` for `facts.action` (spec/14-policy.md, SHO-POL-2).
 *
 * Pure: no clock, no I/O; the decision time is `facts.now`. Every failing rule is reported, not only the
 * first, so that both parties to an incident see the whole picture. The outcome is `deny` if any reason
 * denies, else `review` if any reason asks for review (a close identity match), else `allow`. An action
 * without a rule is denied with `POLICY_NOT_FOUND` (SHO-POL-3): a policy that forgot an action must not
 * allow it.
 *
 * @example
 * const decision = evaluatePolicy(DEFAULT_POLICY, facts);
 * if (decision.outcome !== 'allow') console.warn(decision.reasons.map((r) => r.code));
 * A document that did not come from {@link loadPolicy} (or the shipped default) is loaded first, so it is
 * evaluated only as the schema reads it: a misspelt member or a value of the wrong type is refused,
 * never silently ignored (SHO-POL-1). Load a policy once and pass that.
 *
 * @throws ShomeiError `CONFIG_INVALID` for a document {@link loadPolicy} refuses.
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) when `policy` or `facts` is not shaped as typed (a caller bug).
 */
export function evaluatePolicy(policy: Policy, facts: PolicyFacts): PolicyDecision {
  assertArguments(policy, facts);
  const compiled = compiledPolicyOf(isStablePolicy(policy) ? policy : loadPolicy(policy));
  const decided = { id: compiled.id, version: compiled.version };
  const rule = compiled.rules.get(facts.action);
  if (rule === undefined) {
    return {
      outcome: 'deny',
      reasons: [{ code: 'POLICY_NOT_FOUND', requirement: REQ.ruleForAction, message: 'the policy has no rule for this action' }],
      policy: decided,
    };
  }
  const findings: Finding[] = [];
  checkKyc(rule, facts.kyc, facts.now, findings);
  checkAuthentication(rule, facts.authentication, facts.now, facts.amount, findings);
  checkIdentityMatch(rule.rule, facts.identityMatch, findings);
  checkAmount(rule.rule, facts.amount, findings);
  if (findings.length === 0) return { outcome: 'allow', reasons: [], policy: decided };
  let outcome: PolicyDecision['outcome'] = 'review';
  const reasons: PolicyReason[] = [];
  for (const finding of findings) {
    if (finding.severity === 'deny') outcome = 'deny';
    reasons.push({ code: finding.code, requirement: finding.requirement, message: finding.message });
  }
  return { outcome, reasons, policy: decided };
}

function assertArguments(policy: Policy, facts: PolicyFacts): void {
  if (typeof policy !== 'object' || policy === null || typeof policy.rules !== 'object' || policy.rules === null) {
    throw invalidArgument('policy must be a policy document returned by loadPolicy()');
  }
  if (typeof facts !== 'object' || facts === null) throw invalidArgument('facts must be an object');
  if (typeof facts.now !== 'number' || !Number.isFinite(facts.now)) {
    throw invalidArgument('facts.now must be a finite number of epoch seconds');
  }
  if (!Array.isArray(facts.kyc) || facts.kyc.some((fact: unknown) => typeof fact !== 'object' || fact === null)) {
    throw invalidArgument('facts.kyc must be an array of objects');
  }
  const auth = facts.authentication as Partial<PolicyFacts['authentication']> | undefined;
  // A NaN authTime would make every age comparison false: the age rule would never fire.
  if (typeof auth !== 'object' || auth === null || !Array.isArray(auth.amr) || typeof auth.authTime !== 'number' || !Number.isFinite(auth.authTime)) {
    throw invalidArgument('facts.authentication must have amr and a finite authTime');
  }
}
