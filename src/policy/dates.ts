/**
 * Calendar dates in a policy document (spec/14-policy.md, SHO-POL-7).
 *
 * A date is a Japanese legal date: `2027-04-01` starts at 00:00 Japan Standard Time (UTC+09:00, no daylight
 * saving), because the deadlines a policy encodes are those of 犯収法施行規則 and the JSDA guideline. A decision
 * at 2027-04-01T00:30+09:00 (still 2027-03-31 in UTC) is therefore already on 2027-04-01.
 */

/** `YYYY-MM-DD`. */
export const DATE_PATTERN = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Offset of Japan Standard Time from UTC, in seconds. */
export const POLICY_DATE_UTC_OFFSET_SECONDS = 9 * 3600;

const DAY_SECONDS = 86_400;

/** Epoch seconds of 00:00 JST on `date`, or `undefined` when `date` is not a real calendar date. */
export function startOfPolicyDate(date: string): number | undefined {
  const parts = DATE_PATTERN.exec(date);
  if (parts === null) return undefined;
  const year = Number(parts[1]);
  const month = Number(parts[2]);
  const day = Number(parts[3]);
  const utc = Date.UTC(year, month - 1, day);
  const check = new Date(utc);
  // Date.UTC silently rolls 2027-02-30 over to March; a policy with such a date is a typo, not a rule.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return utc / 1000 - POLICY_DATE_UTC_OFFSET_SECONDS;
}

/** Epoch seconds of 00:00 JST on the day after `date` (the exclusive end of an inclusive `not_after`). */
export function endOfPolicyDate(date: string): number | undefined {
  const start = startOfPolicyDate(date);
  return start === undefined ? undefined : start + DAY_SECONDS;
}

/** Seconds in `days` days. */
export function daysToSeconds(days: number): number {
  return days * DAY_SECONDS;
}
