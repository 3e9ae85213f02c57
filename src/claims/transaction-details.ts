import { z } from 'zod';
import { Account } from './account.js';

/**
 * A decimal amount as a string (RFC 9396 `instructedAmount` style): no sign, no exponent, no leading
 * zeros, no trailing fractional zeros — one spelling per value, so the canonical hash is unambiguous
 * (spec/10-binding.md, SHO-BIND).
 */
export const Amount = z
  .strictObject({
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code'),
    value: z.string().regex(/^(0|[1-9]\d{0,17})(\.\d{0,3}[1-9])?$/, 'a canonical positive decimal string'),
  })
  .refine((amount) => amount.value !== '0', { message: 'must be positive', path: ['value'] })
  .refine((amount) => amount.currency !== 'JPY' || !amount.value.includes('.'), { message: 'JPY has no minor unit', path: ['value'] });
export type Amount = z.infer<typeof Amount>;

/**
 * What a transaction assertion authorises (spec/05-transaction.md, SHO-TXN): PSD2 RTS Art. 5 dynamic
 * linking — the amount and the payee, and anything else shown to the customer, are inside the signature.
 * Strict: a member the schema does not know would be hashed by one side and not the other.
 */
export const TransactionDetails = z.strictObject({
  type: z.literal('payout'),
  amount: Amount,
  payee: Account,
  reference: z.string().min(1).max(140).optional(),
});
export type TransactionDetails = z.infer<typeof TransactionDetails>;
