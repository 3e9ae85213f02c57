const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch seconds of an ISO 8601 / RFC 3339 date-time, or NaN when it names no real instant: unlike
 * `Date.parse`, which rolls 2026-02-30 over to 2 March and accepts 24:00, every field must be in range
 * (RFC 3339 §5.7). Seconds may be omitted, as the OpenID IDA examples do.
 */
export function parseDateTime(value: string): number {
  const match = RFC3339.exec(value);
  if (match === null) return Number.NaN;
  const [, year, month, day, hour, minute, second = '00', , zone, sign, offsetHours = '00', offsetMinutes = '00'] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = fields;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return Number.NaN;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return Number.NaN;
  const offset = zone === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60;
  return Math.floor(utc / 1000) - offset;
}
