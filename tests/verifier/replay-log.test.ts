/**
 * Step 11 replay, and the decision log (spec/13-verification.md SHO-REPLAY, SHO-VER-6, SHO-VER-12;
 * spec/15-decision-log.md SHO-LOG-1 to SHO-LOG-3): single use, fail closed when the store or the log
 * cannot answer, only tokens that passed everything else are spent, and the log holds identifiers and
 * hashes only.
 */
import { describe, expect, it } from 'vitest';
import { sha256Base64url } from '../../src/canonical/digest.js';
import type { DecisionEntry, DecisionLog } from '../../src/decision-log/decision-log.js';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createMemoryReplayStore } from '../../src/replay/memory-replay-store.js';
import type { ConsumeResult, ReplayStore } from '../../src/replay/replay-store.js';
import {
  BANK,
  codes,
  createWorld,
  decode,
  expectAllowed,
  expectCleanLog,
  expectDenied,
  forge,
  headerFor,
  NOW_MS,
  PERSONAL_DATA,
  RP,
  SUB,
  TOLERANCE,
  withSignature,
} from '../helpers/world.js';

const w = await createWorld();

/** A replay store that records what it is asked and answers with `answer`. */
function spyStore(answer: (key: string) => Promise<ConsumeResult>): ReplayStore & { calls: Array<{ key: string; expiresAt: number }> } {
  const calls: Array<{ key: string; expiresAt: number }> = [];
  return {
    calls,
    async consume(key, expiresAt) {
      calls.push({ key, expiresAt });
      return answer(key);
    },
  };
}

describe('single use (SHO-REPLAY-1)', () => {
  it('SHO-REPLAY-1: the second presentation of an accepted link assertion is REPLAYED', async () => {
    const flow = await w.link();
    const verifier = w.rpVerifier();
    expectAllowed(await verifier.verify(flow.token, flow.expect));
    expectDenied(await verifier.verify(flow.token, flow.expect), 'REPLAYED', 'jti');
  });

  it('SHO-TXN-10: the second presentation of a transaction assertion is REPLAYED', async () => {
    const flow = await w.transaction();
    const verifier = w.rpVerifier();
    expectAllowed(await verifier.verify(flow.token, flow.expect));
    expectDenied(await verifier.verify(flow.token, flow.expect), 'REPLAYED');
  });

  it('SHO-REQ-14: a request pushed twice to the bank is REPLAYED', async () => {
    const request = await w.request();
    const verifier = w.bankVerifier();
    expectAllowed(await verifier.verify(request.token, { kind: 'request', issuer: w.rp.issuer }));
    expectDenied(await verifier.verify(request.token, { kind: 'request', issuer: w.rp.issuer }), 'REPLAYED');
  });

  it('SHO-REPLAY-1: of ten concurrent presentations exactly one is allowed', async () => {
    const flow = await w.link();
    const verifier = w.rpVerifier();
    const decisions = await Promise.all(Array.from({ length: 10 }, () => verifier.verify(flow.token, flow.expect)));
    expect(decisions.filter((decision) => decision.outcome === 'allow')).toHaveLength(1);
    expect(decisions.filter((decision) => codes(decision).includes('REPLAYED'))).toHaveLength(9);
  });

  it('SHO-REPLAY-1: two verifiers sharing one store accept the token once', async () => {
    const flow = await w.link();
    const replayStore = createMemoryReplayStore({ clock: () => NOW_MS });
    expectAllowed(await w.rpVerifier({ replayStore }).verify(flow.token, flow.expect));
    expectDenied(await w.rpVerifier({ replayStore }).verify(flow.token, flow.expect), 'REPLAYED');
  });

  it('SHO-REPLAY-1: a re-encoded high-S twin of a spent token is REPLAYED too (same jti)', async () => {
    const flow = await w.link();
    const verifier = w.rpVerifier();
    expectAllowed(await verifier.verify(flow.token, flow.expect));
    const { signature } = decode(flow.token);
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
    const twin = new Uint8Array([...signature.subarray(0, 32), ...Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]);
    expectDenied(await verifier.verify(withSignature(flow.token, twin), flow.expect), 'REPLAYED');
  });

  it('SHO-REPLAY-2: the jti is remembered until exp + tolerance', async () => {
    const flow = await w.link();
    const store = spyStore(async () => 'fresh');
    expectAllowed(await w.rpVerifier({ replayStore: store }).verify(flow.token, flow.expect));
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0]!.expiresAt).toBe(flow.claims.exp + TOLERANCE);
  });

  it('SHO-REPLAY-6: the store key holds identifiers only (issuer, jti), never claim values or the token', async () => {
    const flow = await w.link();
    const store = spyStore(async () => 'fresh');
    await w.rpVerifier({ replayStore: store }).verify(flow.token, flow.expect);
    const key = store.calls[0]!.key;
    expect(key).toContain(BANK);
    expect(key).toContain(flow.claims.jti);
    for (const secret of [...PERSONAL_DATA, SUB, flow.claims.nonce, flow.token, flow.claims.transaction_hash]) expect(key).not.toContain(secret);
  });
});

