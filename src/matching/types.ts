/**
 * Types of identity matching (spec/09-account.md, SHO-MATCH). They are the claim types of
 * src/claims/identity-match.ts, re-exported so that the matching code and the claim schemas can never
 * drift apart: `IdentityData` is what the relying party sends (and what the bank holds), `IdentityMatch`
 * the per-attribute result the bank signs, `MatchResult` one attribute's result.
 */
export type { IdentityData, IdentityMatch, MatchResult } from '../claims/identity-match.js';
