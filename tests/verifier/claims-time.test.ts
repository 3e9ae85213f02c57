/**
 * Steps 5 and 6, claims schema and time (spec/02-tokens.md SHO-CLM, SHO-KIND-3/4; spec/03–06 required
 * claims; spec/08-authentication.md SHO-AUTH-1/3). Every token here is validly signed by its issuer —
 * the issuer SDK would refuse most of these payloads, so they are forged with the issuer's own key.
 */
import { describe, expect, it } from 'vitest';
import { VerifiedClaims } from '../../src/claims/verified-claims.js';
import { KIND_DEFINITIONS, type Kind } from '../../src/kinds/kind.js';
import type { Expectations } from '../../src/verifier/verify.js';
import {
  codes,
  createWorld,
  decode,
  expectAllowed,
  expectDenied,
  forge,
  headerFor,
  NOW,
  NOW_MS,
  RP,
  TOLERANCE,
  type Flow,
  type TestKey,
  verifiedClaims,
} from '../helpers/world.js';

const w = await createWorld();
const flows = {
  request: await w.request().then((issued) => ({ token: issued.token, claims: issued.claims, expect: { kind: 'request', issuer: w.rp.issuer } })),
  link: await w.link(),
  transaction: await w.transaction(),
  identity: await w.identity(),
} as unknown as Record<Kind, Flow<Kind>>;
const keyOf: Record<Kind, TestKey> = { request: w.keys.rp, link: w.keys.bank, transaction: w.keys.bank, identity: w.keys.wallet };
const harnessFor = (kind: Kind, options = {}) => (kind === 'link' || kind === 'transaction' ? w.rpVerifier(options) : w.bankVerifier(options));

/** The flow's token with its payload mutated and re-signed by the legitimate issuer key. */
function mutated(kind: Kind, mutate: (payload: Record<string, unknown>) => Record<string, unknown> | string | void): string {
  const { payload } = decode(flows[kind].token);
  const result = mutate(payload);
  return forge({ header: headerFor(keyOf[kind], KIND_DEFINITIONS[kind].typ), payload: result ?? payload, key: keyOf[kind] });
}

async function verifyMutated(kind: Kind, mutate: (payload: Record<string, unknown>) => Record<string, unknown> | string | void, options = {}) {
  return harnessFor(kind, options).verify(mutated(kind, mutate), flows[kind].expect as Expectations<Kind>);
}

const REQUIRED: Record<Kind, { requirement: string; claims: string[] }> = {
  request: { requirement: 'SHO-REQ-2', claims: ['iss', 'aud', 'iat', 'exp', 'jti', 'nonce', 'action', 'redirect_uri', 'state'] },
  link: {
    requirement: 'SHO-LINK-2',
    claims: ['iss', 'aud', 'iat', 'exp', 'jti', 'sub', 'nonce', 'req_hash', 'action', 'account', 'transaction_hash', 'verified_claims', 'amr', 'auth_time', 'aal', 'phishing_resistant'],
  },
  transaction: {
    requirement: 'SHO-TXN-2',
    claims: ['iss', 'aud', 'iat', 'exp', 'jti', 'sub', 'nonce', 'req_hash', 'transaction', 'transaction_hash', 'amr', 'auth_time', 'aal', 'phishing_resistant'],
  },
  identity: {
    requirement: 'SHO-IDA-2',
    claims: ['iss', 'aud', 'iat', 'exp', 'jti', 'sub', 'nonce', 'action', 'account', 'transaction_hash', 'amr', 'auth_time', 'aal', 'phishing_resistant'],
  },
};

describe('baseline', () => {
  for (const kind of ['request', 'link', 'transaction', 'identity'] as const) {
    it(`SHO-KIND-4: a re-signed, unmodified ${kind} verifies`, async () => {
      expectAllowed(await verifyMutated(kind, () => undefined));
    });
  }
});

describe('required claims', () => {
  for (const kind of ['request', 'link', 'transaction', 'identity'] as const) {
    for (const claim of REQUIRED[kind].claims) {
      it(`${REQUIRED[kind].requirement}: a ${kind} without ${claim} is CLAIMS_INVALID naming ${claim}`, async () => {
        expectDenied(
          await verifyMutated(kind, (payload) => {
            delete payload[claim];
          }),
          'CLAIMS_INVALID',
          claim,
        );
      });
    }
  }
  it('SHO-IDA-2: an identity assertion with neither verified_claims nor kyc_status is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('identity', (payload) => void delete payload.verified_claims), 'CLAIMS_INVALID', 'verified_claims');
  });
});

