/**
 * KYC rules: presence, IAL, trust framework, proofing method, age (spec/14-policy.md SHO-POL-4 to SHO-POL-9).
 */
import { LAWFUL_WINDOWS, type CompiledMethod, type CompiledRule } from '../compile.js';
import type { KycFact } from '../facts.js';
import { POLICY_REQUIREMENTS as REQ } from '../requirements.js';
import { IAL_VALUES } from '../schema.js';
import { deny, quoteCode, type Finding } from './finding.js';

/**
 * Checks the KYC rules against the asserted records and appends what it finds to `findings`. One record that
 * satisfies every KYC rule is enough (SHO-POL-9): an issuer may send the history of a customer's verifications,
 * and an old weak one must not veto a recent strong one. When none satisfies, the findings of the record that came
 * closest (fewest broken rules, the first on a tie) are reported, so that the reasons describe one coherent KYC
 * rather than a mix.
 */
export function checkKyc(compiled: CompiledRule, kyc: readonly KycFact[], now: number, findings: Finding[]): void {
  if (!compiled.requiresKyc) return;
  if (kyc.length === 0) {
    findings.push(deny('KYC_MISSING', REQ.kycPresent, 'the policy requires verified KYC for this action; none was asserted'));
    return;
  }
  let closest: Finding[] | undefined;
  let closestIndex = 0;
  for (let index = 0; index < kyc.length; index++) {
    const found = checkOneKyc(compiled, kyc[index]!, now);
    if (found === undefined) return;
    if (closest === undefined || found.length < closest.length) {
      closest = found;
      closestIndex = index;
    }
  }
  if (closest === undefined) return;
  for (const finding of closest) {
    findings.push(kyc.length === 1 ? finding : { ...finding, message: `verified_claims[${closestIndex}]: ${finding.message}` });
  }
}

/** The rules one record breaks, or `undefined` when it satisfies them all (the usual case: no array is built). */
function checkOneKyc(compiled: CompiledRule, fact: KycFact, now: number): Finding[] | undefined {
  const rule = compiled.rule;
  let findings: Finding[] | undefined;
  if (rule.min_ial !== undefined) {
    if (fact.ial === undefined) {
      (findings ??= []).push(deny('IAL_TOO_LOW', REQ.minIal, `no IAL was asserted; the policy minimum is ${rule.min_ial}`));
    } else if (IAL_VALUES.indexOf(fact.ial) < compiled.minIal) {
      (findings ??= []).push(deny('IAL_TOO_LOW', REQ.minIal, `IAL ${fact.ial} is below the policy minimum ${rule.min_ial}`));
    }
  }
  if (compiled.trustFrameworks !== undefined && !compiled.trustFrameworks.has(fact.trustFramework)) {
    (findings ??= []).push(
      deny(
        'TRUST_FRAMEWORK_NOT_ALLOWED',
        REQ.trustFramework,
        `trust framework ${quoteCode(fact.trustFramework)} is not one of the allowed ${compiled.trustFrameworksText}`,
      ),
    );
  }
  const problem = lawfulnessProblem(fact) ?? (compiled.methods === undefined ? undefined : proofingProblem(compiled, fact, now));
  if (problem !== undefined) (findings ??= []).push(deny('PROOFING_METHOD_NOT_ALLOWED', REQ.proofingMethod, problem));
  if (compiled.maxKycAgeSeconds !== undefined) {
    if (fact.verifiedAt === undefined) {
      (findings ??= []).push(
        deny(
          'KYC_TOO_OLD',
          REQ.maxKycAge,
          `no verification time was asserted; the policy maximum KYC age is ${rule.max_kyc_age_days} days`,
        ),
      );
    } else if (fact.verifiedAt > now + 60) {
      // A verification dated in the future would never age out: it proves nothing about its age.
      (findings ??= []).push(deny('KYC_TOO_OLD', REQ.maxKycAge, 'the verification time is in the future, so its age cannot be established'));
    } else if (now - fact.verifiedAt > compiled.maxKycAgeSeconds) {
      (findings ??= []).push(
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
  const window = LAWFUL_WINDOWS.get(fact.procedure);
  if (window === undefined) return undefined;
  if (fact.verifiedAt >= window.from && fact.verifiedAt < window.to) return undefined;
  return `procedure ${fact.procedure} was performed outside its legal effective window (${window.text}, JST)`;
}

/** Why no allowed method accepts this KYC, or `undefined` when one does. */
function proofingProblem(compiled: CompiledRule, fact: KycFact, now: number): string | undefined {
  if (fact.procedure === undefined) {
    return `no proofing procedure was asserted; allowed: ${compiled.allowedProcedures}`;
  }
  const candidates = compiled.methods?.get(fact.procedure);
  if (candidates === undefined) {
    return `procedure ${quoteCode(fact.procedure)} is not one of the allowed ${compiled.allowedProcedures}`;
  }
  let first: string | undefined;
  for (const candidate of candidates) {
    const problem = methodProblem(candidate, fact, now);
    if (problem === undefined) return undefined;
    first ??= problem;
  }
  return first;
}

function methodProblem(compiled: CompiledMethod, fact: KycFact, now: number): string | undefined {
  const method = compiled.method;
  if (compiled.notBefore !== undefined && now < compiled.notBefore) {
    return `procedure ${method.procedure} is accepted from ${method.not_before} (JST)`;
  }
  if (compiled.notAfterEnd !== undefined && now >= compiled.notAfterEnd) {
    return `procedure ${method.procedure} is not accepted after ${method.not_after} (JST)`;
  }
  if (method.check_methods !== undefined && !anyCheckMethod(method.check_methods, fact.checkMethods)) {
    return `procedure ${method.procedure} is accepted only with evidence checked by ${method.check_methods.join(' or ')}`;
  }
  if (compiled.minAgeSeconds !== undefined) {
    if (fact.verifiedAt === undefined) {
      return `procedure ${method.procedure} needs a verification time to check its minimum age of ${method.min_age_days} days`;
    }
    if (now - fact.verifiedAt < compiled.minAgeSeconds) {
      return `KYC by procedure ${method.procedure} is accepted only once it is ${method.min_age_days} days old`;
    }
  }
  return undefined;
}

function anyCheckMethod(required: readonly string[], checked: readonly string[] | undefined): boolean {
  if (checked === undefined) return false;
  for (const method of required) if (checked.includes(method)) return true;
  return false;
}
