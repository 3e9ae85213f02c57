/**
 * The decision entry check (src/decision-log/decision-log.ts, spec/15-decision-log.md SHO-LOG-2, SHO-LOG-8),
 * compared with the regular-expression form it replaced on generated entries — each member set to valid and
 * near-miss values — and on generated `time` strings. Where the two differ on purpose (member names inherited
 * from Object.prototype, holes in `reasons`, getters), the new check is stricter and has its own negative test.
 */
import { describe, expect, it } from 'vitest';
import { decisionEntryProblem, normalizeDecisionEntry, type DecisionEntry } from '../../src/decision-log/decision-log.js';
import { createMemoryDecisionLog } from '../../src/decision-log/memory-decision-log.js';
import { isErrorCode } from '../../src/errors/codes.js';
import { sampleEntry } from './fixtures/entries.js';

/** The check before the character-code rewrite, kept as the oracle. */
const OLD_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const OLD_ACTION = /^[a-z][a-z0-9_]{0,63}$/;
const OLD_HASH = /^[A-Za-z0-9_-]{1,128}$/;
const OLD_IDENTIFIER = /^[\x21-\x7e]{1,512}$/;
const oldIdentifier = (value: unknown) => typeof value === 'string' && OLD_IDENTIFIER.test(value);
const oldHash = (value: unknown) => typeof value === 'string' && OLD_HASH.test(value);
// Date.parse rolls February 30 over into March and 24:00 into the next day: the instant must read back as written.
const realInstant = (value: string) => Number.isFinite(Date.parse(value)) && new Date(Date.parse(value)).toISOString().slice(0, 19) === value.slice(0, 19);
const oldTime = (value: unknown) => typeof value === 'string' && OLD_TIME.test(value) && realInstant(value);
const OLD_CHECKS: Record<string, (value: unknown) => boolean> = {
  time: oldTime,
  kind: (value) => ['request', 'link', 'transaction', 'identity'].includes(value as string),
  action: (value) => typeof value === 'string' && OLD_ACTION.test(value),
  issuer: oldIdentifier,
  audience: oldIdentifier,
  kid: oldIdentifier,
  jti: oldIdentifier,
  transaction_hash: oldHash,
  request_hash: oldHash,
  token_hash: oldHash,
  policy: (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const { id, version } = value as Record<string, unknown>;
    return Object.keys(value).length === 2 && oldIdentifier(id) && oldIdentifier(version);
  },
  outcome: (value) => ['allow', 'deny', 'review'].includes(value as string),
  reasons: (value) => Array.isArray(value) && value.length <= 64 && value.every(isErrorCode),
};
function oldProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return '(entry)';
  const record = value as Record<string, unknown>;
  for (const name of ['time', 'kind', 'outcome', 'reasons']) if (record[name] === undefined) return name;
  for (const [name, member] of Object.entries(record)) {
    if (member === undefined) continue;
    const check = Object.hasOwn(OLD_CHECKS, name) ? OLD_CHECKS[name] : undefined;
    if (check === undefined || !check(member)) return name;
  }
  return undefined;
}

const p2 = (n: number) => String(n).padStart(2, '0');

function* times(): Generator<string> {
  for (const year of ['0000', '1970', '2024', '2026', '2100', '9999']) {
    for (let month = 0; month <= 13; month++) {
      for (const day of [0, 1, 28, 29, 30, 31, 32]) yield `${year}-${p2(month)}-${p2(day)}T12:00:00Z`;
    }
  }
  for (const hour of [0, 23, 24, 25]) {
    for (const minute of [0, 59, 60]) {
      for (const second of [0, 59, 60]) {
        for (const fraction of ['', '.', '.0', '.000', '.1', '.123456789', '.1234567890']) {
          yield `2026-12-31T${p2(hour)}:${p2(minute)}:${p2(second)}${fraction}Z`;
        }
      }
    }
  }
  yield* ['2026-01-01T00:00:00z', '2026-01-01T00:00:00+00:00', '2026-01-01 00:00:00Z', '2026-01-01T00:00Z', '2026-1-01T00:00:00Z', 'x026-01-01T00:00:00Z', '2026-01-01T00:00:00.Z', '2026-01-01T00:00:00ZZ', ''];
}

const NEAR_MISSES: Record<string, unknown[]> = {
  time: [...times(), 1767225600000, null],
  kind: ['link', 'request', 'transaction', 'identity', 'Link', 'links', '', 1, null],
  action: ['account_link', 'a', 'a'.repeat(64), 'a'.repeat(65), 'Account_link', '1link', 'account-link', '', 'account link', 7],
  issuer: ['https://bank.example.jp', 'x', 'x'.repeat(512), 'x'.repeat(513), 'with space', 'tab\t', 'ü', '', '~!', 3],
  audience: ['https://broker.example.jp', 'line\nbreak', '', '\x7f'],
  kid: ['kid-1', 'k'.repeat(513), 'ｋｉｄ'],
  jti: ['jti-000001-aaaaaaaaaaaaaaaa', 'a b', ''],
  transaction_hash: ['ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0', 'a'.repeat(128), 'a'.repeat(129), 'abc=', 'a+b', 'a/b', '', 'AZaz09-_', 5],
  request_hash: ['abc', 'a.b'],
  token_hash: ['abc', ' abc'],
  policy: [{ id: 'p', version: '1' }, { id: 'p' }, { id: 'p', version: '1', extra: 'x' }, { id: '', version: '1' }, { id: 'p', version: 'has space' }, ['p', '1'], null, 'p@1'],
  outcome: ['allow', 'deny', 'review', 'Allow', 'permit', ''],
  reasons: [[], ['REPLAYED'], ['REPLAYED', 'NOT_A_CODE'], Array(64).fill('REPLAYED'), Array(65).fill('REPLAYED'), 'REPLAYED', [1], {}],
  name: ['Taro Yamada'],
  birthdate: ['1980-01-01'],
  __proto: ['x'],
};

