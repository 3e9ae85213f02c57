import { invalidArgument } from '../errors/shomei-error.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return typeof native === 'function' ? native.call(text) : !LONE_SURROGATE.test(text);
}

function serializeString(text: string, path: string): string {
  // A lone surrogate has no UTF-8 form, so the hashed bytes would depend on the encoder (RFC 8785 §3.2.2.2).
  if (!isWellFormed(text)) throw invalidArgument(`canonicalize: lone surrogate in a string at ${path}`);
  // JSON.stringify escapes exactly as RFC 8785 §3.2.2.2 prescribes (it is the ECMAScript serialization).
  return JSON.stringify(text);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) throw invalidArgument(`canonicalize: non-finite number at ${path}`);
      // Number::toString is the serialization RFC 8785 §3.2.2.3 requires; -0 becomes "0".
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw invalidArgument(`canonicalize: ${typeof value} is not JSON at ${path}`);
  }
  if (value === null) return 'null';
  if (seen.has(value)) throw invalidArgument(`canonicalize: cycle at ${path}`);
  seen.add(value);
  let out: string;
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) parts.push(serialize(value[i], `${path}[${i}]`, seen));
    out = `[${parts.join(',')}]`;
  } else {
    if (!isPlainObject(value)) throw invalidArgument(`canonicalize: only plain objects are JSON, at ${path}`);
    const record = value as Record<string, unknown>;
    // Array.prototype.sort compares strings by UTF-16 code units, the order RFC 8785 §3.2.3 requires.
    const keys = Object.keys(record).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const memberPath = `${path}.${key}`;
      parts.push(`${serializeString(key, path)}:${serialize(record[key], memberPath, seen)}`);
    }
    out = `{${parts.join(',')}}`;
  }
  seen.delete(value);
  return out;
}

/**
 * Serializes a JSON value by the JSON Canonicalization Scheme (RFC 8785): object members sorted by
 * UTF-16 code units, no whitespace, ECMAScript number and string serialization. Equal data gives equal
 * text, so its hash can be signed.
 *
 * Values JSON cannot carry are refused rather than dropped or coerced: `undefined` (also as a member
 * value or array element), functions, symbols, bigint, NaN and ±Infinity, strings with a lone
 * surrogate, non-plain objects (Date, Map, class instances) and cycles.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) for such a value; the message names its path, not its content.
 * @example canonicalize({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 * @see spec/10-binding.md SHO-BIND-1, SHO-BIND-2, SHO-BIND-9
 */
export function canonicalize(value: unknown): string {
  return serialize(value, '$', new Set());
}
