import { parseDateTime } from '../../claims/date-time.js';
import type { ClaimsOf, Kind } from '../../kinds/kind.js';
import type { Aal, AuthenticationFact, Ial, KycFact, PolicyFacts } from '../../policy/facts.js';
import { IAL_LEVELS, levelRank } from '../../vocabulary/trust-frameworks.js';
import type { TrustedParty } from '../trust.js';

type Assertion = ClaimsOf['link'] | ClaimsOf['transaction'] | ClaimsOf['identity'];

/**
 * Reduces verified assertion claims to the facts a policy decides on (spec/14-policy.md), after capping
 * every level at the issuer's trust ceiling (SHO-TRUST): an issuer's own "ial3" or "aal3" counts for no
 * more than this verifier configured for it. Names, birthdates and account numbers do not cross here.
 */
export function policyFacts(kind: Exclude<Kind, 'request'>, claims: Assertion, party: TrustedParty, now: number): PolicyFacts {
  const action = kind === 'transaction' ? 'payout' : (claims as ClaimsOf['link']).action;
  const verified = 'verified_claims' in claims ? claims.verified_claims : undefined;
  const kyc: KycFact[] = [];
  if (verified !== undefined) {
    if (Array.isArray(verified)) for (const element of verified) kyc.push(kycFact(element, party));
    else kyc.push(kycFact(verified as VerifiedElement, party));
  }
  // The facts are read by evaluatePolicy at once and kept by no one, so claim arrays are not copied.
  const authentication: AuthenticationFact = {
    aal: cap(claims.aal, party.max_aal),
    amr: claims.amr,
    authTime: claims.auth_time,
    phishingResistant: claims.phishing_resistant,
  };
  if (claims.acr !== undefined) authentication.acr = claims.acr;
  const facts: PolicyFacts = { action, now, kyc, authentication };
  if ('identity_match' in claims && claims.identity_match !== undefined) facts.identityMatch = claims.identity_match;
  if (kind === 'transaction') facts.amount = (claims as ClaimsOf['transaction']).transaction.amount;
  return facts;
}

type VerifiedElement = Extract<NonNullable<ClaimsOf['link']['verified_claims']>, { verification: unknown }>;

function kycFact(element: VerifiedElement, party: TrustedParty): KycFact {
  const verification = element.verification;
  const evidenceTypes: string[] = [];
  const checkMethods: string[] = [];
  if (verification.evidence !== undefined) {
    for (const item of verification.evidence) {
      evidenceTypes.push(item.type);
      if ('check_details' in item && Array.isArray(item.check_details)) {
        for (const check of item.check_details) checkMethods.push(check.check_method);
      }
    }
  }
  const fact: KycFact = { trustFramework: verification.trust_framework, evidenceTypes, checkMethods };
  const level = verification.assurance_level;
  if (level !== undefined && (IAL_LEVELS as readonly string[]).includes(level) && creditsLevel(verification)) fact.ial = cap(level as Ial, party.max_ial);
  const procedure = verification.assurance_process?.procedure;
  if (procedure !== undefined) fact.procedure = procedure;
  // parseDateTime remembers its last input: the time check of this verification has parsed this string already.
  const time = verification.time === undefined ? Number.NaN : parseDateTime(verification.time);
  if (Number.isFinite(time)) fact.verifiedAt = time;
  return fact;
}

/**
 * Whether the element's `assurance_basis` (a shomei extension, SHO-KYC-13) lets its level count: absent,
 * `evidence` or `inherited`. A `self_asserted` basis is credited no IAL (SHO-POL-5), and neither is a
 * value this version does not know: it may mean less than it says.
 */
function creditsLevel(verification: object): boolean {
  const basis = (verification as { assurance_basis?: unknown }).assurance_basis;
  return basis === undefined || basis === 'evidence' || basis === 'inherited';
}

function cap<Level extends Ial | Aal>(claimed: Level, ceiling: Level): Level {
  return levelRank(claimed) <= levelRank(ceiling) ? claimed : ceiling;
}
