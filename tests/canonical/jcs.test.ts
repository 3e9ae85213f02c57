import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/canonical/jcs.js';
import { mulberry32 } from '../helpers/prng.js';
import { hashCanonical, sha256, sha256Base64url } from '../../src/canonical/digest.js';

function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

function expectInvalid(value: unknown): void {
  let thrown: unknown;
  try {
    canonicalize(value);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect((thrown as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
}

describe('JCS (RFC 8785)', () => {
  // RFC 8785 Appendix B: IEEE 754 bit patterns and their required serialization.
  const numbers: Array<[string, string]> = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];

  it.each(numbers)('SHO-BIND-1: serializes the double %s as %s (RFC 8785 Appendix B)', (bits, expected) => {
    expect(canonicalize(fromBits(bits))).toBe(expected);
  });

  it.each([['7fffffffffffffff'], ['7ff0000000000000'], ['fff0000000000000']])(
    'SHO-BIND-1: refuses the non-finite double %s (RFC 8785 Appendix B)',
    (bits) => expectInvalid(fromBits(bits)),
  );

  it('SHO-BIND-1: canonicalizes the RFC 8785 §3.2.2 sample object', () => {
    const input = JSON.parse(
      '{\n  "numbers": [333333333.33333329, 1E30, 4.50,\n              2e-3, 0.000000000000000000000000001],\n' +
        '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}',
    );
    const expected =
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
    const output = canonicalize(input);
    expect(output).toBe(expected);
    // RFC 8785 §3.2.4: the UTF-8 octets
    expect(Buffer.from(output, 'utf8').toString('hex')).toBe(
      '7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c226e756d62657273223a5b3333333333333333332e33333333' +
        '3333332c31652b33302c342e352c302e3030322c31652d32375d2c22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d',
    );
  });

  it('SHO-BIND-1: sorts members by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",' +
        '"\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    );
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('SHO-BIND-1: orders members exactly as Array.prototype.sort does, for objects small and large (seeded)', () => {
    // Small objects are sorted by insertion, larger ones by the engine: both must give the code-unit order.
    const random = mulberry32(8785);
    const alphabet = ['a', 'b', 'A', '1', '_', 'é', '\u0080', '€', '\ufb33', '\ud83d\ude00', '\ud83d\ude01', 'aa', '', 'ab', '\u00f6'];
    for (let round = 0; round < 2000; round++) {
      const size = Math.floor(random() * 40);
      const record: Record<string, number> = {};
      for (let i = 0; i < size; i++) {
        let key = '';
        const length = 1 + Math.floor(random() * 3);
        for (let c = 0; c < length; c++) key += alphabet[Math.floor(random() * alphabet.length)];
        record[key] = i;
      }
      const keys = Object.keys(record).sort();
      expect(canonicalize(record)).toBe(`{${keys.map((key) => `${JSON.stringify(key)}:${record[key]}`).join(',')}}`);
    }
  });

  it('SHO-BIND-1: sorts recursively, keeps array order, and emits no whitespace', () => {
    expect(canonicalize({ b: [3, { z: 1, a: 2 }, 1], a: { d: true, c: null } })).toBe(
      '{"a":{"c":null,"d":true},"b":[3,{"a":2,"z":1},1]}',
    );
    expect(canonicalize([])).toBe('[]');
    expect(canonicalize({})).toBe('{}');
    expect(canonicalize(Object.create(null) as object)).toBe('{}');
  });

  it('SHO-BIND-9: no Unicode normalisation: composed and decomposed forms differ', () => {
    expect(canonicalize({ a: 'é' })).not.toBe(canonicalize({ a: 'e\u0301' }));
    expect(canonicalize({ a: 'ｶﾅ' })).toBe('{"a":"ｶﾅ"}');
  });

  it('SHO-BIND-1: escapes control characters as RFC 8785 §3.2.2.2 requires', () => {
    expect(canonicalize('\u0000\b\t\n\f\r\u001f"\\/\u007f')).toBe('"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\u007f"');
  });

  const invalid: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['an undefined member', { a: undefined }],
    ['an undefined array element', [1, undefined]],
    ['a sparse array hole', [1, , 3]],
    ['a function', { f: () => 1 }],
    ['a symbol', Symbol('x')],
    ['a bigint', { n: 10n }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a lone high surrogate', { s: 'a\ud800b' }],
    ['a lone low surrogate', { s: '\udc00' }],
    ['a lone surrogate in a key', { '\ud83d': 1 }],
    ['a Date', { d: new Date(0) }],
    ['a Map', new Map()],
    ['a class instance', new (class Point {
      x = 1;
    })()],
  ];

  it.each(invalid)('SHO-BIND-1: refuses %s with a TypeError', (_name, value) => expectInvalid(value));

  it('SHO-BIND-1: refuses cycles but accepts shared (acyclic) references', () => {
    const shared = { a: 1 };
    expect(canonicalize({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectInvalid(cyclic);
  });
});

describe('digests (SHO-BIND)', () => {
  it('SHO-BIND-3: sha256Base64url hashes the ASCII octets of a string (FIPS 180-2 "abc")', async () => {
    expect(await sha256Base64url('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(await sha256Base64url(new TextEncoder().encode('abc'))).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    expect(Buffer.from(await sha256(new Uint8Array())).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('SHO-BIND-1: hashCanonical is base64url(SHA-256(UTF-8(JCS(value)))), 43 characters', async () => {
    const transaction = {
      type: 'payout',
      amount: { value: '150000', currency: 'JPY' },
      payee: { number: '1234567', type: '1', branch_code: '001', bank_code: '0005' },
    };
    const hash = await hashCanonical(transaction);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(await sha256Base64url(canonicalize(transaction)));
    const reordered = JSON.parse(JSON.stringify({ payee: transaction.payee, amount: transaction.amount, type: 'payout' }));
    expect(await hashCanonical(reordered)).toBe(hash);
    expect(await hashCanonical({ ...transaction, amount: { value: '150001', currency: 'JPY' } })).not.toBe(hash);
  });

  it('SHO-BIND-2: hashCanonical of {action, account} equals the hash of the JCS bytes', async () => {
    const details = { action: 'account_link', account: { bank_code: '0005', branch_code: '001', type: '1', number: '1234567' } };
    const jcs = '{"account":{"bank_code":"0005","branch_code":"001","number":"1234567","type":"1"},"action":"account_link"}';
    expect(canonicalize(details)).toBe(jcs);
    const { createHash } = await import('node:crypto');
    expect(await hashCanonical(details)).toBe(createHash('sha256').update(jcs, 'utf8').digest('base64url'));
  });
});
