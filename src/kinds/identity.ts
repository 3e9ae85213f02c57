import { z } from 'zod';
import { Account } from '../claims/account.js';
import { Authentication } from '../claims/authentication.js';
import { Envelope, RandomId, Sha256Base64url } from '../claims/common.js';
import { ShomeiVerifiedClaims } from '../claims/verified-claims.js';

/**
 * The identity (KYC) assertion of the reverse flow (spec/06-identity.md, SHO-IDA), `typ`
 * `shomei-identity+jwt`: a wallet tells the bank how it proofed and authenticated its own customer
 * before the bank registers a direct debit. A wallet that did no KYC says so (`kyc_status: 'none'`)
 * rather than leaving the bank to guess — the Docomo pattern of 2020.
 */
export const IdentityClaims = z
  .object({
    ...Envelope,
    sub: RandomId,
    action: z.literal('direct_debit_registration'),
    account: Account,
    transaction_hash: Sha256Base64url,
    verified_claims: ShomeiVerifiedClaims.optional(),
    kyc_status: z.literal('none').optional(),
    ...Authentication,
  })
  .superRefine((claims, context) => {
    if ((claims.verified_claims === undefined) === (claims.kyc_status === undefined)) {
      context.addIssue({ code: 'custom', message: 'exactly one of verified_claims and kyc_status: none', path: ['verified_claims'] });
    }
  });
export type IdentityClaims = z.infer<typeof IdentityClaims>;
