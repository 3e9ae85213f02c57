import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Account } from '../../src/claims/account.js';
import { AuthenticationClaims } from '../../src/claims/authentication.js';
import { IdentityData, IdentityMatch, MatchResult } from '../../src/claims/identity-match.js';
import { Amount, TransactionDetails } from '../../src/claims/transaction-details.js';
import {
  Evidence,
  ShomeiVerifiedClaims,
  Verification,
  VerifiedClaims,
  VerifiedClaimsElement,
  VerifiedPersonClaims,
} from '../../src/claims/verified-claims.js';
import { KIND_DEFINITIONS, KINDS } from '../../src/kinds/kind.js';
import { compileSchema } from '../../src/validation/compile-schema.js';
import { mulberry32 } from '../helpers/prng.js';

// Differential tests: the compiled validator must agree with zod on every input — success, output
// (key order included) and, on failure, zod's own issues. zod is the specification of the claims
// (spec/02-tokens.md SHO-CLM); the compiled form may only be faster, never different.

type Check = (value: unknown) => z.ZodSafeParseResult<unknown>;

/**
 * Strict equality that also compares key order and prototypes: toStrictEqual ignores key order (and
 * reads `constructor`, which a token may carry as an own member), JSON.stringify drops undefined.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.isFrozen(a) !== Object.isFrozen(b)) return false;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key, index) => key === keysB[index] && sameValue((a as Record<PropertyKey, unknown>)[key], (b as Record<PropertyKey, unknown>)[key]));
}

/** The disagreement between compiled and zod on one input, or undefined. */
function disagreement(compiled: Check, schema: z.ZodType, input: unknown, compareIssues = true): string | undefined {
  const expected = schema.safeParse(input);
  const actual = compiled(input);
  if (actual.success !== expected.success) return `success ${String(actual.success)} where zod says ${String(expected.success)}`;
  if (expected.success && actual.success) {
    if (!sameValue(actual.data, expected.data)) return 'output differs (values, key order or prototypes)';
    if (JSON.stringify(actual.data) !== JSON.stringify(expected.data)) return 'JSON differs';
    return undefined;
  }
  if (compareIssues && !expected.success && !actual.success) {
    if (JSON.stringify(actual.error.issues) !== JSON.stringify(expected.error.issues)) return 'issues differ';
  }
  return undefined;
}

function expectAgreement(compiled: Check, schema: z.ZodType, input: unknown): void {
  expect(disagreement(compiled, schema, input)).toBeUndefined();
  const actual = compiled(input);
  const expected = schema.safeParse(input);
  if (actual.success && expected.success) expect(actual.data).toStrictEqual(expected.data);
}

// ---------------------------------------------------------------------------------------------
// Corpora: the test vectors and the OpenID IDA working group's examples.

const root = join(import.meta.dirname, '..', '..');