describe('decision entry check against the regular-expression form', () => {
  it('SHO-LOG-2: finds the same first problem for every member set to each valid and near-miss value', () => {
    const disagreements: unknown[] = [];
    let refused = 0;
    for (const [name, values] of Object.entries(NEAR_MISSES)) {
      for (const value of values) {
        for (const base of [sampleEntry(1), sampleEntry(3, { token_hash: 'abc' })]) {
          const entry = { ...base, [name]: value };
          const expected = oldProblem(entry);
          if (expected !== undefined) refused++;
          if (decisionEntryProblem(entry) !== expected) disagreements.push({ name, value, expected, actual: decisionEntryProblem(entry) });
        }
      }
    }
    expect(refused).toBeGreaterThan(500);
    expect(disagreements).toEqual([]);
  });

  it('SHO-LOG-2: accepts the same `time` strings as the regular expression and a real calendar instant', () => {
    const values = [...times()];
    const accepted = values.filter((time) => oldProblem(sampleEntry(1, { time })) === undefined);
    expect(accepted.length).toBeGreaterThan(100);
    expect(accepted).not.toContain('2026-02-30T12:00:00Z');
    expect(accepted).not.toContain('2026-12-31T24:00:00Z');
    expect(values.filter((time) => (decisionEntryProblem(sampleEntry(1, { time })) === undefined) !== accepted.includes(time))).toEqual([]);
  });

  it('SHO-LOG-2: a missing required member is named before any bad member', () => {
    for (const name of ['time', 'kind', 'outcome', 'reasons'] as const) {
      const entry = { ...sampleEntry(1), kid: 'bad kid', [name]: undefined };
      expect(decisionEntryProblem(entry)).toBe(name);
      expect(decisionEntryProblem(entry)).toBe(oldProblem(entry));
    }
  });

  it('SHO-LOG-1: the copy holds the defined members only, with fresh reasons and policy', () => {
    const entry = { ...sampleEntry(3), request_hash: undefined };
    const copy = normalizeDecisionEntry(entry);
    expect(copy).toEqual(sampleEntry(3));
    expect(Object.hasOwn(copy, 'request_hash')).toBe(false);
    expect(copy.reasons).not.toBe(entry.reasons);
    expect(copy.policy).not.toBe(entry.policy);
  });
});

describe('decision entry check: stricter than before', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
    'SHO-LOG-8: a member named %s is unknown and refused (TypeError), not looked up on Object.prototype',
    async (name) => {
      const entry = sampleEntry(1) as unknown as Record<string, unknown>;
      Object.defineProperty(entry, name, { value: 'Taro Yamada', enumerable: true, configurable: true, writable: true });
      expect(decisionEntryProblem(entry)).toBe(name);
      const log = createMemoryDecisionLog();
      await expect(log.append(entry as unknown as DecisionEntry)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
      expect(log.entries()).toEqual([]);
    },
  );

  it('SHO-LOG-2: a hole in reasons is not an error code', () => {
    const reasons = ['REPLAYED'] as DecisionEntry['reasons'];
    reasons.length = 2;
    expect(decisionEntryProblem(sampleEntry(1, { reasons }))).toBe('reasons');
  });

  it('SHO-LOG-8: a getter that answers differently the second time cannot put unchecked data in the log', async () => {
    let reads = 0;
    const entry = sampleEntry(1) as unknown as Record<string, unknown>;
    Object.defineProperty(entry, 'kid', { enumerable: true, get: () => (reads++ === 0 ? 'kid-1' : 'Taro Yamada 1980-01-01') });
    const log = createMemoryDecisionLog();
    const outcome = await log.append(entry as unknown as DecisionEntry).then(() => undefined, (error: unknown) => error);
    expect(JSON.stringify(log.entries())).not.toContain('Taro');
    // Either refused as a caller mistake or stored with the value that was checked — not an empty log that proves nothing.
    if (outcome === undefined) expect(log.entries().map((stored) => stored.kid)).toEqual(['kid-1']);
    else expect(outcome).toBeInstanceOf(TypeError);
  });

  it('SHO-LOG-2: a required member present only until it is copied is refused', () => {
    let reads = 0;
    const entry = sampleEntry(1) as unknown as Record<string, unknown>;
    Object.defineProperty(entry, 'outcome', { enumerable: true, get: () => (reads++ === 0 ? 'allow' : undefined) });
    expect(() => normalizeDecisionEntry(entry as unknown as DecisionEntry)).toThrow(TypeError);
  });

  it('SHO-LOG-2: a valid issuer, kid or policy just before does not let a near-copy of it through', () => {
    expect(decisionEntryProblem(sampleEntry(1, { issuer: 'https://bank.example.jp' }))).toBeUndefined();
    expect(decisionEntryProblem(sampleEntry(1, { issuer: 'https://bank.example.jp ' }))).toBe('issuer');
    expect(decisionEntryProblem(sampleEntry(1, { kid: 'https://bank.example.jp' }))).toBeUndefined();
    expect(decisionEntryProblem(sampleEntry(1, { kid: '' }))).toBe('kid');
    expect(decisionEntryProblem(sampleEntry(1, { policy: { id: 'p', version: '' } }))).toBe('policy');
  });
});
