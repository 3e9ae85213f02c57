import { describe, expect, it } from 'vitest';
import {
  CORPORATE_FORMS,
  OFFICE_MARKERS,
  findCorporateForm,
  findOfficeMarker,
  stripBranchSuffix,
} from '../../src/matching/corporate-forms.js';
import { normalizeKana, toZenginName } from '../../src/matching/kana.js';

describe('corporate-form table (japan.md §4 法人略語)', () => {
  it('SHO-MATCH-9: lists every abbreviation of japan.md §4', () => {
    const listed = CORPORATE_FORMS.filter((f) => f.source === 'japan.md').map((f) => f.abbreviation);
    expect(listed).toEqual([
      'カ', 'ユ', 'メ', 'シ', 'ド', 'イ', 'ザイ', 'シヤ', 'シユウ', 'ガク', 'フク', 'ソ', 'トクヒ', 'ドク',
      'ベン', 'ゼイ', 'シホウ', 'ギヨ',
    ]);
    expect(OFFICE_MARKERS.map((f) => f.abbreviation)).toEqual(['エイ', 'シユツ']);
  });

  it('SHO-MATCH-9: has unique abbreviations and words', () => {
    const all = [...CORPORATE_FORMS, ...OFFICE_MARKERS];
    expect(new Set(all.map((f) => f.abbreviation)).size).toBe(all.length);
    const words = all.flatMap((f) => f.words);
    expect(new Set(words).size).toBe(words.length);
  });

  for (const form of [...CORPORATE_FORMS, ...OFFICE_MARKERS]) {
    it(`SHO-MATCH-11: ${form.label} abbreviation ${form.abbreviation} is written ${form.zengin} in Zengin`, () => {
      expect(toZenginName(form.abbreviation, { abbreviate: false })).toBe(form.zengin);
    });

    it(`SHO-MATCH-9: ${form.label} words are stored folded`, () => {
      // Words are searched in folded text; a word that folding changes could never be found.
      for (const word of form.words) expect(normalizeKana(word)).toBe(word);
    });
  }
});

describe('findCorporateForm (R8, folded input)', () => {
  const cases: readonly (readonly [string, string, string, string, string])[] = [
    ['カ)ヤマダ', 'カ', 'start', '', 'ヤマダ'],
    ['ヤマダ(カ', 'カ', 'end', 'ヤマダ', ''],
    ['ヤマダ(カ)チバシテン', 'カ', 'middle', 'ヤマダ', 'チバシテン'],
    ['(カ)ヤマダ', 'カ', 'start', '', 'ヤマダ'],
    ['カ.ヤマダ', 'カ', 'start', '', 'ヤマダ'],
    ['株式会社ヤマダ', 'カ', 'start', '', 'ヤマダ'],
    ['ヤマダ 株式会社', 'カ', 'end', 'ヤマダ', ''],
    ['ヤマダ(株)', 'カ', 'end', 'ヤマダ', ''],
    ['シユウ)ヤマダジ', 'シユウ', 'start', '', 'ヤマダジ'],
    ['ヤマダ(シヤ', 'シヤ', 'end', 'ヤマダ', ''],
    ['地方独立行政法人ヤマダ', 'チドク', 'start', '', 'ヤマダ'],
  ];
  for (const [input, form, position, before, after] of cases) {
    it(`SHO-MATCH-9: ${input} → ${form} at ${position}`, () => {
      const found = findCorporateForm(input);
      expect(found?.form.abbreviation).toBe(form);
      expect(found?.position).toBe(position);
      expect(found?.before).toBe(before);
      expect(found?.after).toBe(after);
    });
  }

  for (const input of ['ヤマダ タロウ', 'カ ヤマダ', 'ヤマダカ', 'カヤマダ']) {
    it(`SHO-MATCH-9: finds no form in ${input}`, () => {
      expect(findCorporateForm(input)).toBeUndefined();
    });
  }

  it('SHO-MATCH-9: does not read (シユウヘイ as a form', () => {
    expect(findCorporateForm('ヤマダ (シユウヘイ')).toBeUndefined();
  });
});

describe('findOfficeMarker and stripBranchSuffix (R9)', () => {
  it('SHO-MATCH-10: finds 営業所 and 出張所 by word or abbreviation', () => {
    expect(findOfficeMarker('ヤマダ(エイ')?.form.label).toBe('営業所');
    expect(findOfficeMarker('ヤマダ出張所')?.form.label).toBe('出張所');
    expect(findOfficeMarker('ヤマダ エイジ')).toBeUndefined();
  });

  it('SHO-MATCH-10: strips one trailing branch suffix, never the whole name', () => {
    expect(stripBranchSuffix('ヤマダシテン')).toBe('ヤマダ');
    expect(stripBranchSuffix('山田商事 千葉支店')).toBe('山田商事 千葉');
    expect(stripBranchSuffix('シテン')).toBe('シテン');
    expect(stripBranchSuffix('ヤマダ')).toBe('ヤマダ');
  });
});