function decodeJwtPayload(token: unknown): unknown {
  if (typeof token !== 'string') return undefined;
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function vectorPayloads(): Array<[string, unknown]> {
  const folder = join(root, 'spec', 'vectors', 'cases');
  const found: Array<[string, unknown]> = [];
  for (const name of readdirSync(folder).sort()) {
    const vector = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { token?: unknown; expectations?: { request?: unknown } };
    const payload = decodeJwtPayload(vector.token);
    if (payload !== undefined) found.push([name, payload]);
    const request = decodeJwtPayload(vector.expectations?.request);
    if (request !== undefined) found.push([`${name}#request`, request]);
  }
  return found;
}

const corpus = join(root, '..', 'shared', 'corpora', 'oidc-ida');

function verifiedClaimsIn(payload: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  if ('verified_claims' in payload) found.push(payload.verified_claims);
  const sources = payload._claim_sources as Record<string, { JWT?: string }> | undefined;
  for (const source of Object.values(sources ?? {})) {
    const body = decodeJwtPayload(source.JWT);
    if (typeof body === 'object' && body !== null) found.push(...verifiedClaimsIn(body as Record<string, unknown>));
  }
  return found;
}

function idaExamples(): Array<[string, unknown]> {
  const found: Array<[string, unknown]> = [];
  for (const folder of ['response', 'fail_cases']) {
    for (const name of readdirSync(join(corpus, folder)).filter((file) => file.endsWith('.json')).sort()) {
      const payload = JSON.parse(readFileSync(join(corpus, folder, name), 'utf8')) as Record<string, unknown>;
      found.push(...verifiedClaimsIn(payload).map((claims, index): [string, unknown] => [`${folder}/${name}#${index}`, claims]));
      if (folder === 'fail_cases') found.push([`${folder}/${name}`, payload]);
    }
  }
  return found;
}

const SUB_SCHEMAS: Array<readonly [string, z.ZodType]> = [
  ['VerifiedClaims', VerifiedClaims],
  ['ShomeiVerifiedClaims', ShomeiVerifiedClaims],
  ['VerifiedClaimsElement', VerifiedClaimsElement],
  ['Verification', Verification],
  ['Evidence', Evidence],
  ['VerifiedPersonClaims', VerifiedPersonClaims],
  ['Account', Account],
  ['IdentityMatch', IdentityMatch],
  ['MatchResult', MatchResult],
  ['IdentityData', IdentityData],
  ['TransactionDetails', TransactionDetails],
  ['Amount', Amount],
  ['AuthenticationClaims', AuthenticationClaims],
];

/** Every schema with its compiled form: for the kinds, the one KIND_DEFINITIONS holds. */
function allSchemas(): Array<readonly [string, z.ZodType, Check]> {
  return [
    ...KINDS.map((kind) => [kind, KIND_DEFINITIONS[kind].schema as z.ZodType, KIND_DEFINITIONS[kind].check as Check] as const),
    ...SUB_SCHEMAS.map(([name, schema]) => [name, schema, compileSchema(schema) as Check] as const),
  ];
}
const ALL_SCHEMAS = allSchemas();

/** The sub-values of a payload each sub-schema is meant for, plus the whole payload. */
function parts(payload: unknown): unknown[] {
  const found: unknown[] = [payload];
  if (typeof payload !== 'object' || payload === null) return found;
  const record = payload as Record<string, unknown>;
  for (const key of ['verified_claims', 'account', 'identity_match', 'identity', 'transaction']) {
    if (key in record) found.push(record[key]);
  }
  const transaction = record.transaction as Record<string, unknown> | undefined;
  if (typeof transaction === 'object' && transaction !== null) found.push(transaction.amount, transaction.payee);
  const claims = record.verified_claims;
  for (const element of Array.isArray(claims) ? claims : [claims]) {
    if (typeof element !== 'object' || element === null) continue;
    const { verification, claims: person } = element as Record<string, unknown>;
    found.push(element, verification, person);
    const evidence = (verification as Record<string, unknown> | undefined)?.evidence;
    if (Array.isArray(evidence)) found.push(...evidence);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// A seeded mutation generator.

type Path = Array<string | number>;

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
    for (const key of Object.keys(value)) Object.defineProperty(copy, key, { value: clone((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return copy;
  }
  return value;
}

function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...path, index], out));
  else if (typeof value === 'object' && value !== null) for (const key of Object.keys(value)) pathsOf((value as Record<string, unknown>)[key], [...path, key], out);
  return out;
}

function at(value: unknown, path: Path): unknown {
  let current = value;
  for (const step of path) current = (current as Record<string | number, unknown>)[step];
  return current;
}

function setOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Every enum and literal value the schemas know: the neighbours a mutation swaps in. */
function vocabulary(): unknown[] {
  const values = new Set<unknown>();
  const seen = new Set<unknown>();
  const walk = (schema: unknown): void => {
    if (typeof schema !== 'object' || schema === null || seen.has(schema)) return;
    seen.add(schema);
    const zod = (schema as { _zod?: { def: Record<string, unknown>; values?: Set<unknown> } })._zod;
    if (zod === undefined) return;
    if (zod.def.type === 'enum' || zod.def.type === 'literal') for (const value of zod.values ?? []) values.add(value);
    for (const value of Object.values(zod.def)) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null && '_zod' in value) walk(value);
      else if (typeof value === 'object' && value !== null) for (const member of Object.values(value)) walk(member);
    }
  };
  for (const [, schema] of ALL_SCHEMAS) walk(schema);
  return [...values];
}

