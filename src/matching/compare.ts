/**
 * Comparison of what a relying party knows about a customer with what the bank holds (spec/09-account.md,
 * SHO-MATCH; japan.md R1–R12). Runs on the side that holds both data sets, normally the bank.
 *
 * R12: a name match — above all a kana match — is a signal, not proof of identity. Account names are
 * kana only, so matching is a lossy reading match (homophones, ヲ/オ, ヂ/ジ); only the bank holds the
 * verified kanji–kana pair, and its assertion must carry the verified `name_kana` with the kanji `name`.
 * `close_match` exists so that a policy can send doubtful cases to review instead of accepting them.
 *
 * The default rules are those of spec/09-account.md §9.3 (SHO-MATCH-14, -16, -17, -18). `fuzzy: true`
 * adds judgement rules (not in the spec, so a bank that enables them must say so to its relying parties):
 * swapped name order and one edit on keys of ≥ 4 characters become `close_match`, kanji names get the kana
 * comparator, and addresses are normalised down to block numbers (丁目/番地/号 → `-`).
 *
 * None of these functions throws on odd values (they answer `no_match`), and none logs or echoes them.
 */
import { invalidArgument } from '../errors/shomei-error.js';
import { matchKey, type MatchKey } from './kana.js';
import type { IdentityData, IdentityMatch, MatchResult } from './types.js';

const sameParts = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((part, i) => part === b[i]);

/** R11: the surname/given split counts only when both sides have one. */
const splitAgrees = (a: MatchKey, b: MatchKey): boolean =>
  a.parts === undefined || b.parts === undefined || sameParts(a.parts, b.parts);

/** The same parts in another order (タロウ ヤマダ / ヤマダ タロウ, or ヤマダタロウ unsplit on one side). */
function reordered(a: MatchKey, b: MatchKey): boolean {
  if (a.parts !== undefined && b.parts !== undefined) {
    return sameParts([...a.parts].sort(), [...b.parts].sort());
  }
  const split = a.parts ?? b.parts;
  const whole = a.parts === undefined ? a.key : b.key;
  if (split === undefined) return false;
  for (let shift = 1; shift < split.length; shift += 1) {
    if ([...split.slice(shift), ...split.slice(0, shift)].join('') === whole) return true;
  }
  return false;
}

/** Levenshtein distance ≤ 1, on code points. */
function withinOneEdit(a: string, b: string): boolean {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i += 1;
  const rest = (from: string[], skip: number): string => from.slice(i + skip).join('');
  if (x.length === y.length) return rest(x, 1) === rest(y, 1);
  return x.length > y.length ? rest(x, 1) === rest(y, 0) : rest(x, 0) === rest(y, 1);
}

/** `start` (前株) and `end`/`middle` (後株, possibly followed by an office) name different registrations. */
const formSide = (key: MatchKey): string | undefined =>
  key.corporatePosition === undefined ? undefined : key.corporatePosition === 'start' ? 'start' : 'end';

/** Shortest key on which one edit still counts as `close_match` (judgement; see {@link compareName}). */
const EDIT_MIN_LENGTH = 4;

/** Options of the comparators. */
export interface CompareOptions {
  /**
   * Add the judgement rules described in this module's header (default `false`: spec/09-account.md
   * §9.3 exactly). `close_match` from them must lead to review, never to acceptance.
   */
  readonly fuzzy?: boolean;
}

