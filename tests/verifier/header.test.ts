/**
 * Step 2, header (spec/02-tokens.md SHO-JWS-6 to SHO-JWS-10, SHO-JWS-18, SHO-JWS-21, SHO-JWS-22,
 * SHO-KIND-2): explicit typing, the algorithm allow-list, kid, crit, cty — and headers that try to
 * bring their own key. Every mutated token is validly signed (by the bank, or by the attacker for the
 * key-carrying headers), so that only the mutation can be the reason.
 */
import { createPublicKey } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KIND_DEFINITIONS, KINDS, type Kind } from '../../src/kinds/kind.js';
import type { Expectations } from '../../src/verifier/verify.js';
import {
  ACCOUNT,
  BANK,
  codes,
  createWorld,
  decode,
  expectAllowed,
  expectDeniedEarly,
  forge,
  headerFor,
  resign,
  TXN,
} from '../helpers/world.js';

const w = await createWorld();
const bank = w.keys.bank;
const attacker = w.keys.attacker;
const LINK_TYP = KIND_DEFINITIONS.link.typ;
const flow = await w.link();
const { payload } = decode(flow.token);
const verifier = w.rpVerifier();
const [request, link, transaction, identity] = await Promise.all([w.request(), w.link(), w.transaction(), w.identity()]);

/** The link payload under a header built from the honest one. */
const signedHeader = (header: Record<string, unknown>, key = bank) => forge({ header, payload, key });
const verify = (token: string) => verifier.verify(token, flow.expect);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('typ (SHO-JWS-8, SHO-KIND-2)', () => {
  it('SHO-JWS-8: a header without typ is TYP_MISMATCH', async () => {
    const { typ: _dropped, ...header } = headerFor(bank, LINK_TYP);
    expectDeniedEarly(await verify(signedHeader(header)), 'TYP_MISMATCH');
  });

  for (const typ of [123, null, true, [LINK_TYP], { value: LINK_TYP }]) {
    it(`SHO-JWS-8: a non-string typ (${JSON.stringify(typ)}) is TYP_MISMATCH`, async () => {
      expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), typ })), 'TYP_MISMATCH');
    });
  }

  for (const typ of [
    'SHOMEI-LINK+JWT',
    'Shomei-link+jwt',
    'shomei-link+JWT',
    'application/shomei-link+jwt',
    'APPLICATION/shomei-link+jwt',
    'JWT',
    'jwt',
    'at+jwt',
    'secevent+jwt',
    'shomei-link',
    'shomei-link+jwt ',
    ' shomei-link+jwt',
    'shomei-link+jwt; charset=utf-8',
    'shomei-link+json',
    '',
  ]) {
    it(`SHO-KIND-2: typ ${JSON.stringify(typ)} is TYP_MISMATCH for a link`, async () => {
      expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), typ })), 'TYP_MISMATCH');
    });
  }

  describe('no kind is accepted as another (4 × 4)', () => {
    const tokens: Record<Kind, string> = { request: request.token, link: link.token, transaction: transaction.token, identity: identity.token };
    const issuers: Record<Kind, string> = { request: w.rp.issuer, link: BANK, transaction: BANK, identity: w.wallet.issuer };
    const expectationsFor = (kind: Kind, issuer: string): Expectations =>
      ({ kind, issuer, nonce: request.claims.nonce, request: request.token, transaction: structuredClone(TXN), account: { ...ACCOUNT } }) as Expectations;
    // Both verifiers trust every party for every kind, so only typ can refuse.
    const everything = (audience: 'rp' | 'bank') => {
      const parties = [
        w.partyEntry(BANK, bank, [...KINDS]),
        w.partyEntry(w.rp.issuer, w.keys.rp, [...KINDS]),
        w.partyEntry(w.wallet.issuer, w.keys.wallet, [...KINDS]),
      ];
      return audience === 'rp' ? w.rpVerifier({ trust: { parties } }) : w.bankVerifier({ trust: { parties } });
    };
    const atRp = everything('rp');
    const atBank = everything('bank');

    for (const presented of KINDS) {
      for (const expected of KINDS) {
        if (presented === expected) continue;
        it(`SHO-KIND-2: a ${presented} token verified as ${expected} is TYP_MISMATCH`, async () => {
          const harness = expected === 'link' || expected === 'transaction' ? atRp : atBank;
          expectDeniedEarly(await harness.verify(tokens[presented], expectationsFor(expected, issuers[presented])), 'TYP_MISMATCH');
        });
      }
    }
  });
});

