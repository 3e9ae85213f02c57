import { describe, expect, it } from 'vitest';
import { accountsEqual, ACCOUNT_TYPES, normalizeAccount, type AccountInput } from '../../src/account/zengin.js';
import type { Account } from '../../src/claims/account.js';
import { ShomeiError } from '../../src/errors/shomei-error.js';

const valid: Account = { bank_code: '0005', branch_code: '001', type: '1', number: '1234567' };

describe('normalizeAccount', () => {
  it('SHO-ACCT-1: keeps a Zengin account as it is', () => {
    expect(normalizeAccount(valid)).toEqual(valid);
  });

  it('SHO-ACCT-2: zero-pads the number on the left to seven digits (N(7))', () => {
    expect(normalizeAccount({ ...valid, number: '12345' }).number).toBe('0012345');
    expect(normalizeAccount({ ...valid, number: '1' }).number).toBe('0000001');
  });

  it('SHO-ACCT-1: accepts full-width digits (NFKC)', () => {
    expect(normalizeAccount({ bank_code: '０００５', branch_code: '００１', type: '１', number: '１２３４５' })).toEqual({
      bank_code: '0005',
      branch_code: '001',
      type: '1',
      number: '0012345',
    });
  });

  it('SHO-ACCT-1: knows the four account types', () => {
    expect(ACCOUNT_TYPES).toEqual({ '1': '普通', '2': '当座', '4': '貯蓄', '9': 'その他' });
    for (const type of ['1', '2', '4', '9']) expect(normalizeAccount({ ...valid, type }).type).toBe(type);
  });

  const refused: readonly (readonly [string, Partial<Record<keyof AccountInput, unknown>>, string])[] = [
    ['a three-digit bank code', { bank_code: '005' }, 'bank_code_invalid'],
    ['a five-digit bank code', { bank_code: '00005' }, 'bank_code_invalid'],
    ['a bank code with a letter', { bank_code: '00O5' }, 'bank_code_invalid'],
    ['a bank code that is a number', { bank_code: 5 }, 'bank_code_invalid'],
    ['a two-digit branch code', { branch_code: '01' }, 'branch_code_invalid'],
    ['a four-digit branch code', { branch_code: '0001' }, 'branch_code_invalid'],
    ['account type 3', { type: '3' }, 'type_invalid'],
    ['account type 0', { type: '0' }, 'type_invalid'],
    ['account type 普通 in words', { type: '普通' }, 'type_invalid'],
    ['account type as a number', { type: 1 }, 'type_invalid'],
    ['an eight-digit number', { number: '12345678' }, 'number_invalid'],
    ['an empty number', { number: '' }, 'number_invalid'],
    ['a number with a hyphen', { number: '123-4567' }, 'number_invalid'],
    ['a number with a space', { number: '123 4567' }, 'number_invalid'],
    ['a negative number', { number: '-123456' }, 'number_invalid'],
    ['a number with a decimal point', { number: '12345.6' }, 'number_invalid'],
  ];
  for (const [what, change, reason] of refused) {
    it(`SHO-ACCT-2: refuses ${what} with CLAIMS_INVALID / ${reason}, no digits in the message`, () => {
      let caught: unknown;
      try {
        normalizeAccount({ ...valid, ...change } as AccountInput);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ShomeiError);
      const error = caught as ShomeiError;
      expect(error.code).toBe('CLAIMS_INVALID');
      expect(error.claim).toBe('account');
      expect(error.reason).toBe(reason);
      expect(error.message).not.toMatch(/[0-9０-９]/);
    });
  }

  it('SHO-ACCT-2: refuses a non-object with ERR_INVALID_ARG_VALUE', () => {
    expect(() => normalizeAccount(null as unknown as AccountInput)).toThrow(TypeError);
  });
});

describe('accountsEqual', () => {
  it('SHO-ACCT-4: equal when all four members are equal strings', () => {
    expect(accountsEqual(valid, { ...valid })).toBe(true);
    expect(accountsEqual(normalizeAccount({ ...valid, number: '１２３４５６７' }), valid)).toBe(true);
  });

  const differ: readonly (readonly [string, Partial<AccountInput>])[] = [
    ['bank', { bank_code: '0009' }],
    ['branch', { branch_code: '002' }],
    ['type', { type: '4' }],
    ['number', { number: '1234568' }],
  ];
  for (const [what, change] of differ) {
    it(`SHO-ACCT-4: different ${what} → not equal`, () => {
      expect(accountsEqual(valid as Account, { ...valid, ...change } as Account)).toBe(false);
    });
  }

  const notZengin: readonly (readonly [string, Record<string, unknown>])[] = [
    ['an unpadded number', { number: '12345' }],
    ['full-width digits', { number: '１２３４５６７' }],
    ['an eight-digit number', { number: '12345678' }],
    ['an unknown type', { type: '3' }],
    ['a numeric member', { bank_code: 5 }],
  ];
  for (const [what, change] of notZengin) {
    it(`SHO-ACCT-4: never pads or folds: ${what} equals nothing, not even itself`, () => {
      const bad = { ...valid, ...change } as unknown as Account;
      expect(accountsEqual(bad, bad)).toBe(false);
    });
  }
});
