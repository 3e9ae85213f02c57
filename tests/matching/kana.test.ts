import { describe, expect, it } from 'vitest';
import { matchKey, normalizeKana, toZenginName } from '../../src/matching/kana.js';

describe('normalizeKana (japan.md R1–R3, R5–R7)', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['SHO-MATCH-2', 'ｶﾞｯｺｳ', 'ガツコウ'], // half-width with separate ﾞ, composed by NFKC
    ['SHO-MATCH-2', 'カ\u309B', 'ガ'], // spacing ゛ U+309B: NFKC alone would give カ + space + mark
    ['SHO-MATCH-2', 'ハ\u309Cン', 'パン'], // spacing ゜ U+309C
    ['SHO-MATCH-2', 'カ\u3099', 'ガ'], // combining mark recomposed
    ['SHO-MATCH-2', 'ウ\u3099ィ', 'ヴイ'], // ウ + mark → ヴ
    ['SHO-MATCH-2', 'ｳﾞｨｸﾄﾙ', 'ヴイクトル'],
    ['SHO-MATCH-2', 'わ゛', 'ヷ'], // no hiragana precomposed form: composes only once katakana
    ['SHO-MATCH-3', 'やまだ たろう', 'ヤマダ タロウ'],
    ['SHO-MATCH-3', 'う゛ぁいおりん', 'ヴアイオリン'],
    ['SHO-MATCH-4', 'キュウヨ', 'キユウヨ'],
    ['SHO-MATCH-4', 'ｷﾕｳﾖ', 'キユウヨ'],
    ['SHO-MATCH-4', 'ｷｭｳﾖ', 'キユウヨ'],
    ['SHO-MATCH-4', 'ァィゥェォッャュョヮヵヶ', 'アイウエオツヤユヨワカケ'],
    ['SHO-MATCH-4', 'ぁゕゖ', 'アカケ'],
    ['SHO-MATCH-6', 'タロー', 'タロ-'],
    ['SHO-MATCH-6', 'ﾀﾛｰ', 'タロ-'],
    ['SHO-MATCH-6', 'タロ－', 'タロ-'],
    ['SHO-MATCH-6', 'タロ‐', 'タロ-'],
    ['SHO-MATCH-6', 'タロ–', 'タロ-'],
    ['SHO-MATCH-6', 'タロ—', 'タロ-'],
    ['SHO-MATCH-6', 'タロ\u2212', 'タロ-'],
    ['SHO-MATCH-7', 'ヤマダ・タロウ', 'ヤマダ タロウ'],
    ['SHO-MATCH-7', 'ﾔﾏﾀﾞ･ﾀﾛｳ', 'ヤマダ タロウ'],
    ['SHO-MATCH-7', 'ヤマダ. タロウ', 'ヤマダ タロウ'],
    ['SHO-MATCH-7', '  ﾔﾏﾀﾞ \u3000  ﾀﾛｳ  ', 'ヤマダ タロウ'],
    ['SHO-MATCH-8', 'Ｙａｍａｄａ　ｔａｒｏ', 'YAMADA TARO'],
    ['SHO-MATCH-8', 'abc１２３', 'ABC123'],
    ['SHO-MATCH-8', 'straße', 'STRAßE'], // only ASCII letters change case
  ];
  for (const [id, input, expected] of cases) {
    it(`${id}: ${JSON.stringify(input)} → ${expected}`, () => {
      expect(normalizeKana(input)).toBe(expected);
    });
  }

  it('SHO-MATCH-5: keeps ヲ ヂ ヅ ヰ ヱ (R4 is for matching keys only)', () => {
    expect(normalizeKana('ヲヂヅヰヱ')).toBe('ヲヂヅヰヱ');
  });

  it('SHO-MATCH-2: leaves kanji alone', () => {
    expect(normalizeKana('山田　太郎')).toBe('山田 太郎');
  });

  it('SHO-MATCH-2: refuses a non-string with ERR_INVALID_ARG_VALUE', () => {
    expect(() => normalizeKana(42 as unknown as string)).toThrow(TypeError);
    let caught: unknown;
    try {
      normalizeKana(undefined as unknown as string);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
  });
});

