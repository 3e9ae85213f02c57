/**
 * What the issuer emits (spec/02-tokens.md SHO-JWS-18/19, SHO-CLM-9/11, SHO-JWS-14) and that every kind
 * it signs verifies with the verifier (spec/13-verification.md).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../src/encoding/base64url.js';
import { createIssuer } from '../../src/issuer/issue.js';
import { isHighS } from '../../src/jws/ecdsa.js';
import type { Alg } from '../../src/jws/algorithms.js';
import { KIND_DEFINITIONS, type Kind } from '../../src/kinds/kind.js';
import type { PublicJwk } from '../../src/keys/types.js';
import {
  BANK,
  codes,
  createWorld,
  decode,
  expectAllowed,
  linkInput,
  NOW_MS,
  parts,
  requestInput,
  testKey,
} from '../helpers/world.js';

const w = await createWorld();

/** RFC 7638 §3, computed independently of the SDK: required members only, sorted, no whitespace. */
function thumbprint(jwk: PublicJwk): string {
  const required =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : jwk.kty === 'OKP'
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
        : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}

async function oneOfEach(): Promise<Record<Kind, string>> {
  const [request, link, transaction, identity] = await Promise.all([w.request(), w.link(), w.transaction(), w.identity()]);
  return { request: request.token, link: link.token, transaction: transaction.token, identity: identity.token };
}

describe('round trip', () => {
  it('SHO-REQ-13: a request signed by the RP verifies at the bank (allow)', async () => {
    const request = await w.request();
    expectAllowed(await w.bankVerifier().verify(request.token, { kind: 'request', issuer: w.rp.issuer, action: 'account_link' }));
  });

  it('SHO-LINK-2: a link assertion signed by the bank verifies at the RP (allow)', async () => {
    const flow = await w.link();
    expectAllowed(await w.rpVerifier().verify(flow.token, flow.expect));
  });

  it('SHO-TXN-2: a transaction assertion signed by the bank verifies at the RP (allow)', async () => {
    const flow = await w.transaction();
    expectAllowed(await w.rpVerifier().verify(flow.token, flow.expect));
  });

  it('SHO-IDA-2: an identity assertion signed by the wallet verifies at the bank (allow)', async () => {
    const flow = await w.identity();
    expectAllowed(await w.bankVerifier().verify(flow.token, flow.expect));
  });

  it('SHO-VER-8: the verified claims are exactly the claims the issuer reported', async () => {
    const flow = await w.link();
    const decision = await w.rpVerifier().verify(flow.token, flow.expect);
    expect(decision.claims).toEqual(flow.claims);
  });

  for (const alg of ['EdDSA', 'PS256'] as const satisfies readonly Alg[]) {
    it(`SHO-JWS-6: a link assertion signed with ${alg} verifies when the bank is allowed ${alg}`, async () => {
      const key = await testKey(alg);
      const bank = createIssuer({ issuer: BANK, signer: key.signer, clock: () => NOW_MS });
      const flow = await w.link({}, { issuer: bank });
      expect(decode(flow.token).header.alg).toBe(alg);
      const verifier = w.rpVerifier({ trust: { parties: [{ ...w.partyEntry(BANK, key, ['link']), algs: [alg] }] } });
      const decision = await verifier.verify(flow.token, flow.expect);
      expect(codes(decision)).toEqual([]);
      expect(decision.outcome).toBe('allow');
    });
  }
});

describe('what the issuer emits', () => {
  it('SHO-JWS-18: the header of every kind has exactly alg, kid and typ, with the kind’s typ', async () => {
    const tokens = await oneOfEach();
    for (const kind of ['request', 'link', 'transaction', 'identity'] as const) {
      const { header } = decode(tokens[kind]);
      expect(Object.keys(header).sort()).toEqual(['alg', 'kid', 'typ']);
      expect(header.typ).toBe(KIND_DEFINITIONS[kind].typ);
      expect(header.alg).toBe('ES256');
    }
  });

  it('SHO-JWS-19: kid is the RFC 7638 thumbprint of the signing key (43 characters)', async () => {
    const { link } = await oneOfEach();
    const { header } = decode(link);
    expect(header.kid).toBe(thumbprint(w.keys.bank.publicJwk));
    expect(header.kid).toHaveLength(43);
  });

  for (const alg of ['EdDSA', 'PS256'] as const) {
    it(`SHO-JWS-19: the ${alg} kid is the RFC 7638 thumbprint of its key`, async () => {
      const key = await testKey(alg);
      expect(key.kid).toBe(thumbprint(key.publicJwk));
      const request = await createIssuer({ issuer: 'https://sec.example', signer: key.signer, clock: () => NOW_MS }).request(requestInput());
      expect(decode(request.token).header.kid).toBe(thumbprint(key.publicJwk));
    });
  }

  it('SHO-CLM-9: 200 jti values are unique and each carries at least 128 bits', async () => {
    const issued = await Promise.all(Array.from({ length: 200 }, () => w.rp.request(requestInput())));
    const jtis = issued.map((one) => one.claims.jti);
    expect(new Set(jtis).size).toBe(200);
    for (const jti of jtis) {
      expect(jti).toMatch(/^[A-Za-z0-9_-]{16,128}$/);
      expect(decodeBase64url(jti).length * 8).toBeGreaterThanOrEqual(128);
    }
  });

  it('SHO-CLM-11: generated request nonces are unique and carry at least 128 bits', async () => {
    const issued = await Promise.all(Array.from({ length: 100 }, () => w.rp.request(requestInput())));
    const nonces = issued.map((one) => one.claims.nonce);
    expect(new Set(nonces).size).toBe(100);
    for (const nonce of nonces) expect(decodeBase64url(nonce).length * 8).toBeGreaterThanOrEqual(128);
  });

  it('SHO-CLM-3: iat and exp are whole seconds from the issuer clock', async () => {
    const { claims } = await w.link();
    expect(claims.iat).toBe(NOW_MS / 1000);
    expect(Number.isInteger(claims.exp)).toBe(true);
  });

  it('SHO-JWS-14: every ES256 signature the issuer emits is low-S', async () => {
    const request = await w.request();
    const tokens = await Promise.all(
      Array.from({ length: 40 }, () => w.bank.link(linkInput(request.token, request.claims.nonce))),
    );
    for (const { token } of tokens) {
      const signature = decodeBase64url(parts(token)[2]);
      expect(signature).toHaveLength(64);
      expect(isHighS(signature)).toBe(false);
    }
  });

  it('SHO-JWS-11: the ES256 signature is 64 octets R || S', async () => {
    const { transaction } = await oneOfEach();
    expect(decodeBase64url(parts(transaction)[2])).toHaveLength(64);
  });
});
