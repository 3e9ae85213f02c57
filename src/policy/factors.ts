/**
 * What an authentication's `amr` actually supports, whatever AAL the issuer asserted (spec/08-authentication.md
 * §8.3, SHO-AUTH-5 to SHO-AUTH-10 and SHO-AUTH-12; spec/14-policy.md SHO-POL-11).
 *
 * Why a policy recounts instead of trusting `aal`: in 2020 banks called "account number + cash-card PIN +
 * birthdate" authentication. A birthdate is an identifier and a 4-digit PIN typed online is below AAL1, so
 * `x-jp-cashcard-pin` and `x-jp-birthdate` never count, whatever a policy says.
 */
import {
  AMR_VALUES,
  NEVER_A_FACTOR,
  PHISHING_RESISTANT_ACR,
  PHISHING_RESISTANT_AMR,
  countFactors as countFactorClasses,
} from '../vocabulary/amr.js';
import type { Aal, AuthenticationFact } from './facts.js';

/** What the factor rules read of an authentication: the methods, the class and the flag, never the times. */
type Methods = Pick<AuthenticationFact, 'amr' | 'acr' | 'phishingResistant'>;

/** Every `amr` value a policy may name in `ignored_amr` (spec/08-authentication.md §8.2). */
export const KNOWN_AMR: readonly string[] = AMR_VALUES;

/** Multi-factor authenticators (SHO-AUTH-9). */
const MULTI_FACTOR = ['mfa', 'x-passkey-synced', 'x-passkey-devicebound', 'x-jp-jpki-auth', 'x-jp-jpki-sign'];
/** Hardware authenticators (SHO-AUTH-10). */
const HARDWARE = ['hwk', 'sc', 'x-passkey-devicebound', 'x-jp-jpki-auth', 'x-jp-jpki-sign'];

/**
 * Channels over which an `otp` is delivered (spec/08-authentication.md §8.4 reports SMS OTP as `sms` + `otp`).
 * When a policy ignores the channel, the `otp` it carried must not count either, or ignoring `sms` would leave
 * `['pwd', 'sms', 'otp']` at two factors.
 */
const OTP_CHANNELS = ['sms', 'tel', 'x-email-otp'];

/** The outcome of counting the factors of one authentication. */
export interface FactorCount {
  /** Distinct factor classes after ignored values were removed (`mfa` vouches for at least two). */
  count: number;
  /** Whether a multi-factor authenticator remains after ignored values were removed. */
  multiFactorAuthenticator: boolean;
}

/** The `amr` values that still count once the always-ignored values and the policy's `ignored` are removed. */
export function countedAmr(amr: readonly string[], ignored: readonly string[]): Set<string> {
  const ignoredSet = new Set<string>([...NEVER_A_FACTOR, ...ignored]);
  const remaining = new Set(amr.filter((value) => !ignoredSet.has(value)));
  if (OTP_CHANNELS.some((channel) => amr.includes(channel) && ignoredSet.has(channel))) remaining.delete('otp');
  return remaining;
}

/**
 * Counts the distinct factor classes of `amr` after removing `NEVER_A_FACTOR` (SHO-AUTH-8; a policy can only add to them) and `ignored`.
 * Unknown values count as nothing (fail closed).
 *
 * @example countFactors(['x-jp-cashcard-pin', 'x-jp-birthdate'], []) // { count: 0, multiFactorAuthenticator: false }
 * @see spec/14-policy.md SHO-POL-11, spec/08-authentication.md SHO-AUTH-9
 */
export function countFactors(amr: readonly string[], ignored: readonly string[]): FactorCount {
  const remaining = countedAmr(amr, ignored);
  // Removal is done here (always-ignored values, the policy's list, OTP channels); the vocabulary only classifies.
  const count = countFactorClasses([...remaining], []);
  return { count, multiFactorAuthenticator: MULTI_FACTOR.some((value) => remaining.has(value)) };
}

/**
 * Whether phishing resistance can be credited: the flag is set and a remaining method or the `acr` backs it
 * (SHO-AUTH-7). The verifier checks this too; the policy repeats it so that a policy's own `ignored_amr` applies.
 */
export function creditsPhishingResistance(auth: Methods, ignored: readonly string[]): boolean {
  if (!auth.phishingResistant) return false;
  const remaining = countedAmr(auth.amr, ignored);
  return (
    PHISHING_RESISTANT_AMR.some((value) => remaining.has(value)) ||
    (auth.acr !== undefined && (PHISHING_RESISTANT_ACR as readonly string[]).includes(auth.acr))
  );
}

/**
 * The highest AAL the remaining `amr` supports, or `undefined` when no factor counts (SHO-AUTH-5, -9, -10).
 *
 * @example supportedAal({ aal: 'aal2', amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'], ... }, []) // undefined
 */
export function supportedAal(auth: Methods, ignored: readonly string[]): Aal | undefined {
  const { count, multiFactorAuthenticator } = countFactors(auth.amr, ignored);
  if (count === 0) return undefined;
  if (count < 2 && !multiFactorAuthenticator) return 'aal1';
  const remaining = countedAmr(auth.amr, ignored);
  const hardware = HARDWARE.some((value) => remaining.has(value));
  return hardware && creditsPhishingResistance(auth, ignored) ? 'aal3' : 'aal2';
}
