/**
 * Exact comparison of decimal amount strings (spec/14-policy.md, SHO-POL-15).
 *
 * Amounts are compared as scaled integers (BigInt), never as floats: `0.1 + 0.2` must not decide a payout,
 * and a JPY amount above 2^53 must not round into the limit.
 */

/** A non-negative decimal without exponent, sign or leading zeros, as in TransactionDetails. */
export const DECIMAL_PATTERN = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/** Longest accepted decimal string; bounds the BigInt work on hostile input. */
const MAX_DECIMAL_LENGTH = 64;

/** Whether `value` is a decimal string this module can compare. */
export function isDecimal(value: string): boolean {
  return value.length <= MAX_DECIMAL_LENGTH && DECIMAL_PATTERN.test(value);
}

/**
 * Compares two decimal strings exactly: negative when `a < b`, zero when equal, positive when `a > b`.
 * Both must satisfy {@link isDecimal}; callers check first.
 *
 * @example compareDecimal('9999999', '10000000') // -1
 * @see spec/14-policy.md SHO-POL-15
 */
export function compareDecimal(a: string, b: string): number {
  const [aInt = '', aFrac = ''] = a.split('.');
  const [bInt = '', bFrac = ''] = b.split('.');
  const scale = Math.max(aFrac.length, bFrac.length);
  const left = BigInt(aInt + aFrac.padEnd(scale, '0'));
  const right = BigInt(bInt + bFrac.padEnd(scale, '0'));
  return left === right ? 0 : left < right ? -1 : 1;
}
