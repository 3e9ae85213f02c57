/**
 * parseDateTime (src/claims/date-time.ts), compared with the regular-expression form it replaced on a generated
 * set of valid and near-miss RFC 3339 date-times (spec/07-kyc.md SHO-KYC-5): every field at its bounds, leap
 * days, 24:00 and leap seconds, offsets, fractions of 1 to 10 digits, missing parts, lower-case letters, extra
 * characters, plus seeded single and double mutations of valid strings. Same accepted set, same instant.
 */
import { describe, expect, it } from 'vitest';
import { parseDateTime } from '../../src/claims/date-time.js';
import { mulberry32 } from '../helpers/prng.js';

/** The implementation before the character-code parser, kept verbatim as the oracle. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;
function reference(value: string): number {
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

const YEARS = ['0000', '0001', '0099', '0100', '0400', '1600', '1899', '1900', '1969', '1970', '1999', '2000', '2023', '2024', '2026', '2100', '2400', '9999', '999', '20260', 'a026', '２０２６'];
const MONTHS = ['00', '01', '02', '03', '04', '06', '09', '11', '12', '13', '1', '1a', '99'];
const DAYS = ['00', '01', '28', '29', '30', '31', '32', '3', '99'];
const HOURS = ['00', '09', '23', '24', '2', '99'];
const MINUTES = ['00', '59', '60', '5'];
const SECONDS = ['', ':00', ':59', ':60', ':5', ':', ':99'];
const FRACTIONS = ['', '.', '.0', '.1', '.12', '.123456789', '.1234567890', '.a', ',5'];
const ZONES = ['Z', 'z', '', '+00:00', '-00:00', '+09:00', '-09:30', '+23:59', '-23:59', '+24:00', '+09:60', '+0900', '+9:00', '+09:0', '09:00', 'Z ', ' Z', 'ZZ', 'Z\n', '+09:00Z', 'UTC'];
const SEPARATORS = ['T', 't', ' ', '_'];

function* generated(): Generator<string> {
  for (const y of YEARS) for (const mo of MONTHS) for (const d of DAYS) yield `${y}-${mo}-${d}T12:34:56Z`;
  for (const y of ['1900', '2000', '2023', '2024', '2100', '0100', '0104']) for (const d of ['28', '29', '30']) yield `${y}-02-${d}T00:00:00+09:00`;
  for (const h of HOURS) {
    for (const mi of MINUTES) {
      for (const s of SECONDS) {
        for (const f of FRACTIONS) {
          for (const z of ZONES) yield `2026-11-22T${h}:${mi}${s}${f}${z}`;
        }
      }
    }
  }
  for (const t of SEPARATORS) yield `2026-11-22${t}09:00:00Z`;
  for (const z of ZONES) yield `1970-01-01T00:00${z}`;
  yield '';
  yield '2026-11-22';
  yield '2026-11-22T';
  yield '2026-11-22T09';
  yield '2026-11-22T09:00';
  yield '2026/11/22T09:00Z';
  yield '2026-11-22T09-00Z';
  yield '2026-11-22T09:00:00.123456789-23:59';
  yield ' 2026-11-22T09:00Z';
}

const ALPHABET = '0123456789-+:.TZtz \n/９';
const SEEDS = ['2024-02-29T23:59:59.999999999+23:59', '1970-01-01T00:00Z', '2026-11-22T09:00:00-09:30', '0100-03-01T00:00:00.5Z'];

function* mutated(count: number): Generator<string> {
  const next = mulberry32(0x5eed);
  const pick = (n: number) => Math.floor(next() * n);
  for (let i = 0; i < count; i++) {
    let value = SEEDS[pick(SEEDS.length)]!;
    const rounds = 1 + pick(2);
    for (let r = 0; r < rounds; r++) {
      const at = pick(value.length + 1);
      const char = ALPHABET[pick(ALPHABET.length)]!;
      const op = pick(3);
      if (op === 0) value = value.slice(0, at) + char + value.slice(at + 1);
      else if (op === 1) value = value.slice(0, at) + value.slice(at + 1);
      else value = value.slice(0, at) + char + value.slice(at);
    }
    yield value;
  }
}

function disagreements(values: Iterable<string>): { value: string; expected: number; actual: number }[] {
  const found: { value: string; expected: number; actual: number }[] = [];
  for (const value of values) {
    const expected = reference(value);
    const actual = parseDateTime(value);
    if (!Object.is(expected, actual)) found.push({ value, expected, actual });
  }
  return found;
}

describe('parseDateTime against the regular-expression form', () => {
  it('SHO-KYC-5: accepts and rejects the same generated strings, with the same instant', () => {
    const values = [...generated()];
    expect(values.filter((value) => Number.isFinite(reference(value))).length).toBeGreaterThan(500);
    expect(values.filter((value) => !Number.isFinite(reference(value))).length).toBeGreaterThan(5000);
    expect(disagreements(values)).toEqual([]);
  });

  it('SHO-KYC-5: agrees on 50,000 seeded mutations of valid date-times', () => {
    const values = [...mutated(50_000)];
    expect(values.filter((value) => Number.isFinite(reference(value))).length).toBeGreaterThan(1000);
    expect(disagreements(values)).toEqual([]);
  });

  it('SHO-KYC-5: agrees on every day of 1899-2101 and on every offset', () => {
    const values: string[] = [];
    for (let day = Date.UTC(1899, 0, 1); day <= Date.UTC(2101, 11, 31); day += 86_400_000) {
      values.push(`${new Date(day).toISOString().slice(0, 10)}T23:59:59Z`);
    }
    for (let minutes = -24 * 60; minutes <= 24 * 60; minutes += 7) {
      const abs = Math.abs(minutes);
      values.push(`2026-01-01T00:00:00${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`);
    }
    expect(disagreements(values)).toEqual([]);
  });

  it('SHO-KYC-5: rejects each near miss of a valid date-time', () => {
    expect(parseDateTime('2026-04-01T09:00:00+09:00')).toBe(1775001600);
    for (const value of [
      '2026-02-29T00:00Z', // not a leap year
      '2026-04-31T00:00Z',
      '2026-01-01T24:00Z',
      '2026-12-31T23:59:60Z',
      '2026-01-01T00:00:00.1234567890Z',
      '2026-01-01T00:00:00.Z',
      '2026-01-01t00:00Z',
      '2026-01-01T00:00z',
      '2026-01-01T00:00+24:00',
      '2026-01-01T00:00-00:60',
      '2026-01-01T00:00Zx',
      '2026-01-01T00:00',
      '0099-01-01T00:00Z',
    ]) {
      expect({ value, parsed: parseDateTime(value) }).toEqual({ value, parsed: Number.NaN });
    }
  });

  it('SHO-KYC-5: refuses a value that is not a string instead of reading its text', () => {
    expect(parseDateTime(['2026-01-01T00:00Z'] as unknown as string)).toBeNaN();
    expect(parseDateTime(undefined as unknown as string)).toBeNaN();
  });
});
