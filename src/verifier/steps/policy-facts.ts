import { parseDateTime } from '../../claims/date-time.js';
import type { ClaimsOf, Kind } from '../../kinds/kind.js';
import type { Aal, Ial, KycFact, PolicyFacts } from '../../policy/facts.js';
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
  const elements = verified === undefined ? [] : Array.isArray(verified) ? verified : [verified];
  const kyc = elements.map((element): KycFact => {
    const verification = element.verification;
    const level = (IAL_LEVELS as readonly string[]).includes(verification.assurance_level ?? '') ? (verification.assurance_level as Ial) : undefined;
    const time = verification.time === undefined ? Number.NaN : parseDateTime(verification.time);
    const evidence = verification.evidence ?? [];
    return {
      trustFramework: verification.trust_framework,
      ...(level !== undefined ? { ial: cap(level, party.max_ial) } : {}),
      ...(verification.assurance_process?.procedure !== undefined ? { procedure: verification.assurance_process.procedure } : {}),
      ...(Number.isFinite(time) ? { verifiedAt: time } : {}),
      evidenceTypes: evidence.map((item) => item.type),
      checkMethods: evidence.flatMap((item) => ('check_details' in item && Array.isArray(item.check_details) ? item.check_details.map((check) => check.check_method) : [])),
    };
  });
  return {
    action,
    now,
    kyc,
    authentication: {
      aal: cap(claims.aal, party.max_aal),
      amr: [...claims.amr],
      ...(claims.acr !== undefined ? { acr: claims.acr } : {}),
      authTime: claims.auth_time,
      phishingResistant: claims.phishing_resistant,
    },
    ...('identity_match' in claims && claims.identity_match !== undefined ? { identityMatch: claims.identity_match } : {}),
    ...(kind === 'transaction' ? { amount: (claims as ClaimsOf['transaction']).transaction.amount } : {}),
  };
}

function cap<Level extends Ial | Aal>(claimed: Level, ceiling: Level): Level {
  return levelRank(claimed) <= levelRank(ceiling) ? claimed : ceiling;
}
