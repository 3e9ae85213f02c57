import type { z } from 'zod';
import { ShomeiError } from '../errors/shomei-error.js';
import { stablePolicy } from './compile.js';
import { POLICY_REQUIREMENTS } from './requirements.js';
import { policySchema, type Policy } from './schema.js';

/** How many problems a CONFIG_INVALID message lists before it summarises the rest. */
const MAX_LISTED_PROBLEMS = 10;

/**
 * Validates a parsed policy document and returns it typed (spec/14-policy.md, SHO-POL-1).
 *
 * Call it when the verifier starts, so that a broken policy stops the service instead of the first payout.
 * Unknown members are rejected at every level. The returned document is a fresh, deeply frozen copy: the
 * evaluation form compiled from it (dates as epoch seconds, lists as sets) is kept for as long as it lives,
 * which is sound only because it cannot change; to change a policy, load a new document.
 *
 * @example
 * const policy = loadPolicy(JSON.parse(await readFile('policy.json', 'utf8')));
 * @throws ShomeiError `CONFIG_INVALID`, whose message names the paths and kinds of the problems but never the
 *   values found there (a policy file may sit next to secrets, and zod's `input` is never echoed).
 */
export function loadPolicy(json: unknown): Policy {
  let data: unknown;
  try {
    data = jsonData(json);
  } catch {
    throw new ShomeiError('CONFIG_INVALID', 'policy document is invalid: not JSON data (a function, a class instance, a non-finite number or an unreadable member)', {
      requirement: POLICY_REQUIREMENTS.document,
      reason: 'schema',
    });
  }
  const result = policySchema.safeParse(data);
  if (result.success) return stablePolicy(result.data);
  throw new ShomeiError('CONFIG_INVALID', `policy document is invalid: ${describeIssues(result.error.issues)}`, {
    requirement: POLICY_REQUIREMENTS.document,
    reason: 'schema',
  });
}

/**
 * The document as JSON data, read once: own members only (a member inherited through a prototype, or
 * from a polluted Object.prototype, is not part of the document), objects without a prototype, and
 * anything that is not JSON (a function, a Map, NaN, a getter or Proxy that throws) refused.
 */
function jsonData(json: unknown): unknown {
  const notJson = (): never => {
    throw new TypeError('not JSON data');
  };
  // A function, so that `this[key]` is the member as written: JSON.stringify hands the replacer what a
  // toJSON method made of it, and a document must be read as it shows, not as it serializes.
  const text = JSON.stringify({ '': json }, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    if (typeof raw === 'object' && raw !== null) {
      if (typeof (raw as { toJSON?: unknown }).toJSON === 'function') notJson();
      if (!Array.isArray(raw)) {
        const prototype: unknown = Object.getPrototypeOf(raw);
        if (prototype !== Object.prototype && prototype !== null) notJson();
        // A member JSON would skip (not enumerable, or keyed by a symbol) is not silently dropped.
        if (Reflect.ownKeys(raw).length !== Object.keys(raw).length) notJson();
      }
    }
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') notJson();
    if (typeof value === 'number' && !Number.isFinite(value)) notJson();
    return value;
  });
  const wrapped = JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value,
  ) as { '': unknown };
  return wrapped[''];
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const problems = issues.flatMap(describeIssue);
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`and ${problems.length - MAX_LISTED_PROBLEMS} more`);
  return listed.join('; ');
}

/** Builds the text from the issue's path and kind only; zod's own messages may quote the rejected input. */
function describeIssue(issue: z.core.$ZodIssue): string | string[] {
  const at = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return `${at}: expected ${issue.expected}`;
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown member`);
    case 'invalid_value':
      // `values` are the schema's allowed values, never the input.
      return issue.values.length <= 6
        ? `${at}: expected one of ${issue.values.map(String).join(', ')}`
        : `${at}: not an allowed value`;
    case 'invalid_format':
      // Every pattern in the schema carries our own message, which states the expected form.
      return `${at}: ${issue.message}`;
    case 'too_small':
      return `${at}: too small (minimum ${String(issue.minimum)})`;
    case 'too_big':
      return `${at}: too big (maximum ${String(issue.maximum)})`;
    case 'invalid_union':
      return `${at}: matches none of the allowed forms`;
    case 'custom':
      // Our own refinements' messages state the rule, never the value.
      return `${at}: ${issue.message}`;
    default:
      return `${at}: invalid (${issue.code})`;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${sanitise(String(segment))}`))
    .join('')
    .replace(/^\./, '');
}

/** Member names come from the document; keep them printable and short so a message cannot smuggle content. */
function sanitise(segment: string): string {
  const printable = segment.replace(/[^\x21-\x7e]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}…` : printable;
}
