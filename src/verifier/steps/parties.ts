import type { Reason } from '../result.js';

/**
 * The token is for this verifier and from the party whose keys verified it (RFC 7519 §4.1.1, §4.1.3;
 * RFC 8725 §3.9). `aud` must be one string equal to the verifier's identifier: an array, even one that
 * contains it, is refused, so a token minted for several parties can never be replayed to one of them.
 */
export function checkParties(claims: Record<string, unknown>, audience: string, issuer: string): Reason[] {
  // A member of the wrong type (an `aud` array, a missing `iss`) is already a schema failure; it is not
  // reported twice (SHO-VER-5).
  const reasons: Reason[] = [];
  if (typeof claims.aud === 'string' && claims.aud !== audience) {
    reasons.push({ code: 'AUDIENCE_MISMATCH', requirement: 'SHO-CLM-2', claim: 'aud', message: 'aud is not this verifier' });
  }
  if (typeof claims.iss === 'string' && claims.iss !== issuer) {
    reasons.push({ code: 'ISSUER_MISMATCH', requirement: 'SHO-VER-3', claim: 'iss', message: 'iss is not the party whose key signed the token' });
  }
  return reasons;
}

/** The nonce binds an assertion to the request that asked for it (SHO-BIND). */
export function checkNonce(claims: Record<string, unknown>, expected: string | undefined): Reason[] {
  if (expected === undefined || typeof claims.nonce !== 'string' || claims.nonce === expected) return [];
  return [{ code: 'NONCE_MISMATCH', requirement: 'SHO-BIND-4', claim: 'nonce', message: 'nonce is not the one this relying party sent' }];
}
