import type { Digest } from '../../canonical/digest.js';
import { canonicalize } from '../../canonical/jcs.js';
import type { Account } from '../../claims/account.js';
import type { TransactionDetails } from '../../claims/transaction-details.js';
import type { ClaimsOf, Kind } from '../../kinds/kind.js';
import type { Reason } from '../result.js';

/** What the verifying party itself knows and expects the assertion to be bound to. */
export interface BindingExpectations {
  /** The compact request JWS this assertion answers: its hash must equal `req_hash`. */
  request?: string | undefined;
  /** The transaction as the relying party will execute it: its RFC 8785 hash must equal `transaction_hash`. */
  transaction?: TransactionDetails | undefined;
  /** The account the customer entered at the relying party. */
  account?: Account | undefined;
  /** The action the relying party asked for. */
  action?: string | undefined;
  /** The customer's `sub` stored from the link assertion: a transaction assertion must name the same one. */
  subject?: string | undefined;
  /** Redirect URIs registered for the requesting party (request kind only). */
  redirectUris?: readonly string[] | undefined;
}

/**
 * Binding checks (spec/10-binding.md, SHO-BIND): the assertion answers this request (`req_hash`), its
 * `transaction_hash` is the hash of what the relying party expects — recomputed here from the relying
 * party's own data, never taken from the token — and of what the token itself carries, and the account
 * is the one the customer entered. Any change after signing (amount, currency, payee, account) fails.
 */
export async function checkBinding<K extends Kind>(kind: K, claims: ClaimsOf[K], expected: BindingExpectations, digest: Digest): Promise<Reason[]> {
  const reasons: Reason[] = [];
  const c = claims as Partial<ClaimsOf['link'] & ClaimsOf['transaction'] & ClaimsOf['request'] & ClaimsOf['identity']>;
  if (kind === 'request') {
    if (expected.redirectUris !== undefined && !expected.redirectUris.includes(c.redirect_uri ?? '')) {
      reasons.push({ code: 'CLAIMS_INVALID', requirement: 'SHO-REQ-5', claim: 'redirect_uri', message: 'redirect_uri is not registered for this relying party' });
    }
    if (expected.action !== undefined && c.action !== expected.action) {
      reasons.push({ code: 'REQUEST_MISMATCH', requirement: 'SHO-REQ-3', claim: 'action', message: 'action is not the one expected' });
    }
    return reasons;
  }
  if ((kind === 'link' || kind === 'transaction') && expected.request !== undefined && c.req_hash !== (await digest(expected.request))) {
    reasons.push({ code: 'REQUEST_MISMATCH', requirement: 'SHO-BIND-3', claim: 'req_hash', message: 'req_hash is not the hash of the request this relying party sent' });
  }
  if (kind === 'transaction') {
    if (expected.subject !== undefined && c.sub !== expected.subject) {
      reasons.push({ code: 'ACCOUNT_MISMATCH', requirement: 'SHO-TXN-9', claim: 'sub', message: 'the payout was authorised by another customer than the linked account holder' });
    }
    // The token's transaction is hashed; the expected one need only have the same JCS text (equal texts,
    // equal hashes), which saves a second hash on every payout.
    const text = canonicalize(c.transaction);
    if ((await digest(text)) !== c.transaction_hash) {
      reasons.push({ code: 'TRANSACTION_MISMATCH', requirement: 'SHO-BIND-5', claim: 'transaction_hash', message: 'transaction_hash is not the hash of the transaction in the token' });
    } else if (expected.transaction !== undefined && canonicalize(expected.transaction) !== text) {
      reasons.push({ code: 'TRANSACTION_MISMATCH', requirement: 'SHO-BIND-6', claim: 'transaction_hash', message: 'the signed transaction differs from the one this relying party is executing (amount, currency, payee or reference)' });
    }
    return reasons;
  }
  // link and identity: bound to { action, account }.
  if ((await digest(canonicalize({ action: c.action, account: c.account }))) !== c.transaction_hash) {
    reasons.push({ code: 'TRANSACTION_MISMATCH', requirement: 'SHO-BIND-5', claim: 'transaction_hash', message: 'transaction_hash is not the hash of the action and account in the token' });
  }
  if (expected.action !== undefined && c.action !== expected.action) {
    reasons.push({ code: 'REQUEST_MISMATCH', requirement: kind === 'identity' ? 'SHO-IDA-6' : 'SHO-LINK-5', claim: 'action', message: 'action is not the one this relying party asked for' });
  }
  if (expected.account !== undefined && !sameAccount(expected.account, c.account)) {
    reasons.push({ code: 'ACCOUNT_MISMATCH', requirement: 'SHO-LINK-7', claim: 'account', message: 'the account in the assertion is not the one the customer entered' });
  }
  return reasons;
}

function sameAccount(a: Account, b: Account | undefined): boolean {
  return b !== undefined && a.bank_code === b.bank_code && a.branch_code === b.branch_code && a.type === b.type && a.number === b.number;
}
