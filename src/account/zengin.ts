/**
 * Zengin account numbers (spec/09-account.md, SHO-ACCT; japan.md §4, 総合振込 record fields [zenfmt, awa]).
 *
 * Messages never contain the digits of an account (SHO-ERR: no personal data in errors).
 */
import type { Account } from '../claims/account.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';

/** Zengin account type N(1): 1 普通, 2 当座, 4 貯蓄, 9 その他. */
export type AccountType = Account['type'];

/** The account types and their names in Japanese. */
export const ACCOUNT_TYPES: Readonly<Record<AccountType, string>> = {
  '1': '普通',
  '2': '当座',
  '4': '貯蓄',
  '9': 'その他',
};

/** An account as typed or received: the same members as `Account`, not yet checked or padded. */
export interface AccountInput {
  readonly bank_code: string;
  readonly branch_code: string;
  readonly type: string;
  readonly number: string;
}

const isAccountType = (value: string): value is AccountType => Object.hasOwn(ACCOUNT_TYPES, value);

function refuse(reason: string, message: string): ShomeiError {
  return new ShomeiError('CLAIMS_INVALID', message, { claim: 'account', reason });
}

/** NFKC turns full-width digits (１２３) into ASCII; nothing else is stripped or guessed. */
const digits = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const text = value.normalize('NFKC');
  return /^\d+$/.test(text) ? text : undefined;
};

/**
 * Checks an account and brings it to Zengin form: bank code N(4), branch code N(3), type N(1) in
 * {1, 2, 4, 9}, number N(7) zero-padded on the left (`12345` → `0012345`). Full-width digits are accepted
 * (NFKC); spaces, hyphens and anything else are refused rather than silently removed.
 *
 * @throws ShomeiError `CLAIMS_INVALID` with `claim: 'account'` and reason `bank_code_invalid`,
 *   `branch_code_invalid`, `type_invalid` or `number_invalid`; the message holds no digits.
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) when `input` is not an object.
 * @example normalizeAccount({ bank_code: '0005', branch_code: '001', type: '1', number: '１２３４５' })
 *   // { bank_code: '0005', branch_code: '001', type: '1', number: '0012345' }
 * @see spec/09-account.md SHO-ACCT-1, SHO-ACCT-2
 */
export function normalizeAccount(input: AccountInput): Account {
  if (typeof input !== 'object' || input === null) throw invalidArgument('account must be an object');
  const bank = digits(input.bank_code);
  if (bank === undefined || bank.length !== 4) throw refuse('bank_code_invalid', 'bank_code must be four digits');
  const branch = digits(input.branch_code);
  if (branch === undefined || branch.length !== 3) {
    throw refuse('branch_code_invalid', 'branch_code must be three digits');
  }
  const type = typeof input.type === 'string' ? input.type.normalize('NFKC') : '';
  if (!isAccountType(type)) throw refuse('type_invalid', 'type must be one of the Zengin account types');
  const number = digits(input.number);
  if (number === undefined || number.length > 7) {
    throw refuse('number_invalid', 'number must be one to seven digits');
  }
  return { bank_code: bank, branch_code: branch, type, number: number.padStart(7, '0') };
}

const ZENGIN_ACCOUNT = { bank_code: /^[0-9]{4}$/, branch_code: /^[0-9]{3}$/, number: /^[0-9]{7}$/ } as const;

/** Already in Zengin form (SHO-ACCT-1): ASCII digits of the exact lengths, a known type. */
function isZenginAccount(value: unknown): value is Account {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['bank_code'] === 'string' && ZENGIN_ACCOUNT.bank_code.test(v['bank_code']) &&
    typeof v['branch_code'] === 'string' && ZENGIN_ACCOUNT.branch_code.test(v['branch_code']) &&
    typeof v['type'] === 'string' && isAccountType(v['type']) &&
    typeof v['number'] === 'string' && ZENGIN_ACCOUNT.number.test(v['number'])
  );
}

/**
 * Whether two accounts are the same: both in Zengin form (SHO-ACCT-1) and equal member by member as
 * strings. Nothing is padded, trimmed or folded — there is no fuzzy account comparison (SHO-ACCT-4), and a
 * verifier never pads (SHO-ACCT-2); pass what a customer typed through {@link normalizeAccount} first. An
 * account that is not in Zengin form equals nothing, not even itself.
 *
 * @example accountsEqual(normalizeAccount(typed), linkAssertion.account)
 * @see spec/09-account.md SHO-ACCT-4
 */
export function accountsEqual(a: Account, b: Account): boolean {
  if (!isZenginAccount(a) || !isZenginAccount(b)) return false;
  return a.bank_code === b.bank_code && a.branch_code === b.branch_code && a.type === b.type && a.number === b.number;
}
