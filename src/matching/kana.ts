/**
 * Name normalisation for Zengin account names and for identity matching (spec/09-account.md, SHO-MATCH;
 * japan.md "Name normalization, in order", R1–R12).
 *
 * Core module: Web APIs only (String.prototype.normalize).
 */
import { invalidArgument } from '../errors/shomei-error.js';
import {
  findCorporateForm,
  findOfficeMarker,
  stripBranchSuffix,
  type FormMatch,
  type FormPosition,
} from './corporate-forms.js';

/** R10: the characters a Zengin transfer name may contain. */
const ZENGIN_NAME = /^[()\-,./0-9A-Zｦ-ﾟ ]+$/;
/** R10: C(30) recipient-name field of the 総合振込 record [zenfmt]; ﾞ and ﾟ are one character each. */
const ZENGIN_NAME_MAX = 30;

/**
 * R5: ー ｰ － ‐ – — and U+2212 become `-`. ｰ and － are already ー and `-` after NFKC; U+2011 (NFKC → U+2010),
 * U+2012 and U+2015 are the same dashes in other fonts and are folded too, as the cited converter does.
 */
const DASHES = /[\u30FC\u2010-\u2015\u2212]/g;

/** R3: small kana → large (ァィゥェォッャュョヮ ヵヶ). */
const SMALL_TO_LARGE: Readonly<Record<string, string>> = {
  ァ: 'ア', ィ: 'イ', ゥ: 'ウ', ェ: 'エ', ォ: 'オ', ッ: 'ツ', ャ: 'ヤ', ュ: 'ユ', ョ: 'ヨ', ヮ: 'ワ', ヵ: 'カ', ヶ: 'ケ',
};
const SMALL_KANA = /[ァィゥェォッャュョヮヵヶ]/g;

/** R4: spellings that sound alike and are treated as equal for matching only. */
const EQUIVALENT: Readonly<Record<string, string>> = { ヲ: 'オ', ヂ: 'ジ', ヅ: 'ズ', ヰ: 'イ', ヱ: 'エ' };
const EQUIVALENT_KANA = /[ヲヂヅヰヱ]/g;

/** Full-width katakana (after NFD, so without voiced marks) → half-width, for `toZenginName`. */
const HALF_WIDTH: Readonly<Record<string, string>> = (() => {
  const full = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン';
  const half = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ';
  const table: Record<string, string> = {};
  for (let i = 0; i < full.length; i += 1) table[full.charAt(i)] = half.charAt(i);
  // ヲ → ｵ as the cited converter does [isshiki] (japan.md §4); ヰ ヱ have no half-width form.
  table['ヲ'] = 'ｵ';
  table['ヰ'] = 'ｲ';
  table['ヱ'] = 'ｴ';
  table['\u3099'] = 'ﾞ';
  table['\u309A'] = 'ﾟ';
  return table;
})();

/** SHO-MATCH-11: the converter's refusal is a caller-side TypeError, with a machine-readable reason. */
function notRepresentable(message: string): TypeError {
  return Object.assign(invalidArgument(message), { reason: 'not_zengin_representable' });
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidArgument(`${name} must be a string`);
  return value;
}

const collapseSpaces = (text: string): string => text.replace(/\s+/gu, ' ').trim();

/**
 * R1, R2, R3, R5, R7 and whitespace folding; R6 is left to the callers because `.` delimits corporate
 * abbreviations (R8) and is a legal Zengin character (R10).
 */
