/**
 * The facts a policy decides on (spec/14-policy.md, SHO-POL-2).
 *
 * The verifier builds these from claims whose signature, issuer, audience, time and binding it has already
 * checked, after capping every level by the issuer's trust ceiling (SHO-TRUST). The policy engine never sees a
 * token and never reads a name, a birthdate or an account number: only levels, vocabulary codes, times and
 * match results.
 */

/** The operation a relying party is deciding on; one policy rule per action. */
export type Action = 'account_link' | 'payout' | 'payout_destination_change' | 'direct_debit_registration';

/** Identity assurance level (NIST SP 800-63A scale, also used by DS-500). */
export type Ial = 'ial1' | 'ial2' | 'ial3';

/** Authenticator assurance level (NIST SP 800-63B scale). */
export type Aal = 'aal1' | 'aal2' | 'aal3';

/** The result of comparing one identity attribute, as asserted by the side that holds both data sets. */
export type MatchResult = 'match' | 'close_match' | 'no_match';

/** An identity attribute a relying party may ask the bank to compare. */
export type MatchAttribute = 'name' | 'name_kana' | 'birthdate' | 'address';

/** One verified `verified_claims` element, reduced to what a policy may test. */
export interface KycFact {
  /** `verification.trust_framework`, for example `jp_aml`. */
  trustFramework: string;
  /** Already capped by the verifier's trust ceiling for this issuer. */
  ial?: Ial;
  /** `verification.assurance_process.procedure`, for example `jp_aml.r6_1_1.he`. */
  procedure?: string;
  /** `verification.time` in epoch seconds. */
  verifiedAt?: number;
  /** `evidence[].type` values, for example `document`, `electronic_record`. */
  evidenceTypes: string[];
  /**
   * `evidence[].check_details[].check_method` values, for example `vcrypt` when the IC chip's signature was
   * verified. Lets a policy accept face-to-face proofing only when the chip was read (SHO-POL-7).
   */
  checkMethods?: string[];
}

/** The authentication the issuer performed for this operation. */
export interface AuthenticationFact {
  /** Already capped by the verifier's trust ceiling for this issuer. */
  aal: Aal;
  amr: string[];
  acr?: string;
  /** Epoch seconds. */
  authTime: number;
  phishingResistant: boolean;
}

/** A decimal amount, exactly as in TransactionDetails (never a float). */
export interface AmountFact {
  /** ISO 4217 code, for example `JPY`. */
  currency: string;
  /** Decimal string without exponent, for example `150000` or `12.50`. */
  value: string;
}

/** Everything {@link evaluatePolicy} needs for one decision. */
export interface PolicyFacts {
  action: Action;
  /** Decision time, epoch seconds. */
  now: number;
  /** Empty when the assertion carried no `verified_claims` at all (the 2020 wallet pattern). */
  kyc: KycFact[];
  authentication: AuthenticationFact;
  identityMatch?: Partial<Record<MatchAttribute, MatchResult>>;
  amount?: AmountFact;
}
