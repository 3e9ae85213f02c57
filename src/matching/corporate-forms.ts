/**
 * Corporate forms (法人略語) and office markers (営業所・出張所) in Zengin account names
 * (spec/09-account.md, SHO-MATCH; japan.md §4 and rules R8, R9).
 *
 * Every function here works on text that has already been through `normalizeKana`'s folding up to R7
 * (full-width katakana with large kana, ASCII `( ) . -`, upper-case Latin) but NOT yet R6, because `.` is
 * a delimiter of the abbreviations (`ｶ.ﾔﾏﾀﾞ` is seen in the wild). `matchKey` and `toZenginName` in
 * kana.ts are the public entry points that fold first; this file never imports kana.ts so that the two
 * stay free of cycles.
 */

/** Where a form sits in a name: `ｶ)ﾔﾏﾀﾞ` start, `ﾔﾏﾀﾞ(ｶ` end, `ﾔﾏﾀﾞ(ｶ)ﾁﾊﾞｼﾃﾝ` middle. */
export type FormPosition = 'start' | 'middle' | 'end';

/** One legal form or office kind, with its Zengin abbreviation and the full words it stands for. */
export interface LegalForm {
  /** The abbreviation in full-width katakana, the canonical value recorded by `matchKey` (e.g. `カ`). */
  readonly abbreviation: string;
  /** The abbreviation as written in a Zengin record (half-width, e.g. `ｶ`). */
  readonly zengin: string;
  /** The form's name in kanji, for people reading logs and tests. */
  readonly label: string;
  /**
   * Full words in folded form (kanji, katakana with large kana, and NFKC's `(株)` for `㈱` and `（株）`).
   * `ガイシヤ` and `カイシヤ` both occur for 会社.
   */
  readonly words: readonly string[];
  /**
   * `japan.md` for the forms listed in japan.md §4 [keiyo, joyo]; `isshiki` for further forms from the
   * public converter japan.md cites [isshiki]; `judgement` for the parenthesised kanji forms (`(株)`), which
   * are common in kanji names but not in either source.
   */
  readonly source: 'japan.md' | 'isshiki' | 'judgement';
}

/** What a search found: the form, where it sat, and the trimmed text on either side of it. */
export interface FormMatch {
  readonly form: LegalForm;
  readonly position: FormPosition;
  readonly before: string;
  readonly after: string;
}

const kaisha = (stem: string): string[] => [`${stem}ガイシヤ`, `${stem}カイシヤ`];

/**
 * The corporate forms of japan.md §4 (カ 株式 … ギヨ), then the further forms of the converter japan.md
 * cites [isshiki]. The Zengin spellings follow [isshiki] (`ﾄﾞ` for 合同, `ｷﾞﾖ` for 行政書士).
 */
