/**
 * Reasons built from zod's issues (src/claims/issues.ts) name unknown members only when the name looks
 * like a claim name: a token may use a birthdate, a phone or an account number as a member name.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { claimIssues } from '../../src/claims/issues.js';

describe('claimIssues', () => {
  it('SHO-ERR-3: an unknown member named like a claim is named; one named by a date or digits is not', () => {
    const result = z.strictObject({ known: z.string().optional() }).safeParse({ memo: 1, '1985-04-01': 1, '0123456': 1, 'family_name#ja-Kana-JP': 1 });
    expect(result.success).toBe(false);
    const messages = claimIssues(result.error!).map((issue) => issue.message).join(' ');
    expect(messages).toContain('memo');
    expect(messages).toContain('family_name#ja-Kana-JP');
    expect(messages).not.toContain('1985');
    expect(messages).not.toContain('0123456');
    expect(messages).toContain('(a name not shown)');
  });
});
