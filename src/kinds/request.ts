import { z } from 'zod';
import { Account } from '../claims/account.js';
import { Envelope, PartyId } from '../claims/common.js';
import { IdentityData } from '../claims/identity-match.js';
import { TransactionDetails } from '../claims/transaction-details.js';
import { ACTIONS } from '../vocabulary/actions.js';
import { AAL_LEVELS, IAL_LEVELS } from '../vocabulary/trust-frameworks.js';

/**
 * The relying party's signed request (spec/03-request.md, SHO-REQ), `typ` `shomei-request+jwt`: who
 * asks, for what, for which account and transaction, with what it knows of the customer for matching.
 * Signed like an RFC 9101 request object and pushed to the bank as in RFC 9126.
 */
export const RequestClaims = z
  .object({
    ...Envelope,
    action: z.enum(ACTIONS),
    redirect_uri: PartyId,
    state: z.string().regex(/^[\x20-\x7e]{1,256}$/, '1–256 printable ASCII characters'),
    client_name: z.string().min(1).max(128).optional(),
    account: Account.optional(),
    transaction: TransactionDetails.optional(),
    identity: IdentityData.optional(),
    requirements: z
      .object({
        min_ial: z.enum(IAL_LEVELS).optional(),
        min_aal: z.enum(AAL_LEVELS).optional(),
        phishing_resistant: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((claims, context) => {
    if (claims.action === 'payout' && claims.transaction === undefined) {
      context.addIssue({ code: 'custom', message: 'a payout request names its transaction', path: ['transaction'] });
    }
    if (claims.action !== 'payout' && claims.transaction !== undefined) {
      context.addIssue({ code: 'custom', message: 'only a payout request carries a transaction', path: ['transaction'] });
    }
    if (claims.action !== 'payout' && claims.account === undefined) {
      context.addIssue({ code: 'custom', message: 'a link request names the account the customer entered', path: ['account'] });
    }
  });
export type RequestClaims = z.infer<typeof RequestClaims>;
