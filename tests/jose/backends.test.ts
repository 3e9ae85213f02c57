import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/crypto/backend.js';
import { createNodeCryptoBackend, nodeCryptoBackend } from '../../src/crypto/node.js';
import { webCryptoBackend } from '../../src/crypto/webcrypto.js';
import { decodeBase64url, encodeBase64url } from '../../src/encoding/base64url.js';
import { ALGORITHMS, type Alg } from '../../src/jws/algorithms.js';
import { parseCompact } from '../../src/jws/compact.js';
import { isHighS, joseToDer, normalizeLowS, P256_ORDER } from '../../src/jws/ecdsa.js';
import type { PublicJwk } from '../../src/keys/types.js';
import { keyFor } from './fixtures.js';
import { expectShomeiRejection } from './helpers.js';

const BACKENDS: Array<[string, CryptoBackend]> = [
  ['webcrypto', webCryptoBackend],
  ['node:crypto', nodeCryptoBackend],
  ['node:crypto thread pool', createNodeCryptoBackend({ threadPool: true })],
];

const message = new TextEncoder().encode('eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ');

function bigToBytes(n: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(n.toString(16).padStart(64, '0'), 'hex'));
}

function rs(r: bigint, s: bigint): Uint8Array {
  const out = new Uint8Array(64);
  out.set(bigToBytes(r), 0);
  out.set(bigToBytes(s), 32);
  return out;
}

async function imported(backend: CryptoBackend, alg: Alg): Promise<{ key: unknown; signature: Uint8Array }> {
  const { publicJwk, signer } = await keyFor(alg);
  return { key: await backend.importPublicKey(publicJwk, alg), signature: await signer.sign(message) };
}