describe('alg (SHO-JWS-6, SHO-JWS-22)', () => {
  for (const alg of ['none', 'None', 'NONE', 'HS256', 'HS512', 'RS256', 'PS384', 'ES384', 'ES512', 'ES256K', 'Ed25519', 'es256', 'ES256 ', '']) {
    it(`SHO-JWS-6: alg ${JSON.stringify(alg)} is ALG_NOT_ALLOWED`, async () => {
      expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), alg })), 'ALG_NOT_ALLOWED');
    });
  }

  for (const alg of [null, 256, ['ES256']]) {
    it(`SHO-JWS-6: a non-string alg (${JSON.stringify(alg)}) is ALG_NOT_ALLOWED`, async () => {
      expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), alg })), 'ALG_NOT_ALLOWED');
    });
  }

  it('SHO-JWS-6: alg none is ALG_NOT_ALLOWED whatever the typ: missing, JWT, or another kind', async () => {
    const { typ: _dropped, ...untyped } = headerFor(bank, LINK_TYP);
    for (const header of [{ ...untyped, alg: 'none' }, { ...untyped, alg: 'none', typ: 'JWT' }, { ...untyped, alg: 'none', typ: 'shomei-txn+jwt' }]) {
      expectDeniedEarly(await verify(signedHeader(header)), 'ALG_NOT_ALLOWED');
    }
  });

  it('SHO-JWS-6: a header without alg is ALG_NOT_ALLOWED', async () => {
    const { alg: _dropped, ...header } = headerFor(bank, LINK_TYP);
    expectDeniedEarly(await verify(signedHeader(header)), 'ALG_NOT_ALLOWED');
  });

  it('SHO-JWS-6: HS256 keyed with the bank’s public key (SPKI PEM bytes) is ALG_NOT_ALLOWED', async () => {
    const pem = createPublicKey({ key: bank.publicJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const token = forge({ header: { ...headerFor(bank, LINK_TYP), alg: 'HS256' }, payload, key: { hmac: new TextEncoder().encode(String(pem)) } });
    expectDeniedEarly(await verify(token), 'ALG_NOT_ALLOWED');
  });

  it('SHO-JWS-6: HS256 keyed with the bank’s public JWK (JSON bytes) is ALG_NOT_ALLOWED', async () => {
    const token = forge({
      header: { ...headerFor(bank, LINK_TYP), alg: 'HS256' },
      payload,
      key: { hmac: new TextEncoder().encode(JSON.stringify(bank.publicJwk)) },
    });
    expectDeniedEarly(await verify(token), 'ALG_NOT_ALLOWED');
  });

  it('SHO-JWS-22: EdDSA from a bank allowed only ES256 is ALG_NOT_ALLOWED, even with its published Ed25519 key', async () => {
    const token = forge({ header: headerFor(w.keys.bankEd, LINK_TYP), payload, key: w.keys.bankEd });
    expectDeniedEarly(await verify(token), 'ALG_NOT_ALLOWED');
  });

  it('SHO-JWS-22: the same EdDSA token verifies once the trust configuration allows the bank EdDSA', async () => {
    const token = forge({ header: headerFor(w.keys.bankEd, LINK_TYP), payload, key: w.keys.bankEd });
    const lenient = w.rpVerifier({ trust: w.rpTrust({ algs: ['ES256', 'EdDSA'] }) });
    expectAllowed(await lenient.verify(token, flow.expect));
  });

  it('SHO-JWS-22: the verifier-wide algorithms option narrows what a party may use (EdDSA refused)', async () => {
    const token = forge({ header: headerFor(w.keys.bankEd, LINK_TYP), payload, key: w.keys.bankEd });
    const narrow = w.rpVerifier({ trust: w.rpTrust({ algs: ['ES256', 'EdDSA'] }), algorithms: ['ES256'] });
    expectDeniedEarly(await narrow.verify(token, flow.expect), 'ALG_NOT_ALLOWED');
  });

  it('SHO-JWS-22: alg EdDSA naming the bank’s EC P-256 key is ALG_NOT_ALLOWED (the key does not fit)', async () => {
    const token = forge({ header: { ...headerFor(bank, LINK_TYP), alg: 'EdDSA' }, payload, key: w.keys.bankEd });
    const lenient = w.rpVerifier({ trust: w.rpTrust({ algs: ['ES256', 'EdDSA'] }) });
    expectDeniedEarly(await lenient.verify(token, flow.expect), 'ALG_NOT_ALLOWED');
  });

  it('SHO-JWS-22: alg ES256 naming the bank’s Ed25519 key is ALG_NOT_ALLOWED (the key does not fit)', async () => {
    const token = forge({ header: { ...headerFor(w.keys.bankEd, LINK_TYP), alg: 'ES256' }, payload, key: bank });
    const lenient = w.rpVerifier({ trust: w.rpTrust({ algs: ['ES256', 'EdDSA'] }) });
    expectDeniedEarly(await lenient.verify(token, flow.expect), 'ALG_NOT_ALLOWED');
  });
});