describe('the store cannot answer (SHO-REPLAY-3, SHO-REPLAY-4)', () => {
  it('SHO-REPLAY-4: a store that throws an Error denies with REPLAY_STORE_UNAVAILABLE, never allows', async () => {
    const flow = await w.link();
    const store = spyStore(async () => {
      throw new Error('ECONNREFUSED 10.0.0.7:6379');
    });
    const decision = await w.rpVerifier({ replayStore: store }).verify(flow.token, flow.expect);
    expect(codes(decision)).toEqual(['REPLAY_STORE_UNAVAILABLE']);
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons[0]!.message).not.toContain('10.0.0.7');
  });

  it('SHO-REPLAY-4: a store that rejects with REPLAY_STORE_UNAVAILABLE denies with that code', async () => {
    const flow = await w.transaction();
    const store = spyStore(async () => {
      throw new ShomeiError('REPLAY_STORE_UNAVAILABLE', 'replay store timed out', { reason: 'timeout', requirement: 'SHO-REPLAY-4' });
    });
    const decision = await w.rpVerifier({ replayStore: store }).verify(flow.token, flow.expect);
    expect(codes(decision)).toEqual(['REPLAY_STORE_UNAVAILABLE']);
  });

  it('SHO-REPLAY-4: a store that answers neither fresh nor replayed is treated as unavailable (deny)', async () => {
    const flow = await w.link();
    const store = spyStore(async () => undefined as unknown as ConsumeResult);
    const decision = await w.rpVerifier({ replayStore: store }).verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['REPLAY_STORE_UNAVAILABLE']);
  });

  it('SHO-REPLAY-3: a full in-memory store refuses the next token (REPLAY_STORE_UNAVAILABLE) instead of evicting', async () => {
    const [first, second] = [await w.link(), await w.link()];
    const replayStore = createMemoryReplayStore({ clock: () => NOW_MS, maxEntries: 1 });
    const verifier = w.rpVerifier({ replayStore });
    expectAllowed(await verifier.verify(first.token, first.expect));
    expect(codes(await verifier.verify(second.token, second.expect))).toEqual(['REPLAY_STORE_UNAVAILABLE']);
    expectDenied(await verifier.verify(first.token, first.expect), 'REPLAYED');
  });
});

describe('only tokens that passed every other check are spent (SHO-VER-6)', () => {
  it('SHO-VER-6: a token denied before its signature does not burn the jti', async () => {
    const flow = await w.link();
    const store = spyStore(async () => 'fresh');
    const verifier = w.rpVerifier({ replayStore: store });
    expectDenied(await verifier.verify(withSignature(flow.token, new Uint8Array(64)), flow.expect), 'SIGNATURE_INVALID');
    expect(store.calls).toHaveLength(0);
  });

  it('SHO-VER-6: a mutilated copy presented first does not prevent the genuine token', async () => {
    const flow = await w.link();
    const verifier = w.rpVerifier();
    // The attacker raises aal and re-signs with its own key under the bank's kid.
    const mutilated = forge({ header: headerFor(w.keys.bank, 'shomei-link+jwt'), payload: { ...decode(flow.token).payload, aal: 'aal3' }, key: w.keys.attacker });
    expectDenied(await verifier.verify(mutilated, flow.expect), 'SIGNATURE_INVALID');
    expectAllowed(await verifier.verify(flow.token, flow.expect));
  });

  it('SHO-VER-6: a token denied for a binding failure (wrong nonce) is not spent', async () => {
    const flow = await w.link();
    const verifier = w.rpVerifier();
    expectDenied(await verifier.verify(flow.token, { ...flow.expect, nonce: 'wrong-nonce-000000000001' }), 'NONCE_MISMATCH');
    expectAllowed(await verifier.verify(flow.token, flow.expect));
  });

  it('SHO-VER-6: a token denied for its time (not yet valid for a slow clock) is not spent', async () => {
    const flow = await w.link();
    const replayStore = createMemoryReplayStore({ clock: () => NOW_MS });
    const early = w.rpVerifier({ replayStore, clock: () => NOW_MS - 3600_000 });
    expectDenied(await early.verify(flow.token, flow.expect), 'IAT_IN_FUTURE');
    expectAllowed(await w.rpVerifier({ replayStore }).verify(flow.token, flow.expect));
  });

  it('SHO-VER-6: a token the policy denies is spent: presenting it again is REPLAYED', async () => {
    const flow = await w.link({ identity_match: { name: 'match', name_kana: 'match', birthdate: 'no_match' } });
    const verifier = w.rpVerifier();
    expectDenied(await verifier.verify(flow.token, flow.expect), 'IDENTITY_NO_MATCH');
    expectDenied(await verifier.verify(flow.token, flow.expect), 'REPLAYED');
  });
});

