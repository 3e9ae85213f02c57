import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/verifier/verify.js';
import { CASE_FILES, expectationsOf, INDEX, KNOWN_DIVERGENCES, mismatches, presentationsOf, VECTORS, verifierOptions } from './fixtures.js';

/**
 * Every vector of spec/vectors/ through the library: one verifier per vector (so a fresh in-memory replay
 * store), its presentations in order, each decision compared with the expected outcome and codes.
 */
describe('spec/vectors through createVerifier', () => {
  for (const vector of VECTORS) {
    const divergence = KNOWN_DIVERGENCES[vector.id];
    const test = divergence === undefined ? it : it.fails;
    const name = `${vector.requirements.join(' ')}: ${vector.id} → ${vector.expected.outcome}${divergence === undefined ? '' : ` (KNOWN LIBRARY DIVERGENCE: ${divergence})`}`;
    test(name, async () => {
      const verifier = createVerifier(verifierOptions(vector));
      try {
        for (const [index, presentation] of presentationsOf(vector).entries()) {
          const decision = await verifier.verify(presentation.token ?? vector.token, expectationsOf(vector, presentation));
          const codes = decision.reasons.map((reason) => reason.code);
          expect(mismatches({ outcome: decision.outcome, codes }, presentation.expected), `presentation ${index}`).toEqual([]);
          if (presentation.expected.codes_match === 'exact' && decision.outcome === 'deny') {
            // SHO-VER-4: a failure before the signature yields one reason and no claims.
            expect(decision.claims).toBeUndefined();
          }
        }
      } finally {
        await verifier.close();
      }
    });
  }
});

describe('what the vectors cover', () => {
  const allowed = (kind: string, alg: string) => VECTORS.some((v) => v.kind === kind && v.alg === alg && v.expected.outcome === 'allow');

  it('SHO-KIND-1: every kind has an allowed ES256 and an allowed EdDSA vector, and denied ones', () => {
    for (const kind of ['request', 'link', 'transaction', 'identity']) {
      expect(allowed(kind, 'ES256'), `${kind} ES256`).toBe(true);
      expect(allowed(kind, 'EdDSA'), `${kind} EdDSA`).toBe(true);
      expect(VECTORS.some((v) => v.kind === kind && v.expected.outcome === 'deny'), `${kind} deny`).toBe(true);
    }
  });

  it('SHO-JWS-15: at least one allowed PS256 vector, marked not reproducible', () => {
    const ps256 = VECTORS.filter((v) => v.alg === 'PS256' && v.expected.outcome === 'allow');
    expect(ps256.length).toBeGreaterThan(0);
    expect(ps256.every((v) => !v.reproducible)).toBe(true);
  });

  it('SHO-ERR-1: the vectors produce every code a token, a trust entry or the default policy can cause', () => {
    const produced = new Set<string>(VECTORS.flatMap((v) => presentationsOf(v).flatMap((p) => p.expected.codes)));
    const required = [
      'MALFORMED_TOKEN', 'TOKEN_TOO_LARGE', 'TYP_MISMATCH', 'ALG_NOT_ALLOWED', 'KID_MISSING', 'CRIT_UNSUPPORTED',
      'KEY_NOT_FOUND', 'SIGNATURE_INVALID', 'CLAIMS_INVALID', 'TOKEN_EXPIRED', 'TOKEN_NOT_YET_VALID', 'IAT_IN_FUTURE',
      'LIFETIME_EXCEEDED', 'AUDIENCE_MISMATCH', 'ISSUER_UNKNOWN', 'ISSUER_MISMATCH', 'ISSUER_SUSPENDED', 'KIND_NOT_ALLOWED',
      'NONCE_MISMATCH', 'REQUEST_MISMATCH', 'TRANSACTION_MISMATCH', 'ACCOUNT_MISMATCH', 'REPLAYED', 'POLICY_NOT_FOUND',
      'KYC_MISSING', 'IAL_TOO_LOW', 'TRUST_FRAMEWORK_NOT_ALLOWED', 'PROOFING_METHOD_NOT_ALLOWED', 'KYC_TOO_OLD',
      'AAL_TOO_LOW', 'FACTOR_NOT_COUNTED', 'PHISHING_RESISTANCE_REQUIRED', 'AUTH_TOO_OLD', 'IDENTITY_NO_MATCH',
      'IDENTITY_CLOSE_MATCH', 'IDENTITY_MATCH_MISSING', 'AMOUNT_LIMIT_EXCEEDED',
    ];
    expect(required.filter((code) => !produced.has(code))).toEqual([]);
  });

  it('SHO-VER-4: a failure before the signature lists exactly one code; after it, the codes are a minimum', () => {
    // Both branches must meet vectors, or the checks below prove nothing.
    let earlyCount = 0;
    let allowCount = 0;
    for (const vector of VECTORS) {
      for (const { expected } of presentationsOf(vector)) {
        const early = ['parse', 'header', 'key', 'signature'].includes(expected.step);
        if (early) earlyCount++;
        if (expected.outcome === 'allow') allowCount++;
        if (early) expect(expected.codes_match === 'exact' && expected.codes.length === 1, vector.id).toBe(true);
        if (expected.outcome === 'allow') expect(expected.codes_match === 'exact' && expected.codes.length === 0, vector.id).toBe(true);
      }
    }
    expect(earlyCount).toBeGreaterThan(0);
    expect(allowCount).toBeGreaterThan(0);
  });

  it('SHO-VER-7: review only for a close identity match, deny for everything else', () => {
    let reviews = 0;
    for (const vector of VECTORS) {
      const { outcome, codes } = vector.expected;
      if (outcome === 'review') reviews++;
      if (outcome === 'review') expect(codes, vector.id).toEqual(['IDENTITY_CLOSE_MATCH']);
    }
    expect(reviews, 'no review vector: the check above never ran').toBeGreaterThan(0);
  });

  it('SHO-REPLAY-1: replay vectors describe a sequence on one verifier', () => {
    const replays = VECTORS.filter((v) => v.expected.codes.includes('REPLAYED'));
    expect(replays.length).toBeGreaterThan(0);
    expect(replays.every((v) => (v.sequence?.length ?? 0) >= 2)).toBe(true);
  });

  it('the index lists exactly the case files, in the order of the files it names', () => {
    expect(INDEX.vectors.map((entry) => entry.file.replace('cases/', '')).sort()).toEqual(CASE_FILES);
    for (const [i, vector] of VECTORS.entries()) {
      const entry = INDEX.vectors[i]!;
      expect({ id: entry.id, outcome: entry.outcome, codes: entry.codes }).toEqual({ id: vector.id, outcome: vector.expected.outcome, codes: vector.expected.codes });
    }
  });
});
