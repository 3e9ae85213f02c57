import { describe, expect, it } from 'vitest';
import type { DecisionEntry } from '../../src/decision-log/decision-log.js';
import { createMemoryDecisionLog } from '../../src/decision-log/memory-decision-log.js';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { sampleEntry } from './fixtures/entries.js';

async function rejection(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

describe('memory decision log', () => {
  it('SHO-LOG-1: records every decision in order', async () => {
    const log = createMemoryDecisionLog();
    for (let i = 1; i <= 3; i++) await log.append(sampleEntry(i));
    expect(log.entries().map((e) => e.jti)).toEqual([sampleEntry(1).jti, sampleEntry(2).jti, sampleEntry(3).jti]);
  });

  it('SHO-LOG-1: entries are copies that later changes cannot reach', async () => {
    const log = createMemoryDecisionLog();
    const entry = sampleEntry(3);
    await log.append(entry);
    entry.reasons.push('REPLAYED');
    log.entries()[0]!.reasons.push('REPLAYED');
    expect(log.entries()[0]!.reasons).toEqual(['FACTOR_NOT_COUNTED', 'AAL_TOO_LOW']);
  });

  it('SHO-LOG-1: a full log drops the oldest entry by default', async () => {
    const log = createMemoryDecisionLog({ maxEntries: 3 });
    for (let i = 1; i <= 5; i++) await log.append(sampleEntry(i));
    expect(log.entries().map((e) => e.jti)).toEqual([3, 4, 5].map((i) => sampleEntry(i).jti));
  });

  it("SHO-LOG-3: a full log with whenFull 'refuse' rejects with DECISION_LOG_UNAVAILABLE", async () => {
    const log = createMemoryDecisionLog({ maxEntries: 1, whenFull: 'refuse' });
    await log.append(sampleEntry(1));
    const error = await rejection(log.append(sampleEntry(2)));
    expect(error.code).toBe('DECISION_LOG_UNAVAILABLE');
    expect(error.reason).toBe('full');
  });

  it('SHO-LOG-3: a closed log rejects with DECISION_LOG_UNAVAILABLE', async () => {
    const log = createMemoryDecisionLog();
    await log.close();
    expect((await rejection(log.append(sampleEntry(1)))).code).toBe('DECISION_LOG_UNAVAILABLE');
  });

  it.each([
    ['an address', { address: '東京都千代田区1-1' }],
    ['an account number', { account: { bank_code: '0001', number: '1234567' } }],
    ['a token', { token: 'eyJhbGciOiJFUzI1NiJ9.e30.sig' }],
    ['an amount', { amount: '150000' }],
  ])('SHO-LOG-8: an entry with %s is refused (TypeError) and not recorded', async (_, change) => {
    const log = createMemoryDecisionLog();
    const entry = { ...sampleEntry(1), ...change } as unknown as DecisionEntry;
    await expect(log.append(entry)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    expect(log.entries()).toEqual([]);
  });

  it.each([
    ['no outcome', { outcome: undefined }],
    ['an unknown reason code', { reasons: ['NOT_A_CODE'] }],
    ['65 reasons', { reasons: Array.from({ length: 65 }, () => 'REPLAYED') }],
  ])('SHO-LOG-2: an entry with %s is refused (TypeError) and not recorded', async (_, change) => {
    const log = createMemoryDecisionLog();
    const entry = { ...sampleEntry(1), ...change } as unknown as DecisionEntry;
    await expect(log.append(entry)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    expect(log.entries()).toEqual([]);
  });

  it('SHO-LOG-1: a bad maxEntries or whenFull is refused at construction', () => {
    expect(() => createMemoryDecisionLog({ maxEntries: 0 })).toThrow(TypeError);
    expect(() => createMemoryDecisionLog({ whenFull: 'block' as 'refuse' })).toThrow(TypeError);
  });
});
