import { countFactors, hasPhishingResistantMethod, NEVER_A_FACTOR } from '../vocabulary/amr.js';
import type { Aal } from '../vocabulary/trust-frameworks.js';

/** A way in which reported authentication data contradicts itself. Names claims, never values. */
export interface AuthenticationProblem {
  claim: 'amr' | 'aal' | 'phishing_resistant';
  reason: string;
  requirement: string;
  message: string;
}

const HARDWARE_AMR = ['hwk', 'sc', 'x-passkey-devicebound', 'x-jp-jpki-auth', 'x-jp-jpki-sign'];

/**
 * The AAL that the reported methods can support on their own (spec/08-authentication.md): none when
 * only values that never count remain (a cash-card PIN, a birthdate); aal1 for one factor class; aal2
 * for two; aal3 for two with a phishing-resistant hardware authenticator (NIST SP 800-63B §4).
 */
export function supportedAal(amr: readonly string[], acr?: string, ignored: readonly string[] = NEVER_A_FACTOR): Aal | undefined {
  const factors = countFactors(amr, ignored);
  if (factors === 0) return undefined;
  if (factors === 1) return 'aal1';
  const counted = amr.filter((value) => !ignored.includes(value));
  const hardware = counted.some((value) => HARDWARE_AMR.includes(value));
  return hardware && hasPhishingResistantMethod(counted, acr) ? 'aal3' : 'aal2';
}

/**
 * Checks that `aal` and `phishing_resistant` follow from `amr` and `acr` (SHO-AUTH). The issuer refuses
 * to sign when this returns anything; a verifier's policy recomputes the same from `amr`.
 */
export function authenticationProblems(claims: {
  amr: readonly string[];
  acr?: string | undefined;
  aal: Aal;
  phishing_resistant: boolean;
}): AuthenticationProblem[] {
  const problems: AuthenticationProblem[] = [];
  const supported = supportedAal(claims.amr, claims.acr);
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
  if (claims.phishing_resistant && !hasPhishingResistantMethod(claims.amr, claims.acr)) {
    problems.push({
      claim: 'phishing_resistant',
      reason: 'not_supported_by_amr',
      requirement: 'SHO-AUTH-7',
      message: 'phishing_resistant is true but no phishing-resistant method is in amr or acr',
    });
  }
  return problems;
}