const INTERESTING_STRINGS = [
  '',
  ' ',
  'x',
  '0',
  '1',
  '-1',
  'a'.repeat(15),
  'a'.repeat(16),
  'a'.repeat(43),
  'a'.repeat(44),
  'a'.repeat(128),
  'a'.repeat(129),
  'a'.repeat(140),
  'a'.repeat(141),
  'a'.repeat(256),
  'a'.repeat(257),
  '😀'.repeat(64),
  '😀'.repeat(65),
  '😀'.repeat(128),
  '😀'.repeat(129),
  '\ud800'.repeat(129),
  '2025-06-01T10:00:00+09:00',
  '2025-06-01T10:00+09:00',
  '2026-02-30T10:00:00Z',
  '2025-06-01T24:00:00Z',
  '2025-06-01T10:00:00.1234567890Z',
  '2025-06-01',
  '1980-13-01',
  'https://bank.example',
  'http://localhost:8080/x',
  'http://evil.example',
  'https://bank.example/a b',
  '0001',
  '000a',
  '12345678',
  '0123456',
  '123',
  'JPY',
  'jpy',
  '100',
  '100.5',
  '0.10',
  '01',
  'jp_aml',
  'jp_aml.r6_1_1.he',
  'jp_aml.r6_1_1.zz',
  'ial2',
  'ial4',
  'aal1',
  'QUJD',
  'QUJD=',
  '__proto__',
  'constructor',
];
const INTERESTING_OTHERS: unknown[] = [null, 0, -0, 1, -1, 1.5, 1.7e9, 253402300799, 253402300800, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, true, false, [], {}, [null], [{}]];

function mutate(base: unknown, random: () => number, vocab: readonly unknown[]): unknown {
  const value = clone(base);
  const paths = pathsOf(value);
  const path = paths[Math.floor(random() * paths.length)]!;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = path.length === 0 ? undefined : (at(value, parentPath) as Record<string | number, unknown>);
  const current = at(value, path);
  const replace = (next: unknown): unknown => {
    if (parent === undefined) return next;
    setOwn(parent, key!, next);
    return value;
  };
  const choice = Math.floor(random() * 12);
  switch (choice) {
    case 0:
      if (parent !== undefined && !Array.isArray(parent)) {
        delete parent[key!];
        return value;
      }
      return replace(undefined);
    case 1:
      if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
        setOwn(current, pick(['zz_unknown', '__proto__', 'constructor', 'toString', '0', 'type', 'verification']), pick([...INTERESTING_OTHERS, 'x']));
        return value;
      }
      return replace(pick(INTERESTING_OTHERS));
    case 2:
      return replace(pick(INTERESTING_STRINGS));
    case 3:
      return replace(pick(vocab));
    case 4:
      return replace(pick(INTERESTING_OTHERS));
    case 5:
      if (typeof current === 'string') {
        const edits = [current.slice(1), current.slice(0, -1), `${current}x`, `${current}${current.slice(-1)}`, current.toUpperCase(), ` ${current}`, current.replace(/.$/u, '.'), current.replace(/^./u, '😀')];
        return replace(pick(edits));
      }
      if (typeof current === 'number') return replace(pick([current + 1, current - 1, current + 0.5, -current, current * 1000]));
      return replace(pick(INTERESTING_STRINGS));
    case 6:
      if (Array.isArray(current)) {
        const edits = [[], [...current, ...current], current.slice(1), [...current, current[0]], Array.from({ length: 17 }, (_, i) => current[i % Math.max(1, current.length)]), current[0]];
        return replace(pick(edits));
      }
      if (typeof current === 'object' && current !== null) return replace([current]);
      return replace([current]);
    case 7:
      if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
        const bare = Object.create(null) as Record<string, unknown>;
        for (const member of Object.keys(current)) setOwn(bare, member, (current as Record<string, unknown>)[member]);
        return replace(bare);
      }
      return replace(Object.create(null));
    case 8:
      if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
        // JSON.parse makes `__proto__` an own member, as a decoded token would.
        const withProto = JSON.parse(`{"__proto__": ${JSON.stringify(pick([{}, { type: 'document' }, 'x', null, 1]))}}`) as Record<string, unknown>;
        for (const member of Object.keys(current)) setOwn(withProto, member, (current as Record<string, unknown>)[member]);
        return replace(withProto);
      }
      return replace(JSON.parse('{"__proto__": {}}'));
    case 9:
      if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
        // Members reordered: the output order is the schema's, then the input's for unknown members.
        const reversed: Record<string, unknown> = {};
        for (const member of Object.keys(current).reverse()) setOwn(reversed, member, (current as Record<string, unknown>)[member]);
        return replace(reversed);
      }
      return replace(undefined);
    case 10:
      if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
        // Inherited members: zod reads them, the compiled form leaves that object to zod.
        const child = Object.create(pick([{ type: 'document' }, { nbf: 1 }, { zz_inherited: 1 }, { iss: 'https://bank.example' }])) as Record<string, unknown>;
        for (const member of Object.keys(current)) setOwn(child, member, (current as Record<string, unknown>)[member]);
        return replace(child);
      }
      return replace(undefined);
    default:
      if (parent !== undefined && !Array.isArray(parent)) {
        setOwn(parent, key!, undefined);
        return value;
      }
      return replace(pick(vocab));
  }
}

