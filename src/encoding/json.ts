import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';

/** Options of {@link parseJsonObject}. */
export interface ParseJsonOptions {
  /** Deepest nesting of objects and arrays accepted; the top-level object is depth 1. Default 32. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 32;
const MAX_MAX_DEPTH = 1000;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

function malformed(reason: string, message: string): ShomeiError {
  const requirement = reason === 'duplicate_member' ? 'SHO-JWS-5' : 'SHO-JWS-4';
  return new ShomeiError('MALFORMED_TOKEN', `JSON: ${message}`, { reason, requirement });
}

/**
 * Counts member names as written in `text`, which must already be valid JSON. Outside strings a valid
 * JSON text has no `"`, so jumping from quote to quote visits every string; a string followed by `:` is
 * a member name.
 */
function countMemberNames(text: string): number {
  let count = 0;
  let open = text.indexOf('"');
  while (open !== -1) {
    let close = text.indexOf('"', open + 1);
    for (;;) {
      let backslashes = 0;
      for (let b = close - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
      if (backslashes % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    let next = close + 1;
    let c = text.charCodeAt(next);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++next);
    if (c === COLON) count++;
    open = c === QUOTE ? next : text.indexOf('"', next);
  }
  return count;
}

/**
 * Returns the number of members of all objects under `value` (a JSON.parse result), checking depth and
 * `__proto__`. Own keys only (`Object.keys`): `for…in` would also count members someone added to
 * `Object.prototype`, which could cancel out a written duplicate.
 */
function countParsedMembers(value: object, depth: number, maxDepth: number): number {
  if (depth > maxDepth) throw malformed('too_deep', `nesting deeper than ${maxDepth}`);
  let count = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) count += countParsedMembers(item, depth + 1, maxDepth);
    }
    return count;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // JSON.parse makes "__proto__" an own property, but any later Object.assign / merge of the result
    // would set the prototype instead: refuse the name outright.
    if (key === '__proto__') throw malformed('forbidden_member', 'member name __proto__ is not allowed');
    const member = record[key];
    if (typeof member === 'object' && member !== null) count += countParsedMembers(member, depth + 1, maxDepth);
  }
  return count + keys.length;
}

/** Freezes a JSON value and everything in it, so that one parsed value can be shared safely. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses strict JSON whose top level is an object (RFC 8259 / RFC 7515 §5.2): duplicate member names at
 * any depth are refused (also when spelled with escapes, `"a"` vs `"\u0061"`), nesting is limited and a
 * `__proto__` member is refused.
 *
 * Duplicates are found without a second parser: `JSON.parse` keeps one property per distinct name, so
 * the input has a duplicate exactly when it writes more member names than the parsed tree holds.
 *
 * @throws ShomeiError `MALFORMED_TOKEN` with reason `invalid_json` | `not_an_object` |
 *   `duplicate_member` | `too_deep` | `forbidden_member`.
 * @example parseJsonObject('{"typ":"shomei-link+jwt"}') // { typ: 'shomei-link+jwt' }
 * @see spec/02-tokens.md SHO-JWS-4, SHO-JWS-5
 */
export function parseJsonObject(text: string, options: ParseJsonOptions = {}): Record<string, unknown> {
  if (typeof text !== 'string') throw invalidArgument('parseJsonObject: text must be a string');
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_MAX_DEPTH) {
    throw invalidArgument(`parseJsonObject: maxDepth must be an integer from 1 to ${MAX_MAX_DEPTH}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The engine's message quotes the input, which may be personal data: it is not passed on.
    throw malformed('invalid_json', 'not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw malformed('not_an_object', 'top level is not an object');
  }
  const parsed = countParsedMembers(value, 1, maxDepth);
  if (countMemberNames(text) !== parsed) throw malformed('duplicate_member', 'duplicate member name');
  return value as Record<string, unknown>;
}
