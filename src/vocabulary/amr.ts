/**
 * Authentication Method Reference values (spec/08-authentication.md, SHO-AUTH).
 *
 * The registered values of RFC 8176 §2 plus `pop` (IANA registry), and the private values shomei
 * defines for Japanese methods (japan.md §3). Any other value is refused: a verifier cannot reason
 * about a method it does not know.
 */
export const RFC8176_AMR = [
  'face', 'fpt', 'geo', 'hwk', 'iris', 'kba', 'mca', 'mfa', 'otp', 'pin', 'pop', 'pwd', 'rba',
  'retina', 'sc', 'sms', 'swk', 'tel', 'user', 'vbm', 'wia',
] as const;

export const PRIVATE_AMR = [
  'x-jp-cashcard-pin', // the 4-digit cash-card PIN typed online: below AAL1, never a factor
  'x-jp-birthdate', // a birthdate: an identifier, never a factor
  'x-jp-jpki-auth', // JPKI 利用者証明用 certificate + PIN: phishing-resistant PKI
  'x-jp-jpki-sign', // JPKI 署名用 certificate + PIN
  'x-email-otp', // one-time code by e-mail: not an allowed out-of-band channel in NIST SP 800-63B
  'x-passkey-synced', // a synced passkey (WebAuthn): phishing-resistant, AAL2
  'x-passkey-devicebound', // a device-bound passkey or security key: phishing-resistant, AAL3 candidate
] as const;

export const AMR_VALUES = [...RFC8176_AMR, ...PRIVATE_AMR] as const;
export type Amr = (typeof AMR_VALUES)[number];

/** Values an issuer may report for transparency but that never count as an authentication factor (SHO-AUTH). */
export const NEVER_A_FACTOR: readonly Amr[] = ['x-jp-cashcard-pin', 'x-jp-birthdate'];

/** The NIST SP 800-63B factor class a method contributes; multi-factor authenticators contribute two. */
export type FactorClass = 'knowledge' | 'possession' | 'inherence';

const FACTOR_CLASSES: Partial<Record<Amr, readonly FactorClass[]>> = {
  pwd: ['knowledge'],
  pin: ['knowledge'],
  kba: ['knowledge'],
  otp: ['possession'],
  sms: ['possession'],
  tel: ['possession'],
  hwk: ['possession'],
  swk: ['possession'],
  sc: ['possession'],
  'x-email-otp': ['possession'],
  fpt: ['inherence'],
  face: ['inherence'],
  iris: ['inherence'],
  retina: ['inherence'],
  vbm: ['inherence'],
  user: ['inherence'],
  'x-passkey-synced': ['possession', 'inherence'],
  'x-passkey-devicebound': ['possession', 'inherence'],
  'x-jp-jpki-auth': ['possession', 'knowledge'],
  'x-jp-jpki-sign': ['possession', 'knowledge'],
};

/**
 * Methods that resist phishing: proof of possession of a key bound to the verifier or the channel
 * (NIST SP 800-63B-4 §3.2.5). `hwk` and `sc` are proofs of possession of a hardware key or smart card;
 * `swk` is not listed because app push approvals report it too, and they are phishable.
 */
export const PHISHING_RESISTANT_AMR: readonly Amr[] = ['hwk', 'sc', 'x-passkey-synced', 'x-passkey-devicebound', 'x-jp-jpki-auth', 'x-jp-jpki-sign'];

/** ACR values of OpenID Connect EAP ACR Values 1.0: `phr` phishing-resistant, `phrh` phishing-resistant hardware. */
export const PHISHING_RESISTANT_ACR = ['phr', 'phrh'] as const;

/**
 * How many distinct factor classes the given methods establish, after dropping values that never
 * count. `mfa` (RFC 8176: "multiple-factor authentication") vouches for at least two.
 */
export function countFactors(amr: readonly string[], ignored: readonly string[] = NEVER_A_FACTOR): number {
  const counted = amr.filter((value) => !ignored.includes(value));
  const classes = new Set<FactorClass>();
  for (const value of counted) for (const factorClass of FACTOR_CLASSES[value as Amr] ?? []) classes.add(factorClass);
  return counted.includes('mfa') ? Math.max(2, classes.size) : classes.size;
}

/** Whether the methods include a phishing-resistant one (after dropping values that never count). */
export function hasPhishingResistantMethod(amr: readonly string[], acr?: string): boolean {
  if (acr !== undefined && (PHISHING_RESISTANT_ACR as readonly string[]).includes(acr)) return true;
  return amr.some((value) => PHISHING_RESISTANT_AMR.includes(value as Amr));
}