describe('decision log (SHO-VER-12, SHO-LOG-1 to SHO-LOG-3)', () => {
  const failingLog = (error: unknown): DecisionLog => ({
    async append() {
      throw error;
    },
  });

  it('SHO-VER-12: a log that throws turns an allow into deny DECISION_LOG_UNAVAILABLE, without claims', async () => {
    const flow = await w.link();
    const decision = await w.rpVerifier({ decisionLog: failingLog(new Error('EROFS: read-only file system')) }).verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['DECISION_LOG_UNAVAILABLE']);
    expect(decision.claims).toBeUndefined();
  });

  it('SHO-VER-12: a log that rejects with DECISION_LOG_UNAVAILABLE denies with that code', async () => {
    const flow = await w.transaction();
    const error = new ShomeiError('DECISION_LOG_UNAVAILABLE', 'the decision log is closed', { reason: 'closed', requirement: 'SHO-LOG-3' });
    const decision = await w.rpVerifier({ decisionLog: failingLog(error) }).verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toContain('DECISION_LOG_UNAVAILABLE');
  });

  it('SHO-VER-12: a failing log keeps the earlier reasons of a denied token and adds DECISION_LOG_UNAVAILABLE', async () => {
    const flow = await w.link();
    const decision = await w.rpVerifier({ decisionLog: failingLog(new Error('disk full')) }).verify(flow.token, { ...flow.expect, nonce: 'wrong-nonce-000000000001' });
    expect(codes(decision)).toEqual(['NONCE_MISMATCH', 'DECISION_LOG_UNAVAILABLE']);
  });

  it('SHO-LOG-1: every decision is logged, including failures before the signature', async () => {
    const flow = await w.link();
    const verifier = w.rpVerifier();
    await verifier.verify('not-a-token', flow.expect);
    await verifier.verify(withSignature(flow.token, new Uint8Array(64)), flow.expect);
    await verifier.verify(flow.token, flow.expect);
    await verifier.verify(flow.token, flow.expect);
    expect(verifier.log.entries().map((entry) => [entry.outcome, entry.reasons])).toEqual([
      ['deny', ['MALFORMED_TOKEN']],
      ['deny', ['SIGNATURE_INVALID']],
      ['allow', []],
      ['deny', ['REPLAYED']],
    ]);
  });

  it('SHO-LOG-1, SHO-LOG-2: a token with more than 64 failing claims is still logged, each code once', async () => {
    const flow = await w.link();
    const { payload } = decode(flow.token);
    // 100 jp_aml elements without time, level or procedure: three CLAIMS_INVALID reasons for each one.
    payload.verified_claims = Array.from({ length: 100 }, () => ({ verification: { trust_framework: 'jp_aml' }, claims: {} }));
    const token = forge({ header: headerFor(w.keys.bank, 'shomei-link+jwt'), payload, key: w.keys.bank });
    const verifier = w.rpVerifier();
    const decision = await verifier.verify(token, flow.expect);
    expect(decision.reasons.length).toBeGreaterThan(64);
    expect(codes(decision)).not.toContain('DECISION_LOG_UNAVAILABLE');
    const [entry] = verifier.log.entries();
    expect(entry?.outcome).toBe('deny');
    expect(entry?.reasons).toEqual([...new Set(codes(decision))]);
  });

  it('SHO-LOG-2: an entry names kind, action, issuer, kid, jti, transaction hash, token hash and policy', async () => {
    const flow = await w.link();
    const verifier = w.rpVerifier();
    await verifier.verify(flow.token, flow.expect);
    const [entry] = verifier.log.entries() as [DecisionEntry];
    expect(entry).toMatchObject({
      kind: 'link',
      action: 'account_link',
      issuer: BANK,
      audience: RP,
      kid: w.keys.bank.kid,
      jti: flow.claims.jti,
      transaction_hash: flow.claims.transaction_hash,
      token_hash: await sha256Base64url(flow.token),
      policy: { id: 'shomei-default-jp', version: expect.any(String) },
      outcome: 'allow',
      reasons: [],
    });
    expect(entry.time).toBe(new Date(NOW_MS).toISOString());
  });

  it('SHO-LOG-3: entries of allowed, denied and reviewed decisions hold identifiers and hashes only', async () => {
    const verifier = w.rpVerifier();
    const allowed = await w.link();
    const reviewed = await w.link({ identity_match: { name: 'close_match', name_kana: 'match', birthdate: 'match' } });
    const denied = await w.transaction({ amr: ['pwd', 'sms', 'otp'], acr: undefined, phishing_resistant: false });
    await verifier.verify(allowed.token, allowed.expect);
    await verifier.verify(reviewed.token, reviewed.expect);
    await verifier.verify(denied.token, denied.expect);
    await verifier.verify(allowed.token, { ...allowed.expect, nonce: 'wrong-nonce-000000000001' });
    const entries = verifier.log.entries();
    expect(entries.map((entry) => entry.outcome)).toEqual(['allow', 'review', 'deny', 'deny']);
    expectCleanLog(entries, [allowed.token, reviewed.token, denied.token, allowed.claims.nonce, reviewed.claims.nonce, denied.claims.nonce]);
    for (const entry of entries) {
      const text = JSON.stringify(entry);
      expect(text).not.toContain('verified_claims');
      expect(text).not.toContain('150000');
    }
  });
});
