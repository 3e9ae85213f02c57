import { describe, expect, it } from 'vitest';
import { decodePayload, parseCompact } from '../../src/jws/compact.js';
import { b64, expectInvalidArgument, expectShomeiError } from './helpers.js';

const HEADER = b64('{"alg":"ES256","kid":"k1","typ":"shomei-link+jwt"}');
const PAYLOAD = b64('{"iss":"https://bank.example","n":1}');
const SIG = 'A'.repeat(86); // 64 zero bytes
const TOKEN = `${HEADER}.${PAYLOAD}.${SIG}`;

/** base64url of a JSON object padded with spaces until its encoded length is `mod` modulo 4. */
function b64WithLength(json: string, mod: number): string {
  let text = json;
  while (b64(text).length % 4 !== mod) text = ` ${text}`;
  return b64(text);
}

describe('parseCompact (RFC 7515 §3.1, §7.1)', () => {
  it('SHO-JWS-1: splits a compact JWS and keeps the payload encoded', () => {
    const parsed = parseCompact(TOKEN);
    expect(parsed.header).toEqual({ alg: 'ES256', kid: 'k1', typ: 'shomei-link+jwt' });
    expect(parsed.protectedB64).toBe(HEADER);
    expect(parsed.payloadB64).toBe(PAYLOAD);
    expect(parsed.signature).toEqual(new Uint8Array(64));
    expect(Object.keys(parsed).sort()).toEqual(['bytes', 'header', 'payloadB64', 'protectedB64', 'signature', 'signingInput']);
    expect(new TextDecoder().decode(parsed.bytes)).toBe(TOKEN);
    expect(new TextDecoder().decode(parsed.signingInput)).toBe(TOKEN.slice(0, TOKEN.lastIndexOf('.')));
  });

  it('SHO-JWS-1: a header decoded once is shared frozen, so one caller cannot change what the next one reads', () => {
    const first = parseCompact(TOKEN);
    const second = parseCompact(TOKEN);
    expect(second.header).toBe(first.header);
    expect(Object.isFrozen(first.header)).toBe(true);
    expect(() => {
      (first.header as Record<string, unknown>).alg = 'none';
    }).toThrow(TypeError);
    expect(parseCompact(TOKEN).header.alg).toBe('ES256');
    const long = `${b64(JSON.stringify({ alg: 'ES256', kid: 'k'.repeat(900), typ: 'shomei-link+jwt', x: { y: 1 } }))}.${PAYLOAD}.${SIG}`;
    const uncached = parseCompact(long).header;
    expect(Object.isFrozen(uncached)).toBe(true);
    expect(Object.isFrozen(uncached.x)).toBe(true);
  });

  it('SHO-JWS-17: the signing input is the ASCII of the received header.payload, byte for byte', () => {
    // A header with spaces and member order that re-encoding would change.
    const header = b64('{ "typ":"x", "alg":"ES256" ,"kid":"k"}');
    const parsed = parseCompact(`${header}.${PAYLOAD}.${SIG}`);
    expect(new TextDecoder().decode(parsed.signingInput)).toBe(`${header}.${PAYLOAD}`);
  });

  it('SHO-JWS-20: parseCompact does not read the payload; decodePayload does, strictly', () => {
    const badPayload = b64('{"a":1,"a":2}');
    const parsed = parseCompact(`${HEADER}.${badPayload}.${SIG}`);
    expectShomeiError(() => decodePayload(parsed), 'MALFORMED_TOKEN', 'duplicate_member');
    expect(decodePayload(parseCompact(TOKEN))).toEqual({ iss: 'https://bank.example', n: 1 });
  });

  it('SHO-JWS-2: rejects a token above 16384 octets with TOKEN_TOO_LARGE, before decoding', () => {
    let fillerLength = 16384 - HEADER.length - 2 - SIG.length;
    let sig = SIG;
    if (fillerLength % 4 === 1) {
      fillerLength -= 1;
      sig = `${SIG}A`;
    }
    const exactly = `${HEADER}.${'A'.repeat(fillerLength)}.${sig}`;
    expect(exactly.length).toBe(16384);
    expect(() => parseCompact(exactly)).not.toThrow();
    expectShomeiError(() => parseCompact(`${exactly}A`), 'TOKEN_TOO_LARGE');
    // Garbage is reported as too large, not malformed: the size check comes first.
    expectShomeiError(() => parseCompact('!'.repeat(20000)), 'TOKEN_TOO_LARGE');
  });

  it('SHO-JWS-2: the limit counts octets, so multi-byte characters count more than once', () => {
    expectShomeiError(() => parseCompact('あ'.repeat(6000)), 'TOKEN_TOO_LARGE');
    expectShomeiError(() => parseCompact('あ'.repeat(5000)), 'MALFORMED_TOKEN');
  });

  it('SHO-JWS-2: maxLength is configurable', () => {
    expectShomeiError(() => parseCompact(TOKEN, { maxLength: TOKEN.length - 1 }), 'TOKEN_TOO_LARGE');
    expect(() => parseCompact(TOKEN, { maxLength: TOKEN.length })).not.toThrow();
    expectInvalidArgument(() => parseCompact(TOKEN, { maxLength: 0 }));
  });

  const malformed: Array<[string, unknown, string]> = [
    ['a non-string', 42, 'not_a_string'],
    ['undefined', undefined, 'not_a_string'],
    ['two parts', `${HEADER}.${PAYLOAD}`, 'part_count'],
    ['one part', HEADER, 'part_count'],
    ['four parts', `${TOKEN}.${SIG}`, 'part_count'],
    ['five parts (JWE)', `${HEADER}.${PAYLOAD}.${PAYLOAD}.${PAYLOAD}.${SIG}`, 'part_count'],
    ['JWS JSON serialization', JSON.stringify({ payload: PAYLOAD, protected: HEADER, signature: SIG }), 'part_count'],
    ['empty signature (unsecured JWS)', `${HEADER}.${PAYLOAD}.`, 'empty_part'],
    ['empty payload (detached)', `${HEADER}..${SIG}`, 'empty_part'],
    ['empty header', `.${PAYLOAD}.${SIG}`, 'empty_part'],
    ['padded header', `${b64WithLength('{"alg":"ES256"}', 3)}=.${PAYLOAD}.${SIG}`, 'padding'],
    ['padded payload', `${HEADER}.${b64WithLength('{"a":1}', 2)}==.${SIG}`, 'padding'],
    ['payload padding making length 1 mod 4', `${HEADER}.${b64WithLength('{"a":1}', 0)}=.${SIG}`, 'invalid_length'],
    ['padded signature', `${HEADER}.${PAYLOAD}.${'A'.repeat(86)}==`, 'padding'],
    ['standard base64 in the signature', `${HEADER}.${PAYLOAD}.${'A'.repeat(85)}+`, 'invalid_character'],
    ['whitespace in the payload', `${HEADER}.${PAYLOAD.slice(0, 4)} ${PAYLOAD.slice(5)}.${SIG}`, 'invalid_character'],
    ['a line break between parts', `${HEADER}.\n${PAYLOAD.slice(1)}.${SIG}`, 'invalid_character'],
    ['non-canonical signature tail', `${HEADER}.${PAYLOAD}.${'A'.repeat(85)}B`, 'non_canonical'],
    ['non-canonical payload tail', `${HEADER}.QR.${SIG}`, 'non_canonical'],
    ['length 1 mod 4 payload', `${HEADER}.AAAAA.${SIG}`, 'invalid_length'],
    ['header not JSON', `${b64('alg=ES256')}.${PAYLOAD}.${SIG}`, 'invalid_json'],
    ['header a JSON array', `${b64('["ES256"]')}.${PAYLOAD}.${SIG}`, 'not_an_object'],
    ['header with a duplicate alg', `${b64('{"alg":"ES256","alg":"none"}')}.${PAYLOAD}.${SIG}`, 'duplicate_member'],
    ['header with an escaped duplicate', `${b64('{"alg":"ES256","\\u0061lg":"none"}')}.${PAYLOAD}.${SIG}`, 'duplicate_member'],
    ['header with a BOM', `${b64('\ufeff{"alg":"ES256"}')}.${PAYLOAD}.${SIG}`, 'invalid_json'],
    ['header invalid UTF-8', `${Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url')}.${PAYLOAD}.${SIG}`, 'invalid_utf8'],
    ['header nested 33 deep', `${b64('{"a":'.repeat(33) + '1' + '}'.repeat(33))}.${PAYLOAD}.${SIG}`, 'too_deep'],
  ];

  it.each(malformed)('SHO-JWS-1: rejects %s with MALFORMED_TOKEN', (_name, token, reason) => {
    expectShomeiError(() => parseCompact(token as string), 'MALFORMED_TOKEN', reason);
  });

  it('SHO-JWS-3: the error names the part and keeps the requirement', () => {
    const error = expectShomeiError(() => parseCompact(`${HEADER}.${PAYLOAD}.${'A'.repeat(86)}==`), 'MALFORMED_TOKEN');
    expect(error.message).toContain('signature');
    expect((error as { requirement?: string }).requirement).toBe('SHO-JWS-3');
  });

  const badPayloads: Array<[string, string, string]> = [
    ['a JSON array', b64('[1]'), 'not_an_object'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xc0, 0xaf, 0x7d]).toString('base64url'), 'invalid_utf8'],
    ['nested duplicate', b64('{"a":{"x":1,"x":1}}'), 'duplicate_member'],
    ['a __proto__ member', b64('{"__proto__":{"admin":true}}'), 'forbidden_member'],
    ['nested 33 deep', b64('{"a":'.repeat(33) + '1' + '}'.repeat(33)), 'too_deep'],
  ];

  it.each(badPayloads)('SHO-JWS-4: decodePayload rejects %s with MALFORMED_TOKEN', (_name, payload, reason) => {
    expectShomeiError(() => decodePayload(parseCompact(`${HEADER}.${payload}.${SIG}`)), 'MALFORMED_TOKEN', reason);
  });
});

