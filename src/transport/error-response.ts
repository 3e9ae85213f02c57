import type { ErrorCode } from '../errors/codes.js';

/**
 * The HTTP status of each code (spec/16-errors.md §16.1, SHO-ERR-4): the one place where an endpoint
 * turns a code into a status.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  MALFORMED_TOKEN: 400,
  TOKEN_TOO_LARGE: 413,
  TYP_MISMATCH: 400,
  ALG_NOT_ALLOWED: 400,
  KID_MISSING: 400,
  CRIT_UNSUPPORTED: 400,
  KEY_NOT_FOUND: 401,
  KEYS_UNAVAILABLE: 503,
  JWKS_INVALID: 503,
  KEY_INVALID: 401,
  SIGNATURE_INVALID: 401,
  CLAIMS_INVALID: 400,
  TOKEN_EXPIRED: 400,
  TOKEN_NOT_YET_VALID: 400,
  IAT_IN_FUTURE: 400,
  LIFETIME_EXCEEDED: 400,
  AUDIENCE_MISMATCH: 400,
  ISSUER_UNKNOWN: 401,
  ISSUER_SUSPENDED: 403,
  ISSUER_MISMATCH: 400,
  KIND_NOT_ALLOWED: 403,
  NONCE_MISMATCH: 400,
  REQUEST_MISMATCH: 400,
  TRANSACTION_MISMATCH: 400,
  ACCOUNT_MISMATCH: 400,
  REPLAYED: 400,
  REPLAY_STORE_UNAVAILABLE: 503,
  POLICY_NOT_FOUND: 403,
  KYC_MISSING: 403,
  IAL_TOO_LOW: 403,
  TRUST_FRAMEWORK_NOT_ALLOWED: 403,
  PROOFING_METHOD_NOT_ALLOWED: 403,
  KYC_TOO_OLD: 403,
  AAL_TOO_LOW: 403,
  FACTOR_NOT_COUNTED: 403,
  PHISHING_RESISTANCE_REQUIRED: 403,
  AUTH_TOO_OLD: 403,
  IDENTITY_NO_MATCH: 403,
  IDENTITY_CLOSE_MATCH: 403,
  IDENTITY_MATCH_MISSING: 403,
  AMOUNT_LIMIT_EXCEEDED: 403,
  DECISION_LOG_UNAVAILABLE: 503,
  CONFIG_INVALID: 500,
  ISSUANCE_REFUSED: 403,
  SIGNER_FAILED: 500,
  FETCH_FAILED: 503,
});

/** Headers of every flow response (SHO-FLOW-1, SHO-FLOW-2): JSON, never cached, never sniffed. */
const FLOW_HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

/** The longest `error_description` (SHO-FLOW-3). */
const MAX_DESCRIPTION = 256;

/** A JSON flow response with `Cache-Control: no-store` (SHO-FLOW-2). */
export function jsonResponse(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...FLOW_HEADERS, ...headers } });
}

/**
 * An error response `{ error, error_description }` with the status of the code (SHO-FLOW-3, SHO-FLOW-4,
 * SHO-ERR-4). `description` must already be free of personal data (SHO-ERR-3): callers pass reason
 * messages of the verifier or fixed sentences, never partner input.
 */
export function errorResponse(code: ErrorCode, description: string, headers: Record<string, string> = {}): Response {
  const text = description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION - 1)}…` : description;
  return jsonResponse(HTTP_STATUS[code], { error: code, error_description: text }, headers);
}
