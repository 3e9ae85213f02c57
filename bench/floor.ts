// NODE-ONLY (benchmark): what shomei costs beside the signature, measured through its public plug-in
// points, against what issue 7's one-at-a-time targets leave for it. `npx tsx bench/floor.ts` (after
// `npm run build`; ALGS=ES256,EdDSA, ROUNDS=9, N=2000).
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

/** Mean µs per call of `n` awaited calls. */
async function loop(fn: () => unknown, n: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - started) / n) * 1000;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;

/** Runs every row once per round (plus a discarded first round as warm-up); medians per row. */
async function interleaved(rows: Record<string, () => unknown>): Promise<Record<string, { median: number; all: number[] }>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(rows).map((name) => [name, []]));
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, fn] of Object.entries(rows)) {
      const us = await loop(fn, N);
      if (round > 0) times[name]!.push(us);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, all]) => [name, { median: median(all), all }]));
}

function report(alg: Alg, what: string, raw: number, full: number, rest: number, target: number): void {
  const budget = raw * (1 / target - 1);
  console.log(`${alg} ${what}: raw ${raw.toFixed(1)} µs, shomei ${full.toFixed(1)} µs (${(raw / full).toFixed(2)}x raw)`);
  console.log(`  beside the signature, in place (shomei − raw): ${(full - raw).toFixed(1)} µs`);
  console.log(`  beside the signature, alone (signature skipped):  ${rest.toFixed(1)} µs`);
  console.log(`  what ${target}x leaves beside the signature:          ${budget.toFixed(1)} µs -> ${rest <= budget ? 'the rest fits alone' : `the rest alone is ${(rest - budget).toFixed(1)} µs over`}`);
}

for (const alg of ALGS) {
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
  const verification = await interleaved({
    raw: () => nodeVerify(digest, signingInput, verifyKey, signature),
    full: verifyWith(node),
    rest: verifyWith(acceptsAll),
  });

  // Issuance: the bank's answer to the same request; the fixed signature is a real one, so every check
  // of the signer's output (length, r and s range, low-S) runs as usual.
  const input = linkInput(context, Math.floor(Date.now() / 1000));
  const fixed = await nodeEntry.createNodeSigner(keys.privateKey, { alg, kid: keys.kid }).sign(signingInput);
  const fixedSigner: Signer = { alg, kid: keys.kid, sign: async () => fixed };
  const fixedIssuer = issuerEntry.createIssuer({ issuer: BANK, signer: fixedSigner, crypto: nodeEntry.nodeCryptoBackend });
  const issuance = await interleaved({
    raw: () => nodeSign(digest, signingInput, signKey),
    full: () => issuer.link(input),
    rest: () => fixedIssuer.link(input),
  });

  report(alg, 'verification, one at a time', verification.raw!.median, verification.full!.median, verification.rest!.median, VERIFY_TARGET);
  report(alg, 'issuance, one at a time', issuance.raw!.median, issuance.full!.median, issuance.rest!.median, ISSUE_TARGET);
}
