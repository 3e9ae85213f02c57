import { describe, expect, it } from 'vitest';
import { compareDecimal, isDecimal } from '../../src/policy/decimal.js';

describe('decimal amounts', () => {
  it.each<[string, string, number]>([
    ['9999999', '10000000', -1],
    ['10000000', '10000000', 0],
    ['10000000.00', '10000000', 0],
    ['10000000.01', '10000000', 1],
    ['0.1', '0.10', 0],
    ['0.3', '0.29999999999999999', 1],
    ['9007199254740993', '9007199254740992', 1],
    ['123456789012345678901234567890', '123456789012345678901234567891', -1],
  ])('SHO-POL-15: compareDecimal(%s, %s) = %i', (a, b, expected) => {
    expect(compareDecimal(a, b)).toBe(expected);
  });

  it.each(['0', '1', '150000', '12.50', '0.5'])('SHO-POL-15: %s is a decimal', (value) => {
    expect(isDecimal(value)).toBe(true);
  });

  it.each(['', '-1', '+1', '1e7', '01', '1.', '.5', '1,000', ' 1', '１', '1'.repeat(65), 'NaN', 'Infinity'])(
    'SHO-POL-15: %j is not a decimal',
    (value) => {
      expect(isDecimal(value)).toBe(false);
    },
  );
});
