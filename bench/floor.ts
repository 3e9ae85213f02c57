// NODE-ONLY (benchmark): what shomei costs beside the signature, measured through its public plug-in
// points, against what issue 7's one-at-a-time targets leave for it. `npm run bench` runs it in a child
// process; alone: `npx tsx bench/floor.ts` after `npm run build` (ALGS=ES256,EdDSA, ROUNDS=9, N=2000).
//
// Verification is timed three ways on fresh tokens: raw node:crypto verify of the signing input, a full
// `verifier.verify()`, and the same verifier with a CryptoBackend whose `verify` accepts every signature
// (every other check on). Issuance likewise: raw node:crypto sign, `issuer.link()` with a node:crypto
// Signer, and with a Signer that returns a fixed signature. The backend and the Signer that skip the
// signature exist only in this script, to measure; nothing in shomei can be configured that way.
//
// The last two give "the rest": everything shomei does but the signature, timed alone. A target of
// ratio t to raw leaves raw × (1/t − 1) for it. Rounds are interleaved and the median kept.
import { sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Alg } from '../src/jws/algorithms.js';
import type { CryptoBackend } from '../src/verifier.js';
import type { Signer } from '../src/issuer.js';
import { ACCOUNT, BANK, BROKER, bankIssuer, bankParty, benchKeys, brokerRequest, linkInput, rawNodeKeys, tokenPool } from './fixtures.js';
import { issuerEntry, nodeEntry, verifierEntry } from './shomei.js';

const ALGS = (process.env.ALGS ?? 'ES256,EdDSA').split(',') as Alg[];
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const N = Number(process.env.N ?? 2000);
const VERIFY_TARGET = 0.7;
const ISSUE_TARGET = 0.6;

/** One operation's three timings (medians over the rounds) and what its target leaves beside the signature. */
export interface FloorTiming {
  /** The target ratio to raw, one at a time: 0.7 for verification, 0.6 for issuance (issue 7). */
  target: number;
  rawUs: number;
  shomeiUs: number;
  /** Everything shomei does but the signature, timed alone (the signature skipped). */
  restUs: number;
  /** raw × (1/target − 1). */
  budgetUs: number;
  rounds: { rawUs: number[]; shomeiUs: number[]; restUs: number[] };
}

export interface FloorResult {
  alg: Alg;
  verification: FloorTiming;
  issuance: FloorTiming;
}

/** The report of one algorithm, as `npm run bench` and this script print it. */
export function floorLines(result: FloorResult): string[] {
  return (['verification', 'issuance'] as const).map((what) => {
    const t = result[what];
    const over = t.restUs - t.budgetUs;
    return (
      `  ${result.alg.padEnd(5)} ${what.padEnd(12)} raw ${t.rawUs.toFixed(1)} µs, shomei ${t.shomeiUs.toFixed(1)} µs (${(t.rawUs / t.shomeiUs).toFixed(2)}x); ` +
      `${t.target}x leaves ${t.budgetUs.toFixed(1)} µs beside the signature; the rest takes ${t.restUs.toFixed(1)} µs alone ` +
      `(${over > 0 ? `${over.toFixed(1)} µs over` : 'fits'}) and ${(t.shomeiUs - t.rawUs).toFixed(1)} µs in place`
    );
  });
}

/** Mean µs per call of `n` awaited calls. */
async function loop(fn: () => unknown, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - started) / n) * 1000;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** Raw, shomei and the rest, each once per round (after a discarded warm-up round); medians. */
async function interleaved(target: number, rows: { raw: () => unknown; shomei: () => unknown; rest: () => unknown }): Promise<FloorTiming> {
  const rounds = { rawUs: [] as number[], shomeiUs: [] as number[], restUs: [] as number[] };
  for (let round = 0; round <= ROUNDS; round++) {
    const raw = await loop(rows.raw, N);
    const shomei = await loop(rows.shomei, N);
    const rest = await loop(rows.rest, N);
    if (round === 0) continue;
    rounds.rawUs.push(raw);
    rounds.shomeiUs.push(shomei);
    rounds.restUs.push(rest);
  }
  const rawUs = median(rounds.rawUs);
  return { target, rawUs, shomeiUs: median(rounds.shomeiUs), restUs: median(rounds.restUs), budgetUs: rawUs * (1 / target - 1), rounds };
}

async function measureFloor(alg: Alg): Promise<FloorResult> {
  const keys = await benchKeys(alg);
  const context = await brokerRequest(keys);
  const issuer = await bankIssuer(keys, 'node');
  const { digest, signKey, verifyKey } = rawNodeKeys(keys);
  const pool = await tokenPool(issuer, context, N * 2 * (ROUNDS + 1));
  const reference = pool[0]!;
  const signingInput = Buffer.from(reference.slice(0, reference.lastIndexOf('.')), 'ascii');
  const signature = Buffer.from(reference.slice(reference.lastIndexOf('.') + 1), 'base64url');

  // Verification: a fresh token per call, from one pool for both verifiers; every outcome must be allow.
  const node = nodeEntry.createNodeCryptoBackend();
  const acceptsAll: CryptoBackend = { ...node, name: 'accepts every signature (measurement only)', verify: async () => true };
  const expectations = { kind: 'link', issuer: BANK, nonce: context.nonce, request: context.request, account: { ...ACCOUNT }, action: 'account_link' } as const;
  let next = 0;
  const verifyWith = (crypto: CryptoBackend): (() => Promise<void>) => {
    const verifier = verifierEntry.createVerifier({ audience: BROKER, trust: { parties: [bankParty(keys)] }, crypto });
    return async () => {
      const decision = await verifier.verify(pool[next++]!, expectations);
      if (decision.outcome !== 'allow') throw new Error(`floor: ${decision.reasons.map((reason) => reason.code).join(', ')}`);
    };
  };
  const verification = await interleaved(VERIFY_TARGET, {
    raw: () => nodeVerify(digest, signingInput, verifyKey, signature),
    shomei: verifyWith(node),
    rest: verifyWith(acceptsAll),
  });

  // Issuance: the bank's answer to the same request; the fixed signature is a real one, so every check
  // of the signer's output (length, r and s range, low-S) runs as usual.
  const input = linkInput(context, Math.floor(Date.now() / 1000));
  const fixed = await nodeEntry.createNodeSigner(keys.privateKey, { alg, kid: keys.kid }).sign(signingInput);
  const fixedSigner: Signer = { alg, kid: keys.kid, sign: async () => fixed };
  const fixedIssuer = issuerEntry.createIssuer({ issuer: BANK, signer: fixedSigner, crypto: nodeEntry.nodeCryptoBackend });
  const issuance = await interleaved(ISSUE_TARGET, {
    raw: () => nodeSign(digest, signingInput, signKey),
    shomei: () => issuer.link(input),
    rest: () => fixedIssuer.link(input),
  });
  return { alg, verification, issuance };
}

// Run as a script, not when bench/run.ts imports floorLines. BENCH_FLOOR_JSON=1 prints the results as one
// JSON line instead, for bench/run.ts, which runs this in a child process of its own (its token pool
// stays out of the main benchmark's heap).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results: FloorResult[] = [];
  for (const alg of ALGS) results.push(await measureFloor(alg));
  if (process.env.BENCH_FLOOR_JSON === '1') console.log(JSON.stringify(results));
  else for (const result of results) for (const line of floorLines(result)) console.log(line);
}
