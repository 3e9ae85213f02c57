import { z } from 'zod';

/** One attribute compared by the issuer against its KYC record (spec/09-account.md, SHO-MATCH). */
export const MatchResult = z.enum(['match', 'close_match', 'no_match']);
export type MatchResult = z.infer<typeof MatchResult>;

/** The per-attribute result for every attribute the relying party sent (SHO-MATCH). */
export const IdentityMatch = z.object({
  name: MatchResult.optional(),
  name_kana: MatchResult.optional(),
  birthdate: MatchResult.optional(),
  address: MatchResult.optional(),
});
export type IdentityMatch = z.infer<typeof IdentityMatch>;

/** What a relying party knows about its customer, sent in its request for the bank to compare. */
export const IdentityData = z.object({
  name: z.string().min(1).max(256).optional(),
  name_kana: z.string().min(1).max(256).optional(),
  birthdate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').optional(),
  address: z
    .object({ postal_code: z.string().max(16).optional(), formatted: z.string().max(512).optional() })
    .optional(),
});
export type IdentityData = z.infer<typeof IdentityData>;
