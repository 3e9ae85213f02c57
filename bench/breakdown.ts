// NODE-ONLY (benchmark): where the time of one full verification of a link assertion goes, step by step
// (`npx tsx bench/breakdown.ts`; ALG=EdDSA for Ed25519). Each step is timed alone in a tight loop on the
// same token, in the order the verifier runs them; the sum is compared with a full `verify` and with
// raw node:crypto verify. Internal modules are imported directly: this is a diagnostic, not the API.
import { createHash, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { digestFor, hashCanonical, sha256Base64url } from '../src/canonical/digest.js';
import { canonicalize } from '../src/canonical/jcs.js';
import { createNodeCryptoBackend } from '../src/crypto/node.js';
import { isPlausibleSignature } from '../src/crypto/backend.js';
import { createMemoryDecisionLog } from '../src/decision-log/memory-decision-log.js';
import { normalizeDecisionEntry, type DecisionEntry } from '../src/decision-log/decision-log.js';
import { encodeBase64url } from '../src/encoding/base64url.js';
import { encodeUtf8 } from '../src/encoding/utf8.js';
import type { Alg } from '../src/jws/algorithms.js';
import { decodePayload, parseCompact } from '../src/jws/compact.js';
import { signCompact } from '../src/jws/sign.js';
import { authenticationProblems } from '../src/claims/authentication-rules.js';
import { linkHash, requestHash } from '../src/issuer/issue.js';
import { createLocalKeySet } from '../src/keyset/local-key-set.js';
import { LinkClaims } from '../src/kinds/link.js';
import { DEFAULT_POLICY } from '../src/policy/default-policy.js';
import { evaluatePolicy } from '../src/policy/evaluate.js';
import { loadPolicy } from '../src/policy/load.js';
import { createMemoryReplayStore } from '../src/replay/memory-replay-store.js';
import { checkBinding } from '../src/verifier/steps/binding.js';
import { checkHeader } from '../src/verifier/steps/header.js';
import { checkNonce, checkParties } from '../src/verifier/steps/parties.js';
import { policyFacts } from '../src/verifier/steps/policy-facts.js';
import { checkTime } from '../src/verifier/steps/time.js';
import { loadTrustConfig } from '../src/verifier/trust.js';
import { createVerifier } from '../src/verifier.js';
import { ACCOUNT, BANK, BROKER, bankIssuer, bankParty, benchKeys, brokerRequest, linkInput, rawNodeKeys, tokenPool } from './fixtures.js';
import { createNodeSigner } from '../src/keys/node-signer.js';
import { BENCH_SOURCE } from './shomei.js';

// This script times the sources step by step (by their function and file names): the fixtures must come
// from the same sources, not from dist/.
if (BENCH_SOURCE !== 'src') throw new Error('run this script with BENCH_SOURCE=src');

const alg = (process.env.ALG ?? 'ES256') as Alg;
const N = Number(process.env.N ?? 20_000);
const BATCHES = 5;

/**
 * Mean time of one call over the fastest of BATCHES batches: on a shared machine a burst of load elsewhere
 * slows some batches, and the fastest is the closest to the cost of the code itself.
 */
async function time(name: string, fn: () => unknown, iterations = N): Promise<number> {
  const batch = Math.max(1, Math.floor(iterations / BATCHES));
  for (let i = 0; i < Math.min(2000, batch); i++) await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let b = 0; b < BATCHES; b++) {
    const started = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    best = Math.min(best, ((performance.now() - started) / batch) * 1000);
  }
  console.log(`${best.toFixed(2).padStart(8)} µs  ${name}`);
  return best;
}

const keys = await benchKeys(alg);
const context = await brokerRequest(await benchKeys(alg));
const issuer = await bankIssuer(keys, 'node');
const pool = await tokenPool(issuer, context, N + 2000);
const token = pool[0]!;
const backend = createNodeCryptoBackend();
const party = loadTrustConfig({ parties: [bankParty(keys)] }).parties[0]!;
const keySet = createLocalKeySet({ keys: [keys.publicJwk as unknown as Record<string, unknown>] }, { crypto: backend });
const policy = loadPolicy(DEFAULT_POLICY);
const now = Math.floor(Date.now() / 1000);
const parsed = parseCompact(token);
const { handle } = await keySet.resolve(keys.kid, alg);
const payload = decodePayload(parsed);
const claims = LinkClaims.parse(payload);
const { digest, signKey, verifyKey: rawKey } = rawNodeKeys(keys);
const tokenBytes = encodeUtf8(token);
const jcs = encodeUtf8(canonicalize({ action: claims.action, account: claims.account }));
const log = createMemoryDecisionLog();
const entry: DecisionEntry = {
  time: new Date().toISOString(), kind: 'link', action: 'account_link', issuer: BANK, audience: BROKER, kid: keys.kid, jti: claims.jti,
  transaction_hash: claims.transaction_hash, token_hash: claims.req_hash, policy: { id: policy.policy_id, version: policy.version }, outcome: 'allow', reasons: [],
};