describe('kid (SHO-JWS-7)', () => {
  it('SHO-JWS-7: a header without kid is KID_MISSING', async () => {
    const { kid: _dropped, ...header } = headerFor(bank, LINK_TYP);
    expectDeniedEarly(await verify(signedHeader(header)), 'KID_MISSING');
  });

  for (const kid of ['', 42, null, [bank.kid], { kid: bank.kid }]) {
    it(`SHO-JWS-7: kid ${JSON.stringify(kid)} (not a non-empty string) is KID_MISSING`, async () => {
      expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), kid })), 'KID_MISSING');
    });
  }

  it('SHO-JWS-7: a kid longer than any trusted kid (257 characters) is KEY_NOT_FOUND, not KID_MISSING', async () => {
    expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), kid: 'k'.repeat(257) })), 'KEY_NOT_FOUND');
  });

  it('SHO-JWS-7: a kid differing from the bank’s only in case is KEY_NOT_FOUND (exact match)', async () => {
    const kid = bank.kid.toLowerCase() === bank.kid ? bank.kid.toUpperCase() : bank.kid.toLowerCase();
    expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), kid })), 'KEY_NOT_FOUND');
  });
});

describe('crit, b64, cty (SHO-JWS-9, SHO-JWS-21)', () => {
  for (const [name, extra] of [
    ['crit ["exp"]', { crit: ['exp'] }],
    ['an empty crit array', { crit: [] }],
    ['crit naming an absent member', { crit: ['x-bank-ext'] }],
    ['crit as a string', { crit: 'exp' }],
    ['b64: false with crit ["b64"]', { b64: false, crit: ['b64'] }],
    ['b64: false without crit', { b64: false }],
    ['b64: true', { b64: true }],
  ] as const) {
    it(`SHO-JWS-9: ${name} is CRIT_UNSUPPORTED`, async () => {
      expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), ...extra })), 'CRIT_UNSUPPORTED');
    });
  }

  for (const cty of ['JWT', 'jwt', 'application/json']) {
    it(`SHO-JWS-21: cty ${JSON.stringify(cty)} is MALFORMED_TOKEN`, async () => {
      expectDeniedEarly(await verify(signedHeader({ ...headerFor(bank, LINK_TYP), cty })), 'MALFORMED_TOKEN');
    });
  }

  it('SHO-JWS-18: an unknown header member is ignored (allow)', async () => {
    expectAllowed(await w.rpVerifier().verify(signedHeader({ ...headerFor(bank, LINK_TYP), 'x-bank-trace': 'abc' }), flow.expect));
  });
});

describe('headers that carry a key (SHO-JWS-10)', () => {
  const attackerJwk = { ...attacker.publicJwk };
  /** Never allow; the key step or the signature step refuses. */
  const expectRefusedKeyHeader = async (decision: Awaited<ReturnType<typeof verify>>) => {
    expect(decision.outcome).toBe('deny');
    expect(['KEY_NOT_FOUND', 'SIGNATURE_INVALID']).toContain(codes(decision)[0]);
    expect(decision.claims).toBeUndefined();
  };
  const noFetch = () => vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('the verifier must not fetch a key named by the token'));

  for (const [name, extra] of [
    ['jwk with the attacker key', { jwk: attackerJwk }],
    ['jku pointing at the attacker', { jku: 'https://attacker.example/jwks.json' }],
    ['x5u pointing at the attacker', { x5u: 'https://attacker.example/cert.pem' }],
    ['x5c with an attacker certificate', { x5c: ['MIIBszCCAVmgAwIBAgIUa3R0YWNrZXI='] }],
    ['x5t of an attacker certificate', { x5t: 'a3R0YWNrZXItY2VydC10aHVtYg' }],
    ['x5t#S256 of an attacker certificate', { 'x5t#S256': 'a3R0YWNrZXItY2VydC10aHVtYnByaW50LXNoYTI1Ng' }],
  ] as const) {
    it(`SHO-JWS-10: ${name}, signed by the attacker under the attacker's kid, never verifies (KEY_NOT_FOUND)`, async () => {
      const fetchSpy = noFetch();
      const decision = await verify(forge({ header: { ...headerFor(attacker, LINK_TYP), ...extra }, payload, key: attacker }));
      await expectRefusedKeyHeader(decision);
      expect(codes(decision)).toEqual(['KEY_NOT_FOUND']);
      expect(fetchSpy).not.toHaveBeenCalled();
    });

    it(`SHO-JWS-10: ${name}, signed by the attacker under the bank's kid, never verifies (SIGNATURE_INVALID)`, async () => {
      const fetchSpy = noFetch();
      const decision = await verify(forge({ header: { ...headerFor(bank, LINK_TYP), ...extra }, payload, key: attacker }));
      await expectRefusedKeyHeader(decision);
      expect(codes(decision)).toEqual(['SIGNATURE_INVALID']);
      expect(fetchSpy).not.toHaveBeenCalled();
    });
  }

  it('SHO-JWS-10: a jwk header without kid does not select the key (KID_MISSING)', async () => {
    const { kid: _dropped, ...header } = headerFor(attacker, LINK_TYP);
    expectDeniedEarly(await verify(forge({ header: { ...header, jwk: attackerJwk }, payload, key: attacker })), 'KID_MISSING');
  });

  it('SHO-JWS-10: a bank token that also carries its own key in jwk verifies against the configured key only', async () => {
    const token = resign(flow.token, { key: bank, header: (header) => ({ ...header, jwk: { ...bank.publicJwk } }) });
    expectAllowed(await w.rpVerifier().verify(token, flow.expect));
  });
});

