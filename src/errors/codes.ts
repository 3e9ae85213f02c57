/**
 * The closed list of failure codes (spec/16-errors.md, SHO-ERR-1).
 *
 * Codes are stable within a major version: never renamed, never reused with another meaning. Every
 * `ShomeiError`, every verification reason and every protocol error response carries one of them.
 */
export const ERROR_CODES = [
  // token format and header (spec/02-tokens.md)
  'MALFORMED_TOKEN',
  'TOKEN_TOO_LARGE',
  'TYP_MISMATCH',
  'ALG_NOT_ALLOWED',
  'KID_MISSING',
  'CRIT_UNSUPPORTED',
  // keys (spec/11-keys.md)
  'KEY_NOT_FOUND',
  'KEYS_UNAVAILABLE',
  'JWKS_INVALID',
  'KEY_INVALID',
  // signature
  'SIGNATURE_INVALID',
  // claims and time
  'CLAIMS_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_YET_VALID',
  'IAT_IN_FUTURE',
  'LIFETIME_EXCEEDED',
  // parties
  'AUDIENCE_MISMATCH',
  'ISSUER_UNKNOWN',
  'ISSUER_SUSPENDED',
  'ISSUER_MISMATCH',
  'KIND_NOT_ALLOWED',
  // binding (spec/10-binding.md)
  'NONCE_MISMATCH',
  'REQUEST_MISMATCH',
  'TRANSACTION_MISMATCH',
  'ACCOUNT_MISMATCH',
  // replay
  'REPLAYED',
  'REPLAY_STORE_UNAVAILABLE',
  // policy (spec/14-policy.md)
  'POLICY_NOT_FOUND',
  'KYC_MISSING',
  'IAL_TOO_LOW',
  'TRUST_FRAMEWORK_NOT_ALLOWED',
  'PROOFING_METHOD_NOT_ALLOWED',
  'KYC_TOO_OLD',
  'AAL_TOO_LOW',
  'FACTOR_NOT_COUNTED',
  'PHISHING_RESISTANCE_REQUIRED',
  'AUTH_TOO_OLD',
  'IDENTITY_NO_MATCH',
  'IDENTITY_CLOSE_MATCH',
  'IDENTITY_MATCH_MISSING',
  'AMOUNT_LIMIT_EXCEEDED',
  // operation
  'DECISION_LOG_UNAVAILABLE',
  'CONFIG_INVALID',
  'ISSUANCE_REFUSED',
  'SIGNER_FAILED',
  'FETCH_FAILED',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODE_SET: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether `value` is a code from the closed list. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && CODE_SET.has(value);
}
