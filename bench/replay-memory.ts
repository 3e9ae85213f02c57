// NODE-ONLY (benchmark child process, run with --expose-gc): heap cost of the in-memory replay store at
// 1,000,000 live entries. Prints one JSON line on stdout.
import { randomBytes } from 'node:crypto';
import { verifierEntry } from './shomei.js';

const { createMemoryReplayStore } = verifierEntry;

const ENTRIES = Number(process.env.BENCH_REPLAY_ENTRIES ?? 1_000_000);
const ISSUER = 'https://bank.example';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function settle(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

// `jti`s as `randomId()` makes them: 128 random bits, base64url, 22 characters.
const random = randomBytes(16 * ENTRIES);
const jti = (i: number): string => random.toString('base64url', i * 16, i * 16 + 16);

/** Replay keys as the verifier builds them today (src/verifier/verify.ts; keep the two in step). */
function verifierKeys(kind: string, issuer: string): string[] {
  const keys: string[] = new Array(ENTRIES);
  for (let i = 0; i < ENTRIES; i++) keys[i] = `${kind}|${issuer}|${jti(i)}`;
  return keys;
}

/** The same keys built flat: `join` gives one sequential string; a template literal gives cons strings. */
function flatKeys(kind: string, issuer: string): string[] {
  const keys: string[] = new Array(ENTRIES);
  for (let i = 0; i < ENTRIES; i++) keys[i] = [kind, issuer, jti(i)].join('|');
  return keys;
}

// Each array slot is an 8-byte pointer, subtracted from the per-key figures.
const SLOT = 8;
settle();
const beforeFlat = settle();
let flat = flatKeys('link', ISSUER);
const flatKeyBytes = (settle() - beforeFlat) / flat.length - SLOT;
flat = [];

// The keys are made before the store, so the first figure is the cost of the keys themselves and the
// second what the store adds.
const beforeKeys = settle();
const keys = verifierKeys('link', ISSUER);
const afterKeys = settle();

const now = Math.floor(Date.now() / 1000);
const store = createMemoryReplayStore({ maxEntries: ENTRIES });
const started = performance.now();
for (let i = 0; i < ENTRIES; i++) {
  // Expiries spread over 300 s as a steady stream of link assertions (max lifetime 300 s) would be.
  const result = await store.consume(keys[i]!, now + 60 + (i % 300));
  if (result !== 'fresh') throw new Error('unexpected replay');
}
const fillMs = performance.now() - started;
const afterStore = settle();
if (store.size !== ENTRIES) throw new Error(`store holds ${store.size}, expected ${ENTRIES}`);

// The key array is dropped: from here on the store alone keeps the keys alive.
keys.length = 0;
const storeWithKeys = settle() - beforeKeys;
const rss = process.memoryUsage().rss;

process.stdout.write(
  `${JSON.stringify({
    entries: ENTRIES,
    keyLength: `link|${ISSUER}|`.length + 22,
    bytesPerEntryIncludingKey: storeWithKeys / ENTRIES,
    bytesPerEntryStoreOnly: (afterStore - afterKeys) / ENTRIES,
    bytesPerKeyString: (afterKeys - beforeKeys) / ENTRIES - SLOT,
    bytesPerFlatKeyString: flatKeyBytes,
    bytesPerEntryWithFlatKeys: (afterStore - afterKeys) / ENTRIES + flatKeyBytes,
    heapUsedMiB: storeWithKeys / 2 ** 20,
    rssMiB: rss / 2 ** 20,
    fillMs,
  })}\n`,
);
await store.close();