/**
 * Compares two kana names (`ﾔﾏﾀﾞ ﾀﾛｳ`, `やまだ たろう`) on their {@link matchKey}s — the `name_kana`
 * rule, SHO-MATCH-14.
 *
 * - `match`: keys equal without R4, the same corporate form on the same side (or none on either), and the
 *   same surname/given split when both sides have one (R11: a split on one side only is ignored).
 * - `close_match`: equal only through the R4 equivalences (ヲ=オ, ヂ=ジ, ヅ=ズ, ヰ=イ, ヱ=エ); through a
 *   corporate form that one side lacks, that differs (ユ vs カ, a company converted from 有限会社) or that
 *   sits on the other side (前株 vs 後株 are different registrations); or through a differing split.
 * - `no_match`: anything else, including an empty key on either side.
 *
 * With `fuzzy: true` (judgement, not in the spec), also `close_match`: the same parts in another order
 * (surname/given swapped) and one edit apart on keys of at least 4 characters (ヤマサキ/ヤマザキ). The
 * latter also pairs タロウ with ジロウ, which is why it is opt-in and leads to review only.
 *
 * R12 (SHO-MATCH-13): a kana match is a signal, not proof of identity.
 *
 * @example compareName('ﾔﾏﾀﾞ ﾀﾛｳ', 'やまだ たろう') // 'match'
 * @example compareName('ヤマダ カヲル', 'ﾔﾏﾀﾞ ｶｵﾙ') // 'close_match' (R4)
 * @see spec/09-account.md SHO-MATCH-14, SHO-MATCH-5, -9, -12, -13
 */
export function compareName(a: string, b: string, options: CompareOptions = {}): MatchResult {
  if (typeof a !== 'string' || typeof b !== 'string') return 'no_match';
  const strictA = matchKey(a, { equivalences: false });
  const strictB = matchKey(b, { equivalences: false });
  if (strictA.key === '' || strictB.key === '') return 'no_match';
  const sameForm = strictA.corporateForm === strictB.corporateForm && formSide(strictA) === formSide(strictB);
  if (sameForm && strictA.key === strictB.key && splitAgrees(strictA, strictB)) return 'match';
  const looseA = matchKey(a);
  const looseB = matchKey(b);
  if (looseA.key === looseB.key) return 'close_match';
  if (options.fuzzy !== true) return 'no_match';
  if (reordered(looseA, looseB)) return 'close_match';
  const shortest = Math.min(Array.from(looseA.key).length, Array.from(looseB.key).length);
  if (shortest >= EDIT_MIN_LENGTH && withinOneEdit(looseA.key, looseB.key)) return 'close_match';
  return 'no_match';
}

const squeeze = (text: string): string => text.normalize('NFKC').replace(/\s+/gu, '');

/**
 * Compares two kanji names — the `name` rule, SHO-MATCH-16: `match` when equal after NFKC and removal of
 * all white space, else `no_match`. Variant characters (髙/高) are not unified, so banks compare against
 * their registered form. With `fuzzy: true`, a pair that is not equal gets {@link compareName}'s verdict
 * (corporate forms, split, one edit) capped at `close_match`.
 *
 * @example compareKanjiName('山田　太郎', '山田太郎') // 'match'
 * @see spec/09-account.md SHO-MATCH-16
 */