describe('toZenginName (japan.md §4, R10)', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['SHO-MATCH-11', 'やまだ たろう', 'ﾔﾏﾀﾞ ﾀﾛｳ'],
    ['SHO-MATCH-11', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ﾔﾏﾀﾞ ﾀﾛｳ'], // idempotent
    ['SHO-MATCH-11', 'キュウヨ', 'ｷﾕｳﾖ'], // no small kana
    ['SHO-MATCH-11', 'カ\u309Bクト', 'ｶﾞｸﾄ'],
    ['SHO-MATCH-11', 'ヴィクトル', 'ｳﾞｲｸﾄﾙ'], // ヴ → ｳﾞ
    ['SHO-MATCH-11', 'カヲル', 'ｶｵﾙ'], // ヲ → ｵ
    ['SHO-MATCH-11', 'パーク', 'ﾊﾟ-ｸ'],
    ['SHO-MATCH-11', 'ヤマダ・タロウ', 'ﾔﾏﾀﾞ ﾀﾛｳ'], // ・ is never a Zengin character
    ['SHO-MATCH-11', 'ｶ.ﾔﾏﾀﾞ', 'ｶ)ﾔﾏﾀﾞ'],
    ['SHO-MATCH-11', 'yamada-taro/1', 'YAMADA-TARO/1'],
    ['SHO-MATCH-11', '（ヤマダ）', '(ﾔﾏﾀﾞ)'],
    ['SHO-MATCH-9', 'カブシキガイシャ ヤマダ', 'ｶ)ﾔﾏﾀﾞ'],
    ['SHO-MATCH-9', 'ヤマダ カブシキガイシャ', 'ﾔﾏﾀﾞ(ｶ'],
    ['SHO-MATCH-9', 'ヤマダカブシキガイシャチバシテン', 'ﾔﾏﾀﾞ(ｶ)ﾁﾊﾞｼﾃﾝ'],
    ['SHO-MATCH-9', '株式会社ヤマダ', 'ｶ)ﾔﾏﾀﾞ'],
    ['SHO-MATCH-9', '㈲ヤマダ', 'ﾕ)ﾔﾏﾀﾞ'],
    ['SHO-MATCH-9', 'ゴウドウガイシャ ヤマダ', 'ﾄﾞ)ﾔﾏﾀﾞ'],
    ['SHO-MATCH-10', 'ヤマダ カブシキガイシヤ トウキヨウエイギヨウシヨ', 'ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳ(ｴｲ'],
  ];
  for (const [id, input, expected] of cases) {
    it(`${id}: ${JSON.stringify(input)} → ${expected}`, () => {
      expect(toZenginName(input)).toBe(expected);
    });
  }

  it('SHO-MATCH-9: keeps corporate words spelled out with abbreviate: false', () => {
    expect(toZenginName('カブシキガイシャ ヤマダ', { abbreviate: false })).toBe('ｶﾌﾞｼｷｶﾞｲｼﾔ ﾔﾏﾀﾞ');
  });

  it('SHO-MATCH-11: accepts exactly 30 characters, ﾞ counting one each', () => {
    expect(toZenginName('ガ'.repeat(15))).toHaveLength(30);
    expect(toZenginName('A'.repeat(30))).toBe('A'.repeat(30));
  });

  const refused: readonly (readonly [string, string])[] = [
    ['31 characters', 'A'.repeat(31)],
    ['16 voiced kana = 32 characters', 'ガ'.repeat(16)],
    ['kanji', '山田太郎'],
    ['a character outside the set', 'ヤマダ!'],
    ['an emoji', 'ヤマダ😊'],
    ['an empty name', ''],
    ['only spaces and ・', ' ・ '],
  ];
  for (const [what, input] of refused) {
    it(`SHO-MATCH-11: refuses ${what} with a TypeError (reason not_zengin_representable), name not in the message`, () => {
      let caught: unknown;
      try {
        toZenginName(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TypeError);
      const error = caught as TypeError & { code?: string; reason?: string };
      expect(error.code).toBe('ERR_INVALID_ARG_VALUE');
      expect(error.reason).toBe('not_zengin_representable');
      if (input.trim() !== '') expect(error.message).not.toContain(input);
      expect(error.message).not.toMatch(/[ｦ-ﾟァ-ヺ山田]/);
    });
  }

  it('SHO-MATCH-11: never truncates a long name', () => {
    expect(() => toZenginName('ヤマダ'.repeat(11))).toThrow(TypeError);
  });
});

