import type { Expected, Status } from './types.js';

/**
 * What one check found. Checks are small pure functions: they compare, they never do I/O, and they
 * state the expectation and the observation in words for the log (OpenID conformance suite style).
 * Severity is chosen where the check is called (`ModuleLog.record(result, level)`).
 */
export interface CheckResult {
  check: string;
  requirement?: string;
  status: Exclude<Status, 'SKIPPED'>;
  expected: string;
  actual: string;
}

/** What the partner did with one input: its outcome and the codes it gave. */
export interface Observed {
  /** `none` when the partner reported nothing (no decision within the time limit, or no answer at all). */
  result: 'accepted' | 'rejected' | 'review' | 'none';
  codes: readonly string[];
}

function describeExpected(expected: Expected): string {
  if (expected.result === 'accepted') return 'accepted';
  const codes = expected.result === 'rejected' ? [expected.code, ...(expected.alternatives ?? [])].filter((code) => code !== undefined) : [expected.code].filter((code) => code !== undefined);
  return codes.length === 0 ? expected.result : `${expected.result} with ${codes.join(' or ')}`;
}

function describeObserved(observed: Observed): string {
  if (observed.result === 'none') return 'no decision reported';
  return observed.codes.length === 0 ? observed.result : `${observed.result} (${observed.codes.join(', ')})`;
}

/**
 * Compares the partner's decision with the module's expectation.
 *
 * - the wrong outcome is FAILED — except a `deny` where `review` was expected (stricter than asked: WARNING);
 * - the right outcome with another code than the protocol names is WARNING (a partner that refuses a
 *   hostile token for another reason is safe, but its error codes are not those partners rely on),
 *   or FAILED when the module is `strictCode`.
 *
 * @example checkDecision({ result: 'rejected', code: 'ALG_NOT_ALLOWED' }, { result: 'accepted', codes: [] }, 'SHO-JWS-6')
 */
export function checkDecision(expected: Expected, observed: Observed, requirement?: string): CheckResult {
  const base = { check: 'partner decision', ...(requirement !== undefined ? { requirement } : {}), expected: describeExpected(expected), actual: describeObserved(observed) };
  if (observed.result !== expected.result) {
    const milder = expected.result === 'review' && observed.result === 'rejected';
    return { ...base, status: milder ? 'WARNING' : 'FAILED' };
  }
  if (expected.result === 'accepted') return { ...base, status: 'PASSED' };
  const wanted = [expected.code, ...(expected.result === 'rejected' ? (expected.alternatives ?? []) : [])].filter((code) => code !== undefined);
  if (wanted.length === 0 || observed.codes.some((code) => wanted.includes(code as never))) return { ...base, status: 'PASSED' };
  const strict = expected.result === 'rejected' && expected.strictCode === true;
  return { ...base, status: strict ? 'FAILED' : 'WARNING' };
}

/** `actual === expected` (strings, numbers, booleans). */
export function checkEqual(check: string, requirement: string | undefined, expected: string | number | boolean | undefined, actual: unknown): CheckResult {
  return {
    check,
    ...(requirement !== undefined ? { requirement } : {}),
    status: actual === expected ? 'PASSED' : 'FAILED',
    expected: String(expected),
    actual: describe(actual),
  };
}

/** A condition, with the words for what was expected and what was seen. */
export function checkThat(check: string, requirement: string | undefined, holds: boolean, expected: string, actual: string): CheckResult {
  return { check, ...(requirement !== undefined ? { requirement } : {}), status: holds ? 'PASSED' : 'FAILED', expected, actual };
}

/** Something a person has to confirm (REVIEW); the suite cannot observe it. */
export function needsReview(check: string, requirement: string | undefined, what: string): CheckResult {
  return { check, ...(requirement !== undefined ? { requirement } : {}), status: 'REVIEW', expected: what, actual: 'not observable by the suite' };
}

/** `value` is one of `allowed`. */
export function checkOneOf(check: string, requirement: string | undefined, allowed: readonly unknown[], actual: unknown): CheckResult {
  return {
    check,
    ...(requirement !== undefined ? { requirement } : {}),
    status: allowed.includes(actual) ? 'PASSED' : 'FAILED',
    expected: `one of ${allowed.map(String).join(', ')}`,
    actual: describe(actual),
  };
}

/** An HTTP status. */
export function checkHttpStatus(requirement: string | undefined, expected: number | readonly number[], actual: number | undefined): CheckResult {
  const allowed = typeof expected === 'number' ? [expected] : expected;
  return {
    check: 'HTTP status',
    ...(requirement !== undefined ? { requirement } : {}),
    status: actual !== undefined && allowed.includes(actual) ? 'PASSED' : 'FAILED',
    expected: allowed.join(' or '),
    actual: actual === undefined ? 'no response' : String(actual),
  };
}

/**
 * A `Cache-Control` header holds the given directives (names compared case-insensitively; `max-age`
 * compared by value when given as `max-age=300`).
 */
export function checkCacheControl(requirement: string | undefined, header: string | null | undefined, directives: readonly string[]): CheckResult {
  const present = new Map<string, string | undefined>();
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.trim().toLowerCase().split('=', 2);
    if (name !== undefined && name !== '') present.set(name, value?.replace(/^"|"$/g, ''));
  }
  const missing = directives.filter((directive) => {
    const [name, value] = directive.toLowerCase().split('=', 2);
    if (name === undefined || !present.has(name)) return true;
    return value !== undefined && present.get(name) !== value;
  });
  return {
    check: 'Cache-Control',
    ...(requirement !== undefined ? { requirement } : {}),
    status: missing.length === 0 ? 'PASSED' : 'FAILED',
    expected: directives.join(', '),
    actual: header ?? '(absent)',
  };
}

/** A media type, without parameters, case-insensitive (RFC 9110 §8.3.1). */
export function checkContentType(requirement: string | undefined, header: string | null | undefined, allowed: readonly string[]): CheckResult {
  const media = (header ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return {
    check: 'Content-Type',
    ...(requirement !== undefined ? { requirement } : {}),
    status: allowed.includes(media) ? 'PASSED' : 'FAILED',
    expected: allowed.join(' or '),
    actual: header ?? '(absent)',
  };
}

/** Short, safe text for a value in a log: type and size for anything that could carry data. */
export function describe(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 80 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return 'an object';
}
