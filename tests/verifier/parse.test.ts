/**
 * Step 1, parse (spec/02-tokens.md SHO-JWS-1 to SHO-JWS-5; spec/13-verification.md SHO-VER-1, SHO-VER-11):
 * every malformed token is denied with MALFORMED_TOKEN or TOKEN_TOO_LARGE, never an exception. Header
 * mutations are validly signed by the bank so that only the mutation can be the reason.
 */
import { describe, expect, it } from 'vitest';
import {
  b64u,
  codes,
  createWorld,
  decode,
  expectAllowed,
  expectDenied,
  expectDeniedEarly,
  forge,
  forgeSegments,
  headerFor,
  parts,
  withSignature,
} from '../helpers/world.js';

const w = await createWorld();
const bank = w.keys.bank;
const LINK_TYP = 'shomei-link+jwt';
const flow = await w.link();
const verifier = w.rpVerifier();
const { payload } = decode(flow.token);
const [headerB64, payloadB64, signatureB64] = parts(flow.token);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same bytes with the unused low bits of the last character set (RFC 4648 §3.5). */
function nonCanonical(segment: string): string {
  const tail = segment.length % 4;
  if (tail === 0) throw new Error('segment has no unused bits');
  const value = ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + ALPHABET[value | 1];
}

/** JSON text whose UTF-8 length is not a multiple of 3, so its base64url has unused bits. */
function withUnusedBits(value: Record<string, unknown>): string {
  let text = JSON.stringify(value);
  while (new TextEncoder().encode(text).length % 3 === 0) text += ' ';
  return b64u(text);
}

const verify = (token: unknown) => verifier.verify(token, flow.expect);

describe('compact serialization (SHO-JWS-1)', () => {
  it('SHO-JWS-1: the baseline token verifies', async () => {
    expectAllowed(await w.rpVerifier().verify(flow.token, flow.expect));
  });

  for (const [name, token] of [
    ['two parts', `${headerB64}.${payloadB64}`],
    ['one part', headerB64],
    ['four parts', `${flow.token}.${signatureB64}`],
    ['five parts (JWE shape)', `${headerB64}.${payloadB64}.${payloadB64}.${payloadB64}.${signatureB64}`],
    ['an empty string', ''],
    ['only dots', '..'],
    ['an empty signature (unsecured JWS)', `${headerB64}.${payloadB64}.`],
    ['an empty payload (detached content)', `${headerB64}..${signatureB64}`],
    ['an empty header', `.${payloadB64}.${signatureB64}`],
    ['JWS JSON serialization', JSON.stringify({ payload: payloadB64, protected: headerB64, signature: signatureB64 })],
  ] as const) {
    it(`SHO-JWS-1: ${name} is MALFORMED_TOKEN`, async () => {
      expectDeniedEarly(await verify(token), 'MALFORMED_TOKEN');
    });
  }
});