export const CORPORATE_FORMS: readonly LegalForm[] = [
  { abbreviation: 'カ', zengin: 'ｶ', label: '株式会社', words: ['株式会社', '(株)', ...kaisha('カブシキ')], source: 'japan.md' },
  { abbreviation: 'ユ', zengin: 'ﾕ', label: '有限会社', words: ['有限会社', '(有)', ...kaisha('ユウゲン')], source: 'japan.md' },
  { abbreviation: 'メ', zengin: 'ﾒ', label: '合名会社', words: ['合名会社', '(名)', ...kaisha('ゴウメイ')], source: 'japan.md' },
  { abbreviation: 'シ', zengin: 'ｼ', label: '合資会社', words: ['合資会社', '(資)', ...kaisha('ゴウシ')], source: 'japan.md' },
  { abbreviation: 'ド', zengin: 'ﾄﾞ', label: '合同会社', words: ['合同会社', '(同)', ...kaisha('ゴウドウ')], source: 'japan.md' },
  {
    abbreviation: 'イ',
    zengin: 'ｲ',
    label: '医療法人',
    words: [
      '医療法人社団', '医療法人財団', '社会医療法人', '医療法人', '(医)',
      'イリヨウホウジンシヤダン', 'イリヨウホウジンザイダン', 'シヤカイイリヨウホウジン', 'イリヨウホウジン',
    ],
    source: 'japan.md',
  },
  {
    abbreviation: 'ザイ',
    zengin: 'ｻﾞｲ',
    label: '財団法人',
    words: [
      '一般財団法人', '公益財団法人', '財団法人', '(財)',
      'イツパンザイダンホウジン', 'コウエキザイダンホウジン', 'ザイダンホウジン',
    ],
    source: 'japan.md',
  },
  {
    abbreviation: 'シヤ',
    zengin: 'ｼﾔ',
    label: '社団法人',
    words: [
      '一般社団法人', '公益社団法人', '社団法人', '(社)',
      'イツパンシヤダンホウジン', 'コウエキシヤダンホウジン', 'シヤダンホウジン',
    ],
    source: 'japan.md',
  },
  { abbreviation: 'シユウ', zengin: 'ｼﾕｳ', label: '宗教法人', words: ['宗教法人', '(宗)', 'シユウキヨウホウジン'], source: 'japan.md' },
  { abbreviation: 'ガク', zengin: 'ｶﾞｸ', label: '学校法人', words: ['学校法人', '(学)', 'ガツコウホウジン'], source: 'japan.md' },
  { abbreviation: 'フク', zengin: 'ﾌｸ', label: '社会福祉法人', words: ['社会福祉法人', '(福)', 'シヤカイフクシホウジン'], source: 'japan.md' },
  { abbreviation: 'ソ', zengin: 'ｿ', label: '相互会社', words: ['相互会社', ...kaisha('ソウゴ')], source: 'japan.md' },
  {
    abbreviation: 'トクヒ',
    zengin: 'ﾄｸﾋ',
    label: '特定非営利活動法人',
    words: ['特定非営利活動法人', '(特非)', 'トクテイヒエイリカツドウホウジン'],
    source: 'japan.md',
  },
  // 地方独立行政法人 (isshiki, below) is longer and is tried first because words are searched longest first.
  { abbreviation: 'ドク', zengin: 'ﾄﾞｸ', label: '独立行政法人', words: ['独立行政法人', '(独)', 'ドクリツギヨウセイホウジン'], source: 'japan.md' },
  { abbreviation: 'ベン', zengin: 'ﾍﾞﾝ', label: '弁護士法人', words: ['弁護士法人', 'ベンゴシホウジン'], source: 'japan.md' },
  { abbreviation: 'ゼイ', zengin: 'ｾﾞｲ', label: '税理士法人', words: ['税理士法人', 'ゼイリシホウジン'], source: 'japan.md' },
  { abbreviation: 'シホウ', zengin: 'ｼﾎｳ', label: '司法書士法人', words: ['司法書士法人', 'シホウシヨシホウジン'], source: 'japan.md' },
  { abbreviation: 'ギヨ', zengin: 'ｷﾞﾖ', label: '行政書士法人', words: ['行政書士法人', 'ギヨウセイシヨシホウジン'], source: 'japan.md' },
  { abbreviation: 'ホゴ', zengin: 'ﾎｺﾞ', label: '更生保護法人', words: ['更生保護法人', 'コウセイホゴホウジン'], source: 'isshiki' },
  { abbreviation: 'チドク', zengin: 'ﾁﾄﾞｸ', label: '地方独立行政法人', words: ['地方独立行政法人', 'チホウドクリツギヨウセイホウジン'], source: 'isshiki' },
  { abbreviation: 'モク', zengin: 'ﾓｸ', label: '中期目標管理法人', words: ['中期目標管理法人', 'チユウキモクヒヨウカンリホウジン'], source: 'isshiki' },
  { abbreviation: 'ケン', zengin: 'ｹﾝ', label: '国立研究開発法人', words: ['国立研究開発法人', 'コクリツケンキユウカイハツホウジン'], source: 'isshiki' },
  { abbreviation: 'シツ', zengin: 'ｼﾂ', label: '行政執行法人', words: ['行政執行法人', 'ギヨウセイシツコウホウジン'], source: 'isshiki' },
  {
    abbreviation: 'チユウ',
    zengin: 'ﾁﾕｳ',
    label: '中間法人',
    words: ['有限責任中間法人', '無限責任中間法人', 'ユウゲンセキニンチユウカンホウジン', 'ムゲンセキニンチユウカンホウジン'],
    source: 'isshiki',
  },
  {
    abbreviation: 'ダイ',
    zengin: 'ﾀﾞｲ',
    label: '国公立大学法人',
    words: ['国立大学法人', '公立大学法人', 'コクリツダイガクホウジン', 'コウリツダイガクホウジン'],
    source: 'isshiki',
  },
  { abbreviation: 'ノウ', zengin: 'ﾉｳ', label: '農事組合法人', words: ['農事組合法人', 'ノウジクミアイホウジン'], source: 'isshiki' },
  { abbreviation: 'カンリ', zengin: 'ｶﾝﾘ', label: '管理組合法人', words: ['管理組合法人', 'カンリクミアイホウジン'], source: 'isshiki' },
  { abbreviation: 'ロウム', zengin: 'ﾛｳﾑ', label: '社会保険労務士法人', words: ['社会保険労務士法人', 'シヤカイホケンロウムシホウジン'], source: 'isshiki' },
];

/** Office kinds of japan.md §4 (`エイ` 営業所, `シユツ` 出張所), with the readings of [isshiki]. */
export const OFFICE_MARKERS: readonly LegalForm[] = [
  { abbreviation: 'エイ', zengin: 'ｴｲ', label: '営業所', words: ['営業所', 'エイギヨウシヨ', 'エイギヨウジヨ'], source: 'japan.md' },
  { abbreviation: 'シユツ', zengin: 'ｼﾕﾂ', label: '出張所', words: ['出張所', 'シユツチヨウシヨ', 'シユツチヨウジヨ'], source: 'japan.md' },
];

/**
 * Branch suffixes stripped by R9 at the end of a corporate name only: for a person, a name ending in
 * シテン is unlikely but not impossible, and stripping it would make two different names equal.
 */
