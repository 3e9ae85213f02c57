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
const MULTI_FACTOR: ReadonlySet<string> = new Set(['mfa', 'x-passkey-synced', 'x-passkey-devicebound', 'x-jp-jpki-auth', 'x-jp-jpki-sign']);
/** Hardware authenticators (SHO-AUTH-10). */
const HARDWARE: ReadonlySet<string> = new Set(['hwk', 'sc', 'x-passkey-devicebound', 'x-jp-jpki-auth', 'x-jp-jpki-sign']);
const PHISHING_RESISTANT: ReadonlySet<string> = new Set(PHISHING_RESISTANT_AMR);

/**
 * Channels over which an `otp` is delivered (spec/08-authentication.md §8.4 reports SMS OTP as `sms` + `otp`).
 * When a policy ignores the channel, the `otp` it carried must not count either, or ignoring `sms` would leave
 * `['pwd', 'sms', 'otp']` at two factors.
 */
const OTP_CHANNELS: ReadonlySet<string> = new Set(['sms', 'tel', 'x-email-otp']);

/** No values beyond the always-ignored ones; shared because it is never modified. */
const NOTHING: readonly string[] = [];

/** The outcome of counting the factors of one authentication. */
export interface FactorCount {
  /** Distinct factor classes after ignored values were removed (`mfa` vouches for at least two). */
  count: number;
  /** Whether a multi-factor authenticator remains after ignored values were removed. */
  multiFactorAuthenticator: boolean;
}

/**
 * Everything the factor rules need to know about one authentication's remaining methods, found in one pass: a
 * policy evaluation reads it once instead of recounting for each rule (SHO-POL-10 to SHO-POL-12).
 */
export interface FactorProfile extends FactorCount {
  /** A hardware authenticator remains (SHO-AUTH-10). */
  hardware: boolean;
  /** A phishing-resistant method remains (SHO-AUTH-7); the `acr` is not considered here. */
  phishingResistantMethod: boolean;
}

/** The set a policy's `ignored_amr` stands for: the always-ignored values plus its own (SHO-AUTH-8). */
export function ignoredAmrSet(ignored: readonly string[]): ReadonlySet<string> {
  const set = new Set<string>(NEVER_A_FACTOR);
  for (const value of ignored) set.add(value);
  return set;
}

/**
 * Profiles the `amr` values that still count against an ignored set from {@link ignoredAmrSet}: the
 * always-ignored values and the policy's list are removed, and so is an `otp` whose channel is ignored.
 */
export function factorProfile(amr: readonly string[], ignored: ReadonlySet<string>): FactorProfile {
  const dropOtp = otpChannelIgnored(amr, ignored);
  const remaining: string[] = [];
  let multiFactorAuthenticator = false;
  let hardware = false;
  let phishingResistantMethod = false;
  for (const value of amr) {
    if (ignored.has(value) || (dropOtp && value === 'otp')) continue;
    remaining.push(value);
    if (MULTI_FACTOR.has(value)) multiFactorAuthenticator = true;
    if (HARDWARE.has(value)) hardware = true;
    if (PHISHING_RESISTANT.has(value)) phishingResistantMethod = true;
  }
  // Removal is done here; the vocabulary only classifies (duplicates do not change a count of classes).
  const count = remaining.length === 0 ? 0 : countFactorClasses(remaining, NOTHING);
  return { count, multiFactorAuthenticator, hardware, phishingResistantMethod };
}

function otpChannelIgnored(amr: readonly string[], ignored: ReadonlySet<string>): boolean {
  for (const value of amr) if (OTP_CHANNELS.has(value) && ignored.has(value)) return true;
  return false;
}

/**
 * Counts the distinct factor classes of `amr` after removing `NEVER_A_FACTOR` (SHO-AUTH-8; a policy can only add to them) and `ignored`.
 * Unknown values count as nothing (fail closed).
 *
 * @example countFactors(['x-jp-cashcard-pin', 'x-jp-birthdate'], []) // { count: 0, multiFactorAuthenticator: false }
 * @see spec/14-policy.md SHO-POL-11, spec/08-authentication.md SHO-AUTH-9
 */
export function countFactors(amr: readonly string[], ignored: readonly string[]): FactorCount {
  const { count, multiFactorAuthenticator } = factorProfile(amr, ignoredAmrSet(ignored));
  return { count, multiFactorAuthenticator };
}

/**
 * Whether phishing resistance can be credited: the flag is set and a remaining method or the `acr` backs it
 * (SHO-AUTH-7). The verifier checks this too; the policy repeats it so that a policy's own `ignored_amr` applies.
 */
export function creditsPhishingResistance(auth: Methods, ignored: readonly string[]): boolean {
  if (!auth.phishingResistant) return false;
  return profileCreditsPhishingResistance(auth, factorProfile(auth.amr, ignoredAmrSet(ignored)));
}

/** {@link creditsPhishingResistance} for an authentication already profiled. */
export function profileCreditsPhishingResistance(auth: Methods, profile: FactorProfile): boolean {
  if (!auth.phishingResistant) return false;
  return profile.phishingResistantMethod || (auth.acr !== undefined && (PHISHING_RESISTANT_ACR as readonly string[]).includes(auth.acr));
}

/**
 * The highest AAL the remaining `amr` supports, or `undefined` when no factor counts (SHO-AUTH-5, -9, -10).
 *
 * @example supportedAal({ aal: 'aal2', amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'], ... }, []) // undefined
 */
export function supportedAal(auth: Methods, ignored: readonly string[]): Aal | undefined {
  return profileSupportedAal(auth, factorProfile(auth.amr, ignoredAmrSet(ignored)));
}

/** {@link supportedAal} for an authentication already profiled. */
export function profileSupportedAal(auth: Methods, profile: FactorProfile): Aal | undefined {
  if (profile.count === 0) return undefined;
  if (profile.count < 2 && !profile.multiFactorAuthenticator) return 'aal1';
  return profile.hardware && profileCreditsPhishingResistance(auth, profile) ? 'aal3' : 'aal2';
}
