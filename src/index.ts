/**
 * `shomei` — the core shared by both sides of the wire: the closed list of error codes, the token kinds
 * and their claims schemas (zod), the Japanese vocabulary, RFC 8785 canonical JSON, account utilities
 * and identity matching. Web APIs only; no I/O.
 *
 * Roles have their own entry points: `shomei/issuer`, `shomei/verifier`, `shomei/node`, `shomei/conformance`.
 */
export { ERROR_CODES, isErrorCode } from './errors/codes.js';
export type { ErrorCode } from './errors/codes.js';
export { ShomeiError, invalidArgument } from './errors/shomei-error.js';
export type { ShomeiErrorOptions } from './errors/shomei-error.js';

export { KINDS, KIND_DEFINITIONS, kindOfTyp } from './kinds/kind.js';
export type { Kind, KindDefinition, ClaimsOf } from './kinds/kind.js';
export { RequestClaims } from './kinds/request.js';
export { LinkClaims } from './kinds/link.js';
export { TransactionClaims } from './kinds/transaction.js';
export { IdentityClaims } from './kinds/identity.js';

export { Account } from './claims/account.js';
export { Amount, TransactionDetails } from './claims/transaction-details.js';
export { AuthenticationClaims } from './claims/authentication.js';
export { IdentityData, IdentityMatch, MatchResult } from './claims/identity-match.js';
export { VerifiedClaims, ShomeiVerifiedClaims, Evidence, Verification, VerifiedPersonClaims } from './claims/verified-claims.js';
export { authenticationProblems, supportedAal } from './claims/authentication-rules.js';
export type { AuthenticationProblem } from './claims/authentication-rules.js';
export { claimIssues } from './claims/issues.js';
export type { ClaimIssue } from './claims/issues.js';

export { ACTIONS, LINK_ACTIONS } from './vocabulary/actions.js';
export type { Action, LinkAction } from './vocabulary/actions.js';
export { AMR_VALUES, RFC8176_AMR, PRIVATE_AMR, NEVER_A_FACTOR, PHISHING_RESISTANT_AMR, PHISHING_RESISTANT_ACR, countFactors, hasPhishingResistantMethod } from './vocabulary/amr.js';
export type { Amr, FactorClass } from './vocabulary/amr.js';
export { JP_AML_METHODS, JP_AML_PROCEDURE_PREFIX, jpAmlMethod } from './vocabulary/jp-aml.js';
export type { JpAmlMethod } from './vocabulary/jp-aml.js';
export { TRUST_FRAMEWORKS, IAL_LEVELS, AAL_LEVELS, levelRank } from './vocabulary/trust-frameworks.js';
export type { TrustFramework, Ial, Aal } from './vocabulary/trust-frameworks.js';
export { DOCUMENT_TYPES, PROOFING_METHODS, ASSURANCE_BASES } from './vocabulary/documents.js';
export type { DocumentType, ProofingMethod } from './vocabulary/documents.js';

export { ALGORITHMS, isAlg } from './jws/algorithms.js';
export type { Alg } from './jws/algorithms.js';
export { canonicalize } from './canonical/jcs.js';
export { sha256Base64url, hashCanonical } from './canonical/digest.js';
export { encodeBase64url, decodeBase64url } from './encoding/base64url.js';

export { PartyMetadata, METADATA_PATH } from './transport/metadata.js';

export { normalizeKana, toZenginName, matchKey } from './matching/kana.js';
export { compareName, compareBirthdate, compareAddress, compareIdentity } from './matching/compare.js';