describe('caller mistakes (SHO-VER-11)', () => {
  it('SHO-VER-11: a token that is not a string (number, null, undefined, object, bytes) is a caller mistake (TypeError ERR_INVALID_ARG_VALUE)', async () => {
    for (const token of [12345, null, undefined, { token: flow.token }, new TextEncoder().encode(flow.token)]) {
      const thrown = await verifier.verifier.verify(token as never, flow.expect).then(
        (decision) => decision,
        (error: unknown) => error,
      );
      expect(thrown, `token ${typeof token}`).toBeInstanceOf(TypeError);
      expect((thrown as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
    }
  });
});

describe('strict base64url (SHO-JWS-3)', () => {
  it('SHO-JWS-3: a padded header (validly signed) is MALFORMED_TOKEN', async () => {
    const padded = `${headerB64}${'='.repeat((4 - (headerB64.length % 4)) % 4 || 4)}`;
    expectDeniedEarly(await verify(forgeSegments(padded, payloadB64, bank)), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-3: a padded payload (validly signed) is MALFORMED_TOKEN', async () => {
    const text = withUnusedBits(payload);
    const padded = `${text}${'='.repeat(4 - (text.length % 4))}`;
    expectDeniedEarly(await verify(forgeSegments(headerB64, padded, bank)), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-3: a padded signature is MALFORMED_TOKEN', async () => {
    expectDeniedEarly(await verify(`${flow.token}==`), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-3: standard base64 characters (+ and /) are MALFORMED_TOKEN', async () => {
    const header = b64u(JSON.stringify({ ...headerFor(bank, LINK_TYP), pad: '\u00fb\u00ff' }));
    const standard = header.replace(/-/g, '+').replace(/_/g, '/');
    expect(standard).not.toBe(header);
    expectDeniedEarly(await verify(forgeSegments(standard, payloadB64, bank)), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-3: a non-canonical header (unused bits set, validly signed) is MALFORMED_TOKEN', async () => {
    const header = withUnusedBits(headerFor(bank, LINK_TYP));
    expectAllowed(await w.rpVerifier().verify(forgeSegments(header, payloadB64, bank), flow.expect));
    expectDeniedEarly(await verify(forgeSegments(nonCanonical(header), payloadB64, bank)), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-3: a non-canonical payload (unused bits set, validly signed) is MALFORMED_TOKEN', async () => {
    const body = withUnusedBits(payload);
    expectDeniedEarly(await verify(forgeSegments(headerB64, nonCanonical(body), bank)), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-3: a non-canonical signature (unused bits set) is MALFORMED_TOKEN', async () => {
    expectDeniedEarly(await verify(withSignature(flow.token, nonCanonical(signatureB64))), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-3: a segment whose length is 1 modulo 4 is MALFORMED_TOKEN', async () => {
    expectDeniedEarly(await verify(withSignature(flow.token, `${signatureB64}A`.slice(0, 85))), 'MALFORMED_TOKEN');
  });

  for (const [name, token] of [
    ['a leading space', ` ${flow.token}`],
    ['a trailing newline', `${flow.token}\n`],
    ['a trailing CRLF', `${flow.token}\r\n`],
    ['a space after the first dot', `${headerB64}. ${payloadB64}.${signatureB64}`],
    ['a line break inside the payload', `${headerB64}.${payloadB64.slice(0, 40)}\n${payloadB64.slice(40)}.${signatureB64}`],
    ['a tab inside the signature', `${headerB64}.${payloadB64}.${signatureB64.slice(0, 10)}\t${signatureB64.slice(10)}`],
    ['a non-ASCII character', `${headerB64}.${payloadB64}.${signatureB64.slice(0, -1)}é`],
  ] as const) {
    it(`SHO-JWS-3: ${name} is MALFORMED_TOKEN`, async () => {
      expectDeniedEarly(await verify(token), 'MALFORMED_TOKEN');
    });
  }
});

describe('size (SHO-JWS-2)', () => {
  it('SHO-JWS-2: a validly signed token of 16385 octets and more is TOKEN_TOO_LARGE', async () => {
    const big = forge({ header: headerFor(bank, LINK_TYP), payload: { ...payload, x_padding: 'a'.repeat(17_000) }, key: bank });
    expect(big.length).toBeGreaterThan(16_384);
    expectDeniedEarly(await verify(big), 'TOKEN_TOO_LARGE');
  });

  it('SHO-VER-11: a 10 MB string yields TOKEN_TOO_LARGE, not an exception', async () => {
    expectDeniedEarly(await verify('a'.repeat(10 * 1024 * 1024)), 'TOKEN_TOO_LARGE');
  });

  it('SHO-JWS-2: the limit is in octets: 6000 three-octet characters are TOKEN_TOO_LARGE', async () => {
    expectDeniedEarly(await verify('証'.repeat(6000)), 'TOKEN_TOO_LARGE');
  });

  it('SHO-JWS-2: the size limit is configurable (maxTokenBytes 512 refuses a normal token)', async () => {
    const small = w.rpVerifier({ maxTokenBytes: 512 });
    expect(flow.token.length).toBeGreaterThan(512);
    expectDeniedEarly(await small.verify(flow.token, flow.expect), 'TOKEN_TOO_LARGE');
  });
});

describe('JSON of header and payload (SHO-JWS-4, SHO-JWS-5)', () => {
  const kid = bank.kid;

  it('SHO-JWS-5: a duplicate member in the header is MALFORMED_TOKEN', async () => {
    const header = `{"alg":"ES256","kid":"${kid}","typ":"${LINK_TYP}","alg":"ES256"}`;
    expectDeniedEarly(await verify(forge({ header, payload, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-5: a duplicate typ with two different values in the header is MALFORMED_TOKEN', async () => {
    const header = `{"alg":"ES256","kid":"${kid}","typ":"shomei-txn+jwt","typ":"${LINK_TYP}"}`;
    expectDeniedEarly(await verify(forge({ header, payload, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-5: a duplicate header member spelled with an escape is MALFORMED_TOKEN', async () => {
    const header = `{"alg":"ES256","kid":"${kid}","typ":"${LINK_TYP}","\\u0061lg":"ES256"}`;
    expectDeniedEarly(await verify(forge({ header, payload, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-5: a duplicate member in a validly signed payload is MALFORMED_TOKEN (after the signature)', async () => {
    const text = `${JSON.stringify(payload).slice(0, -1)},"aud":"https://evil.example"}`;
    const decision = await verify(forge({ header: headerFor(bank, LINK_TYP), payload: text, key: bank }));
    expectDeniedEarly(decision, 'MALFORMED_TOKEN');
    // The header passed and the key was selected: this failure comes after the signature step.
    expect(decision.kid).toBe(bank.kid);
  });

  it('SHO-JWS-5: a duplicate member nested in the account of a validly signed payload is MALFORMED_TOKEN', async () => {
    const text = JSON.stringify(payload).replace('"number":"1234567"', '"number":"1234567","number":"7654321"');
    expect(text).toContain('"number":"7654321"');
    expectDeniedEarly(await verify(forge({ header: headerFor(bank, LINK_TYP), payload: text, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-4: invalid UTF-8 in the header is MALFORMED_TOKEN', async () => {
    const bytes = new TextEncoder().encode(`{"alg":"ES256","kid":"${kid}","typ":"${LINK_TYP}","x":"--"}`);
    bytes[bytes.length - 3] = 0xc3;
    bytes[bytes.length - 4] = 0xff;
    expectDeniedEarly(await verify(forge({ header: bytes, payload, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-4: invalid UTF-8 in a validly signed payload is MALFORMED_TOKEN', async () => {
    const text = new TextEncoder().encode(JSON.stringify({ ...payload, txn: '--' }));
    const at = new TextDecoder().decode(text).indexOf('"--"') + 1;
    text[at] = 0xed; // a lone surrogate half (ED A0 ..) is not UTF-8
    text[at + 1] = 0xa0;
    expectDeniedEarly(await verify(forge({ header: headerFor(bank, LINK_TYP), payload: text, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-4: a byte-order mark before the header JSON is MALFORMED_TOKEN', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify(headerFor(bank, LINK_TYP)))]);
    expectDeniedEarly(await verify(forge({ header: bytes, payload, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-4: a byte-order mark before a validly signed payload is MALFORMED_TOKEN', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(JSON.stringify(payload))]);
    expectDeniedEarly(await verify(forge({ header: headerFor(bank, LINK_TYP), payload: bytes, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-4: a header that is a JSON array is MALFORMED_TOKEN', async () => {
    expectDeniedEarly(await verify(forge({ header: '["ES256"]', payload, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-4: a header that is not JSON is MALFORMED_TOKEN', async () => {
    expectDeniedEarly(await verify(forge({ header: "{alg:'ES256'}", payload, key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-4: a validly signed payload that is a JSON string is MALFORMED_TOKEN', async () => {
    expectDeniedEarly(await verify(forge({ header: headerFor(bank, LINK_TYP), payload: '"claims"', key: bank })), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-4: a validly signed payload nested 33 levels deep is MALFORMED_TOKEN', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 32; i++) deep = [deep];
    expectDeniedEarly(
      await verify(forge({ header: headerFor(bank, LINK_TYP), payload: { ...payload, x_deep: deep }, key: bank })),
      'MALFORMED_TOKEN',
    );
  });

  it('SHO-JWS-4: a validly signed payload nested 32 levels deep is read (unknown claim ignored)', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 30; i++) deep = [deep];
    const token = forge({ header: headerFor(bank, LINK_TYP), payload: { ...payload, x_deep: deep }, key: bank });
    expect(codes(await w.rpVerifier().verify(token, flow.expect))).toEqual([]);
  });

  it('SHO-JWS-4: a __proto__ member in a validly signed payload is MALFORMED_TOKEN', async () => {
    const text = `${JSON.stringify(payload).slice(0, -1)},"__proto__":{"aal":"aal3"}}`;
    expectDenied(await verify(forge({ header: headerFor(bank, LINK_TYP), payload: text, key: bank })), 'MALFORMED_TOKEN');
  });
});
