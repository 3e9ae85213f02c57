/**
 * Steps 3 and 4, key and signature (spec/02-tokens.md SHO-JWS-7, SHO-JWS-11 to SHO-JWS-17, SHO-JWS-20;
 * spec/11-keys.md SHO-FETCH-13; spec/13-verification.md SHO-VER-15): keys come from the trust entry of
 * the expected issuer only, and only an exact, well-formed signature verifies.
 */
import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../src/encoding/base64url.js';
import { isHighS, joseToDer, P256_ORDER } from '../../src/jws/ecdsa.js';
import {
  b64u,
  BANK,
  codes,
  createWorld,
  decode,
  expectAllowed,
  expectDeniedEarly,
  forge,
  headerFor,
  parts,
  resign,
  testKey,
  WALLET,
  withSignature,
} from '../helpers/world.js';

const w = await createWorld();
const bank = w.keys.bank;
const LINK_TYP = 'shomei-link+jwt';

function bigIntBytes(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
}
function scalars(signature: Uint8Array): { r: bigint; s: bigint } {
  return { r: BigInt(`0x${Buffer.from(signature.subarray(0, 32)).toString('hex')}`), s: BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`) };
}
function signatureOf(r: bigint, s: bigint): Uint8Array {
  return new Uint8Array([...bigIntBytes(r), ...bigIntBytes(s)]);
}

describe('key selection (SHO-JWS-7, SHO-FETCH-13, SHO-VER-15)', () => {
  it('SHO-FETCH-9: an unknown kid is KEY_NOT_FOUND', async () => {
    const flow = await w.link();
    const token = resign(flow.token, { key: bank, header: (header) => ({ ...header, kid: 'Ym9ndXMta2lkLXRoYXQtbm9ib2R5LXB1Ymxpc2hlZA' }) });
    expectDeniedEarly(await w.rpVerifier().verify(token, flow.expect), 'KEY_NOT_FOUND');
  });

  it('SHO-ROLE-7: an impostor signing as the bank with its own key is KEY_NOT_FOUND', async () => {
    const flow = await w.link({}, { issuer: w.impostor });
    expectDeniedEarly(await w.rpVerifier().verify(flow.token, flow.expect), 'KEY_NOT_FOUND');
  });

  it('SHO-JWS-20: an impostor signing with its own key under the bank’s kid is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    expectDeniedEarly(await w.rpVerifier().verify(resign(flow.token, { key: w.keys.attacker }), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-FETCH-13: the key of another trusted party never verifies a token expected from the bank (KEY_NOT_FOUND)', async () => {
    const flow = await w.link();
    // The wallet is trusted too (for link); it signs the bank's claims with its own key.
    const trust = w.rpTrust({}, [w.partyEntry(WALLET, w.keys.wallet, ['link'])]);
    const token = forge({ header: headerFor(w.keys.wallet, LINK_TYP), payload: decode(flow.token).payload, key: w.keys.wallet });
    expectDeniedEarly(await w.rpVerifier({ trust }).verify(token, flow.expect), 'KEY_NOT_FOUND');
  });
});

describe('signature (SHO-JWS-11 to SHO-JWS-17, SHO-JWS-20)', () => {
  it('SHO-JWS-20: a payload changed after signing (amount raised) is SIGNATURE_INVALID', async () => {
    const flow = await w.transaction();
    const { payload } = decode(flow.token);
    (payload.transaction as { amount: { value: string } }).amount.value = '9900000';
    const tampered = `${parts(flow.token)[0]}.${b64u(JSON.stringify(payload))}.${parts(flow.token)[2]}`;
    expectDeniedEarly(await w.rpVerifier().verify(tampered, flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-20: a header changed after signing is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const header = b64u(JSON.stringify({ ...decode(flow.token).header, 'x-note': '1' }));
    expectDeniedEarly(await w.rpVerifier().verify(`${header}.${parts(flow.token)[1]}.${parts(flow.token)[2]}`, flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-17: the same claims re-serialised with other whitespace do not verify under the original signature', async () => {
    const flow = await w.link();
    const reencoded = b64u(JSON.stringify(decode(flow.token).payload, null, 1));
    expectDeniedEarly(await w.rpVerifier().verify(`${parts(flow.token)[0]}.${reencoded}.${parts(flow.token)[2]}`, flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-12: r = s = 0 is SIGNATURE_INVALID (CVE-2022-21449)', async () => {
    const flow = await w.link();
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, new Uint8Array(64)), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-12: r = 0 with the genuine s is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const { s } = scalars(decodeBase64url(parts(flow.token)[2]));
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, signatureOf(0n, s)), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-12: r and s equal to the group order n are SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, signatureOf(P256_ORDER, P256_ORDER)), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-12: the genuine r with s = n + 1 (≥ n) is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const { r } = scalars(decodeBase64url(parts(flow.token)[2]));
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, signatureOf(r, P256_ORDER + 1n)), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-11: a truncated signature (63 octets) is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const signature = decodeBase64url(parts(flow.token)[2]);
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, signature.subarray(0, 63)), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-11: a signature padded with a zero octet (65 octets) is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const signature = decodeBase64url(parts(flow.token)[2]);
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, new Uint8Array([...signature, 0])), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-11: a signature with a leading zero octet (65 octets) is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const signature = decodeBase64url(parts(flow.token)[2]);
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, new Uint8Array([0, ...signature])), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-11: the genuine signature DER-encoded is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    const der = joseToDer(decodeBase64url(parts(flow.token)[2]));
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, der), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-11: an empty-looking signature of one octet is SIGNATURE_INVALID', async () => {
    const flow = await w.link();
    expectDeniedEarly(await w.rpVerifier().verify(withSignature(flow.token, new Uint8Array([0])), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-13: the high-S twin of a valid signature is accepted', async () => {
    const flow = await w.link();
    const { r, s } = scalars(decodeBase64url(parts(flow.token)[2]));
    const high = signatureOf(r, P256_ORDER - s);
    expect(isHighS(high)).toBe(true);
    expectAllowed(await w.rpVerifier().verify(withSignature(flow.token, high), flow.expect));
  });

  it('SHO-JWS-16: an Ed25519 signature with S + L (non-canonical S) is SIGNATURE_INVALID', async () => {
    const ed = await testKey('EdDSA');
    const flow = await w.link();
    const token = forge({ header: headerFor(ed, LINK_TYP), payload: decode(flow.token).payload, key: ed });
    const verifier = () => w.rpVerifier({ trust: { parties: [{ ...w.partyEntry(BANK, ed, ['link']), algs: ['EdDSA'] }] } });
    expectAllowed(await verifier().verify(token, flow.expect));
    const signature = decodeBase64url(parts(token)[2]);
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let sValue = 0n;
    for (let i = 31; i >= 0; i--) sValue = (sValue << 8n) | BigInt(signature[32 + i]!);
    let malleated = sValue + L;
    const forged = new Uint8Array(signature);
    for (let i = 0; i < 32; i++) {
      forged[32 + i] = Number(malleated & 0xffn);
      malleated >>= 8n;
    }
    expectDeniedEarly(await verifier().verify(withSignature(token, forged), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-15: a PS256 signature one octet short of the modulus length is SIGNATURE_INVALID', async () => {
    const rsa = await testKey('PS256');
    const flow = await w.link();
    const token = forge({ header: headerFor(rsa, LINK_TYP), payload: decode(flow.token).payload, key: rsa });
    const verifier = () => w.rpVerifier({ trust: { parties: [{ ...w.partyEntry(BANK, rsa, ['link']), algs: ['PS256'] }] } });
    expectAllowed(await verifier().verify(token, flow.expect));
    const signature = decodeBase64url(parts(token)[2]);
    expectDeniedEarly(await verifier().verify(withSignature(token, signature.subarray(1)), flow.expect), 'SIGNATURE_INVALID');
  });

  it('SHO-JWS-20: a denied signature exposes no claim, issuer-asserted jti or transaction hash', async () => {
    const flow = await w.transaction();
    const decision = await w.rpVerifier().verify(withSignature(flow.token, new Uint8Array(64)), flow.expect);
    expect(codes(decision)).toEqual(['SIGNATURE_INVALID']);
    expect(decision.claims).toBeUndefined();
    expect(decision.jti).toBeUndefined();
    expect(decision.transactionHash).toBeUndefined();
  });
});