export function compareKanjiName(a: string, b: string, options: CompareOptions = {}): MatchResult {
  if (typeof a !== 'string' || typeof b !== 'string') return 'no_match';
  const x = squeeze(a);
  if (x !== '' && x === squeeze(b)) return 'match';
  if (options.fuzzy !== true) return 'no_match';
  return compareName(a, b, options) === 'no_match' ? 'no_match' : 'close_match';
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const found = ISO_DATE.exec(value);
  if (found === null) return false;
  const year = Number(found[1]);
  const month = Number(found[2]);
  const day = Number(found[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one; UTC avoids any time-zone shift.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Compares two birthdates given as ISO 8601 calendar dates `YYYY-MM-DD` (the OpenID `birthdate` form).
 * `match` when both are valid dates and equal; `no_match` otherwise — including Japanese-era dates
 * (令和…), other formats, impossible dates (02-30) and non-strings. Never throws.
 *
 * @example compareBirthdate('1980-02-29', '1980-02-29') // 'match'
 * @see spec/09-account.md SHO-MATCH-17
 */
export function compareBirthdate(a: string, b: string): MatchResult {
  if (typeof a !== 'string' || typeof b !== 'string') return 'no_match';
  return isCalendarDate(a) && a === b ? 'match' : 'no_match';
}

/** A postal address as the relying party or the bank holds it. */
export type AddressData = NonNullable<IdentityData['address']>;

const KANJI_DIGITS: Readonly<Record<string, number>> = {
  〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const KANJI_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/** 二十三 → 23, 十五 → 15, 二〇三 → 203 (positional when no unit is written). */
function kanjiNumber(text: string): string {
  if (!/[十百千]/.test(text)) return Array.from(text, (c) => String(KANJI_DIGITS[c] ?? '')).join('');
  let total = 0;
  let digit = 0;
  for (const c of text) {
    const unit = KANJI_UNITS[c];
    if (unit === undefined) {
      digit = KANJI_DIGITS[c] ?? 0;
    } else {
      total += (digit === 0 ? 1 : digit) * unit;
      digit = 0;
    }
  }
  return String(total + digit);
}

const KANJI_NUMERAL = '[〇一二三四五六七八九十百千]+';
const BLOCK_MARK = '丁目|番地|番|号';

/**
 * NFKC, dashes → `-`, no spaces, kanji numerals of block numbers → digits, 丁目/番地/番/号 and の between
 * digits → `-`, and `-` kept only between digits. `一丁目二番三号`, `1丁目2-3` and `1-2-3` all become
 * `1-2-3`.
 */
function normalizeAddress(value: string): string {
  let text = value.normalize('NFKC').replace(/[\u30FC\u2010-\u2015\u2212\uFE63]/g, '-').replace(/\s+/gu, '');
  text = text.replace(new RegExp(`(${KANJI_NUMERAL})(?=${BLOCK_MARK})`, 'g'), (n) => kanjiNumber(n));
  text = text.replace(new RegExp(`(?<=(?:${BLOCK_MARK}|-)の?)(${KANJI_NUMERAL})$`), (n) => kanjiNumber(n));
  text = text.replace(new RegExp(BLOCK_MARK, 'g'), '-').replace(/(?<=[\d-])の(?=\d)/g, '-');
  return text.replace(/-+/g, '-').replace(/(?<!\d)-|-(?!\d)/g, '');
}

/** SHO-MATCH-18: postal codes compare as their digits only (`〒100-0005`, `１０００００５`). */
const postalDigits = (value: string): string => value.normalize('NFKC').replace(/\D/g, '');

const PREFECTURE = /^(?:東京都|北海道|京都府|大阪府|[^\d-]{2,3}県)/;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** `shorter` is `longer` cut at a block boundary (`…1-2` of `…1-2-3`, not `…1-2` of `…1-23`). */
function blockPrefix(shorter: string, longer: string): boolean {
  if (shorter.length >= longer.length || !longer.startsWith(shorter) || !/\d/.test(shorter)) return false;
  return !(isDigit(shorter.at(-1)) && isDigit(longer.charAt(shorter.length)));
}

/** The `fuzzy` comparison of formatted addresses (judgement). */
function compareBlocks(a: string, b: string): MatchResult {
  let x = normalizeAddress(a);
  let y = normalizeAddress(b);
  if (x === '' || y === '') return 'no_match';
  if (x === y) return 'match';
  // A prefecture written on one side only (東京都 is often left out) is not a difference in place.
  if (PREFECTURE.test(x) !== PREFECTURE.test(y)) {
    x = x.replace(PREFECTURE, '');
    y = y.replace(PREFECTURE, '');
    if (x === y) return 'close_match';
  }
  return blockPrefix(x, y) || blockPrefix(y, x) ? 'close_match' : 'no_match';
}

function compareFormatted(a: string, b: string, fuzzy: boolean): MatchResult {
  if (fuzzy) return compareBlocks(a, b);
  const x = squeeze(a);
  return x !== '' && x === squeeze(b) ? 'match' : 'no_match';
}

/**
 * Compares two postal addresses — the `address` rule, SHO-MATCH-18. Each member (`postal_code`,
 * `formatted`) is compared when both sides hold it: postal codes as digits only, formatted addresses after
 * NFKC and removal of white space.
 *
 * - Both members compared: both equal → `match`; postal codes equal, formatted not → `close_match`;
 *   postal codes different → `no_match`.
 * - One member compared: its result (`match` when equal, else `no_match`).
 * - Nothing comparable → `no_match`.
 *
 * With `fuzzy: true` (judgement), formatted addresses are normalised further (dashes; 丁目/番地/番/号 and
 * kanji block numbers → `1-2-3`) and one cut from the other at a block boundary (`丸の内1-2` vs
 * `丸の内1-2-3 ビル5F`), or equal but for a prefecture written on one side only, is `close_match`.
 *
 * @example compareAddress({ postal_code: '100-0005', formatted: '東京都千代田区丸の内1-2-3' }, { postal_code: '1000005', formatted: '東京都千代田区丸の内１－２－３' }) // 'match'
 * @see spec/09-account.md SHO-MATCH-18
 */
export function compareAddress(a: AddressData, b: AddressData, options: CompareOptions = {}): MatchResult {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return 'no_match';
  let postal: boolean | undefined;
  if (typeof a.postal_code === 'string' && typeof b.postal_code === 'string') {
    const x = postalDigits(a.postal_code);
    postal = x !== '' && x === postalDigits(b.postal_code);
  }
  let formatted: MatchResult | undefined;
  if (typeof a.formatted === 'string' && typeof b.formatted === 'string') {
    formatted = compareFormatted(a.formatted, b.formatted, options.fuzzy === true);
  }
  if (postal === undefined) return formatted ?? 'no_match';
  if (!postal) return 'no_match';
  return formatted === undefined || formatted === 'match' ? 'match' : 'close_match';
}

/**
 * Compares, attribute by attribute, what the relying party sent (`rp`) with the bank's verified record
 * (`bank`): `name` with {@link compareKanjiName} (SHO-MATCH-16), `name_kana` with {@link compareName}
 * (SHO-MATCH-14), `birthdate` with {@link compareBirthdate} (SHO-MATCH-17), `address` with
 * {@link compareAddress} (SHO-MATCH-18). The result has a member for each attribute present on the RP side
 * and for no other (SHO-MATCH-15); one the bank does not hold is `no_match` (it cannot confirm it). Kanji
 * are never compared with kana (SHO-MATCH-13: only the bank knows the verified reading), and the result
 * never carries the bank's values (SHO-MATCH-19).
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) when `rp` or `bank` is not an object.
 * @example compareIdentity({ name_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' }, { name: '山田 太郎', name_kana: 'ヤマダ タロウ' }) // { name_kana: 'match' }
 * @see spec/09-account.md SHO-MATCH-15, SHO-MATCH-19
 */
export function compareIdentity(rp: IdentityData, bank: IdentityData, options: CompareOptions = {}): IdentityMatch {
  if (typeof rp !== 'object' || rp === null) throw invalidArgument('rp must be an object');
  if (typeof bank !== 'object' || bank === null) throw invalidArgument('bank must be an object');
  const result: IdentityMatch = {};
  if (rp.name !== undefined) {
    result.name = bank.name === undefined ? 'no_match' : compareKanjiName(rp.name, bank.name, options);
  }
  if (rp.name_kana !== undefined) {
    result.name_kana = bank.name_kana === undefined ? 'no_match' : compareName(rp.name_kana, bank.name_kana, options);
  }
  if (rp.birthdate !== undefined) {
    result.birthdate = bank.birthdate === undefined ? 'no_match' : compareBirthdate(rp.birthdate, bank.birthdate);
  }
  if (rp.address !== undefined) {
    result.address = bank.address === undefined ? 'no_match' : compareAddress(rp.address, bank.address, options);
  }
  return result;
}