function fold(input: string): string {
  // R1: NFKC turns the spacing marks ゛ ゜ into a space plus the combining mark, so カ゛ would never
  // become ガ; map them to the combining marks first [japan.md §4 "NFKC is not enough"].
  let text = input.replace(/\u309B/g, '\u3099').replace(/\u309C/g, '\u309A');
  // R1 + R7: NFKC composes ｶﾞ → ガ and folds full-width Latin, digits, （）, and the full-width space.
  text = text.normalize('NFKC');
  // R2: hiragana ぁ–ゖ and the iteration marks ゝゞ sit exactly 0x60 below their katakana.
  text = text.replace(/[\u3041-\u3096\u309D\u309E]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
  // R3, then recompose: a mark that followed a hiragana base without a precomposed form (わ゛) composes
  // only now that the base is katakana (ヷ).
  text = text.replace(SMALL_KANA, (c) => SMALL_TO_LARGE[c] ?? c).normalize('NFC');
  text = text.replace(DASHES, '-'); // R5
  text = text.replace(/[a-z]/g, (c) => c.toUpperCase()); // R7 (ASCII only: no ß → SS surprises)
  return collapseSpaces(text);
}

/** R6: ・ and `.` become a space; runs of spaces collapse; the ends are trimmed. */
const applyR6 = (text: string): string => collapseSpaces(text.replace(/[・.]/g, ' '));

/**
 * The canonical full-width katakana form used for comparison, rules R1–R3 and R5–R7 of japan.md:
 * R1 ゛ ゜ (U+309B/C) → combining marks, NFKC, recomposition (`ｶﾞ` `カ゛` → ガ, `ウ゛` → ヴ);
 * R2 hiragana → katakana; R3 small kana → large (ァィゥェォッャュョヮ ヵヶ); R5 ー ｰ － ‐ – — − → `-`;
 * R6 ・ and `.` → space, spaces collapsed and trimmed; R7 Latin upper case, full-width Latin and digits to
 * ASCII. Kanji pass through unchanged. R4 (equivalences) is not applied: see {@link matchKey}.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) when `input` is not a string.
 * @example normalizeKana('ｷﾕｳﾖ ﾀﾛｰ') // 'キユウヨ タロ-'
 * @example normalizeKana('やまだ・たろう') // 'ヤマダ タロウ'
 * @see spec/09-account.md SHO-MATCH-1 to SHO-MATCH-8, japan.md R1–R7
 */
export function normalizeKana(input: string): string {
  return applyR6(fold(requireString(input, 'input')));
}

/** Options of {@link toZenginName}. */
export interface ZenginNameOptions {
  /**
   * Replace corporate-form and office words by their abbreviations by position (`株式会社ヤマダ` →
   * `ｶ)ﾔﾏﾀﾞ`, `ﾔﾏﾀﾞ(ｶ`, `ﾔﾏﾀﾞ(ｶ)ﾁﾊﾞｼﾃﾝ`), as Zengin names are written [keiyo, isshiki]. Default `true`.
   */
  readonly abbreviate?: boolean;
}

function abbreviate(match: FormMatch): string {
  const { before, after, form } = match;
  if (before === '' && after === '') return form.abbreviation;
  if (match.position === 'start') return `${form.abbreviation})${after}`;
  if (match.position === 'end') return `${before}(${form.abbreviation}`;
  return `${before}(${form.abbreviation})${after}`;
}

/**
 * The Zengin transfer-name form of a name (R10): half-width katakana with ﾞ ﾟ as separate characters,
 * A–Z, 0–9, space and `( ) , - . /`; at most 30 characters, ﾞ and ﾟ counting one each.
 *
 * Folds as {@link normalizeKana} does (R1–R3, R5, R7), maps ・ to a space (banks refuse ・ and some refuse
 * `.` [zatsu1, keiyo]; a space is accepted everywhere) but keeps `.`, writes ヲ as ｵ and ヴ as ｳﾞ
 * [isshiki], and abbreviates corporate forms by position unless `abbreviate: false`.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`, `reason: 'not_zengin_representable'`) when the result has a
 *   character outside the Zengin set (kanji, `!`, emoji…) or is longer than 30 characters — never a silent
 *   truncation (SHO-MATCH-11). The message never contains the name. Also a TypeError when `input` is not a
 *   string.
 * @example toZenginName('やまだ たろう') // 'ﾔﾏﾀﾞ ﾀﾛｳ'
 * @example toZenginName('カブシキガイシャ ヤマダ') // 'ｶ)ﾔﾏﾀﾞ'
 * @see spec/09-account.md SHO-MATCH-11, japan.md §4 and R10
 */
export function toZenginName(input: string, options: ZenginNameOptions = {}): string {
  let text = collapseSpaces(fold(requireString(input, 'input')).replace(/・/g, ' '));
  if (options.abbreviate !== false) {
    const corporate = findCorporateForm(text);
    if (corporate !== undefined) text = abbreviate(corporate);
    const office = findOfficeMarker(text);
    if (office !== undefined) text = abbreviate(office);
  }
  // NFD splits ガ into カ + U+3099 and ヴ into ウ + U+3099, so one table covers every voiced kana.
  const zengin = Array.from(text.normalize('NFD'), (c) => HALF_WIDTH[c] ?? c).join('');
  if (!ZENGIN_NAME.test(zengin)) throw notRepresentable('the name has characters that Zengin names cannot hold (R10)');
  if (zengin.length > ZENGIN_NAME_MAX) {
    throw notRepresentable('the name is longer than the thirty characters of a Zengin name (R10)');
  }
  return zengin;
}

/** The matching key of a name; see {@link matchKey}. */
export interface MatchKey {
  /** The name with corporate form, office and spaces removed (R8, R9, R11). */
  readonly key: string;
  /** The space-separated parts (surname, given name, …) when there are at least two (R11). */
  readonly parts?: readonly string[];
  /** The corporate form's abbreviation in full-width katakana (`カ`, `ユ`, `イ` …), when present (R8). */
  readonly corporateForm?: string;
  /** Where the corporate form stood; `middle` means an office or branch name followed it. */
  readonly corporatePosition?: FormPosition;
}

/** Options of {@link matchKey}. */
export interface MatchKeyOptions {
  /** Apply the R4 equivalences (ヲ=オ, ヂ=ジ, ヅ=ズ, ヰ=イ, ヱ=エ). Default `true`. */
  readonly equivalences?: boolean;
}

/**
 * The key two names are compared on: {@link normalizeKana}'s folding, then R8 (the corporate form is
 * found in any position, stripped and recorded in `corporateForm`; after a form in the middle,
 * `ﾔﾏﾀﾞ(ｶ)ﾁﾊﾞｼﾃﾝ`, the rest names an office and is dropped), R9 (営業所, 出張所, `(ｴｲ`, `(ｼﾕﾂ`
 * stripped; 支店/支社 suffixes stripped from corporate names), R6, R4 (unless `equivalences: false`)
 * and R11 (spaces removed from `key`; the split kept in `parts`).
 *
 * Works for kanji names too (NFKC, spaces, `株式会社`, `(株)`); kanji are not read into kana.
 * R9 limit: a place name written before 営業所 without a delimiter (`ﾄｳｷﾖｳ(ｴｲ`) stays in the key.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) when `input` is not a string.
 * @example matchKey('ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ') // { key: 'ヤマダシヨウジ', corporateForm: 'カ', corporatePosition: 'start' }
 * @example matchKey('やまだ　かをる') // { key: 'ヤマダカオル', parts: ['ヤマダ', 'カオル'] }
 * @see spec/09-account.md SHO-MATCH-5, -7, -9, -10, -12; japan.md R4, R6, R8, R9, R11
 */
export function matchKey(input: string, options: MatchKeyOptions = {}): MatchKey {
  let text = collapseSpaces(fold(requireString(input, 'input')).replace(/・/g, ' '));
  let corporateForm: string | undefined;
  let corporatePosition: FormPosition | undefined;
  const corporate = findCorporateForm(text);
  if (corporate !== undefined) {
    corporateForm = corporate.form.abbreviation;
    corporatePosition = corporate.position;
    text = corporate.position === 'middle' ? corporate.before : `${corporate.before} ${corporate.after}`;
  }
  const office = findOfficeMarker(text);
  if (office !== undefined) text = `${office.before} ${office.after}`;
  if (corporateForm !== undefined) text = stripBranchSuffix(text);
  text = applyR6(text);
  if (options.equivalences !== false) text = text.replace(EQUIVALENT_KANA, (c) => EQUIVALENT[c] ?? c);
  const parts = text === '' ? [] : text.split(' ');
  return {
    key: parts.join(''),
    ...(parts.length >= 2 ? { parts } : {}),
    ...(corporateForm !== undefined ? { corporateForm } : {}),
    ...(corporatePosition !== undefined ? { corporatePosition } : {}),
  };
}