describe('claim types (SHO-CLM)', () => {
  it('SHO-CLM-2: aud as an array containing this verifier is CLAIMS_INVALID on aud', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.aud = [RP])), 'CLAIMS_INVALID', 'aud');
  });

  it('SHO-CLM-2: aud as an array with a second audience is denied', async () => {
    const decision = await verifyMutated('link', (payload) => void (payload.aud = [RP, 'https://other-broker.example']));
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons.some((reason) => reason.claim === 'aud')).toBe(true);
  });

  it('SHO-CLM-2: aud of another relying party is AUDIENCE_MISMATCH', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.aud = 'https://other-broker.example')), 'AUDIENCE_MISMATCH', 'aud');
  });

  it('SHO-TRUST-3: aud with a trailing slash is AUDIENCE_MISMATCH (exact comparison)', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.aud = `${RP}/`)), 'AUDIENCE_MISMATCH', 'aud');
  });

  it('SHO-CLM-3: iat as a string is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.iat = String(payload.iat))), 'CLAIMS_INVALID', 'iat');
  });

  it('SHO-CLM-3: exp with a fraction (exp + 0.5) is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.exp = (payload.exp as number) + 0.5)), 'CLAIMS_INVALID', 'exp');
  });

  it('SHO-CLM-3: exp as a boolean is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.exp = true)), 'CLAIMS_INVALID', 'exp');
  });

  it('SHO-CLM-3: a negative nbf is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.nbf = -1)), 'CLAIMS_INVALID', 'nbf');
  });

  it('SHO-CLM-3: exp is judged by its value — 1780282920.0 denotes a whole second and is accepted', async () => {
    const decision = await verifyMutated('link', (payload) => {
      const text = JSON.stringify(payload).replace(`"exp":${payload.exp}`, `"exp":${payload.exp}.0`);
      expect(text).toContain(`"exp":${payload.exp}.0`);
      return text;
    });
    expect(codes(decision)).not.toContain('CLAIMS_INVALID');
  });

  it('SHO-CLM-3: exp with a fractional value (…​.5) is CLAIMS_INVALID', async () => {
    const decision = await verifyMutated('link', (payload) => {
      const text = JSON.stringify(payload).replace(`"exp":${payload.exp}`, `"exp":${payload.exp}.5`);
      expect(text).toContain(`"exp":${payload.exp}.5`);
      return text;
    });
    expectDenied(decision, 'CLAIMS_INVALID', 'exp');
  });

  it('SHO-CLM-3: iat written with an exponent whose value has a fraction (e.g. 1.78028283e9 + 0.5) is CLAIMS_INVALID', async () => {
    const decision = await verifyMutated('link', (payload) => {
      const iat = payload.iat as number;
      const exponent = `${(iat + 0.5) / 1e9}e9`;
      expect(Number(exponent)).not.toBe(iat);
      const text = JSON.stringify(payload).replace(`"iat":${iat}`, `"iat":${exponent}`);
      expect(text).toContain(`"iat":${exponent}`);
      return text;
    });
    expectDenied(decision, 'CLAIMS_INVALID', 'iat');
  });

  for (const claim of ['acr', 'txn', 'nbf', 'identity_match']) {
    it(`SHO-CLM-14: ${claim}: null (an optional claim sent as null) is CLAIMS_INVALID`, async () => {
      expectDenied(await verifyMutated('link', (payload) => void (payload[claim] = null)), 'CLAIMS_INVALID', claim);
    });
  }

  it('SHO-CLM-8: a jti of 15 characters is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.jti = 'abcdefghijklmno')), 'CLAIMS_INVALID', 'jti');
  });

  it('SHO-CLM-8: a jti with a character outside [A-Za-z0-9_-] is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.jti = 'abcdefghijklmnop.q')), 'CLAIMS_INVALID', 'jti');
  });

  it('SHO-CLM-12: a sub that is an account number is CLAIMS_INVALID (and not echoed)', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.sub = '1234567')), 'CLAIMS_INVALID', 'sub');
  });

  it('SHO-CLM-1: an iss that is an http URL on a public host is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.iss = 'http://bank.example')), 'CLAIMS_INVALID', 'iss');
  });

  it('SHO-AUTH-1: an unknown amr value is CLAIMS_INVALID', async () => {
    const decision = await verifyMutated('link', (payload) => void (payload.amr = ['x-passkey-devicebound', 'x-magic']));
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons.some((reason) => reason.code === 'CLAIMS_INVALID' && reason.claim?.startsWith('amr'))).toBe(true);
  });

  it('SHO-AUTH-1: an amr with a duplicate value is CLAIMS_INVALID', async () => {
    const decision = await verifyMutated('link', (payload) => void (payload.amr = ['x-passkey-devicebound', 'x-passkey-devicebound']));
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons.some((reason) => reason.code === 'CLAIMS_INVALID' && reason.claim?.startsWith('amr'))).toBe(true);
  });

  it('SHO-AUTH-4: aal outside aal1–aal3 is CLAIMS_INVALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.aal = 'aal4')), 'CLAIMS_INVALID', 'aal');
  });

  it('SHO-ACCT-1: an account number as a JSON number is CLAIMS_INVALID', async () => {
    expectDenied(
      await verifyMutated('link', (payload) => void ((payload.account as Record<string, unknown>).number = 1234567)),
      'CLAIMS_INVALID',
      'account.number',
    );
  });

  it('SHO-ACCT-1: full-width digits in the account number are CLAIMS_INVALID', async () => {
    expectDenied(
      await verifyMutated('link', (payload) => void ((payload.account as Record<string, unknown>).number = '１２３４５６７')),
      'CLAIMS_INVALID',
      'account.number',
    );
  });

  it('SHO-TXN-6: an amount value sent as a JSON number is CLAIMS_INVALID', async () => {
    expectDenied(
      await verifyMutated('transaction', (payload) => void ((payload.transaction as { amount: Record<string, unknown> }).amount.value = 150000)),
      'CLAIMS_INVALID',
      'transaction.amount.value',
    );
  });

  it('SHO-TXN-5: an unknown member in the transaction is CLAIMS_INVALID', async () => {
    expectDenied(
      await verifyMutated('transaction', (payload) => void ((payload.transaction as Record<string, unknown>).memo = 'x')),
      'CLAIMS_INVALID',
      'transaction',
    );
  });

  it('SHO-KIND-4: a link payload under the transaction typ is CLAIMS_INVALID when verified as a transaction', async () => {
    const token = forge({ header: headerFor(w.keys.bank, KIND_DEFINITIONS.transaction.typ), payload: decode(flows.link.token).payload, key: w.keys.bank });
    expectDenied(await w.rpVerifier().verify(token, flows.transaction.expect as Expectations<'transaction'>), 'CLAIMS_INVALID');
  });

  it('SHO-KIND-4: a transaction payload under the link typ is CLAIMS_INVALID when verified as a link', async () => {
    const token = forge({ header: headerFor(w.keys.bank, KIND_DEFINITIONS.link.typ), payload: decode(flows.transaction.token).payload, key: w.keys.bank });
    expectDenied(await w.rpVerifier().verify(token, flows.link.expect as Expectations<'link'>), 'CLAIMS_INVALID');
  });

  it('SHO-CLM-13: a claim the kind does not define is ignored and not returned', async () => {
    const decision = await verifyMutated('link', (payload) => void (payload.x_debug = 'trace-1'));
    expectAllowed(decision);
    expect(decision.claims).not.toHaveProperty('x_debug');
  });
});

