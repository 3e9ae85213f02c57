/*
 * Mutation helpers shared by both plans: the issuer plan's `TokenMutation` and the verifier plan's
 * `Mutation` both carry mutable copies of the happy claims, a `sign` over them and the canonical `hash`.
 */

/** What the shared helpers need of a plan's mutation. */
export interface ClaimsMutation {
  claims: Record<string, unknown>;
  sign(): string;
  hash(value: unknown): Promise<string>;
}

/** What {@link withHeader} needs: the mutable header and claims, and a sign over them with any key. */
export interface HeaderMutation<Key> {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  sign(header?: Record<string, unknown>, claims?: Record<string, unknown>, key?: Key): string;
}

/** Signs with the header changed by `change`, with `key` or the plan's own signing key. */
export function withHeader<Key>(m: HeaderMutation<Key>, change: (header: Record<string, unknown>) => void, key?: Key): string {
  change(m.header);
  return m.sign(m.header, m.claims, key);
}

/** Signs with the claims changed by `change`. */
export function withClaims(m: ClaimsMutation, change: (claims: Record<string, unknown>) => void): string {
  change(m.claims);
  return m.sign();
}

/**
 * Points the token at another account number than the happy one, with a `transaction_hash` recomputed
 * over action and account so that only the account binding is wrong (SHO-LINK-7, SHO-IDA-6).
 */
export async function withOtherAccount(m: ClaimsMutation): Promise<string> {
  const account = { ...(m.claims.account as Record<string, string>) };
  account.number = account.number === '7654321' ? '1234567' : '7654321';
  m.claims.account = account;
  m.claims.transaction_hash = await m.hash({ action: m.claims.action, account });
  return m.sign();
}
