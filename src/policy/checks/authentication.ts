/**
 * Authentication rules: AAL, counted factors, phishing resistance, freshness
 * (spec/14-policy.md SHO-POL-10 to SHO-POL-13).
 */
import type { CompiledRule } from '../compile.js';
import { compareDecimal, isDecimal } from '../decimal.js';
import { factorProfile, profileCreditsPhishingResistance, profileSupportedAal, type FactorProfile } from '../factors.js';
import type { AmountFact, AuthenticationFact } from '../facts.js';
import { POLICY_REQUIREMENTS as REQ } from '../requirements.js';
import { AAL_VALUES } from '../schema.js';
import { deny, type Finding } from './finding.js';

/** Checks every authentication rule of the compiled rule and appends what it finds to `findings`. */
export function checkAuthentication(
  compiled: CompiledRule,
  auth: AuthenticationFact,
  now: number,
  amount: AmountFact | undefined,
  findings: Finding[],
): void {
  const rule = compiled.rule;
  // One pass over amr answers every factor rule below (the policy's ignored_amr applies to each).
  const profile = factorProfile(auth.amr, compiled.ignoredAmr);

  if (rule.min_aal !== undefined) {
    const minimum = compiled.minAal;
    if (AAL_VALUES.indexOf(auth.aal) < minimum) {
      findings.push(deny('AAL_TOO_LOW', REQ.minAal, `AAL ${auth.aal} is below the policy minimum ${rule.min_aal}`));
    } else {
      // The asserted level is enough; now check that the counted methods support it (SHO-AUTH-6): "aal2"
      // made of cash-card PIN + birthdate is the 2020 pattern.
      const supported = profileSupportedAal(auth, profile);
      if (supported === undefined || AAL_VALUES.indexOf(supported) < minimum) {
        findings.push(
          deny(
            'FACTOR_NOT_COUNTED',
            REQ.factors,
            `amr supports ${supported ?? 'no AAL'} once ignored values are removed; the policy minimum is ${rule.min_aal}`,
          ),
        );
      }
    }
  }
  if (rule.counted_factors_min !== undefined && profile.count < rule.counted_factors_min) {
    findings.push(
      deny(
        'FACTOR_NOT_COUNTED',
        REQ.factors,
        `the policy requires ${rule.counted_factors_min} factor classes; ${profile.count} remain after ignored amr values`,
      ),
    );
  }
  const phishing = phishingProblem(compiled, auth, profile, amount);
  if (phishing !== undefined) findings.push(deny('PHISHING_RESISTANCE_REQUIRED', REQ.phishingResistance, phishing));
  if (rule.max_auth_age_seconds !== undefined && now - auth.authTime > rule.max_auth_age_seconds) {
    findings.push(
      deny(
        'AUTH_TOO_OLD',
        REQ.maxAuthAge,
        `authentication is older than the policy maximum of ${rule.max_auth_age_seconds} s`,
      ),
    );
  }
}

function phishingProblem(
  compiled: CompiledRule,
  auth: AuthenticationFact,
  profile: FactorProfile,
  amount: AmountFact | undefined,
): string | undefined {
  const requirement = compiled.rule.phishing_resistant;
  if (requirement === undefined || requirement === 'never') return undefined;
  let when = 'for this action';
  if (requirement !== 'always') {
    const threshold = requirement.above_amount;
    when = `above ${threshold.currency} ${threshold.value}`;
    // An amount we cannot compare (absent, other currency, malformed) is treated as above the threshold.
    const comparable =
      amount !== undefined && amount.currency === threshold.currency && isDecimal(amount.value);
    if (comparable && compareDecimal(amount.value, threshold.value) <= 0) return undefined;
  }
  if (!auth.phishingResistant) return `the policy requires phishing-resistant authentication ${when}`;
  // Defence in depth (SHO-AUTH-7): the flag must be backed by a method or acr that can be phishing-resistant.
  if (!profileCreditsPhishingResistance(auth, profile)) {
    return `phishing resistance was asserted without a phishing-resistant method; required ${when}`;
  }
  return undefined;
}
