import { factorProfile, ignoredAmrSet, profileCreditsPhishingResistance, profileSupportedAal } from '../policy/factors.js';
import type { Aal } from '../vocabulary/trust-frameworks.js';

/** The values that never count as a factor, and no policy's own: the rules as the spec states them. */
const ALWAYS_IGNORED = ignoredAmrSet([]);

/** A way in which reported authentication data contradicts itself. Names claims, never values. */
export interface AuthenticationProblem {
  claim: 'amr' | 'aal' | 'phishing_resistant';
  reason: string;
  requirement: string;
  message: string;
}

/**
 * The AAL that the reported methods support on their own (spec/08-authentication.md, SHO-AUTH-5, -9,
 * -10): none when only values that never count remain (a cash-card PIN, a birthdate); AAL3 only with a
 * phishing-resistant hardware method. The same rules the policy engine applies, with no
 * policy-specific ignored values.
 */
export function supportedAal(amr: readonly string[], acr?: string, phishingResistant = true): Aal | undefined {
  return profileSupportedAal({ amr: [...amr], ...(acr !== undefined ? { acr } : {}), phishingResistant }, factorProfile(amr, ALWAYS_IGNORED));
}

/**
 * Checks that `aal` and `phishing_resistant` follow from `amr` and `acr` (SHO-AUTH-5 to -7). The issuer
 * refuses to sign when this returns anything; a verifier's policy recomputes the same from `amr`.
 */
export function authenticationProblems(claims: {
  amr: readonly string[];
  acr?: string | undefined;
  aal: Aal;
  phishing_resistant: boolean;
}): AuthenticationProblem[] {
  const problems: AuthenticationProblem[] = [];
  // One pass over amr answers both rules.
  const methods = { amr: [...claims.amr], ...(claims.acr !== undefined ? { acr: claims.acr } : {}), phishingResistant: claims.phishing_resistant };
  const profile = factorProfile(claims.amr, ALWAYS_IGNORED);
  const supported = profileSupportedAal(methods, profile);
  if (supported === undefined) {
    problems.push({
      claim: 'amr',
      reason: 'no_counting_factor',
      requirement: 'SHO-AUTH-5',
      message: 'amr holds no method that counts as a factor (a cash-card PIN or a birthdate never does)',
    });
  } else if (Number(claims.aal.slice(3)) > Number(supported.slice(3))) {
    problems.push({
      claim: 'aal',
      reason: 'not_supported_by_amr',
      requirement: 'SHO-AUTH-6',
      message: `aal ${claims.aal} is more than the methods in amr support (${supported})`,
    });
  }
  if (claims.phishing_resistant && !profileCreditsPhishingResistance(methods, profile)) {
    problems.push({
      claim: 'phishing_resistant',
      reason: 'not_supported_by_amr',
      requirement: 'SHO-AUTH-7',
      message: 'phishing_resistant is true but no phishing-resistant method is in amr or acr',
    });
  }
  return problems;
}