describe('matchKey (R4, R8, R9, R11)', () => {
  it('SHO-MATCH-5: applies ヲ=オ ヂ=ジ ヅ=ズ ヰ=イ ヱ=エ by default', () => {
    expect(matchKey('ヲヂヅヰヱ').key).toBe('オジズイエ');
    expect(matchKey('ヲヂヅヰヱ', { equivalences: false }).key).toBe('ヲヂヅヰヱ');
  });

  it('SHO-MATCH-12: removes spaces from the key and keeps the split in parts', () => {
    expect(matchKey('やまだ　かをる')).toEqual({ key: 'ヤマダカオル', parts: ['ヤマダ', 'カオル'] });
    expect(matchKey('ﾔﾏﾀﾞﾀﾛｳ')).toEqual({ key: 'ヤマダタロウ' });
  });

  const corporate: readonly (readonly [string, string, string, string])[] = [
    ['start', 'ｶ)ﾔﾏﾀﾞ', 'ヤマダ', 'カ'],
    ['start, parenthesised', '(ｶ)ﾔﾏﾀﾞ', 'ヤマダ', 'カ'],
    ['start, dot as seen in the wild', 'ｶ.ﾔﾏﾀﾞ', 'ヤマダ', 'カ'],
    ['end', 'ﾔﾏﾀﾞ(ｶ', 'ヤマダ', 'カ'],
    ['end, closed', 'ﾔﾏﾀﾞ(ｶ)', 'ヤマダ', 'カ'],
    ['middle, office name dropped', 'ﾔﾏﾀﾞ(ｶ)ﾁﾊﾞｼﾃﾝ', 'ヤマダ', 'カ'],
    ['full word in kana', 'ｶﾌﾞｼｷｶﾞｲｼﾔ ﾔﾏﾀﾞ', 'ヤマダ', 'カ'],
    ['full word in hiragana with small kana', 'やまだかぶしきがいしゃ', 'ヤマダ', 'カ'],
    ['full word in kanji', '株式会社 山田商事', '山田商事', 'カ'],
    ['kanji abbreviation ㈱', '山田商事㈱', '山田商事', 'カ'],
    ['有限', 'ﾕ)ﾔﾏﾀﾞ', 'ヤマダ', 'ユ'],
    ['longest word first', '医療法人社団山田会', '山田会', 'イ'],
    ['two-letter abbreviation', 'ｻﾞｲ)ﾔﾏﾀﾞｷﾈﾝｶｲ', 'ヤマダキネンカイ', 'ザイ'],
    ['NPO', 'ﾄｸﾋ)ﾔﾏﾀﾞﾉｶｲ', 'ヤマダノカイ', 'トクヒ'],
  ];
  for (const [where, input, key, form] of corporate) {
    it(`SHO-MATCH-9: strips and records a corporate form (${where})`, () => {
      const result = matchKey(input);
      expect(result.key).toBe(key);
      expect(result.corporateForm).toBe(form);
    });
  }

  it('SHO-MATCH-9: records the position of the form', () => {
    expect(matchKey('ｶ)ﾔﾏﾀﾞ').corporatePosition).toBe('start');
    expect(matchKey('ﾔﾏﾀﾞ(ｶ').corporatePosition).toBe('end');
    expect(matchKey('ﾔﾏﾀﾞ(ｶ)ﾁﾊﾞｼﾃﾝ').corporatePosition).toBe('middle');
  });

  it('SHO-MATCH-9: does not take a bare カ for 株式会社 (何 is read カ)', () => {
    expect(matchKey('ｶ ﾔﾏﾀﾞ')).toEqual({ key: 'カヤマダ', parts: ['カ', 'ヤマダ'] });
    expect(matchKey('ﾔﾏﾀﾞ ｼ').corporateForm).toBeUndefined();
  });

  it('SHO-MATCH-10: strips office markers and branch suffixes of corporate names', () => {
    expect(matchKey('ﾔﾏﾀﾞｼﾖｳｼﾞ(ｴｲ').key).toBe('ヤマダシヨウジ');
    expect(matchKey('ﾔﾏﾀﾞｼﾖｳｼﾞ(ｼﾕﾂ)').key).toBe('ヤマダシヨウジ');
    expect(matchKey('ヤマダシヨウジエイギヨウシヨ').key).toBe('ヤマダシヨウジ');
    expect(matchKey('山田商事出張所').key).toBe('山田商事');
    expect(matchKey('山田商事株式会社 千葉支店').key).toBe('山田商事');
    expect(matchKey('ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞｼﾃﾝ').key).toBe('ヤマダシヨウジ');
  });

  it('SHO-MATCH-10: leaves シテン on a person’s name', () => {
    expect(matchKey('ﾔﾏﾀﾞ ｼﾃﾝ').key).toBe('ヤマダシテン');
  });
});
