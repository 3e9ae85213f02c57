/**
 * Epoch seconds of an ISO 8601 / RFC 3339 date-time, or NaN when it names no real instant: unlike
 * `Date.parse`, which rolls 2026-02-30 over to 2 March and accepts 24:00, every field must be in range
 * (RFC 3339 §5.7). Seconds may be omitted, as the OpenID IDA examples do.
 *
 * The accepted form is exactly `YYYY-MM-DDTHH:MM[:SS[.F{1,9}]](Z|±HH:MM)`, upper-case `T` and `Z`, with
 * year 0100 to 9999 (years below 100 were never accepted: `Date.UTC` maps them to 19xx). Fractions of a
 * second are validated and dropped. It runs on every verification (KYC `verification.time`, time checks,
 * claim refinements), so it reads character codes instead of running a regular expression and building
 * match arrays; tests/verifier/time-date-time.test.ts compares it with the regular-expression form it replaced.
 *
 * @example parseDateTime('2026-04-01T09:00:00+09:00') // 1775001600
 * @see spec/07-kyc.md (verification.time), RFC 3339 §5.6–5.7
 */
export function parseDateTime(value: string): number {
  if (typeof value !== 'string') return Number.NaN;
  // One verification reads the same KYC `verification.time` three times (claim refinement, time check, policy
  // facts): remembering the last string makes the later reads a comparison. Strings are immutable and the
  // function is pure, so the answer cannot go stale.
  if (value === lastValue) return lastResult;
  const result = parse(value);
  lastValue = value;
  lastResult = result;
  return result;
}

let lastValue: string | undefined;
let lastResult = Number.NaN;

function parse(value: string): number {
  const length = value.length;
  // Shortest form `YYYY-MM-DDTHH:MMZ` (17), longest with seconds, nine fraction digits and an offset (35).
  if (length < 17 || length > 35) return Number.NaN;
  const century = twoDigits(value, 0);
  const yearOfCentury = twoDigits(value, 2);
  const year = century * 100 + yearOfCentury;
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  if (
    value.charCodeAt(4) !== DASH ||
    value.charCodeAt(7) !== DASH ||
    value.charCodeAt(10) !== UPPER_T ||
    value.charCodeAt(13) !== COLON ||
    // A field that is not two digits reads as -1000, below every range.
    yearOfCentury < 0 ||
    year < 100 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59
  ) {
    return Number.NaN;
  }
  let index = 16;
  let second = 0;
  if (value.charCodeAt(index) === COLON) {
    second = twoDigits(value, index + 1);
    if (second < 0 || second > 59) return Number.NaN;
    index += 3;
    if (value.charCodeAt(index) === DOT) {
      const fractionStart = ++index;
      while (index < length && isDigit(value.charCodeAt(index))) index++;
      const digits = index - fractionStart;
      if (digits < 1 || digits > 9) return Number.NaN;
    }
  }
  let offset = 0;
  const zone = value.charCodeAt(index);
  if (zone === UPPER_Z) {
    if (index + 1 !== length) return Number.NaN;
  } else if (zone === PLUS || zone === DASH) {
    if (index + 6 !== length || value.charCodeAt(index + 3) !== COLON) return Number.NaN;
    const offsetHours = twoDigits(value, index + 1);
    const offsetMinutes = twoDigits(value, index + 4);
    if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return Number.NaN;
    offset = (offsetHours * 60 + offsetMinutes) * 60;
    if (zone === DASH) offset = -offset;
  } else {
    return Number.NaN;
  }
  return daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
}

const DASH = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const PLUS = 0x2b;
const UPPER_T = 0x54;
const UPPER_Z = 0x5a;
const ZERO = 0x30;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** The two ASCII digits at `index` as a number, or -1000 (below every range check) when either is not one. */
function twoDigits(value: string, index: number): number {
  const high = value.charCodeAt(index) - ZERO;
  const low = value.charCodeAt(index + 1) - ZERO;
  // charCodeAt past the end is NaN, and every comparison with NaN is false: it lands here too.
  if (!(high >= 0 && high <= 9 && low >= 0 && low <= 9)) return -1000;
  return high * 10 + low;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, as `Date.UTC` counts them (H. Hinnant's
 * `days_from_civil`, for years 0 and later).
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
