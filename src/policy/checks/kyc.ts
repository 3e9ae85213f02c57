/**
 * KYC rules: presence, IAL, trust framework, proofing method, age (spec/14-policy.md SHO-POL-4 to SHO-POL-9).
 */
import { jpAmlMethod } from '../../vocabulary/jp-aml.js';
import { daysToSeconds, endOfPolicyDate, startOfPolicyDate } from '../dates.js';
import type { KycFact } from '../facts.js';
import { POLICY_REQUIREMENTS as REQ } from '../requirements.js';
import { IAL_VALUES, type ActionRule, type ProofingMethodRule } from '../schema.js';
import { deny, quoteCode, type Finding } from './finding.js';

/** A rule needs a KYC record as soon as it says anything about KYC. */
function requiresKyc(rule: ActionRule): boolean {
  return (
    rule.min_ial !== undefined ||
    rule.trust_frameworks !== undefined ||
    rule.proofing_methods !== undefined ||
    rule.max_kyc_age_days !== undefined
  );
}

/**
 * Checks the KYC rules against the asserted records. One record that satisfies every KYC rule is enough
 * (SHO-POL-9): an issuer may send the history of a customer's verifications, and an old weak one must not veto a
 * recent strong one. When none satisfies, the findings of the record that came closest (fewest broken rules,
 * the first on a tie) are reported, so that the reasons describe one coherent KYC rather than a mix.
 */
export function checkKyc(rule: ActionRule, kyc: readonly KycFact[], now: number): Finding[] {
  if (!requiresKyc(rule)) return [];
  if (kyc.length === 0) {
    return [deny('KYC_MISSING', REQ.kycPresent, 'the policy requires verified KYC for this action; none was asserted')];
  }
  let closest: Finding[] | undefined;
  for (const [index, fact] of kyc.entries()) {
    const findings = checkOneKyc(rule, fact, now);
    if (findings.length === 0) return [];
    if (closest === undefined || findings.length < closest.length) {
      closest =
        kyc.length === 1
          ? findings
          : findings.map((f) => ({ ...f, message: `verified_claims[${index}]: ${f.message}` }));
    }
  }
  return closest ?? [];
}

function checkOneKyc(rule: ActionRule, fact: KycFact, now: number): Finding[] {
  const findings: Finding[] = [];
  if (rule.min_ial !== undefined) {
    if (fact.ial === undefined) {
      findings.push(deny('IAL_TOO_LOW', REQ.minIal, `no IAL was asserted; the policy minimum is ${rule.min_ial}`));
    } else if (IAL_VALUES.indexOf(fact.ial) < IAL_VALUES.indexOf(rule.min_ial)) {
      findings.push(
        deny('IAL_TOO_LOW', REQ.minIal, `IAL ${fact.ial} is below the policy minimum ${rule.min_ial}`),
      );
    }
  }
  if (rule.trust_frameworks !== undefined && !rule.trust_frameworks.includes(fact.trustFramework)) {
    findings.push(
      deny(
        'TRUST_FRAMEWORK_NOT_ALLOWED',
        REQ.trustFramework,
        `trust framework ${quoteCode(fact.trustFramework)} is not one of the allowed ${rule.trust_frameworks.join(', ')}`,
      ),
    );
  }
  const problem = lawfulnessProblem(fact) ?? (rule.proofing_methods && proofingProblem(rule.proofing_methods, fact, now));
  if (problem !== undefined) findings.push(deny('PROOFING_METHOD_NOT_ALLOWED', REQ.proofingMethod, problem));
  if (rule.max_kyc_age_days !== undefined) {
    if (fact.verifiedAt === undefined) {
      findings.push(
        deny(
          'KYC_TOO_OLD',
          REQ.maxKycAge,
          `no verification time was asserted; the policy maximum KYC age is ${rule.max_kyc_age_days} days`,
        ),
      );
    } else if (fact.verifiedAt > now + 60) {
      // A verification dated in the future would never age out: it proves nothing about its age.
      findings.push(deny('KYC_TOO_OLD', REQ.maxKycAge, 'the verification time is in the future, so its age cannot be established'));
    } else if (now - fact.verifiedAt > daysToSeconds(rule.max_kyc_age_days)) {
      findings.push(
        deny('KYC_TOO_OLD', REQ.maxKycAge, `KYC is older than the policy maximum of ${rule.max_kyc_age_days} days`),
      );
    }
  }
  return findings;
}

/**
 * A jp_aml proofing done outside its method's effective window (spec/07-kyc.md SHO-KYC-6, SHO-KYC-16) is never
 * credited, whatever the policy document says: a ホ proofing performed on or after 2027-04-01 was not lawful.
 * This compares the *verification* time; the policy's own windows compare the decision time.
 */
function lawfulnessProblem(fact: KycFact): string | undefined {
  if (fact.trustFramework !== 'jp_aml' || fact.procedure === undefined || fact.verifiedAt === undefined) return undefined;
  const method = jpAmlMethod(fact.procedure);
  if (method === undefined) return undefined;
  const from = startOfPolicyDate(method.effectiveFrom) ?? -Infinity;
  const to = method.effectiveTo === undefined ? Infinity : (startOfPolicyDate(method.effectiveTo) ?? Infinity);
  if (fact.verifiedAt >= from && fact.verifiedAt < to) return undefined;
  const window = `${method.effectiveFrom} to ${method.effectiveTo ?? 'now'}`;
  return `procedure ${fact.procedure} was performed outside its legal effective window (${window}, JST)`;
}

/** Why no allowed method accepts this KYC, or `undefined` when one does. */
function proofingProblem(methods: readonly ProofingMethodRule[], fact: KycFact, now: number): string | undefined {
  // Built only when a problem is reported: this runs on every verification that reaches the policy.
  const allowed = (): string => [...new Set(methods.map((m) => m.procedure))].join(', ');
  if (fact.procedure === undefined) {
    return `no proofing procedure was asserted; allowed: ${allowed()}`;
  }
  const candidates = methods.filter((m) => m.procedure === fact.procedure);
  if (candidates.length === 0) {
    return `procedure ${quoteCode(fact.procedure)} is not one of the allowed ${allowed()}`;
  }
  let first: string | undefined;
  for (const method of candidates) {
    const problem = methodProblem(method, fact, now);
    if (problem === undefined) return undefined;
    first ??= problem;
  }
  return first;
}

function methodProblem(method: ProofingMethodRule, fact: KycFact, now: number): string | undefined {
  const name = `procedure ${method.procedure}`;
  if (method.not_before !== undefined && now < (startOfPolicyDate(method.not_before) ?? Infinity)) {
    return `${name} is accepted from ${method.not_before} (JST)`;
  }
  if (method.not_after !== undefined && now >= (endOfPolicyDate(method.not_after) ?? -Infinity)) {
    return `${name} is not accepted after ${method.not_after} (JST)`;
  }
  if (method.check_methods !== undefined) {
    const checked = fact.checkMethods ?? [];
    if (!method.check_methods.some((c) => checked.includes(c))) {
      return `${name} is accepted only with evidence checked by ${method.check_methods.join(' or ')}`;
    }
  }
  if (method.min_age_days !== undefined) {
    if (fact.verifiedAt === undefined) {
      return `${name} needs a verification time to check its minimum age of ${method.min_age_days} days`;
    }
    if (now - fact.verifiedAt < daysToSeconds(method.min_age_days)) {
      return `KYC by ${name} is accepted only once it is ${method.min_age_days} days old`;
    }
  }
  return undefined;
}
