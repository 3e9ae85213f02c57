/**
 * The decision (spec/13-verification.md SHO-VER-2, SHO-VER-4, SHO-VER-5, SHO-VER-8 to SHO-VER-11,
 * SHO-VER-13): the fixed order, what a decision holds before and after the signature, collected
 * reasons, the throwing variant, and messages free of personal data.
 */
import { describe, expect, it } from 'vitest';
import { sha256Base64url } from '../../src/canonical/digest.js';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { createMemoryReplayStore } from '../../src/replay/memory-replay-store.js';
import { VerificationError, type Decision } from '../../src/verifier/result.js';
import {
  ATTACKER,
  BANK,
  codes,
  createWorld,
  decode,
  expectAllowed,
  expectCleanDecision,
  forge,
  headerFor,
  NOW_MS,
  parts,
  resign,
  withSignature,
} from '../helpers/world.js';

const w = await createWorld();
const bank = w.keys.bank;
const LINK_TYP = 'shomei-link+jwt';

/** Pre-signature failures of one link flow: one per step 1–4. */
async function earlyFailures() {
  const flow = await w.link();
  return {
    flow,
    cases: [
      ['parse', 'MALFORMED_TOKEN', `${parts(flow.token)[0]}.${parts(flow.token)[1]}`],
      ['header', 'TYP_MISMATCH', resign(flow.token, { key: bank, header: (header) => ({ ...header, typ: 'JWT' }) })],
      ['key', 'KEY_NOT_FOUND', resign(flow.token, { key: w.keys.attacker, header: (header) => ({ ...header, kid: w.keys.attacker.kid }) })],
      ['signature', 'SIGNATURE_INVALID', withSignature(flow.token, new Uint8Array(64))],
    ] as const,
  };
}

describe('before the signature (SHO-VER-2, SHO-VER-4, SHO-JWS-20)', () => {
  it('SHO-VER-4: a failure in steps 1–4 is a deny with exactly one reason and no claims', async () => {
    const { flow, cases } = await earlyFailures();
    for (const [step, code, token] of cases) {
      const decision = await w.rpVerifier().verify(token, flow.expect);
      expect({ step, outcome: decision.outcome, codes: codes(decision) }).toEqual({ step, outcome: 'deny', codes: [code] });
      expect(decision.claims, step).toBeUndefined();
    }
  });

  it('SHO-VER-4: a failure in steps 1–4 reports no issuer and no jti', async () => {
    const { flow, cases } = await earlyFailures();
    for (const [step, , token] of cases) {
      const decision = await w.rpVerifier().verify(token, flow.expect);
      expect({ step, issuer: decision.issuer, jti: decision.jti }).toEqual({ step, issuer: undefined, jti: undefined });
    }
  });

  it('SHO-VER-4: an unknown expected issuer reports no issuer in the decision', async () => {
    const flow = await w.link();
    const decision = await w.rpVerifier().verify(flow.token, { ...flow.expect, issuer: ATTACKER });
    expect(codes(decision)).toEqual(['ISSUER_UNKNOWN']);
    expect(decision.issuer).toBeUndefined();
  });

  it('SHO-VER-2: an invalid signature over a non-JSON payload is SIGNATURE_INVALID, not MALFORMED_TOKEN', async () => {
    const flow = await w.link();
    const token = `${parts(flow.token)[0]}.${parts(forge({ header: {}, payload: 'this is {not json', key: bank }))[1]}.${parts(flow.token)[2]}`;
    expect(codes(await w.rpVerifier().verify(token, flow.expect))).toEqual(['SIGNATURE_INVALID']);
  });

  it('SHO-VER-2: an invalid signature over a payload with duplicate members is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const text = `${JSON.stringify(decode(flow.token).payload).slice(0, -1)},"aud":"${ATTACKER}"}`;
    const token = withSignature(forge({ header: headerFor(bank, LINK_TYP), payload: text, key: bank }), parts(flow.token)[2]);
    expect(codes(await w.rpVerifier().verify(token, flow.expect))).toEqual(['SIGNATURE_INVALID']);
  });

  it('SHO-VER-2: an invalid signature over an expired, misaddressed payload reports only SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const token = resign(flow.token, { key: w.keys.attacker, payload: (payload) => ({ ...payload, aud: ATTACKER, exp: 1, iat: 0 }) });
    expect(codes(await w.rpVerifier().verify(token, flow.expect))).toEqual(['SIGNATURE_INVALID']);
  });
});