export const BRANCH_SUFFIXES: readonly string[] = ['支店', '支社', 'シテン', 'シシヤ'];

interface Table {
  /** Full words, longest first, so that 医療法人社団 wins over 医療法人 at the same index. */
  readonly words: readonly (readonly [string, LegalForm])[];
  readonly start: RegExp;
  readonly end: RegExp;
  readonly middle: RegExp;
  readonly byAbbreviation: ReadonlyMap<string, LegalForm>;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function buildTable(forms: readonly LegalForm[]): Table {
  const words = forms
    .flatMap((form) => form.words.map((word) => [word, form] as const))
    .sort((a, b) => b[0].length - a[0].length);
  const abbreviations = forms
    .map((form) => form.abbreviation)
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
  // An abbreviation counts only next to its delimiters, so that a name such as カ or シ (何, 史) is never
  // mistaken for a form: start `ｶ)` `(ｶ)` `ｶ.`, end `(ｶ` `(ｶ)` `(ｶ.`, middle `(ｶ)`.
  return {
    words,
    start: new RegExp(`^\\(?(${abbreviations})[.)]`),
    end: new RegExp(`\\((${abbreviations})[.)]?$`),
    middle: new RegExp(`\\((${abbreviations})\\)`),
    byAbbreviation: new Map(forms.map((form) => [form.abbreviation, form])),
  };
}

const CORPORATE_TABLE = buildTable(CORPORATE_FORMS);
const OFFICE_TABLE = buildTable(OFFICE_MARKERS);

const trimBefore = (text: string): string => text.replace(/[\s(]+$/u, '').trim();
const trimAfter = (text: string): string => text.replace(/^[\s).]+/u, '').trim();

function matchAt(text: string, index: number, length: number, form: LegalForm): FormMatch {
  const before = trimBefore(text.slice(0, index));
  const after = trimAfter(text.slice(index + length));
  const position: FormPosition = before === '' ? 'start' : after === '' ? 'end' : 'middle';
  return { form, position, before, after };
}

function find(text: string, table: Table): FormMatch | undefined {
  const trimmed = text.trim();
  // Full words are unambiguous anywhere (R8 "any position"); the earliest one wins.
  let best: { index: number; word: string; form: LegalForm } | undefined;
  for (const [word, form] of table.words) {
    const index = trimmed.indexOf(word);
    if (index !== -1 && (best === undefined || index < best.index)) best = { index, word, form };
  }
  if (best !== undefined) return matchAt(trimmed, best.index, best.word.length, best.form);
  for (const pattern of [table.start, table.end, table.middle]) {
    const found = pattern.exec(trimmed);
    const form = found?.[1] === undefined ? undefined : table.byAbbreviation.get(found[1]);
    if (found !== null && form !== undefined) return matchAt(trimmed, found.index, found[0].length, form);
  }
  return undefined;
}

/**
 * Finds the corporate form in a folded name, in any position (R8): a full word (`株式会社`,
 * `カブシキガイシヤ`, `(株)`) anywhere, or an abbreviation next to its delimiters (`カ)ヤマダ`,
 * `ヤマダ(カ`, `ヤマダ(カ)チバシテン`, `(カ)ヤマダ`, `カ.ヤマダ`).
 *
 * @param folded Text folded by kana.ts up to R7 (not R6: `.` is still a delimiter).
 * @returns The first form found, or `undefined`.
 * @example findCorporateForm('ヤマダ(カ)チバシテン') // { form: カ, position: 'middle', before: 'ヤマダ', after: 'チバシテン' }
 * @see spec/09-account.md SHO-MATCH-9, japan.md R8
 */
export function findCorporateForm(folded: string): FormMatch | undefined {
  return find(folded, CORPORATE_TABLE);
}

/**
 * Finds an office marker (営業所, 出張所, or `(エイ`, `(シユツ` by position) in a folded name (R9).
 *
 * @param folded Text folded by kana.ts up to R7.
 * @example findOfficeMarker('ヤマダシヨウジトウキヨウ(エイ') // { form: エイ, position: 'end', ... }
 * @see spec/09-account.md SHO-MATCH-10, japan.md R9
 */
export function findOfficeMarker(folded: string): FormMatch | undefined {
  return find(folded, OFFICE_TABLE);
}

/**
 * Removes one trailing branch suffix (支店, 支社, シテン, シシヤ) from a corporate name (R9). Only call it
 * for names that carry a corporate form; see {@link BRANCH_SUFFIXES}.
 *
 * @example stripBranchSuffix('ヤマダシヨウジ チバシテン') // 'ヤマダシヨウジ チバ'
 * @see spec/09-account.md SHO-MATCH-10, japan.md R9
 */
export function stripBranchSuffix(folded: string): string {
  const trimmed = folded.trim();
  for (const suffix of BRANCH_SUFFIXES) {
    if (trimmed.length > suffix.length && trimmed.endsWith(suffix)) return trimmed.slice(0, -suffix.length).trim();
  }
  return trimmed;
}
