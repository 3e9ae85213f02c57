import { describe, expect, it } from 'vitest';
import { compareAddress, compareBirthdate, compareIdentity, compareKanjiName, compareName } from '../../src/matching/compare.js';
import type { IdentityData } from '../../src/matching/types.js';

type Case = readonly [string, string, string, 'match' | 'close_match' | 'no_match'];

describe('compareName (name_kana)', () => {
  const cases: readonly Case[] = [
    // match: equal without R4, same corporate form, compatible split
    ['SHO-MATCH-14', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'やまだ たろう', 'match'],
    ['SHO-MATCH-14', 'ｷﾕｳﾏ ﾘｮｳ', 'キュウマ リョウ', 'match'],
    ['SHO-MATCH-7', 'ヤマダ・タロウ', 'ヤマダ タロウ', 'match'],
    ['SHO-MATCH-6', 'ｻﾄｳ ﾀﾛｰ', 'サトウ タロ－', 'match'],
    ['SHO-MATCH-2', 'カ\u309Bトウ', 'ｶﾞﾄｳ', 'match'],
    ['SHO-MATCH-12', 'ﾔﾏﾀﾞﾀﾛｳ', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'match'], // split on one side only: ignored
    ['SHO-MATCH-8', 'SMITH JOHN', 'Ｓｍｉｔｈ　Ｊｏｈｎ', 'match'],
    ['SHO-MATCH-9', 'ｶ)ﾔﾏﾀﾞ', 'ｶﾌﾞｼｷｶﾞｲｼﾔ ﾔﾏﾀﾞ', 'match'], // same form, same side
    ['SHO-MATCH-10', 'ﾔﾏﾀﾞ(ｶ', 'ﾔﾏﾀﾞ(ｶ)ﾁﾊﾞｼﾃﾝ', 'match'], // office after a middle form dropped
    ['SHO-MATCH-10', 'ﾔﾏﾀﾞｼﾖｳｼﾞ(ｴｲ', 'ﾔﾏﾀﾞｼﾖｳｼﾞ', 'match'],
    // close_match
    ['SHO-MATCH-5', 'ヤマダ カヲル', 'ﾔﾏﾀﾞ ｶｵﾙ', 'close_match'],
    ['SHO-MATCH-5', 'ｱｲﾁ ﾁﾂﾞﾙ', 'アイチ チズル', 'close_match'],
    ['SHO-MATCH-5', 'ハナヂ', 'ハナジ', 'close_match'],
    ['SHO-MATCH-9', 'ｶ)ﾔﾏﾀﾞ', 'ﾔﾏﾀﾞ', 'close_match'], // form on one side only
    ['SHO-MATCH-9', 'ｶ)ﾔﾏﾀﾞ', 'ﾔﾏﾀﾞ(ｶ', 'close_match'], // 前株 vs 後株
    ['SHO-MATCH-9', 'ﾕ)ﾔﾏﾀﾞ', 'ｶ)ﾔﾏﾀﾞ', 'close_match'], // different form
    ['SHO-MATCH-12', 'ﾔﾏ ﾀﾞﾀﾛｳ', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'close_match'], // split elsewhere
    // no_match
    ['SHO-MATCH-14', 'ﾀﾛｳ ﾔﾏﾀﾞ', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'no_match'], // order swapped: close_match only when fuzzy
    ['SHO-MATCH-14', 'ﾔﾏｻｷ ﾀﾛｳ', 'ﾔﾏｻﾞｷ ﾀﾛｳ', 'no_match'], // one edit: close_match only when fuzzy
    ['SHO-MATCH-14', 'ｽｽﾞｷ ｲﾁﾛｳ', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'no_match'],
    ['SHO-MATCH-13', '山田 太郎', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'no_match'], // kanji are never read into kana
    ['SHO-MATCH-14', '', '', 'no_match'],
    ['SHO-MATCH-14', 'ｶ)', 'ｶ)', 'no_match'], // nothing but a form
    ['SHO-MATCH-14', ' ・ ', 'ﾔﾏﾀﾞ', 'no_match'],
  ];
  for (const [id, a, b, expected] of cases) {
    it(`${id}: ${a} vs ${b} → ${expected}`, () => {
      expect(compareName(a, b)).toBe(expected);
      expect(compareName(b, a)).toBe(expected); // symmetric
    });
  }

  const fuzzy: readonly Case[] = [
    ['SHO-MATCH-14', 'ﾀﾛｳ ﾔﾏﾀﾞ', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'close_match'], // order swapped
    ['SHO-MATCH-14', 'ﾀﾛｳﾔﾏﾀﾞ', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'close_match'], // swapped, unsplit on one side
    ['SHO-MATCH-14', 'ﾔﾏｻｷ ﾀﾛｳ', 'ﾔﾏｻﾞｷ ﾀﾛｳ', 'close_match'], // one edit, ≥ 4 characters
    ['SHO-MATCH-14', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ﾔﾏﾀﾞ ｼﾞﾛｳ', 'close_match'], // why fuzzy close_match must go to review
    ['SHO-MATCH-14', 'ｻﾄｳ', 'ｻｲﾄｳ', 'no_match'], // one edit, but only 3 characters
    ['SHO-MATCH-14', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ﾔﾏﾓﾄ ﾀﾛｳ', 'no_match'], // two edits
    ['SHO-MATCH-14', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'やまだ たろう', 'match'], // fuzzy never downgrades a match
  ];
  for (const [id, a, b, expected] of fuzzy) {
    it(`${id}: with fuzzy (judgement), ${a} vs ${b} → ${expected}`, () => {
      expect(compareName(a, b, { fuzzy: true })).toBe(expected);
      expect(compareName(b, a, { fuzzy: true })).toBe(expected);
    });
  }

  it('SHO-MATCH-14: answers no_match, without throwing, for non-strings', () => {
    expect(compareName(undefined as unknown as string, 'ﾔﾏﾀﾞ')).toBe('no_match');
    expect(compareName('ﾔﾏﾀﾞ', 7 as unknown as string)).toBe('no_match');
  });
});

describe('compareKanjiName (name)', () => {
  const cases: readonly Case[] = [
    ['SHO-MATCH-16', '山田 太郎', '山田太郎', 'match'],
    ['SHO-MATCH-16', '山田　太郎', '山田 太郎', 'match'], // full-width space (NFKC)
    ['SHO-MATCH-16', 'ＡＢＣ商事', 'ABC商事', 'match'],
    ['SHO-MATCH-16', '髙橋 太郎', '高橋 太郎', 'no_match'], // variants are not unified
    ['SHO-MATCH-16', '株式会社山田', '(株)山田', 'no_match'], // only NFKC and white space
    ['SHO-MATCH-16', '山田 太郎', '山田 次郎', 'no_match'],
    ['SHO-MATCH-16', '', '', 'no_match'],
  ];
  for (const [id, a, b, expected] of cases) {
    it(`${id}: ${a} vs ${b} → ${expected}`, () => {
      expect(compareKanjiName(a, b)).toBe(expected);
      expect(compareKanjiName(b, a)).toBe(expected);
    });
  }

  it('SHO-MATCH-16: with fuzzy (judgement), near names are close_match, never match', () => {
    expect(compareKanjiName('髙橋 太郎', '高橋 太郎', { fuzzy: true })).toBe('close_match');
    expect(compareKanjiName('株式会社山田', '(株)山田', { fuzzy: true })).toBe('close_match');
    expect(compareKanjiName('山田 太郎', '鈴木 一郎', { fuzzy: true })).toBe('no_match');
  });

  it('SHO-MATCH-16: answers no_match for non-strings', () => {
    expect(compareKanjiName(null as unknown as string, '山田')).toBe('no_match');
  });
});

describe('compareBirthdate', () => {
  const cases: readonly Case[] = [
    ['SHO-MATCH-17', '1980-02-29', '1980-02-29', 'match'],
    ['SHO-MATCH-17', '1980-01-02', '1980-02-01', 'no_match'],
    ['SHO-MATCH-17', '1981-02-29', '1981-02-29', 'no_match'], // not a calendar date
    ['SHO-MATCH-17', '1980-13-01', '1980-13-01', 'no_match'],
    ['SHO-MATCH-17', '1980-04-31', '1980-04-31', 'no_match'],
    ['SHO-MATCH-17', '0000-01-01', '0000-01-01', 'no_match'],
    ['SHO-MATCH-17', '昭和55年1月2日', '昭和55年1月2日', 'no_match'], // Japanese era: ISO only
    ['SHO-MATCH-17', 'S55.01.02', 'S55.01.02', 'no_match'],
    ['SHO-MATCH-17', '1980/01/02', '1980/01/02', 'no_match'],
    ['SHO-MATCH-17', '１９８０-０１-０２', '1980-01-02', 'no_match'],
    ['SHO-MATCH-17', '1980-01-02T00:00:00Z', '1980-01-02', 'no_match'],
    ['SHO-MATCH-17', '', '', 'no_match'],
  ];
  for (const [id, a, b, expected] of cases) {
    it(`${id}: ${a} vs ${b} → ${expected}`, () => {
      expect(compareBirthdate(a, b)).toBe(expected);
    });
  }

  it('SHO-MATCH-17: never throws on non-strings', () => {
    expect(compareBirthdate(null as unknown as string, '1980-01-02')).toBe('no_match');
    expect(compareBirthdate(19800102 as unknown as string, 19800102 as unknown as string)).toBe('no_match');
  });
});

describe('compareAddress', () => {
  type AddressCase = readonly [string, object, object, 'match' | 'close_match' | 'no_match'];
  const both = (postal_code: string, formatted: string) => ({ postal_code, formatted });
  const cases: readonly AddressCase[] = [
    ['both equal', both('100-0005', '東京都千代田区丸の内1-2-3'), both('1000005', '東京都 千代田区 丸の内 １-２-３'), 'match'],
    ['postal code forms', { postal_code: '〒100-0005' }, { postal_code: '１０００００５' }, 'match'],
    ['formatted only, equal', { formatted: '丸の内1-2-3' }, { formatted: '丸の内　1-2-3' }, 'match'],
    ['formatted differs', both('1000005', '東京都千代田区丸の内1-2-3'), both('1000005', '東京都千代田区丸の内1-2-4'), 'close_match'],
    ['formatted written otherwise', both('1000005', '丸の内一丁目2番3号'), both('1000005', '丸の内1-2-3'), 'close_match'],
    ['postal code differs', both('1000005', '丸の内1-2-3'), both('1000006', '丸の内1-2-3'), 'no_match'],
    ['postal code only, different', { postal_code: '1000005' }, { postal_code: '1000006' }, 'no_match'],
    ['formatted only, different', { formatted: '丸の内1-2-3' }, { formatted: '丸の内1-2-4' }, 'no_match'],
    ['nothing comparable', { formatted: '丸の内1-2-3' }, { postal_code: '1000005' }, 'no_match'],
    ['empty postal codes', { postal_code: '〒' }, { postal_code: '-' }, 'no_match'],
    ['empty', {}, {}, 'no_match'],
  ];
  for (const [what, a, b, expected] of cases) {
    it(`SHO-MATCH-18: ${what} → ${expected}`, () => {
      expect(compareAddress(a, b)).toBe(expected);
      expect(compareAddress(b, a)).toBe(expected);
    });
  }

  const f = (formatted: string) => ({ formatted });
  const fuzzy: readonly AddressCase[] = [
    ['kanji block numbers', f('東京都千代田区丸の内一丁目2番3号'), f('東京都千代田区丸の内1-2-3'), 'match'],
    ['full-width dashes', f('東京都千代田区丸の内１－２－３'), f('東京都千代田区丸の内1-2-3'), 'match'],
    ['番地 and の', f('大阪府大阪市北区梅田二丁目十五番地の三'), f('大阪府大阪市北区梅田2-15-3'), 'match'],
    ['prefix at block level', f('東京都千代田区丸の内1-2'), f('東京都千代田区丸の内1-2-3 ABCビル5F'), 'close_match'],
    ['building left out', f('東京都千代田区丸の内1-2-3'), f('東京都千代田区丸の内1-2-3ABCビル'), 'close_match'],
    ['prefecture left out', f('千代田区丸の内1-2-3'), f('東京都千代田区丸の内1-2-3'), 'close_match'],
    ['not a block boundary', f('東京都千代田区丸の内1-2'), f('東京都千代田区丸の内1-23'), 'no_match'],
    ['town only', f('東京都千代田区丸の内'), f('東京都千代田区丸の内1-2-3'), 'no_match'],
    ['different block', f('東京都千代田区丸の内1-2-3'), f('東京都千代田区丸の内1-2-4'), 'no_match'],
    ['postal codes still decide', both('1000005', '丸の内1-2-3'), both('1000006', '丸の内1-2-3'), 'no_match'],
    ['postal equal, block prefix', both('1000005', '丸の内1-2'), both('1000005', '丸の内1-2-3'), 'close_match'],
  ];
  for (const [what, a, b, expected] of fuzzy) {
    it(`SHO-MATCH-18: with fuzzy (judgement), ${what} → ${expected}`, () => {
      expect(compareAddress(a, b, { fuzzy: true })).toBe(expected);
      expect(compareAddress(b, a, { fuzzy: true })).toBe(expected);
    });
  }

  it('SHO-MATCH-18: never throws on odd values', () => {
    expect(compareAddress(null as unknown as object, {})).toBe('no_match');
    expect(compareAddress({ formatted: 3 } as unknown as object, { formatted: '3' })).toBe('no_match');
  });
});

describe('compareIdentity', () => {
  const bank: IdentityData = {
    name: '山田 太郎',
    name_kana: 'ヤマダ タロウ',
    birthdate: '1980-01-02',
    address: { postal_code: '1000005', formatted: '東京都千代田区丸の内1-2-3' },
  };

  it('SHO-MATCH-15: returns a result for every attribute the RP sent and for no other', () => {
    expect(compareIdentity({ name_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ' }, bank)).toEqual({ name_kana: 'match' });
    expect(
      compareIdentity(
        {
          name: '山田太郎',
          name_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ',
          birthdate: '1980-01-03',
          address: { postal_code: '100-0005', formatted: '千代田区丸の内一丁目2番3号' },
        },
        bank,
      ),
    ).toEqual({ name: 'match', name_kana: 'match', birthdate: 'no_match', address: 'close_match' });
    expect(compareIdentity({}, bank)).toEqual({});
  });

  it('SHO-MATCH-15: an attribute the bank does not hold is no_match', () => {
    expect(compareIdentity({ birthdate: '1980-01-02', name: '山田太郎' }, { name_kana: 'ヤマダ タロウ' })).toEqual({
      birthdate: 'no_match',
      name: 'no_match',
    });
  });

  it('SHO-MATCH-16: compares name as kanji (no kana rules) unless fuzzy', () => {
    expect(compareIdentity({ name: '髙橋 太郎' }, { name: '高橋 太郎' })).toEqual({ name: 'no_match' });
    expect(compareIdentity({ name: '髙橋 太郎' }, { name: '高橋 太郎' }, { fuzzy: true })).toEqual({ name: 'close_match' });
  });

  it('SHO-MATCH-19: carries results only, never the bank values', () => {
    const result = compareIdentity({ name: '山田太郎', name_kana: 'ﾔﾏﾀﾞ', birthdate: '1980-01-02', address: {} }, bank);
    expect(Object.values(result).every((v) => v === 'match' || v === 'close_match' || v === 'no_match')).toBe(true);
    expect(JSON.stringify(result)).not.toMatch(/山田|ヤマダ|1980|1000005/);
  });

  it('SHO-MATCH-13: never compares the RP kanji name with the bank kana', () => {
    expect(compareIdentity({ name: 'ヤマダ タロウ' }, { name_kana: 'ヤマダ タロウ' })).toEqual({ name: 'no_match' });
  });

  it('SHO-MATCH-15: refuses a non-object with ERR_INVALID_ARG_VALUE', () => {
    expect(() => compareIdentity(null as unknown as IdentityData, bank)).toThrow(TypeError);
    expect(() => compareIdentity({}, 'x' as unknown as IdentityData)).toThrow(TypeError);
  });
});