describe('after the signature every failure is collected (SHO-VER-5)', () => {
  it('SHO-VER-5: a token both expired and for another audience lists TOKEN_EXPIRED then AUDIENCE_MISMATCH', async () => {
    const flow = await w.link({ aud: 'https://other-broker.example' });
    const late = w.rpVerifier({ clock: () => (flow.claims.exp + 3600) * 1000 });
    const decision = await late.verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision)).toEqual(['TOKEN_EXPIRED', 'AUDIENCE_MISMATCH']);
  });

  it('SHO-VER-5: time, audience, nonce and binding failures of one token are all listed, in step order', async () => {
    const flow = await w.link({ aud: 'https://other-broker.example' });
    const other = await w.request();
    const late = w.rpVerifier({ clock: () => (flow.claims.exp + 3600) * 1000 });
    const decision = await late.verify(flow.token, { ...flow.expect, nonce: 'wrong-nonce-000000000001', request: other.token, action: 'payout_destination_change' });
    expect(codes(decision)).toEqual(['TOKEN_EXPIRED', 'AUDIENCE_MISMATCH', 'NONCE_MISMATCH', 'REQUEST_MISMATCH', 'REQUEST_MISMATCH']);
  });

  it('SHO-VER-5: the claims of a schema failure are absent, the other failures still listed', async () => {
    const flow = await w.link();
    const token = resign(flow.token, { key: bank, payload: (payload) => ({ ...payload, aal: 'aal9', aud: 'https://other-broker.example' }) });
    const decision = await w.rpVerifier().verify(token, flow.expect);
    expect(codes(decision)).toEqual(['CLAIMS_INVALID', 'AUDIENCE_MISMATCH']);
    expect(decision.claims).toBeUndefined();
  });

  for (const [name, mutate, claim] of [
    ['aud as an array', (payload: Record<string, unknown>) => ({ ...payload, aud: [payload.aud] }), 'aud'],
    ['aud missing', ({ aud: _dropped, ...payload }: Record<string, unknown>) => payload, 'aud'],
    ['iss missing', ({ iss: _dropped, ...payload }: Record<string, unknown>) => payload, 'iss'],
    ['nonce missing', ({ nonce: _dropped, ...payload }: Record<string, unknown>) => payload, 'nonce'],
  ] as const) {
    it(`SHO-VER-5: ${name} gives exactly one reason naming ${claim} (no second reason for the same claim)`, async () => {
      const flow = await w.link();
      const decision = await w.rpVerifier().verify(resign(flow.token, { key: bank, payload: mutate }), flow.expect);
      expect(decision.outcome).toBe('deny');
      expect(decision.reasons.filter((reason) => reason.claim === claim).map((reason) => reason.code)).toEqual(['CLAIMS_INVALID']);
    });
  }
});

