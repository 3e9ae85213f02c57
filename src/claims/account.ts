import { z } from 'zod';

/**
 * A Japanese bank account in Zengin form (spec/09-account.md, SHO-ACCT): bank code N(4), branch code
 * N(3), account type N(1) (1 普通, 2 当座, 4 貯蓄, 9 その他), account number N(7) zero-padded on the
 * left. Yucho 記号番号 are converted before they get here (`yuchoToZengin`).
 */
export const Account = z.strictObject({
  bank_code: z.string().regex(/^\d{4}$/, '4 digits'),
  branch_code: z.string().regex(/^\d{3}$/, '3 digits'),
  type: z.enum(['1', '2', '4', '9']),
  number: z.string().regex(/^\d{7}$/, '7 digits, zero-padded'),
});
export type Account = z.infer<typeof Account>;
