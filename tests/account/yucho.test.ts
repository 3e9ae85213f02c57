import { describe, expect, it } from 'vitest';
import { YUCHO_BANK_CODE, yuchoBranchName, yuchoToZengin } from '../../src/account/yucho.js';

describe('yuchoToZengin', () => {
  // The examples of sanmai/jpb-account-converter tests/KigoBangoShiraberu/ConverterTest.php and of
  // the converters and pages cited in japan.md §4 (isshiki, mimirswell).
  const cases: readonly (readonly [string, string, string, '1' | '2', string, string])[] = [
    ['sanmai 総合', '14030', '12345671', '1', '408', '1234567'],
    ['sanmai 総合', '15150', '21111111', '1', '518', '2111111'],
    ['sanmai 振替', '00580', '654321', '2', '059', '0654321'],
    ['sanmai 振替 00160-0-100001', '00160', '100001', '2', '019', '0100001'],
    ['mimirswell 総合', '10530', '12345671', '1', '058', '1234567'],
    ['総合, seven-digit 番号', '11940', '1234561', '1', '198', '0123456'],
    ['spec example', '12345', '12345671', '1', '238', '1234567'],
    // SHO-ACCT-6 does not require the 番号 to end in 1 (sanmai does): the last digit is dropped regardless.
    ['総合, 番号 not ending in 1', '14030', '1234567', '1', '408', '0123456'],
    ['振替, short 番号', '01940', '123', '2', '199', '0000123'],
    ['full-width digits', '１４０３０', '１２３４５６７１', '1', '408', '1234567'],
  ];
  for (const [what, kigou, bangou, type, branch, number] of cases) {
    it(`SHO-ACCT-${type === '1' ? 6 : 7}: ${what} ${kigou}-${bangou} → ${branch} ${type} ${number}`, () => {
      expect(yuchoToZengin(kigou, bangou)).toEqual({ bank_code: YUCHO_BANK_CODE, branch_code: branch, type, number });
    });
  }

  it('SHO-ACCT-5: uses bank code 9900', () => {
    expect(YUCHO_BANK_CODE).toBe('9900');
  });

  const refused: readonly (readonly [string, string, string, string, string])[] = [
    ['SHO-ACCT-7', 'a 記号 starting with 2', '20000', '80000001', 'yucho_kigou_invalid'], // sanmai testInvalidCode
    ['SHO-ACCT-5', 'a six-digit 記号', '200001', '80000001', 'yucho_kigou_invalid'],
    ['SHO-ACCT-5', 'a four-digit 記号', '1403', '12345671', 'yucho_kigou_invalid'],
    ['SHO-ACCT-5', 'a 記号 with a hyphen', '14-30', '12345671', 'yucho_kigou_invalid'],
    ['SHO-ACCT-5', 'a nine-digit 総合 番号', '15150', '211111111', 'yucho_bangou_invalid'], // sanmai testInvalidNumber
    ['SHO-ACCT-7', 'a seven-digit 振替 番号', '01110', '2111110', 'yucho_bangou_invalid'], // sanmai testInvalidGiroNumber
    ['SHO-ACCT-5', 'an empty 番号', '00580', '', 'yucho_bangou_invalid'],
    ['SHO-ACCT-5', 'a 番号 with a space', '14030', '1234 5671', 'yucho_bangou_invalid'],
  ];
  for (const [id, what, kigou, bangou, reason] of refused) {
    it(`${id}: refuses ${what} with ERR_INVALID_ARG_VALUE / ${reason}, no digits in the message`, () => {
      let caught: unknown;
      try {
        yuchoToZengin(kigou, bangou);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TypeError);
      const error = caught as TypeError & { code?: string; reason?: string };
      expect(error.code).toBe('ERR_INVALID_ARG_VALUE');
      expect(error.reason).toBe(reason);
      expect(error.message).not.toMatch(/[0-9]/);
    });
  }

  it('SHO-ACCT-5: refuses non-strings with ERR_INVALID_ARG_VALUE', () => {
    expect(() => yuchoToZengin(14030 as unknown as string, '12345671')).toThrow(TypeError);
    expect(() => yuchoToZengin('14030', 12345671 as unknown as string)).toThrow(TypeError);
  });
});

describe('yuchoBranchName', () => {
  const cases: readonly (readonly [string, string, string])[] = [
    ['408', '四〇八', 'ヨンゼロハチ'],
    ['518', '五一八', 'ゴイチハチ'],
    ['059', '〇五九', 'ゼロゴキユウ'],
    ['019', '〇一九', 'ゼロイチキユウ'],
    ['738', '七三八', 'ナナサンハチ'],
  ];
  for (const [code, kanji, kana] of cases) {
    it(`SHO-ACCT-5: ${code} → ${kanji} (${kana})`, () => {
      expect(yuchoBranchName(code)).toEqual({ kanji, kana });
    });
  }

  it('SHO-ACCT-7: names the branch of every converted account', () => {
    const { branch_code } = yuchoToZengin('00160', '100001');
    expect(yuchoBranchName(branch_code).kanji).toBe('〇一九');
  });

  for (const code of ['407', '08', '4080', '４０x']) {
    it(`SHO-ACCT-5: refuses branch code ${code} with yucho_branch_invalid`, () => {
      expect(() => yuchoBranchName(code)).toThrow(expect.objectContaining({ reason: 'yucho_branch_invalid' }));
      expect(() => yuchoBranchName(code)).toThrow(TypeError);
    });
  }
});