describe.each(BACKENDS)('%s backend', (_name, backend) => {
  it.each(ALGORITHMS)('SHO-JWS-17: verifies a %s signature and rejects a changed message', async (alg) => {
    const { key, signature } = await imported(backend, alg);
    expect(await backend.verify(alg, key, message, signature)).toBe(true);
    const changed = message.slice();
    changed[0] = changed[0]! ^ 1;
    expect(await backend.verify(alg, key, changed, signature)).toBe(false);
  });

  it('SHO-JWS-12: r = s = 0 verifies false (CVE-2022-21449 class)', async () => {
    const { key } = await imported(backend, 'ES256');
    expect(await backend.verify('ES256', key, message, new Uint8Array(64))).toBe(false);
  });

  it('SHO-JWS-12: r = 0 or s = 0 alone, and r or s equal to or above n, verify false', async () => {
    const { key, signature } = await imported(backend, 'ES256');
    const r = BigInt(`0x${Buffer.from(signature.subarray(0, 32)).toString('hex')}`);
    const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
    for (const [badR, badS] of [
      [0n, s],
      [r, 0n],
      [P256_ORDER, s],
      [r, P256_ORDER],
      [r + P256_ORDER < 2n ** 256n ? r + P256_ORDER : P256_ORDER + 1n, s],
      [r, s + P256_ORDER < 2n ** 256n ? s + P256_ORDER : P256_ORDER + 1n],
      [2n ** 256n - 1n, s],
    ] as const) {
      expect(await backend.verify('ES256', key, message, rs(badR, badS))).toBe(false);
    }
  });

  it('SHO-JWS-13: a high-S ES256 signature verifies (RFC 7518 §3.4 does not require low-S)', async () => {
    const { key, signature } = await imported(backend, 'ES256');
    const low = normalizeLowS(signature);
    const s = BigInt(`0x${Buffer.from(low.subarray(32)).toString('hex')}`);
    const high = rs(BigInt(`0x${Buffer.from(low.subarray(0, 32)).toString('hex')}`), P256_ORDER - s);
    expect(isHighS(high)).toBe(true);
    expect(await backend.verify('ES256', key, message, low)).toBe(true);
    expect(await backend.verify('ES256', key, message, high)).toBe(true);
  });

  it('SHO-JWS-11: truncated, extended and DER-encoded ES256 signatures verify false', async () => {
    const { key, signature } = await imported(backend, 'ES256');
    expect(await backend.verify('ES256', key, message, signature.subarray(0, 63))).toBe(false);
    expect(await backend.verify('ES256', key, message, Uint8Array.from([...signature, 0]))).toBe(false);
    expect(await backend.verify('ES256', key, message, Uint8Array.from([0, ...signature]))).toBe(false);
    expect(await backend.verify('ES256', key, message, joseToDer(signature))).toBe(false);
    expect(await backend.verify('ES256', key, message, new Uint8Array(0))).toBe(false);
  });

  it('SHO-JWS-16: truncated or extended Ed25519 signatures verify false', async () => {
    const { key, signature } = await imported(backend, 'EdDSA');
    expect(await backend.verify('EdDSA', key, message, signature.subarray(0, 63))).toBe(false);
    expect(await backend.verify('EdDSA', key, message, Uint8Array.from([...signature, 0]))).toBe(false);
  });

  it('SHO-JWS-16: an Ed25519 signature with S >= L verifies false (RFC 8032 §5.1.7)', async () => {
    const { key, signature } = await imported(backend, 'EdDSA');
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let S = 0n;
    for (let i = 63; i >= 32; i--) S = (S << 8n) | BigInt(signature[i]!);
    const malleable = signature.slice();
    let value = S + L;
    for (let i = 32; i < 64; i++) {
      malleable[i] = Number(value & 0xffn);
      value >>= 8n;
    }
    expect(await backend.verify('EdDSA', key, message, malleable)).toBe(false);
  });

  it('SHO-JWS-15: a PS256 signature of the wrong length verifies false', async () => {
    const { key, signature } = await imported(backend, 'PS256');
    expect(signature.length).toBe(256);
    expect(await backend.verify('PS256', key, message, signature.subarray(0, 255))).toBe(false);
    expect(await backend.verify('PS256', key, message, Uint8Array.from([0, ...signature]))).toBe(false);
  });

  it('SHO-JWS-11: a signature that is not a Uint8Array verifies false', async () => {
    const { key, signature } = await imported(backend, 'ES256');
    expect(await backend.verify('ES256', key, message, Array.from(signature) as unknown as Uint8Array)).toBe(false);
    expect(await backend.verify('ES256', key, message, undefined as unknown as Uint8Array)).toBe(false);
  });

  it('SHO-JWS-17: a key handle from elsewhere is a caller mistake (TypeError)', async () => {
    const { signature } = await imported(backend, 'ES256');
    await expect(backend.verify('ES256', { alg: 'ES256' }, message, signature)).rejects.toThrow(TypeError);
    const other = backend === webCryptoBackend ? nodeCryptoBackend : webCryptoBackend;
    const foreign = await other.importPublicKey((await keyFor('ES256')).publicJwk, 'ES256');
    await expect(backend.verify('ES256', foreign, message, signature)).rejects.toThrow(TypeError);
  });

  it('SHO-JWS-22: a key imported for one algorithm never verifies another', async () => {
    const { key, signature } = await imported(backend, 'ES256');
    expect(await backend.verify('EdDSA', key, message, signature)).toBe(false);
  });

  it('SHO-JWS-22: importing a key for an algorithm it does not fit is KEY_INVALID', async () => {
    const { publicJwk } = await keyFor('ES256');
    await expectShomeiRejection(backend.importPublicKey(publicJwk, 'PS256'), 'KEY_INVALID', 'alg_mismatch');
    await expectShomeiRejection(backend.importPublicKey({ ...publicJwk, alg: 'ES384' }, 'ES256'), 'KEY_INVALID', 'alg_mismatch');
  });

  it('SHO-KEY-13: an off-curve EC point is refused at import with KEY_INVALID', async () => {
    const { publicJwk } = await keyFor('ES256');
    const y = decodeBase64url(publicJwk.y!);
    y[31] = y[31]! ^ 1;
    const offCurve: PublicJwk = { kty: 'EC', crv: 'P-256', x: publicJwk.x!, y: encodeBase64url(y) };
    await expectShomeiRejection(backend.importPublicKey(offCurve, 'ES256'), 'KEY_INVALID', 'point_not_on_curve');
  });

  it('SHO-KEY-13: an Ed25519 key of small order, with which anyone could forge, is refused at import', async () => {
    // The identity point: R = identity and S = 0 would verify over any message under it.
    const identity = encodeBase64url(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0)));
    await expectShomeiRejection(backend.importPublicKey({ kty: 'OKP', crv: 'Ed25519', x: identity }, 'EdDSA'), 'KEY_INVALID', 'point_small_order');
  });

  it('SHO-KEY-6: a public key with private members is refused at import', async () => {
    const { privateJwk } = await keyFor('ES256');
    await expectShomeiRejection(backend.importPublicKey(privateJwk, 'ES256'), 'KEY_INVALID', 'private_member');
  });

  it('SHO-JWS-15: an RSA key under 2048 bits is refused at import', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = publicKey.export({ format: 'jwk' }) as PublicJwk;
    await expectShomeiRejection(backend.importPublicKey(jwk, 'PS256'), 'KEY_INVALID', 'rsa_modulus_too_small');
  });

  it('SHO-JWS-16: an OKP key with a curve other than Ed25519 is refused', async () => {
    const { publicKey } = generateKeyPairSync('ed448');
    const jwk = publicKey.export({ format: 'jwk' }) as PublicJwk;
    await expectShomeiRejection(backend.importPublicKey(jwk, 'EdDSA'), 'KEY_INVALID', 'unsupported_key');
  });
});

