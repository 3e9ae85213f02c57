/**
 * The fast path of signCompact (spec/02-tokens.md SHO-JWS-18, SHO-JWS-17; spec/11-keys.md SHO-KEY-11):
 * the encoded protected header is cached per signer object and typ, and the signing input is written
 * as bytes directly. Neither may change a single output byte: every token is compared with a reference
 * built the plain way (JSON → UTF-8 → base64url with node:buffer).
 */
import { createPrivateKey, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeCryptoBackend } from '../../src/crypto/node.js';
import { createIssuer } from '../../src/issuer/issue.js';
import { parseCompact } from '../../src/jws/compact.js';
import { P256_ORDER } from '../../src/jws/ecdsa.js';
import { signCompact } from '../../src/jws/sign.js';
import { generateKey } from '../../src/keys/generate.js';
import { KeyRing } from '../../src/keys/key-ring.js';
import { createNodeSigner } from '../../src/keys/node-signer.js';
import type { Signer } from '../../src/keys/signer.js';
import type { PrivateJwk, PublicJwk } from '../../src/keys/types.js';
import { createWorld, linkInput, NOW_MS } from '../helpers/world.js';
import { expectShomeiRejection } from './helpers.js';

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The signing input as RFC 7515 §5.1 builds it, without any of signCompact's shortcuts. */
function referenceSigningInput(signer: Signer, typ: string, payload: unknown): string {
  return `${b64(JSON.stringify({ alg: signer.alg, kid: signer.kid, typ }))}.${b64(JSON.stringify(payload))}`;
}

function signingInputOf(token: string): string {
  return token.slice(0, token.lastIndexOf('.'));
}

async function es256Key(): Promise<{ signer: Signer; publicJwk: PublicJwk; privateJwk: PrivateJwk }> {
  const pair = await generateKey('ES256');
  const { kid: _kid, alg: _alg, use: _use, ...material } = pair.privateJwk as unknown as Record<string, string>;
  const signer = createNodeSigner(createPrivateKey({ key: material, format: 'jwk' }), { alg: 'ES256', kid: pair.kid });
  return { signer, publicJwk: pair.publicJwk, privateJwk: pair.privateJwk };
}

