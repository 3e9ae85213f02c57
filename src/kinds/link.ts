import { z } from 'zod';
import { Account } from '../claims/account.js';
import { Authentication } from '../claims/authentication.js';
import { Envelope, RandomId, Sha256Base64url } from '../claims/common.js';
import { IdentityMatch } from '../claims/identity-match.js';
import { ShomeiVerifiedClaims } from '../claims/verified-claims.js';
import { LINK_ACTIONS } from '../vocabulary/actions.js';

/**
 * The account-link assertion (spec/04-link.md, SHO-LINK), `typ` `shomei-link+jwt`: the bank says that
 * the customer it proofed (`verified_claims`) and just authenticated owns `account`, in answer to one
 * request (`req_hash`, `nonce`), and how the relying party's identity data compared with its record.
 */
export const LinkClaims = z.object({
  ...Envelope,
  sub: RandomId,
  req_hash: Sha256Base64url,
  action: z.enum(LINK_ACTIONS),
  account: Account,
  transaction_hash: Sha256Base64url,
  verified_claims: ShomeiVerifiedClaims,
  ...Authentication,
  identity_match: IdentityMatch.optional(),
  txn: z.string().min(1).max(128).optional(),
});
export type LinkClaims = z.infer<typeof LinkClaims>;