describe('KMS-style signer returning DER (node:crypto default encoding)', () => {
  it('SHO-KEY-11: produces a token that verifies with both backends', async () => {
    const { signCompact } = await import('../../src/jws/sign.js');
    const { jwkThumbprint } = await import('../../src/keys/thumbprint.js');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }) as {
      privateKey: KeyObject;
      publicKey: KeyObject;
    };
    const publicJwk = publicKey.export({ format: 'jwk' }) as PublicJwk;
    const kid = await jwkThumbprint(publicJwk);
    const derSigner = {
      alg: 'ES256' as const,
      kid,
      signatureFormat: 'der' as const,
      sign: async (data: Uint8Array) => new Uint8Array(nodeSign('sha256', data, privateKey)),
    };
    for (let i = 0; i < 10; i++) {
      const token = await signCompact({ typ: 'shomei-txn+jwt' }, { i }, derSigner);
      const parsed = parseCompact(token);
      expect(parsed.signature.length).toBe(64);
      expect(isHighS(parsed.signature)).toBe(false);
      for (const [, backend] of BACKENDS) {
        const key = await backend.importPublicKey(publicJwk, 'ES256');
        expect(await backend.verify('ES256', key, parsed.signingInput, parsed.signature)).toBe(true);
      }
    }
  });
});

describe('RFC 7515 Appendix A.3 (ES256 example)', () => {
  it('SHO-JWS-17: the RFC example token verifies with both backends', async () => {
    const jwk: PublicJwk = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    };
    const token =
      'eyJhbGciOiJFUzI1NiJ9' +
      '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
      '.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q';
    const parsed = parseCompact(token);
    for (const [, backend] of BACKENDS) {
      const key = await backend.importPublicKey(jwk, 'ES256');
      expect(await backend.verify('ES256', key, parsed.signingInput, parsed.signature)).toBe(true);
    }
  });
});

describe('node:crypto backend: native base64url decoding (SHO-JWS-3)', () => {
  it('SHO-JWS-3: decodes every length and byte value exactly as the strict decoder does', () => {
    const decode = nodeCryptoBackend.decodeBase64url!;
    for (let length = 0; length < 300; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + length * 7) & 0xff);
      const text = encodeBase64url(bytes);
      expect(Array.from(decode(text))).toEqual(Array.from(decodeBase64url(text)));
    }
  });
});
