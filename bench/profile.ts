// NODE-ONLY (benchmark): where the time of a full verification (or issuance) of a link assertion goes,
// from a CPU profile of the whole pipeline — not of each step alone, which hides the cost of a large
// working set. `npx tsx bench/profile.ts` (WHAT=issue for issuance, ALG=EdDSA, N=8000,
// THREAD_POOL=1 for the thread-pool backend, OUT=file.cpuprofile to keep the profile for DevTools).
// The same run under `node --import tsx --cpu-prof bench/profile.ts` also writes Node's own profile.
//
// Every sample is attributed to the innermost pipeline step on its stack (so the SHA-256 inside the
// binding check counts as SHA-256, zod's internals as the schema check), and the table gives each
// step's share and its cost in µs per operation.
import { verify as nodeVerify, sign as nodeSign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Alg } from '../src/jws/algorithms.js';
import { createNodeCryptoBackend } from '../src/node.js';
import { createVerifier } from '../src/verifier.js';
import { ACCOUNT, BANK, BROKER, bankIssuer, bankParty, benchKeys, brokerRequest, linkInput, rawNodeKeys, tokenPool } from './fixtures.js';
import { BENCH_SOURCE } from './shomei.js';

// This script times the sources step by step (by their function and file names): the fixtures must come
// from the same sources, not from dist/.
if (BENCH_SOURCE !== 'src') throw new Error('run this script with BENCH_SOURCE=src');

const alg = (process.env.ALG ?? 'ES256') as Alg;
const what = process.env.WHAT === 'issue' ? 'issue' : 'verify';
const N = Number(process.env.N ?? 8000);
const threadPool = process.env.THREAD_POOL === '1';

// Steps several functions count towards.
const HASH = 'SHA-256 + JCS (token hash, req_hash, transaction_hash)';
const PAYLOAD = 'parse: decodePayload (base64url, UTF-8, JSON.parse, duplicate scan)';
const SCHEMA = 'claims schema: zod safeParse';
const CHECKS = 'header, time, audience, issuer, nonce checks';
const POLICY = 'policy: policyFacts + evaluatePolicy';
const LOG = 'decision log: entry + append';

/** Pipeline steps by function name (and file, where a name is common); first match wins per frame. */
const STEPS: readonly { step: string; name: string; file?: string }[] = [
  { step: 'signature: node:crypto verify', name: 'verify', file: 'src/crypto/node.ts' },
  { step: 'signature: node:crypto sign', name: 'sign', file: 'node-signer.ts' },
  { step: 'signature: isPlausibleSignature (r, s range)', name: 'isPlausibleSignature' },
  { step: HASH, name: 'sha256Base64url' },
  { step: HASH, name: 'hashCanonical' },
  { step: HASH, name: 'sha256TextWith' },
  { step: HASH, name: 'hashText' },
  { step: HASH, name: 'canonicalize' },
  { step: HASH, name: 'nodeSha256', file: 'src/crypto/node.ts' },
  { step: SCHEMA, name: 'targetAny.safeParse' },
  { step: 'parse: parseCompact (split, base64url, header JSON, UTF-8 of signing input)', name: 'parseCompact' },
  { step: PAYLOAD, name: 'decodePayload' },
  { step: PAYLOAD, name: 'decodeBase64url', file: 'src/crypto/node.ts' },
  { step: SCHEMA, name: 'safeParse' },
  { step: CHECKS, name: 'checkHeader' },
  { step: CHECKS, name: 'checkTime' },
  { step: CHECKS, name: 'checkParties' },
  { step: CHECKS, name: 'checkNonce' },
  { step: 'key resolution', name: 'resolve' },
  { step: 'binding (without its hashes)', name: 'checkBinding' },
  { step: 'replay store consume', name: 'consume' },
  { step: POLICY, name: 'policyFacts' },
  { step: POLICY, name: 'evaluatePolicy' },
  { step: LOG, name: 'logEntry' },
  { step: LOG, name: 'append' },
  { step: 'issuance: identity_match vs request (parses the request)', name: 'refuseUnaskedMatches' },
  { step: 'issuance: auth consistency', name: 'refuseInconsistentAuthentication' },
  { step: 'issuance: signCompact (JSON, base64url, low-S)', name: 'signCompact' },
  { step: 'issuance: randomId (jti)', name: 'randomId' },
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function stepOf(node: ProfileNode): string | undefined {
  const { functionName, url } = node.callFrame;
  if (functionName === '(idle)') return 'idle: waiting (thread pool, I/O)';
  if (functionName === '(garbage collector)') return 'garbage collector';
  return STEPS.find((s) => s.name === functionName && (s.file === undefined || url.endsWith(s.file)))?.step;
}

function summarize(profile: Profile, operations: number, wallMs: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    all += delta;
    let step: string | undefined;
    for (let current: number | undefined = id; current !== undefined && step === undefined; current = parent.get(current)) {
      step = stepOf(byId.get(current)!);
    }
    const key = step ?? 'other (verifier glue, promises, loop)';
    totals.set(key, (totals.get(key) ?? 0) + delta);
  });
  const perOp = (wallMs * 1000) / operations;
  console.log(`\n${what} ${alg}${threadPool ? ' (thread pool)' : ''}: ${perOp.toFixed(1)} µs per operation over ${operations} operations\n`);
  console.log('share  µs/op  step');
  for (const [step, micros] of [...totals].sort((a, b) => b[1] - a[1])) {
    const share = micros / all;
    console.log(`${(share * 100).toFixed(1).padStart(5)}% ${(share * perOp).toFixed(1).padStart(6)}  ${step}`);
  }
}

