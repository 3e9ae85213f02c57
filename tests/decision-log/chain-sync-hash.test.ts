/**
 * The hash chain with a synchronous SHA-256 (spec/15-decision-log.md SHO-LOG-4, SHO-LOG-5): the file log and the
 * audit pass node:crypto's, and the chain they build must be the one WebCrypto builds and checks.
 */
import { describe, expect, it } from 'vitest';
import { chainEntry, chainedEntryIntact, serializeChainedEntry, verifyChain, type ChainedEntry } from '../../src/decision-log/chain.js';
import type { DecisionEntry } from '../../src/decision-log/decision-log.js';
import { nodeSha256 as CHAIN_HASH } from '../../src/crypto/node.js';
import { sampleEntry } from './fixtures/entries.js';

async function chain(count: number, hash?: typeof CHAIN_HASH): Promise<ChainedEntry[]> {
  const entries: ChainedEntry[] = [];
  for (let i = 1; i <= count; i++) entries.push(await chainEntry(sampleEntry(i), entries.at(-1) ?? null, hash));
  return entries;
}
const lines = (entries: ChainedEntry[]): string[] => `${entries.map(serializeChainedEntry).join('\n')}\n`.split('\n');

describe('hash chain with a synchronous SHA-256', () => {
  it('SHO-LOG-4: builds exactly the chain WebCrypto builds', async () => {
    expect(await chain(3, CHAIN_HASH)).toEqual(await chain(3));
    // The hash passed in is the one used: otherwise the line above would compare WebCrypto with itself.
    const zeros = () => new Uint8Array(32);
    expect(await chain(3, zeros)).not.toEqual(await chain(3));
  });

  it('SHO-LOG-5: a chain built with one hash verifies with the other', async () => {
    expect(await verifyChain(lines(await chain(3, CHAIN_HASH)))).toMatchObject({ ok: true, count: 3 });
    expect(await verifyChain(lines(await chain(3)), { hash: CHAIN_HASH })).toMatchObject({ ok: true, count: 3 });
    expect(await chainedEntryIntact((await chain(1))[0]!, CHAIN_HASH)).toBe(true);
  });

  it('SHO-LOG-5: an edited entry is found with the synchronous hash too', async () => {
    const text = lines(await chain(3, CHAIN_HASH));
    text[1] = text[1]!.replace('"outcome":"allow"', '"outcome":"deny"');
    expect(await verifyChain(text, { hash: CHAIN_HASH })).toMatchObject({ ok: false, line: 2, problem: 'edited' });
  });

  it('SHO-LOG-5: a hash function that is not SHA-256 does not verify a real chain', async () => {
    const zeros = () => new Uint8Array(32);
    expect(await verifyChain(lines(await chain(2)), { hash: zeros })).toMatchObject({ ok: false, line: 1, problem: 'edited' });
  });

  it('SHO-LOG-2: the synchronous path still refuses an invalid entry', async () => {
    const entry = { ...sampleEntry(1), name: 'Taro Yamada' } as unknown as DecisionEntry;
    await expect(chainEntry(entry, null, CHAIN_HASH)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  });

  it('SHO-LOG-5: a hash option that is not a function is a caller mistake', async () => {
    await expect(verifyChain([], { hash: 'sha256' as unknown as typeof CHAIN_HASH })).rejects.toMatchObject({ name: 'TypeError' });
  });
});
