import { z } from 'zod';
import { Authentication } from '../claims/authentication.js';
import { Envelope, RandomId, Sha256Base64url } from '../claims/common.js';
import { TransactionDetails } from '../claims/transaction-details.js';

/**
 * The transaction (payout) assertion (spec/05-transaction.md, SHO-TXN), `typ` `shomei-txn+jwt`: the
 * account holder authenticated for this amount to this account (PSD2 RTS Art. 5 dynamic linking).
 * `transaction_hash` is the RFC 8785 / SHA-256 digest of `transaction` (SHO-BIND).
 */
export const TransactionClaims = z.object({
  ...Envelope,
  sub: RandomId,
  req_hash: Sha256Base64url,
  transaction: TransactionDetails,
  transaction_hash: Sha256Base64url,
  ...Authentication,
  txn: z.string().min(1).max(128).optional(),
});
export type TransactionClaims = z.infer<typeof TransactionClaims>;