describe('decodePayload with a platform decoder (SHO-JWS-3)', () => {
  // A lenient decoder, as Buffer's is: it would read padding, the standard alphabet and whitespace.
  const lenient = (text: string): Uint8Array => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, '')), (c) => c.charCodeAt(0));

  it('SHO-JWS-3: decodes a checked payload with the platform decoder', () => {
    const parsed = parseCompact(TOKEN);
    let calls = 0;
    const decoded = decodePayload(parsed, { decodeBase64url: (text) => (calls++, lenient(text)) });
    expect(decoded).toEqual(decodePayload(parsed));
    expect(calls).toBe(1);
  });

  it('SHO-JWS-3: still refuses padded, standard-alphabet or spaced text it was not shown checked', () => {
    for (const payloadB64 of [`${PAYLOAD}=`, `${PAYLOAD}==`, `${PAYLOAD.slice(0, 4)}+${PAYLOAD.slice(5)}`, `${PAYLOAD.slice(0, 4)} ${PAYLOAD.slice(4)}`]) {
      expect(() => decodePayload({ payloadB64 }, { decodeBase64url: lenient })).toThrowError(expect.objectContaining({ code: 'MALFORMED_TOKEN' }) as Error);
    }
  });

  it('SHO-JWS-3: a parsed JWS made through its constructor or a subclass cannot mark a lenient payload checked', () => {
    const parsed = parseCompact(TOKEN);
    type Ctor = new (...args: unknown[]) => object;
    const Made = parsed.constructor as Ctor;
    const padded = `${PAYLOAD}=`;
    const args = [parsed.header, parsed.protectedB64, padded, parsed.signingInput, parsed.signature, parsed.bytes];
    expect(() => new Made(...args)).toThrow(TypeError);
    expect(() => new Made(undefined, ...args)).toThrow(TypeError);
    class Sub extends Made {
      constructor() {
        super(Symbol('parseCompact'), ...args);
      }
    }
    expect(() => new Sub()).toThrow(TypeError);
    // A copy that keeps the prototype is no parsed JWS of parseCompact's either: it is checked.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(parsed) as object) as object, { ...parsed, payloadB64: padded });
    expect(() => decodePayload(copy as typeof parsed, { decodeBase64url: lenient })).toThrowError(expect.objectContaining({ code: 'MALFORMED_TOKEN' }) as Error);
  });

  it('SHO-JWS-3: a payload replaced after parseCompact is checked again', () => {
    const parsed = parseCompact(TOKEN);
    const tampered = { ...parsed, payloadB64: `${PAYLOAD.slice(0, 4)}+${PAYLOAD.slice(5)}` };
    expect(() => decodePayload(tampered, { decodeBase64url: lenient })).toThrowError(expect.objectContaining({ code: 'MALFORMED_TOKEN' }) as Error);
    parsed.payloadB64 = tampered.payloadB64;
    expect(() => decodePayload(parsed, { decodeBase64url: lenient })).toThrowError(expect.objectContaining({ code: 'MALFORMED_TOKEN' }) as Error);
  });
});