// ---------------------------------------------------------------------------------------------

describe('compileSchema: differential against zod on the corpora (SHO-CLM, SHO-KYC-1)', () => {
  const payloads = vectorPayloads();
  const examples = idaExamples();

  it('reads the vectors and the IDA examples', () => {
    expect(payloads.length).toBeGreaterThan(100);
    expect(examples.length).toBeGreaterThan(30);
  });

  it('SHO-CLM-13: agrees with zod on every token payload in spec/vectors, for every schema and sub-value', () => {
    const problems: string[] = [];
    let accepted = 0;
    for (const [name, payload] of payloads) {
      for (const part of parts(payload)) {
        for (const [schemaName, schema, compiled] of ALL_SCHEMAS) {
          const problem = disagreement(compiled, schema, part);
          if (problem !== undefined) problems.push(`${name} ${schemaName}: ${problem}`);
          if (schema.safeParse(part).success) accepted++;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(accepted).toBeGreaterThan(payloads.length);
  });

  it('SHO-KYC-1: agrees with zod on every verified_claims of the OpenID IDA corpus', () => {
    const problems: string[] = [];
    for (const [name, claims] of examples) {
      for (const part of parts({ verified_claims: claims })) {
        for (const [schemaName, schema, compiled] of ALL_SCHEMAS) {
          const problem = disagreement(compiled, schema, part);
          if (problem !== undefined) problems.push(`${name} ${schemaName}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('SHO-CLM-14: agrees with zod on thousands of seeded mutations of the payloads (one and two edits)', () => {
    const random = mulberry32(20261122);
    const vocab = vocabulary();
    const bases = [...payloads.map(([, payload]) => payload), ...examples.map(([, claims]) => ({ verified_claims: claims }))];
    const problems: string[] = [];
    let accepted = 0;
    let cases = 0;
    for (let i = 0; i < 2000; i++) {
      const base = bases[Math.floor(random() * bases.length)];
      let mutant = mutate(base, random, vocab);
      if (random() < 0.3) mutant = mutate(mutant, random, vocab);
      for (const part of parts(mutant)) {
        for (const [schemaName, schema, compiled] of ALL_SCHEMAS) {
          cases++;
          // Building zod's error is most of the cost: issues are compared on one mutant in eight.
          const problem = disagreement(compiled, schema, part, i % 8 === 0);
          if (problem !== undefined && problems.length < 20) problems.push(`mutant ${i} ${schemaName}: ${problem}`);
          if (problem === undefined && compiled(part).success) accepted++;
        }
      }
    }
    expect(problems).toEqual([]);
    // The generator must reach both sides of the line, or it proves nothing.
    expect(cases).toBeGreaterThan(50_000);
    expect(accepted).toBeGreaterThan(3000);
  }, 180_000);

  it('SHO-CLM-13: never changes its input', () => {
    for (const [, payload] of payloads.slice(0, 20)) {
      const before = JSON.stringify(payload);
      for (const [, , compiled] of ALL_SCHEMAS) compiled(payload);
      expect(JSON.stringify(payload)).toBe(before);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// One construct at a time: each has a case zod refuses, which the compiled form must refuse too.

function refuses(schema: z.ZodType, input: unknown): void {
  const expected = schema.safeParse(input);
  expect(expected.success).toBe(false);
  const actual = compileSchema(schema)(input);
  expect(actual.success).toBe(false);
  if (!actual.success && !expected.success) expect(actual.error.issues).toEqual(expected.error.issues);
}

/** The compiled output, checked against zod's. */
function accepts(schema: z.ZodType, input: unknown): unknown {
  const compiled = compileSchema(schema);
  expectAgreement(compiled, schema, input);
  const actual = compiled(input);
  expect(actual.success).toBe(true);
  return actual.data;
}

describe('compileSchema: objects (SHO-CLM-13)', () => {
  const shape = { b: z.string(), a: z.number().optional() };

  it('strips unknown members into a new object, in schema order', () => {
    const input = { z: 1, a: 2, b: 'x' };
    const data = accepts(z.object(shape), input);
    expect(Object.keys(data as object)).toEqual(['b', 'a']);
    expect(data).not.toBe(input);
  });

  it('keeps unknown members of a loose object after the declared ones, in input order', () => {
    const data = accepts(z.looseObject(shape), { z: 1, a: 2, y: undefined, b: 'x' });
    expect(Object.keys(data as object)).toEqual(['b', 'a', 'z', 'y']);
  });

  it('refuses an unknown member of a strict object', () => {
    refuses(z.strictObject(shape), { b: 'x', extra: 1 });
    refuses(z.strictObject(shape), JSON.parse('{"b": "x", "__proto__": {}}'));
  });

  it('refuses a missing required member, a wrong type, arrays, null and primitives', () => {
    for (const schema of [z.object(shape), z.looseObject(shape), z.strictObject(shape)]) {
      refuses(schema, { a: 1 });
      refuses(schema, { b: 1 });
      refuses(schema, { b: 'x', a: 'one' });
      refuses(schema, [{ b: 'x' }]);
      refuses(schema, null);
      refuses(schema, 'x');
    }
  });

  it('keeps a present-but-undefined optional member, omits an absent one', () => {
    expect(Object.keys(accepts(z.object(shape), { b: 'x', a: undefined }) as object)).toEqual(['b', 'a']);
    expect(Object.keys(accepts(z.object(shape), { b: 'x' }) as object)).toEqual(['b']);
    refuses(z.object(shape), { b: undefined });
  });

  it('treats __proto__ and prototype-less objects as zod does, and leaves inherited members to zod', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 'x', z: 1 });
    for (const schema of [z.object(shape), z.looseObject(shape)]) {
      accepts(schema, bare);
      const data = accepts(schema, JSON.parse('{"b": "x", "__proto__": {"polluted": true}}'));
      expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
      expect((data as Record<string, unknown>).polluted).toBeUndefined();
      accepts(schema, Object.create({ b: 'inherited' }));
      accepts(schema, Object.assign(Object.create({ zz: 1 }) as object, { b: 'x' }));
      refuses(schema, Object.create({ b: 1 }));
      refuses(schema, Object.assign(Object.create({ a: 'not a number' }) as object, { b: 'x' }));
    }
    accepts(z.looseObject({ constructor: z.unknown() }), {});
    refuses(z.object({ constructor: z.string() }), {});
  });

  it('runs a catchall schema on each unknown member', () => {
    const schema = z.object(shape).catchall(z.number().int());
    accepts(schema, { b: 'x', c: 1 });
    refuses(schema, { b: 'x', c: 1.5 });
  });
});

describe('compileSchema: strings, numbers, booleans (SHO-CLM-1, SHO-CLM-3, SHO-CLM-8)', () => {
  it('checks regex, min, max and exact length, in code points as zod does', () => {
    const schema = z.string().min(2).max(4).regex(/^[a-z😀]+$/u);
    for (const input of ['ab', 'abcd', '😀😀', '😀😀😀😀']) accepts(schema, input);
    for (const input of ['a', 'abcde', 'AB', '😀', '😀😀😀😀😀', 1, null, undefined]) refuses(schema, input);
    accepts(z.string().length(2), '😀😀');
    refuses(z.string().length(2), 'abc');
    refuses(z.string().length(2), '😀');
  });

  it('resets a global regex before each test, as zod does', () => {
    const schema = z.string().regex(/a/g);
    const compiled = compileSchema(schema);
    for (let i = 0; i < 3; i++) expect(compiled('a').success).toBe(true);
  });

  it('tells int from float and refuses NaN, Infinity and unsafe integers; keeps -0', () => {
    const int = z.int().min(0).max(10);
    accepts(int, 3);
    expect(Object.is(accepts(int, -0), -0)).toBe(true);
    for (const input of [3.5, -1, 11, Number.NaN, Number.POSITIVE_INFINITY, '3', 2 ** 53]) refuses(int, input);
    refuses(z.int(), 2 ** 53);
    accepts(z.number().gt(0).lt(1), 0.5);
    for (const input of [0, 1, Number.NaN, Number.NEGATIVE_INFINITY]) refuses(z.number().gt(0).lt(1), input);
    accepts(z.boolean(), false);
    refuses(z.boolean(), 'true');
    refuses(z.boolean(), 0);
  });
});

describe('compileSchema: enums, literals, optional, nullable, default (SHO-CLM-14)', () => {
  it('accepts only the listed values', () => {
    accepts(z.enum(['1', '2']), '2');
    for (const input of ['3', 1, '', null]) refuses(z.enum(['1', '2']), input);
    accepts(z.literal('payout'), 'payout');
    refuses(z.literal('payout'), 'Payout');
    refuses(z.literal(1), '1');
  });

  it('tells optional from nullable: null is refused unless nullable (SHO-CLM-14)', () => {
    refuses(z.string().optional(), null);
    accepts(z.string().optional(), undefined);
    accepts(z.string().nullable(), null);
    refuses(z.string().nullable(), undefined);
    refuses(z.object({ a: z.string().optional() }), { a: null });
    accepts(z.object({ a: z.string().nullable().optional() }), { a: null });
  });

  it('fills defaults as zod does (a fresh copy each time)', () => {
    const schema = z.object({ list: z.array(z.string()).default([]) });
    const first = accepts(schema, {}) as { list: string[] };
    const second = accepts(schema, {}) as { list: string[] };
    expect(first.list).not.toBe(second.list);
    refuses(schema, { list: 'x' });
  });
});

describe('compileSchema: arrays and unions (SHO-AUTH-1, SHO-KYC-1)', () => {
  it('checks array length bounds and every element', () => {
    const schema = z.array(z.enum(['pwd', 'otp'])).min(1).max(2);
    accepts(schema, ['pwd']);
    for (const input of [[], ['pwd', 'otp', 'pwd'], ['sms'], 'pwd', { 0: 'pwd', length: 1 }]) refuses(schema, input);
  });

  it('picks the first union branch that parses, as zod does', () => {
    const schema = z.union([z.object({ a: z.string() }), z.looseObject({ a: z.string(), b: z.number() })]);
    expect(accepts(schema, { a: 'x', b: 1 })).toStrictEqual({ a: 'x' });
    refuses(schema, { a: 1, b: 1 });
    const almost = z.union([z.strictObject({ a: z.string() }), z.strictObject({ a: z.string(), b: z.number() })]);
    accepts(almost, { a: 'x', b: 1 });
    refuses(almost, { a: 'x', b: 'one' });
  });

  it('routes a discriminated union on its tag, and refuses a missing or unknown tag', () => {
    const schema = z.discriminatedUnion('type', [z.object({ type: z.literal('a'), x: z.string() }), z.looseObject({ type: z.literal('b'), y: z.number() })]);
    accepts(schema, { type: 'b', y: 1, z: 2 });
    for (const input of [{ x: 'x' }, { type: 'c', x: 'x' }, { type: 'a', y: 1 }, { type: 'b', x: 'x' }, [{ type: 'a', x: 'x' }], null]) refuses(schema, input);
    refuses(schema, Object.assign(Object.create({ type: 'a' }) as object, { y: 1 }));
    accepts(schema, Object.assign(Object.create({ type: 'a' }) as object, { x: 'x' }));
  });
});

describe('compileSchema: refinements run, and their failure is zod’s error (SHO-AUTH-1, SHO-KYC)', () => {
  it('runs refine on the parsed value and returns zod’s issues when it fails', () => {
    const schema = z.array(z.string()).refine((values) => new Set(values).size === values.length, 'values must be distinct');
    accepts(schema, ['a', 'b']);
    refuses(schema, ['a', 'a']);
    const result = compileSchema(schema)(['a', 'a']);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues[0]?.message).toBe('values must be distinct');
  });

  it('runs superRefine and object-level refinements with paths', () => {
    const schema = z.object({ a: z.string(), b: z.string().optional() }).superRefine((value, context) => {
      if (value.a === 'x' && value.b === undefined) context.addIssue({ code: 'custom', message: 'b needed', path: ['b'] });
    });
    accepts(schema, { a: 'y' });
    refuses(schema, { a: 'x' });
  });

  it('refuses the duplicate amr and the jp_aml rules of the real schemas', () => {
    const link = KIND_DEFINITIONS.link;
    const payload = vectorPayloads().map(([, value]) => value).find((value) => link.schema.safeParse(value).success) as Record<string, unknown>;
    expect(payload).toBeDefined();
    accepts(link.schema, payload);
    const amr = payload.amr as string[];
    refuses(link.schema, { ...payload, amr: [...amr, amr[0]] });
    const claims = payload.verified_claims as { verification: Record<string, unknown> };
    refuses(link.schema, { ...payload, verified_claims: { ...claims, verification: { ...claims.verification, assurance_level: 'ial9' } } });
    refuses(link.schema, { ...payload, verified_claims: { ...claims, verification: { ...claims.verification, time: '2026-02-30T10:00:00Z' } } });
  });

  it('throws where zod throws: an async refinement in a synchronous parse', () => {
    const schema = z.string().refine(async () => true);
    expect(() => schema.safeParse('x')).toThrow();
    expect(() => compileSchema(schema)('x')).toThrow();
  });
});

describe('compileSchema: constructs the claims do not use still agree with zod (compiled or handed back)', () => {
  it('agrees on formats, overwrites, transforms, pipes, readonly, records, tuples, dates, coercion and recursion', () => {
    type Tree = { name: string; children: Tree[] };
    const Tree: z.ZodType<Tree> = z.object({ name: z.string(), get children() { return z.array(Tree); } });
    const cases: Array<[z.ZodType, unknown[]]> = [
      [z.email(), ['a@b.example', 'nope']],
      [z.string().trim().min(1), ['  x ', '   ']],
      [z.string().transform((value) => value.length), ['abc', 1]],
      [z.string().pipe(z.string().max(2)), ['ab', 'abc']],
      [z.object({ a: z.string() }).readonly(), [{ a: 'x' }, { a: 1 }]],
      [z.record(z.string(), z.number()), [{ a: 1 }, { a: 'x' }]],
      [z.tuple([z.string(), z.number()]), [['a', 1], ['a', 'b']]],
      [z.date(), [new Date(0), '1970-01-01']],
      [z.coerce.number(), ['12', 'x']],
      [Tree, [{ name: 'a', children: [{ name: 'b', children: [] }] }, { name: 'a', children: [{ name: 1, children: [] }] }]],
      [z.object({ a: z.string().exactOptional() }), [{}, { a: undefined }]],
      [z.object({ a: z.string().default('d').optional() }), [{}, { a: undefined }, { a: 1 }]],
      [z.xor([z.string(), z.string().min(1)]), ['', 'x']],
    ];
    for (const [schema, inputs] of cases) {
      for (const input of inputs) {
        expectAgreement(compileSchema(schema), schema, input);
      }
    }
  });
});

describe('compileSchema: the claims schemas are compiled, not handed back', () => {
  // Not a correctness matter (a handed-back schema validates the same), but a schema change that zod
  // cannot generate code for would silently cost every verification the speed issue 7 asks for.
  it.each(KINDS)('SHO-CLM: zod generates code for the %s claims', (kind) => {
    const schema = KIND_DEFINITIONS[kind].schema as z.ZodType;
    expect(z.compile(schema)).not.toBe(schema);
  });
  // Otherwise the differential tests above would compare zod's parser with itself for that schema.
  it.each(SUB_SCHEMAS)('SHO-CLM: zod generates code for %s', (_name, schema) => {
    expect(z.compile(schema)).not.toBe(schema);
  });
});