console.log(`${alg}, token ${token.length} bytes, request ${context.request.length} bytes, Node ${process.versions.node}\n`);
console.log('steps of verify(), in order:');
const steps: number[] = [];
steps.push(await time('1 parseCompact (split, base64url, header JSON)', () => parseCompact(token)));
steps.push(await time('  sha256Base64url(token) for token_hash [WebCrypto]', () => sha256Base64url(token)));
steps.push(await time('2 checkHeader', () => checkHeader(parsed.header, 'link', ['ES256', 'EdDSA'])));
steps.push(await time('3 keys.resolve (local key set)', () => keySet.resolve(keys.kid, alg)));
steps.push(await time('4 backend.verify (node:crypto, sync)', () => backend.verify(alg, handle, parsed.signingInput, parsed.signature)));
steps.push(await time('5 decodePayload (base64url, UTF-8, JSON, duplicate scan)', () => decodePayload(parsed)));
steps.push(await time('  LinkClaims.safeParse (zod)', () => LinkClaims.safeParse(payload)));
steps.push(await time('6-9 checkTime + checkParties + checkNonce', () => {
  checkTime(payload, now, 10, 300);
  checkParties(payload, BROKER, BANK);
  checkNonce(payload, context.nonce);
}));
steps.push(await time('10 checkBinding (req_hash + transaction_hash) [WebCrypto]', () =>
  checkBinding('link', claims, { request: context.request, account: { ...ACCOUNT }, action: 'account_link' }, digestFor())));
const store = createMemoryReplayStore();
let next = 0;
steps.push(await time('11 replay consume (memory)', () => store.consume(`link|${BANK}|jti-${next++}-0123456789abcdef`, now + 310)));
steps.push(await time('12 policyFacts + evaluatePolicy', () => evaluatePolicy(policy, policyFacts('link', claims, party, now))));
steps.push(await time('  decision log append (memory, normalizeDecisionEntry)', () => log.append(entry)));
const sum = steps.reduce((a, b) => a + b, 0);
console.log(`${sum.toFixed(2).padStart(8)} µs  sum of the steps\n`);

const verifier = createVerifier({ audience: BROKER, trust: { parties: [bankParty(keys)] }, crypto: backend });
const expectations = { kind: 'link', issuer: BANK, nonce: context.nonce, request: context.request, account: { ...ACCOUNT }, action: 'account_link' } as const;
let index = 0;
const full = await time('verify() (full, memory replay + log)', async () => {
  const decision = await verifier.verify(pool[index++]!, expectations);
  if (decision.outcome !== 'allow') throw new Error(decision.reasons.map((r) => r.code).join());
}, N);
const raw = await time('raw node:crypto verify (same signing input)', () => nodeVerify(digest, parsed.signingInput, rawKey, parsed.signature));
console.log(`         ratio raw/full = ${(raw / full).toFixed(3)} (target 0.7)\n`);

console.log('details:');
await time('  isPlausibleSignature (BigInt r, s range)', () => isPlausibleSignature(alg, parsed.signature));
await time('  SHA-256 of token, WebCrypto subtle.digest (awaited)', () => globalThis.crypto.subtle.digest('SHA-256', tokenBytes as BufferSource));
await time('  SHA-256 of token, node:crypto createHash', () => createHash('sha256').update(tokenBytes).digest());
await time('  SHA-256 of token, @noble/hashes', () => nobleSha256(tokenBytes));
await time('  SHA-256 of JCS {action, account}, WebCrypto', () => globalThis.crypto.subtle.digest('SHA-256', jcs as BufferSource));
await time('  SHA-256 of JCS {action, account}, @noble/hashes', () => nobleSha256(jcs));
await time('  hashCanonical({action, account}) [WebCrypto]', () => hashCanonical({ action: claims.action, account: claims.account }));
await time('  canonicalize({action, account})', () => canonicalize({ action: claims.action, account: claims.account }));
await time('  encodeBase64url(32 bytes)', () => encodeBase64url(jcs.subarray(0, 32)));
await time('  JSON.parse(payload text) alone', () => JSON.parse(Buffer.from(parsed.payloadB64, 'base64url').toString()));
await time('  normalizeDecisionEntry', () => normalizeDecisionEntry(entry));

console.log('\nissuance of a link assertion (node:crypto Signer):');
const signer = createNodeSigner(keys.privateKey, { alg, kid: keys.kid });
const input = linkInput(context, now);
const candidate = { iss: BANK, ...input, iat: now, exp: now + 120, jti: claims.jti, req_hash: claims.req_hash, transaction_hash: claims.transaction_hash } as Record<string, unknown>;
delete candidate.request;
const issueSteps: number[] = [];
issueSteps.push(await time('requestHash(request) [WebCrypto]', () => requestHash(context.request)));
issueSteps.push(await time('linkHash(action, account) [WebCrypto]', () => linkHash('account_link', ACCOUNT)));
issueSteps.push(await time('LinkClaims.safeParse (zod)', () => LinkClaims.safeParse(candidate)));
issueSteps.push(await time('authenticationProblems', () => authenticationProblems(claims)));
issueSteps.push(await time('signCompact (JSON, base64url, sign, low-S)', () => signCompact({ typ: 'shomei-link+jwt' }, claims, signer)));
console.log(`${issueSteps.reduce((a, b) => a + b, 0).toFixed(2).padStart(8)} µs  sum of the steps`);
const issued = await time('issuer.link() (full)', () => issuer.link(input));
const rawSign = await time('raw node:crypto sign (same signing input)', () => nodeSign(digest, parsed.signingInput, signKey));
console.log(`         ratio raw/full = ${(rawSign / issued).toFixed(3)} (target 0.6)`);