const keys = await benchKeys(alg);
const context = await brokerRequest(await benchKeys(alg));
const issuer = await bankIssuer(keys, 'node', threadPool);
const warmup = Math.min(1000, Math.floor(N / 4));
let run: () => Promise<void>;
let reference: string;
if (what === 'verify') {
  const pool = await tokenPool(issuer, context, N + warmup);
  reference = pool[0]!;
  const verifier = createVerifier({ audience: BROKER, trust: { parties: [bankParty(keys)] }, crypto: createNodeCryptoBackend({ threadPool }) });
  const expectations = { kind: 'link', issuer: BANK, nonce: context.nonce, request: context.request, account: { ...ACCOUNT }, action: 'account_link' } as const;
  let next = 0;
  run = async () => {
    const decision = await verifier.verify(pool[next++]!, expectations);
    if (decision.outcome !== 'allow') throw new Error(`verification ended in ${decision.outcome}: ${decision.reasons.map((r) => r.code).join(', ')}`);
  };
} else {
  const input = linkInput(context, Math.floor(Date.now() / 1000));
  reference = (await issuer.link(input)).token;
  run = async () => {
    await issuer.link(input);
  };
}
for (let i = 0; i < warmup; i++) await run();

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const started = performance.now();
for (let i = 0; i < N; i++) await run();
const wallMs = performance.now() - started;
const { profile } = await session.post('Profiler.stop');
session.disconnect();
if (process.env.OUT !== undefined) writeFileSync(process.env.OUT, JSON.stringify(profile));
summarize(profile as unknown as Profile, N, wallMs);

// The floor, measured right after in the same process (not profiled).
const dot = reference.lastIndexOf('.');
const signingInput = Buffer.from(reference.slice(0, dot), 'ascii');
const signature = Buffer.from(reference.slice(dot + 1), 'base64url');
const { digest, signKey, verifyKey } = rawNodeKeys(keys);
const rawStarted = performance.now();
for (let i = 0; i < N; i++) {
  if (what === 'verify') nodeVerify(digest, signingInput, verifyKey, signature);
  else nodeSign(digest, signingInput, signKey);
}
const rawUs = ((performance.now() - rawStarted) * 1000) / N;
console.log(`\nraw node:crypto ${what === 'verify' ? 'verify' : 'sign'} of the same signing input: ${rawUs.toFixed(1)} µs (not profiled)`);
