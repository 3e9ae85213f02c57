import { parseDateTime } from '../../claims/date-time.js';
import type { Reason } from '../result.js';

/**
 * Time checks (spec/02-tokens.md SHO-CLM, RFC 7519 §4.1.4–4.1.6) with a small tolerance for clock skew:
 * expired, not yet valid, issued in the future, alive longer than the kind allows, and an
 * authentication that happened after the token was issued. Reads only values whose type is right, so it
 * can run on claims that failed their schema and still report every time failure.
 */
export function checkTime(claims: Record<string, unknown>, now: number, tolerance: number, maxLifetime: number): Reason[] {
  const reasons: Reason[] = [];
  const { exp, nbf, iat, auth_time: authTime } = claims;
  if (isNumericDate(exp) && now - tolerance >= exp) {
    reasons.push({ code: 'TOKEN_EXPIRED', requirement: 'SHO-CLM-4', claim: 'exp', message: 'the token has expired' });
  }
  if (isNumericDate(nbf) && nbf > now + tolerance) {
    reasons.push({ code: 'TOKEN_NOT_YET_VALID', requirement: 'SHO-CLM-5', claim: 'nbf', message: 'the token is not valid yet (nbf)' });
  }
  if (isNumericDate(iat) && iat > now + tolerance) {
    reasons.push({ code: 'IAT_IN_FUTURE', requirement: 'SHO-CLM-6', claim: 'iat', message: 'the token was issued in the future (iat)' });
  }
  if (isNumericDate(iat) && isNumericDate(exp)) {
    if (exp <= iat) {
      reasons.push({ code: 'LIFETIME_EXCEEDED', requirement: 'SHO-KIND-3', claim: 'exp', message: 'exp is not after iat' });
    } else if (exp - iat > maxLifetime) {
      reasons.push({ code: 'LIFETIME_EXCEEDED', requirement: 'SHO-KIND-3', claim: 'exp', message: `exp − iat is more than ${maxLifetime} s allowed for this kind` });
    }
  }
  if (isNumericDate(authTime) && isNumericDate(iat) && authTime > iat + tolerance) {
    reasons.push({ code: 'CLAIMS_INVALID', requirement: 'SHO-AUTH-3', claim: 'auth_time', message: 'auth_time is after the token was issued' });
  }
  if (isNumericDate(iat) && kycDatedAfter(claims.verified_claims, iat + tolerance)) {
    reasons.push({ code: 'CLAIMS_INVALID', requirement: 'SHO-KYC-5', claim: 'verified_claims.verification.time', message: 'the identity verification is dated after the token was issued' });
  }
  return reasons;
}

/**
 * Whether a well-typed `verification.time` of `verified_claims` (one element or an array) is after `limit`.
 * Walks the raw payload without building a list: it runs on every verification.
 */
function kycDatedAfter(verified: unknown, limit: number): boolean {
  if (!Array.isArray(verified)) return datedAfter(verified, limit);
  for (const element of verified) if (datedAfter(element, limit)) return true;
  return false;
}

function datedAfter(element: unknown, limit: number): boolean {
  if (typeof element !== 'object' || element === null) return false;
  const verification: unknown = (element as { verification?: unknown }).verification;
  if (typeof verification !== 'object' || verification === null) return false;
  const time: unknown = (verification as { time?: unknown }).time;
  return typeof time === 'string' && parseDateTime(time) > limit;
}

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