describe('time (SHO-CLM-4 to SHO-CLM-6, SHO-KIND-3, SHO-AUTH-3)', () => {
  const { exp, iat } = flows.link.claims as { exp: number; iat: number };
  const at = (seconds: number) => ({ clock: () => seconds * 1000 });

  it('SHO-CLM-4: at now − tolerance = exp the token is TOKEN_EXPIRED', async () => {
    expectDenied(await w.rpVerifier(at(exp + TOLERANCE)).verify(flows.link.token, flows.link.expect as Expectations<'link'>), 'TOKEN_EXPIRED', 'exp');
  });

  it('SHO-CLM-4: one second earlier (now − tolerance = exp − 1) the token is accepted', async () => {
    expectAllowed(await w.rpVerifier(at(exp + TOLERANCE - 1)).verify(flows.link.token, flows.link.expect as Expectations<'link'>));
  });

  it('SHO-CLM-7: with clockTolerance 0 the token is expired exactly at exp', async () => {
    const decision = await w.rpVerifier({ ...at(exp), clockTolerance: 0 }).verify(flows.link.token, flows.link.expect as Expectations<'link'>);
    expectDenied(decision, 'TOKEN_EXPIRED', 'exp');
  });

  it('SHO-CLM-5: nbf later than now + tolerance is TOKEN_NOT_YET_VALID', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.nbf = NOW + TOLERANCE + 1)), 'TOKEN_NOT_YET_VALID', 'nbf');
  });

  it('SHO-CLM-5: nbf equal to now + tolerance is accepted', async () => {
    expectAllowed(await verifyMutated('link', (payload) => void (payload.nbf = NOW + TOLERANCE)));
  });

  it('SHO-CLM-6: iat later than now + tolerance is IAT_IN_FUTURE', async () => {
    const decision = await verifyMutated('link', (payload) => {
      payload.iat = NOW + TOLERANCE + 1;
      payload.exp = NOW + TOLERANCE + 61;
    });
    expectDenied(decision, 'IAT_IN_FUTURE', 'iat');
  });

  it('SHO-CLM-6: iat equal to now + tolerance is accepted (an issuer clock 10 s ahead)', async () => {
    const ahead = await w.link({}, { issuer: (await import('../../src/issuer/issue.js')).createIssuer({ issuer: w.bank.issuer, signer: w.keys.bank.signer, clock: () => NOW_MS + TOLERANCE * 1000 }) });
    expect(ahead.claims.iat).toBe(NOW + TOLERANCE);
    expectAllowed(await w.rpVerifier().verify(ahead.token, ahead.expect));
  });

  it('SHO-KIND-3: exp − iat of 301 s for a link (maximum 300) is LIFETIME_EXCEEDED', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.exp = iat + 301)), 'LIFETIME_EXCEEDED', 'exp');
  });

  it('SHO-KIND-3: exp − iat of 121 s for a transaction (maximum 120) is LIFETIME_EXCEEDED', async () => {
    expectDenied(await verifyMutated('transaction', (payload) => void (payload.exp = (payload.iat as number) + 121)), 'LIFETIME_EXCEEDED', 'exp');
  });

  it('SHO-KIND-3: exp equal to iat is LIFETIME_EXCEEDED', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.exp = iat)), 'LIFETIME_EXCEEDED', 'exp');
  });

  it('SHO-KIND-3: exp before iat is LIFETIME_EXCEEDED', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.exp = iat - 1)), 'LIFETIME_EXCEEDED', 'exp');
  });

  it('SHO-AUTH-3: auth_time later than iat + tolerance is CLAIMS_INVALID on auth_time', async () => {
    expectDenied(await verifyMutated('link', (payload) => void (payload.auth_time = iat + TOLERANCE + 1)), 'CLAIMS_INVALID', 'auth_time');
  });

  it('SHO-AUTH-3: auth_time equal to iat + tolerance is accepted', async () => {
    expectAllowed(await verifyMutated('link', (payload) => void (payload.auth_time = iat + TOLERANCE)));
  });

  it('SHO-CLM-4: an expired token stays denied whatever else is right (codes list starts with TOKEN_EXPIRED)', async () => {
    const decision = await w.rpVerifier(at(exp + 3600)).verify(flows.link.token, flows.link.expect as Expectations<'link'>);
    expect(codes(decision)[0]).toBe('TOKEN_EXPIRED');
  });
});

describe('KYC verification time (found by the hostile-input review)', () => {
  it('SHO-KYC-5: a verification dated after the token was issued is CLAIMS_INVALID, never allowed', async () => {
    const world = await createWorld();
    const verifier = world.rpVerifier();
    const flow = await world.link({ verified_claims: verifiedClaims({ time: '2099-01-01T00:00:00+09:00' }) });
    const decision = await verifier.verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons).toContainEqual(expect.objectContaining({ code: 'CLAIMS_INVALID', claim: 'verified_claims.verification.time' }));
  });

  it('SHO-KYC-5: an impossible date (February 30) is refused by the schema instead of rolling over', () => {
    expect(VerifiedClaims.safeParse({ verification: { trust_framework: 'x', time: '2026-02-30T00:00:00+09:00' }, claims: {} }).success).toBe(false);
    expect(VerifiedClaims.safeParse({ verification: { trust_framework: 'x', time: '2026-02-28T24:00:00Z' }, claims: {} }).success).toBe(false);
    expect(VerifiedClaims.safeParse({ verification: { trust_framework: 'x', time: '2026-02-28T23:00Z' }, claims: {} }).success).toBe(true);
  });
});