/** Verified by hand (parseCompact would refuse the large test payloads, above 16 KiB). */
function verifies(token: string, publicJwk: PublicJwk): boolean {
  const key = createPublicKey({ key: publicJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  const signature = Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');
  return nodeVerify('sha256', Buffer.from(signingInputOf(token), 'latin1'), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

const [a, b] = await Promise.all([es256Key(), es256Key()]);

describe('protected header cache (SHO-JWS-18)', () => {
  it('SHO-JWS-18: two signers and two typs, interleaved, each get their own exact header', async () => {
    const typs = ['shomei-link+jwt', 'shomei-txn+jwt'];
    for (let round = 0; round < 3; round++) {
      for (const key of [a, b]) {
        for (const typ of typs) {
          const token = await signCompact({ typ }, { round }, key.signer);
          expect(parseCompact(token).header).toEqual({ alg: 'ES256', kid: key.signer.kid, typ });
          expect(signingInputOf(token)).toBe(referenceSigningInput(key.signer, typ, { round }));
          expect(verifies(token, key.publicJwk)).toBe(true);
          expect(verifies(token, (key === a ? b : a).publicJwk)).toBe(false);
        }
      }
    }
  });

  it('SHO-JWS-18: a signer object whose kid changes gets a header with the new kid, not the cached one', async () => {
    const mutable = { alg: 'ES256' as const, kid: 'kid-one', sign: (data: Uint8Array) => a.signer.sign(data) };
    const first = await signCompact({ typ: 'shomei-link+jwt' }, {}, mutable);
    expect(parseCompact(first).header.kid).toBe('kid-one');
    mutable.kid = 'kid-two';
    const second = await signCompact({ typ: 'shomei-link+jwt' }, {}, mutable);
    expect(parseCompact(second).header.kid).toBe('kid-two');
    expect(signingInputOf(second)).toBe(referenceSigningInput(mutable, 'shomei-link+jwt', {}));
  });

  it('SHO-KEY-11: a KeyRing rotation signs with the new key and names it in the header', async () => {
    const w = await createWorld();
    const ring = new KeyRing({ keys: [{ signer: a.signer, publicJwk: a.publicJwk, state: 'active' }] });
    const bank = createIssuer({ issuer: w.bank.issuer, signer: ring, clock: () => NOW_MS, allowUnansweredRequests: true, crypto: nodeCryptoBackend });
    const request = await w.request();
    const input = linkInput(request.token, request.claims.nonce);
    const before = await bank.link(input);
    ring.add({ signer: b.signer, publicJwk: b.publicJwk });
    ring.activate(b.signer.kid);
    const after = await bank.link(input);
    ring.activate(a.signer.kid);
    const back = await bank.link(input);
    expect(parseCompact(before.token).header.kid).toBe(a.signer.kid);
    expect(parseCompact(after.token).header.kid).toBe(b.signer.kid);
    expect(parseCompact(back.token).header.kid).toBe(a.signer.kid);
    expect(verifies(before.token, a.publicJwk)).toBe(true);
    expect(verifies(after.token, b.publicJwk)).toBe(true);
    expect(verifies(after.token, a.publicJwk)).toBe(false);
    expect(verifies(back.token, a.publicJwk)).toBe(true);
  });

  it('SHO-JWS-18: many distinct typs on one signer all stay exact (the per-signer cache is bounded)', async () => {
    for (let i = 0; i < 40; i++) {
      const typ = `x-${i}+jwt`;
      const token = await signCompact({ typ }, { i }, a.signer);
      expect(signingInputOf(token)).toBe(referenceSigningInput(a.signer, typ, { i }));
    }
    const again = await signCompact({ typ: 'x-0+jwt' }, { i: 0 }, a.signer);
    expect(parseCompact(again).header.typ).toBe('x-0+jwt');
  });
});

describe('signing input written as bytes (SHO-JWS-17)', () => {
  const text = (length: number, seed: number): string => {
    const alphabet = ['a', 'Z', '"', '\\', '\n', '証', '明', 'ｼ', '😀', '\u0000', '\u007f', '/'];
    let out = '';
    for (let i = 0; out.length < length; i++) out += alphabet[(i * 7 + seed) % alphabet.length];
    return out;
  };
  // Sizes around the reused UTF-8 buffer (4096 bytes, and its 64 KiB ceiling), large before small so
  // that bytes of a longer payload left in the buffer would show.
  const sizes = [30_000, 0, 1, 2, 3, 1365, 1366, 1367, 5000, 20, 22_000, 700, 4, 25_000, 10];

  it('SHO-JWS-17: the token is byte for byte the plain RFC 7515 construction, for payloads of every size', async () => {
    for (const [index, size] of sizes.entries()) {
      const payload = { s: text(size, index), n: index, nested: { t: text(size % 97, index + 1) } };
      const token = await signCompact({ typ: 'shomei-link+jwt' }, payload, a.signer);
      expect(signingInputOf(token)).toBe(referenceSigningInput(a.signer, 'shomei-link+jwt', payload));
      expect(verifies(token, a.publicJwk)).toBe(true);
    }
  });

  it('SHO-JWS-17: concurrent signing (node:crypto signer, one-shot and thread pool) keeps every token its own payload', async () => {
    const pooled = createNodeSigner(createPrivateKey({ key: a.privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' }), { alg: 'ES256', kid: a.signer.kid, threadPool: true });
    const jobs = Array.from({ length: 60 }, (_, i) => {
      const payload = { i, s: text((i * 37) % 3000, i) };
      const signer = i % 3 === 0 ? pooled : a.signer;
      return signCompact({ typ: 'shomei-link+jwt' }, payload, signer).then((token) => ({ token, payload, signer }));
    });
    for (const { token, payload, signer } of await Promise.all(jobs)) {
      expect(signingInputOf(token)).toBe(referenceSigningInput(signer, 'shomei-link+jwt', payload));
      expect(verifies(token, a.publicJwk)).toBe(true);
    }
  });

  it('SHO-JWS-17: a lone surrogate in the payload is encoded as TextEncoder encodes it (U+FFFD)', async () => {
    const payload = { s: 'a\ud800b', t: '\udc00' };
    const token = await signCompact({ typ: 'shomei-link+jwt' }, payload, a.signer);
    const expected = `${b64(JSON.stringify({ alg: 'ES256', kid: a.signer.kid, typ: 'shomei-link+jwt' }))}.${Buffer.from(new TextEncoder().encode(JSON.stringify(payload))).toString('base64url')}`;
    expect(signingInputOf(token)).toBe(expected);
  });

  it('SHO-JWS-17: the signer receives exactly the ASCII octets of the header and payload segments', async () => {
    let received: Uint8Array | undefined;
    const spy: Signer = {
      alg: 'ES256',
      kid: a.signer.kid,
      sign: async (data) => {
        received = data.slice();
        const signature = await a.signer.sign(data);
        data.fill(0x41); // a signer scribbling over its input changes nothing in the token
        return signature;
      },
    };
    const token = await signCompact({ typ: 'shomei-link+jwt' }, { s: '証明' }, spy);
    expect(Buffer.from(received!).toString('latin1')).toBe(signingInputOf(token));
    expect(verifies(token, a.publicJwk)).toBe(true);
  });
});

describe('ES256 output range (SHO-JWS-12)', () => {
  const n = Buffer.from(P256_ORDER.toString(16).padStart(64, '0'), 'hex');
  const signature = (r: Uint8Array, s: Uint8Array): Uint8Array => Uint8Array.from([...r, ...s]);
  const one = new Uint8Array(32);
  one[31] = 1;
  const cases: Array<[string, Uint8Array]> = [
    ['r = 0', signature(new Uint8Array(32), one)],
    ['s = 0', signature(one, new Uint8Array(32))],
    ['r = n', signature(n, one)],
    ['s = n', signature(one, n)],
    ['s = 2^256 - 1', signature(one, new Uint8Array(32).fill(0xff))],
  ];

  it.each(cases)('SHO-JWS-12: a signer returning %s fails with SIGNER_FAILED instead of emitting it', async (_name, raw) => {
    const signer: Signer = { alg: 'ES256', kid: 'k', sign: async () => raw };
    await expectShomeiRejection(signCompact({ typ: 'shomei-link+jwt' }, {}, signer), 'SIGNER_FAILED', 'invalid_output');
  });

  it('SHO-JWS-12: r = 1, s = 1 (in range) is emitted', async () => {
    const signer: Signer = { alg: 'ES256', kid: 'k', sign: async () => signature(one, one) };
    const token = await signCompact({ typ: 'shomei-link+jwt' }, {}, signer);
    expect(parseCompact(token).signature).toEqual(signature(one, one));
  });
});
