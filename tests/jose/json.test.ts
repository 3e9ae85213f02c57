import { describe, expect, it } from 'vitest';
import { parseJsonObject } from '../../src/encoding/json.js';
import { decodeUtf8Strict, encodeUtf8 } from '../../src/encoding/utf8.js';
import { expectInvalidArgument, expectShomeiError } from './helpers.js';

function nested(depth: number): string {
  // depth objects: {"a":{"a":...{}...}}
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

describe('strict JSON objects (RFC 8259, RFC 7515 §5.2, I-JSON RFC 7493 §2.3)', () => {
  it('SHO-JWS-4: parses an object with nested values', () => {
    expect(parseJsonObject('{"typ":"shomei-link+jwt","n":[1,{"b":null}],"s":"\\"a\\\\"}')).toEqual({
      typ: 'shomei-link+jwt',
      n: [1, { b: null }],
      s: '"a\\',
    });
  });

  it('SHO-JWS-5: accepts the same name in sibling and nested objects', () => {
    expect(() => parseJsonObject('{"a":{"a":1},"b":{"a":2},"c":[{"a":1},{"a":2}]}')).not.toThrow();
  });

  it('SHO-JWS-5: a member name inside a string value does not count as a member', () => {
    expect(() => parseJsonObject('{"a":"\\"a\\":1","b":"x\\\\","c":"\\\\\\"a\\":"}')).not.toThrow();
    expect(() => parseJsonObject('{"a" : "a" , "b" :"a"}')).not.toThrow();
  });

  const duplicates: Array<[string, string]> = [
    ['top-level duplicate', '{"a":1,"a":1}'],
    ['duplicate with different values', '{"alg":"ES256","alg":"none"}'],
    ['escaped name (\\u0061 = a)', '{"a":1,"\\u0061":2}'],
    ['escaped name, upper-case hex', '{"\\u0041":1,"A":2}'],
    ['escaped solidus', '{"a/b":1,"a\\/b":2}'],
    ['surrogate pair written two ways', '{"😀":1,"\\ud83d\\ude00":2}'],
    ['nested duplicate', '{"x":{"b":1,"b":2}}'],
    ['duplicate inside an array', '{"x":[{"k":1},{"k":1,"k":2}]}'],
    ['deeply nested duplicate', '{"a":{"b":{"c":{"d":{"e":1,"e":1}}}}}'],
    ['whitespace around the colon', '{"a" :1, "a"\n:2}'],
    ['empty names', '{"":1,"":2}'],
  ];

  it.each(duplicates)('SHO-JWS-5: rejects %s with MALFORMED_TOKEN duplicate_member', (_name, text) => {
    expectShomeiError(() => parseJsonObject(text), 'MALFORMED_TOKEN', 'duplicate_member');
  });

  it('SHO-JWS-4: accepts nesting of exactly 32 levels and rejects 33', () => {
    expect(() => parseJsonObject(nested(32))).not.toThrow();
    expectShomeiError(() => parseJsonObject(nested(33)), 'MALFORMED_TOKEN', 'too_deep');
  });

  it('SHO-JWS-4: arrays count as nesting levels', () => {
    const arrays = '{"a":' + '['.repeat(31) + ']'.repeat(31) + '}';
    expect(() => parseJsonObject(arrays)).not.toThrow();
    const deeper = '{"a":' + '['.repeat(32) + ']'.repeat(32) + '}';
    expectShomeiError(() => parseJsonObject(deeper), 'MALFORMED_TOKEN', 'too_deep');
  });

  it('SHO-JWS-4: maxDepth is configurable and a huge nesting fails without a stack overflow', () => {
    expect(() => parseJsonObject(nested(3), { maxDepth: 3 })).not.toThrow();
    expectShomeiError(() => parseJsonObject(nested(4), { maxDepth: 3 }), 'MALFORMED_TOKEN', 'too_deep');
    expectShomeiError(() => parseJsonObject(nested(100_000)), 'MALFORMED_TOKEN', 'too_deep');
  });

  const notObjects: Array<[string, string, string]> = [
    ['an array', '[{"a":1}]', 'not_an_object'],
    ['a string', '"{}"', 'not_an_object'],
    ['a number', '1', 'not_an_object'],
    ['null', 'null', 'not_an_object'],
    ['empty text', '', 'invalid_json'],
    ['trailing comma', '{"a":1,}', 'invalid_json'],
    ['single quotes', "{'a':1}", 'invalid_json'],
    ['trailing garbage', '{"a":1}x', 'invalid_json'],
    ['two objects', '{}{}', 'invalid_json'],
    ['a byte-order mark', '\ufeff{"a":1}', 'invalid_json'],
    ['NaN', '{"a":NaN}', 'invalid_json'],
    ['a comment', '{"a":1/*x*/}', 'invalid_json'],
    ['an unescaped control character', '{"a":"\u0001"}', 'invalid_json'],
  ];

  it.each(notObjects)('SHO-JWS-4: rejects %s with MALFORMED_TOKEN', (_name, text, reason) => {
    expectShomeiError(() => parseJsonObject(text), 'MALFORMED_TOKEN', reason);
  });

  it('SHO-JWS-4: rejects a __proto__ member at any depth, also when escaped', () => {
    expectShomeiError(() => parseJsonObject('{"__proto__":{"polluted":true}}'), 'MALFORMED_TOKEN', 'forbidden_member');
    expectShomeiError(() => parseJsonObject('{"a":[{"__proto__":{}}]}'), 'MALFORMED_TOKEN', 'forbidden_member');
    expectShomeiError(() => parseJsonObject('{"\\u005f_proto__":{"x":1}}'), 'MALFORMED_TOKEN', 'forbidden_member');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('SHO-JWS-4: the error message does not echo the input', () => {
    // Outside a try: a parser that accepted the input must fail here, not have the check swallowed.
    const error = expectShomeiError(() => parseJsonObject('{"name":"山田太郎",}'), 'MALFORMED_TOKEN');
    expect(error.message).not.toContain('山田');
    expect(error.cause).toBeUndefined();
  });

  it('SHO-JWS-4: caller mistakes are TypeErrors', () => {
    expectInvalidArgument(() => parseJsonObject({} as unknown as string));
    expectInvalidArgument(() => parseJsonObject('{}', { maxDepth: 0 }));
    expectInvalidArgument(() => parseJsonObject('{}', { maxDepth: 1.5 }));
  });
});

describe('strict UTF-8 (RFC 3629, RFC 8259 §8.1)', () => {
  it('SHO-JWS-4: round-trips text and keeps a BOM so JSON parsing rejects it', () => {
    expect(decodeUtf8Strict(encodeUtf8('証明 ok'))).toBe('証明 ok');
    expect(decodeUtf8Strict(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('\ufeff{}');
  });

  const invalid: Array<[string, number[]]> = [
    ['a lone continuation byte', [0x80]],
    ['a truncated 3-byte sequence', [0xe8, 0xa8]],
    ['an overlong encoding of /', [0xc0, 0xaf]],
    ['an encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['an invalid byte 0xFF', [0x7b, 0xff, 0x7d]],
  ];

  it.each(invalid)('SHO-JWS-4: rejects %s with MALFORMED_TOKEN', (_name, bytes) => {
    expectShomeiError(() => decodeUtf8Strict(new Uint8Array(bytes)), 'MALFORMED_TOKEN', 'invalid_utf8');
  });
});

describe('parseJsonObject after Object.prototype was polluted (SHO-JWS-5)', () => {
  it('SHO-JWS-5: an enumerable member added to Object.prototype neither hides a duplicate nor refuses clean JSON', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 1;
    try {
      expectShomeiError(() => parseJsonObject('{"aud":"https://a.example","aud":"https://b.example"}'), 'MALFORMED_TOKEN', 'duplicate_member');
      expectShomeiError(() => parseJsonObject('{"a":1,"b":{"c":2,"c":3},"a":4}'), 'MALFORMED_TOKEN', 'duplicate_member');
      expect(parseJsonObject('{"aud":"https://a.example","x":{"y":1}}')).toEqual({ aud: 'https://a.example', x: { y: 1 } });
    } finally {
      delete proto.polluted;
    }
  });
});
