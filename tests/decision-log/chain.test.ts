import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/canonical/jcs.js';
import {
  chainEntry,
  chainedEntryIntact,
  GENESIS_HASH,
  serializeChainedEntry,
  verifyChain,
  type ChainedEntry,
} from '../../src/decision-log/chain.js';
import type { DecisionEntry } from '../../src/decision-log/decision-log.js';
import { sampleEntry } from './fixtures/entries.js';

async function buildChain(count: number, prev: { seq: number; hash: string } | null = null): Promise<ChainedEntry[]> {
  const chained: ChainedEntry[] = [];
  for (let i = 1; i <= count; i++) {
    const entry = await chainEntry(sampleEntry(i), chained.at(-1) ?? prev);
    chained.push(entry);
  }
  return chained;
}

const fileText = (entries: ChainedEntry[]): string => entries.map((e) => `${serializeChainedEntry(e)}\n`).join('');

describe('hash chain', () => {
  it('SHO-LOG-4: the first entry has seq 1 and the genesis prev; each next one links to the one before', async () => {
    const [first, second] = await buildChain(2);
    expect(first!.seq).toBe(1);
    expect(first!.prev).toBe(GENESIS_HASH);
    expect(second!.seq).toBe(2);
    expect(second!.prev).toBe(first!.hash);
  });

  it('SHO-LOG-4: hash is hex SHA-256 of the JCS form of the entry with seq and prev, without hash', async () => {
    const [entry] = await buildChain(1);
    const { hash, ...content } = entry!;
    expect(hash).toBe(createHash('sha256').update(canonicalize(content)).digest('hex'));
  });

  it('SHO-LOG-4: undefined members are dropped before hashing', async () => {
    const withUndefined = await chainEntry({ ...sampleEntry(1), kid: undefined } as unknown as DecisionEntry, null);
    const without = sampleEntry(1);
    delete without.kid;
    expect(withUndefined.hash).toBe((await chainEntry(without, null)).hash);
  });

  it.each([
    ['a name member', { name: 'ヤマダ タロウ' }],
    ['a birthdate member', { birthdate: '1980-01-01' }],
    ['a reason message instead of a code', { reasons: ['the customer typed a wrong PIN'] }],
  ])('SHO-LOG-8: %s is refused (TypeError)', async (_, change) => {
    const entry = { ...sampleEntry(1), ...change } as unknown as DecisionEntry;
    await expect(chainEntry(entry, null)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  });

  it.each([
    ['a local time', { time: '2026-01-01T18:00:00+09:00' }],
    ['an unknown kind', { kind: 'payment' }],
    ['an identifier with a space', { jti: 'two words' }],
    ['a policy with extra members', { policy: { id: 'p', version: '1', owner: 'x' } }],
  ])('SHO-LOG-2: %s is refused (TypeError)', async (_, change) => {
    const entry = { ...sampleEntry(1), ...change } as unknown as DecisionEntry;
    await expect(chainEntry(entry, null)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  });

  it('SHO-LOG-5: an intact file verifies, with its count, first and last link', async () => {
    const chain = await buildChain(5);
    const result = await verifyChain(fileText(chain).split('\n'));
    expect(result).toEqual({
      ok: true,
      count: 5,
      first: { seq: 1, hash: chain[0]!.hash },
      last: { seq: 5, hash: chain[4]!.hash },
    });
  });

  it('SHO-LOG-5: an empty file verifies with no entries', async () => {
    expect(await verifyChain(''.split('\n'))).toEqual({ ok: true, count: 0, first: null, last: null });
  });

  it('SHO-LOG-5: an edited entry is reported as edited at its line', async () => {
    const lines = fileText(await buildChain(5)).split('\n');
    lines[2] = lines[2]!.replace('"outcome":"deny"', '"outcome":"allow"');
    expect(lines[2]).toContain('"outcome":"allow"');
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 3, problem: 'edited', count: 2 });
  });

  it('SHO-LOG-5: a reformatted entry (same content, other bytes) is reported as edited', async () => {
    const lines = fileText(await buildChain(3)).split('\n');
    lines[1] = lines[1]!.replace('{', '{ ');
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 2, problem: 'edited' });
  });

  it('SHO-LOG-5: an entry edited and re-hashed breaks the link of the next one', async () => {
    const chain = await buildChain(5);
    const { hash: _old, seq, prev, ...content } = chain[2]!;
    const forged = await chainEntry({ ...content, outcome: 'allow', reasons: [] }, { seq: seq - 1, hash: prev });
    const lines = fileText(chain).split('\n');
    lines[2] = serializeChainedEntry(forged);
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 4, problem: 'deleted_or_reordered', count: 3 });
  });

  it('SHO-LOG-5: a deleted entry is reported at the line after the gap', async () => {
    const lines = fileText(await buildChain(5)).split('\n');
    lines.splice(2, 1);
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 3, problem: 'deleted_or_reordered', count: 2 });
  });

  it('SHO-LOG-5: a deleted first entry is reported at line 1', async () => {
    const lines = fileText(await buildChain(3)).split('\n');
    lines.splice(0, 1);
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 1, problem: 'deleted_or_reordered', count: 0 });
  });

  it('SHO-LOG-5: two swapped entries are reported at the first of them', async () => {
    const lines = fileText(await buildChain(5)).split('\n');
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 3, problem: 'deleted_or_reordered' });
  });

  it('SHO-LOG-5: a line cut short in the middle of the file is malformed, not torn', async () => {
    const lines = fileText(await buildChain(5)).split('\n');
    lines[2] = lines[2]!.slice(0, 40);
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 3, problem: 'malformed', count: 2 });
  });

  it('SHO-LOG-5: an empty line in the middle is malformed', async () => {
    const lines = fileText(await buildChain(3)).split('\n');
    lines.splice(1, 0, '');
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 2, problem: 'malformed' });
  });

  it('SHO-LOG-5: a line with a duplicated member is malformed', async () => {
    const lines = fileText(await buildChain(3)).split('\n');
    lines[1] = lines[1]!.replace('{', '{"outcome":"allow",');
    expect(await verifyChain(lines)).toMatchObject({ ok: false, line: 2, problem: 'malformed' });
  });

  it('SHO-LOG-6: a last line cut short (no newline) is torn, and the entries before it verify', async () => {
    const chain = await buildChain(4);
    const text = fileText(chain);
    const torn = text.slice(0, text.length - 30);
    expect(await verifyChain(torn.split('\n'))).toEqual({
      ok: false,
      line: 4,
      problem: 'torn',
      count: 3,
      first: { seq: 1, hash: chain[0]!.hash },
      last: { seq: 3, hash: chain[2]!.hash },
    });
  });

  it('SHO-LOG-6: a complete last entry without its newline is still torn', async () => {
    const text = fileText(await buildChain(3));
    expect(await verifyChain(text.slice(0, -1).split('\n'))).toMatchObject({ ok: false, line: 3, problem: 'torn', count: 2 });
  });

  it('SHO-LOG-5: a later file that does not continue the earlier one is a chain break across files', async () => {
    const chain = await buildChain(6);
    const secondFile = fileText(chain.slice(3)).split('\n');
    const endOfFirst = { seq: 3, hash: chain[2]!.hash };
    expect(await verifyChain(secondFile, { start: endOfFirst, fromPreviousFile: true })).toMatchObject({ ok: true, count: 3 });
    const endOfTruncatedFirst = { seq: 2, hash: chain[1]!.hash };
    expect(await verifyChain(secondFile, { start: endOfTruncatedFirst, fromPreviousFile: true })).toMatchObject({
      ok: false,
      line: 1,
      problem: 'chain_break_across_files',
    });
  });

  it("SHO-LOG-5: start 'any' accepts a log whose older files were archived", async () => {
    const chain = await buildChain(6);
    const tail = fileText(chain.slice(3)).split('\n');
    expect(await verifyChain(tail)).toMatchObject({ ok: false, line: 1, problem: 'deleted_or_reordered' });
    expect(await verifyChain(tail, { start: 'any' })).toMatchObject({ ok: true, count: 3, first: { seq: 4 } });
  });

  it('SHO-LOG-7: chainedEntryIntact recomputes an entry hash', async () => {
    const [entry] = await buildChain(1);
    expect(await chainedEntryIntact(entry!)).toBe(true);
    expect(await chainedEntryIntact({ ...entry!, outcome: 'review' })).toBe(false);
  });
});