describe('the decision (SHO-VER-7 to SHO-VER-9)', () => {
  it('SHO-VER-8: an allowed link names issuer, kid, jti, transactionHash, tokenHash, policy and carries the claims', async () => {
    const flow = await w.link();
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expectAllowed(decision);
    expect(decision).toMatchObject({
      outcome: 'allow',
      kind: 'link',
      issuer: BANK,
      kid: bank.kid,
      jti: flow.claims.jti,
      transactionHash: flow.claims.transaction_hash,
      tokenHash: await sha256Base64url(flow.token),
      policy: { id: 'shomei-default-jp' },
    });
  });

  it('SHO-VER-8: claims hold only members the kind defines', async () => {
    const flow = await w.link();
    const token = resign(flow.token, { key: bank, payload: (payload) => ({ ...payload, email: 'taro@example.jp' }) });
    const decision = await w.rpVerifier().verify(token, flow.expect);
    expectAllowed(decision);
    expect(JSON.stringify(decision.claims)).not.toContain('taro@example.jp');
  });

  it('SHO-VER-7: a review has reasons that all lead to review; a deny reason among them makes it deny', async () => {
    const review = await w.link({ identity_match: { name: 'close_match', name_kana: 'match', birthdate: 'match' } });
    expect((await w.rpVerifier().verify(review.token, review.expect)).outcome).toBe('review');
    const deny = await w.link({ identity_match: { name: 'close_match', name_kana: 'match', birthdate: 'no_match' } });
    const decision = await w.rpVerifier().verify(deny.token, deny.expect);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision).sort()).toEqual(['IDENTITY_CLOSE_MATCH', 'IDENTITY_NO_MATCH']);
  });

  const citations = [
    ['SIGNATURE_INVALID', ['SHO-JWS-20', 'SHO-JWS-12'], async () => {
      const flow = await w.link();
      return w.rpVerifier().verify(withSignature(flow.token, new Uint8Array(64)), flow.expect);
    }],
    ['ISSUER_UNKNOWN', ['SHO-VER-3', 'SHO-ROLE-7', 'SHO-VER-15'], async () => {
      const flow = await w.link();
      return w.rpVerifier().verify(flow.token, { ...flow.expect, issuer: ATTACKER });
    }],
    ['ISSUER_SUSPENDED', ['SHO-TRUST-4'], async () => {
      const flow = await w.link();
      return w.rpVerifier({ trust: w.rpTrust({ status: 'suspended' }) }).verify(flow.token, flow.expect);
    }],
    ['KIND_NOT_ALLOWED', ['SHO-TRUST-5', 'SHO-ROLE-3'], async () => {
      const flow = await w.transaction();
      return w.rpVerifier({ trust: w.rpTrust({ kinds: ['link'] }) }).verify(flow.token, flow.expect);
    }],
    ['ACCOUNT_MISMATCH', ['SHO-LINK-7', 'SHO-BIND-6'], async () => {
      const flow = await w.link({ account: { bank_code: '0005', branch_code: '123', type: '1', number: '7654321' } });
      return w.rpVerifier().verify(flow.token, flow.expect);
    }],
    ['TRANSACTION_MISMATCH', ['SHO-TXN-3', 'SHO-BIND-6'], async () => {
      const flow = await w.transaction();
      return w.rpVerifier().verify(flow.token, { ...flow.expect, transaction: { ...flow.claims.transaction, amount: { currency: 'JPY', value: '150001' } } });
    }],
  ] as const;
  for (const [code, requirements, run] of citations) {
    it(`SHO-VER-9: ${code} cites ${requirements.join(' or ')}, the requirement the token broke`, async () => {
      const decision = (await run()) as Decision;
      expect(decision.reasons[0]!.code).toBe(code);
      expect(requirements).toContain(decision.reasons[0]!.requirement);
    });
  }

  it('SHO-ERR-3: a CLAIMS_INVALID reason names the claim and never its value', async () => {
    const flow = await w.link();
    const token = resign(flow.token, { key: bank, payload: (payload) => ({ ...payload, sub: '山田太郎-1985-04-01' }) });
    const decision = await w.rpVerifier().verify(token, flow.expect);
    expect(decision.reasons).toContainEqual(expect.objectContaining({ code: 'CLAIMS_INVALID', claim: 'sub' }));
    // The shared assertion of the harness already scanned the messages for the personal data.
    expect(JSON.stringify(decision.reasons)).not.toContain('山田太郎');
  });

  it('SHO-ERR-3: a hostile kid is not echoed unbounded into messages', async () => {
    const flow = await w.link();
    const kid = `${'k'.repeat(200)}山田太郎`;
    const token = resign(flow.token, { key: bank, header: (header) => ({ ...header, kid }) });
    const decision = await w.rpVerifier().verify(token, flow.expect);
    expect(codes(decision)).toEqual(['KEY_NOT_FOUND']);
  });
});

describe('the shared personal-data assertion itself (SHO-ERR-3)', () => {
  const reason = (message: string) => ({ outcome: 'deny', kind: 'link', reasons: [{ code: 'CLAIMS_INVALID', requirement: 'SHO-CLM-12', message }] }) as Decision;

  it('SHO-ERR-3: it rejects a message holding the birthdate, the kana, the account number or the token', () => {
    for (const leak of ['1985-04-01', 'ヤマダ', '1234567', '山田']) {
      expect(() => expectCleanDecision(reason(`sub: got ${leak}`), 'x')).toThrow();
    }
    const token = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    expect(() => expectCleanDecision(reason(`bad token ${token}`), token)).toThrow();
  });

  it('SHO-VER-9: it rejects a code outside the closed list and an undefined requirement', () => {
    expect(() => expectCleanDecision({ outcome: 'deny', kind: 'link', reasons: [{ code: 'NOPE' as never, requirement: 'SHO-CLM-1', message: 'x' }] }, 'x')).toThrow();
    expect(() => expectCleanDecision({ outcome: 'deny', kind: 'link', reasons: [{ code: 'CLAIMS_INVALID', requirement: ['SHO', 'CLM', '999'].join('-'), message: 'x' }] }, 'x')).toThrow();
  });
});

