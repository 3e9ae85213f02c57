/**
 * ゆうちょ銀行 記号・番号 → Zengin account (spec/09-account.md, SHO-ACCT; japan.md §4 "ゆうちょ").
 *
 * Sources, checked against their code: sanmai/jpb-account-converter `src/KigoBangoShiraberu/Converter.php`
 * and its tests [sanmai], Shigeo-Isshiki/kacsw-static-web-app `src/financial_institution_processing.js`
 * `convertJapanPostAccount` [isshiki], and the worked examples of [mimirswell].
 *
 * - Branch code = 2nd and 3rd digits of the 記号 (`substr($kigou, 1, 2)`, `symbol.substring(1, 3)`) + `8`
 *   for 総合口座 (記号 1xxxx) or `9` for 振替口座 (記号 0xxxx).
 * - 総合口座: the 番号 has up to 8 digits; it is left-padded with zeros to 8 and its first 7 digits are the
 *   account number, i.e. its last digit is dropped ([isshiki] `number.substring(0, 7)` after padding to 8;
 *   [sanmai] `substr($accNumber, 0, -1)` then pads to 7, the same thing). Type 普通.
 * - 振替口座: the 番号 has up to 6 digits, zero-padded to 7. Type 当座. The single check digit printed
 *   between 記号 and 番号 (`00160-0-100001`) is not part of the conversion and is not taken here.
 *
 * Invalid input is a caller's TypeError (SHO-ACCT-5, -7): the converter runs on what a customer typed,
 * before anything is signed.
 *
 * Not done, because spec/09-account.md SHO-ACCT-5 lists the only refusals: [sanmai] also requires the 記号
 * to end in 0, checks its 4th digit as a check digit over 記号+番号, and requires a 総合 番号 to end in 1
 * (Yucho's pages say it always does). The last rule would catch the common mistake of typing the
 * already-converted 7-digit number as 番号 (`1234567` → `0123456`, a different account); the bank's
 * ownership check (ACCOUNT_MISMATCH) catches it later instead.
 */
import type { Account } from '../claims/account.js';
import { invalidArgument } from '../errors/shomei-error.js';

/** Zengin bank code of ゆうちょ銀行. */
export const YUCHO_BANK_CODE = '9900';

/** A TypeError (`ERR_INVALID_ARG_VALUE`) with a machine-readable `reason`; never an account digit. */
function refuse(reason: string, message: string): TypeError {
  return Object.assign(invalidArgument(message), { reason });
}

function digitsOf(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidArgument(`${name} must be a string`);
  // NFKC accepts full-width digits (１４０３０) as printed on some forms; nothing else is stripped.
  return value.normalize('NFKC');
}

/**
 * Converts a ゆうちょ 記号 (5 digits) and 番号 into the Zengin account other banks transfer to.
 *
 * @param kigou 記号, five digits starting with 1 (総合口座) or 0 (振替口座); full-width digits accepted.
 * @param bangou 番号: 総合 up to eight digits; 振替 up to six digits.
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) with reason `yucho_kigou_invalid` or `yucho_bangou_invalid`,
 *   or when an argument is not a string; messages hold no account digits.
 * @example yuchoToZengin('14030', '12345671') // { bank_code: '9900', branch_code: '408', type: '1', number: '1234567' }
 * @example yuchoToZengin('00580', '654321') // { bank_code: '9900', branch_code: '059', type: '2', number: '0654321' }
 * @see spec/09-account.md SHO-ACCT-5, SHO-ACCT-6, SHO-ACCT-7; japan.md §4 [sanmai, isshiki, mimirswell]
 */
export function yuchoToZengin(kigou: string, bangou: string): Account {
  const symbol = digitsOf(kigou, 'kigou');
  const number = digitsOf(bangou, 'bangou');
  if (!/^[01]\d{4}$/.test(symbol)) {
    throw refuse('yucho_kigou_invalid', 'the Yucho kigou must be five digits starting with zero or one');
  }
  const branchStem = symbol.slice(1, 3);
  if (symbol.startsWith('1')) {
    if (!/^\d{1,8}$/.test(number)) {
      throw refuse('yucho_bangou_invalid', 'a Yucho general-account bangou must be one to eight digits');
    }
    const number8 = number.padStart(8, '0');
    return { bank_code: YUCHO_BANK_CODE, branch_code: `${branchStem}8`, type: '1', number: number8.slice(0, 7) };
  }
  if (!/^\d{1,6}$/.test(number)) {
    throw refuse('yucho_bangou_invalid', 'a Yucho transfer-account bangou must be one to six digits');
  }
  return { bank_code: YUCHO_BANK_CODE, branch_code: `${branchStem}9`, type: '2', number: number.padStart(7, '0') };
}

const KANJI = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const KANA = ['ゼロ', 'イチ', 'ニ', 'サン', 'ヨン', 'ゴ', 'ロク', 'ナナ', 'ハチ', 'キユウ'] as const;

/** The name of a ゆうちょ transfer branch. */
export interface YuchoBranchName {
  /** Kanji numerals read digit by digit, e.g. `四〇八` (shown as 四〇八店). */
  readonly kanji: string;
  /** Katakana reading, digit by digit and with large kana as in Zengin, e.g. `ヨンゼロハチ`, `ゼロゴキユウ`. */
  readonly kana: string;
}

/**
 * The branch name of a ゆうちょ transfer branch code (`408` → 四〇八 / ヨンゼロハチ): each digit as a
 * kanji numeral and its reading, per [sanmai]'s `getBranchName`/`getBranchNameKana` and their tests
 * (四〇八 ヨンゼロハチ, 五一八 ゴイチハチ, 〇五九 ゼロゴキユウ, 〇一九 ゼロイチキユウ). Only codes that
 * {@link yuchoToZengin} can produce (ending in 8 or 9) are accepted.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) with reason `yucho_branch_invalid`, or when `branchCode`
 *   is not a string.
 * @example yuchoBranchName('408') // { kanji: '四〇八', kana: 'ヨンゼロハチ' }
 * @see spec/09-account.md SHO-ACCT-5, japan.md §4 [sanmai]
 */
export function yuchoBranchName(branchCode: string): YuchoBranchName {
  const code = digitsOf(branchCode, 'branchCode');
  if (!/^\d{2}[89]$/.test(code)) {
    throw refuse('yucho_branch_invalid', 'a Yucho transfer branch code is three digits ending in eight or nine');
  }
  const digits = Array.from(code, Number);
  return { kanji: digits.map((d) => KANJI[d]).join(''), kana: digits.map((d) => KANA[d]).join('') };
}
