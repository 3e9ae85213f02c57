import { invalidArgument } from '../errors/shomei-error.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/** Whether `text` has no lone surrogate, so that it has a UTF-8 form (RFC 8785 §3.2.2.2). */
export function isWellFormed(text: string): boolean {
  return nativeIsWellFormed !== undefined ? nativeIsWellFormed.call(text) : !LONE_SURROGATE.test(text);
}

/**
 * Where in the value the serializer is, as a stack of member names and indices: the `$.a[0].b` path of
 * an error message is built only when one is thrown, not for every member serialized.
 */
type Path = (string | number)[];

function pathText(path: Path): string {
  let text = '$';
  for (const step of path) text += typeof step === 'number' ? `[${step}]` : `.${step}`;
  return text;
}

// Printable ASCII without `"` and `\`: what JSON.stringify (and RFC 8785) leaves as it is, and what
// account numbers, codes, actions and member names are; one regular-expression test replaces two calls.
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function serializeString(text: string, path: Path): string {
  if (PLAIN_ASCII.test(text)) return `"${text}"`;
  // A lone surrogate has no UTF-8 form, so the hashed bytes would depend on the encoder (RFC 8785 §3.2.2.2).
  if (!isWellFormed(text)) throw invalidArgument(`canonicalize: lone surrogate in a string at ${pathText(path)}`);
  // JSON.stringify escapes exactly as RFC 8785 §3.2.2.2 prescribes (it is the ECMAScript serialization).
  return JSON.stringify(text);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// `open` holds the objects and arrays being serialized (the ancestors of the current value), not every
// one seen, so a shared acyclic reference is fine; a JSON value is shallow, and an array beats a Set here.
function serialize(value: unknown, path: Path, open: object[]): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      if (!Number.isFinite(value)) throw invalidArgument(`canonicalize: non-finite number at ${pathText(path)}`);
      // Number::toString is the serialization RFC 8785 §3.2.2.3 requires; -0 becomes "0".
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw invalidArgument(`canonicalize: ${typeof value} is not JSON at ${pathText(path)}`);
  }
  if (value === null) return 'null';
  if (open.includes(value)) throw invalidArgument(`canonicalize: cycle at ${pathText(path)}`);
  open.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      out += i === 0 ? serialize(value[i], path, open) : `,${serialize(value[i], path, open)}`;
      path.pop();
    }
    out += ']';
  } else {
    if (!isPlainObject(value)) throw invalidArgument(`canonicalize: only plain objects are JSON, at ${pathText(path)}`);
    const record = value as Record<string, unknown>;
    const keys = sortedKeys(record);
    out = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const name = serializeString(key, path);
      path.push(key);
      out += `${i === 0 ? '' : ','}${name}:${serialize(record[key], path, open)}`;
      path.pop();
    }
    out += '}';
  }
  open.pop();
  return out;
}

/** Largest member count sorted by insertion here; larger objects go to Array.prototype.sort. */
const INSERTION_SORT_MAX = 16;

/**
 * The member names of `record` in UTF-16 code-unit order, the order RFC 8785 §3.2.3 requires (also that
 * of `<` on strings and of Array.prototype.sort without a comparator). The objects shomei hashes have a
 * handful of members: an insertion sort spares the engine's sort, which allocates its merge state (about
 * a kilobyte) on every call.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
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
  return serialize(value, [], []);
}