describe('the throwing variant (SHO-VER-10)', () => {
  it('SHO-VER-10: verifyOrThrow returns the decision with claims on allow', async () => {
    const flow = await w.link();
    const decision = await w.rpVerifier().verifier.verifyOrThrow(flow.token, flow.expect);
    expect(decision.outcome).toBe('allow');
    expect(decision.claims.sub).toBe(flow.claims.sub);
  });

  it('SHO-VER-10: verifyOrThrow throws a VerificationError (a ShomeiError) with the first code and requirement, without claims', async () => {
    const flow = await w.link({ aud: 'https://other-broker.example' });
    const late = w.rpVerifier({ clock: () => (flow.claims.exp + 3600) * 1000 });
    const error = await late.verifier.verifyOrThrow(flow.token, flow.expect).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(VerificationError);
    expect(error).toBeInstanceOf(ShomeiError);
    const verification = error as VerificationError;
    expect(verification.code).toBe('TOKEN_EXPIRED');
    expect(verification.requirement).toBe(verification.decision.reasons[0]!.requirement);
    expect(codes(verification.decision)).toEqual(['TOKEN_EXPIRED', 'AUDIENCE_MISMATCH']);
    expect(verification.decision).not.toHaveProperty('claims');
    expectCleanDecision(verification.decision, flow.token);
    expect(verification.message).not.toContain(flow.token);
  });

  it('SHO-VER-10: verifyOrThrow throws on review too (IDENTITY_CLOSE_MATCH), without claims', async () => {
    const flow = await w.link({ identity_match: { name: 'close_match', name_kana: 'match', birthdate: 'match' } });
    const error = (await w.rpVerifier().verifier.verifyOrThrow(flow.token, flow.expect).catch((thrown: unknown) => thrown)) as VerificationError;
    expect(error).toBeInstanceOf(VerificationError);
    expect(error.code).toBe('IDENTITY_CLOSE_MATCH');
    expect(error.decision.outcome).toBe('review');
    expect(error.decision).not.toHaveProperty('claims');
  });

  it('SHO-VER-10: verifyOrThrow on a pre-signature failure throws that code', async () => {
    const flow = await w.link();
    const error = (await w.rpVerifier().verifier.verifyOrThrow(withSignature(flow.token, new Uint8Array(64)), flow.expect).catch((thrown: unknown) => thrown)) as VerificationError;
    expect(error.code).toBe('SIGNATURE_INVALID');
  });
});

describe('hostile input never throws (SHO-VER-11)', () => {
  it('SHO-VER-11: arbitrary strings yield a deny decision', async () => {
    const flow = await w.link();
    const verifier = w.rpVerifier();
    const hostile = [
      '.',
      '....',
      '\u0000',
      'eyJ',
      'eyJhbGciOiJub25lIn0.e30.',
      'eyJhbGciOiJub25lIn0.e30.e30',
      `${'a'.repeat(5000)}.${'b'.repeat(5000)}.${'c'.repeat(5000)}`,
      '\ud800.\udfff.x',
      '𠮷.𠮷.𠮷',
      'null.null.null',
      '__proto__.constructor.prototype',
    ];
    for (const token of hostile) {
      const decision = await verifier.verify(token, flow.expect);
      expect(decision.outcome, JSON.stringify(token.slice(0, 20))).toBe('deny');
      expect(decision.reasons).toHaveLength(1);
    }
  });
});

describe('one instant per verification (SHO-VER-13)', () => {
  it('SHO-VER-13: with a clock that jumps an hour on every read, the decision and its log entry use the first instant', async () => {
    const flow = await w.link();
    let reads = 0;
    const clock = () => NOW_MS + reads++ * 3600_000;
    const verifier = w.rpVerifier({ clock, replayStore: createMemoryReplayStore({ clock: () => NOW_MS }) });
    expectAllowed(await verifier.verify(flow.token, flow.expect));
    expect(verifier.log.entries()[0]!.time).toBe(new Date(NOW_MS).toISOString());
  });
});
