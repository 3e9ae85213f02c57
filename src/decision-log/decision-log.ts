import { daysInMonth } from '../claims/date-time.js';
import { isBase64urlAlphabet } from '../encoding/base64url.js';
import { isErrorCode, type ErrorCode } from '../errors/codes.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';

/**
 * One verification decision as recorded (spec/15-decision-log.md SHO-LOG-1, SHO-LOG-2, SHO-LOG-8): identifiers and
 * hashes only — which assertion (`issuer`, `kid`, `jti`, hashes), under which policy version, with which
 * outcome and reason codes. Never a token, a claim value, a name, a birthdate or an account number:
 * members other than these are refused, so personal data cannot slip in through a new field.
 */
export interface DecisionEntry {
  /** When the decision was made: ISO 8601 in UTC (`2026-01-01T09:00:00.000Z`). */
  time: string;
  kind: 'request' | 'link' | 'transaction' | 'identity';
  /** `account_link`, `payout`, … */
  action?: string;
  issuer?: string;
  audience?: string;
  kid?: string;
  jti?: string;
  /** base64url `transaction_hash` of the assertion (SHO-BIND). */
  transaction_hash?: string;
  /** base64url `req_hash`: the request the assertion answers. */
  request_hash?: string;
  /** base64url SHA-256 of the presented token: identifies it without revealing its contents. */
  token_hash?: string;
  policy?: { id: string; version: string };
  outcome: 'allow' | 'deny' | 'review';
  /** Error codes only (spec/16-errors.md), never messages. */
  reasons: ErrorCode[];
}

/**
 * Where a verifier records every decision (SHO-LOG-1). `append` resolves once the entry is recorded as
 * durably as the implementation promises; when it cannot record it rejects with
 * `ShomeiError('DECISION_LOG_UNAVAILABLE')` and the verifier denies — a decision nobody can later
 * account for is not taken (SHO-LOG-3).
 */
export interface DecisionLog {
  append(entry: DecisionEntry): Promise<void>;
  /** Flushes and releases files or connections; the log must not be used afterwards. */
  close?(): Promise<void>;
}

const MAX_REASONS = 64;
const MAX_IDENTIFIER = 512;
const MAX_HASH = 128;
const MAX_ACTION = 64;

/**
 * The first member of `value` that breaks the {@link DecisionEntry} shape (by name, never its value),
 * or `undefined` when it is a valid entry. Members set to `undefined` count as absent.
 */
export function decisionEntryProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return '(entry)';
  const checked = checkEntry(value as Record<string, unknown>);
  return typeof checked === 'string' ? checked : undefined;
}

/**
 * Checks an entry and returns a copy holding only its defined members, in a fresh object that later
 * changes to the caller's value cannot reach. The copy lists its members in the order of {@link DecisionEntry}
 * (the order the verifier writes them).
 *
 * Every log runs this on every append, the verifier's own entries included: one pass with character-code
 * checks and no regular expressions, each member read once, so that what is checked is what is copied.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) naming the first bad member — a caller's mistake
 *   (SHO-LOG-2: unknown members are refused so that no personal data is recorded).
 */
export function normalizeDecisionEntry(entry: DecisionEntry): DecisionEntry {
  const checked =
    entry === null || typeof entry !== 'object' || Array.isArray(entry)
      ? '(entry)'
      : checkEntry(entry as unknown as Record<string, unknown>);
  if (typeof checked === 'string') throw invalidArgument(`decision entry: member ${checked} is missing or invalid (SHO-LOG-2)`);
  return checked;
}

/**
 * Checks `record` member by member in its own key order and returns the first bad member's name, or a copy of
 * the entry built from the values checked (`reasons` and `policy` as fresh objects).
 */
function checkEntry(record: Record<string, unknown>): DecisionEntry | string {
  if (record.time === undefined) return 'time';
  if (record.kind === undefined) return 'kind';
  if (record.outcome === undefined) return 'outcome';
  if (record.reasons === undefined) return 'reasons';
  let time: string | undefined;
  let kind: DecisionEntry['kind'] | undefined;
  let action: string | undefined;
  let issuer: string | undefined;
  let audience: string | undefined;
  let kid: string | undefined;
  let jti: string | undefined;
  let transactionHash: string | undefined;
  let requestHash: string | undefined;
  let tokenHash: string | undefined;
  let policy: DecisionEntry['policy'];
  let outcome: DecisionEntry['outcome'] | undefined;
  let reasons: ErrorCode[] | undefined;
  const names = Object.keys(record);
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!;
    const member = record[name];
    if (member === undefined) continue;
    let valid = true;
    switch (name) {
      case 'time':
        if (isTime(member)) time = member;
        else valid = false;
        break;
      case 'kind':
        if (member === 'request' || member === 'link' || member === 'transaction' || member === 'identity') kind = member;
        else valid = false;
        break;
      case 'action':
        if (isAction(member)) action = member;
        else valid = false;
        break;
      case 'issuer':
        if (isIdentifier(member)) issuer = member;
        else valid = false;
        break;
      case 'audience':
        if (isIdentifier(member)) audience = member;
        else valid = false;
        break;
      case 'kid':
        if (isIdentifier(member)) kid = member;
        else valid = false;
        break;
      case 'jti':
        if (isIdentifier(member)) jti = member;
        else valid = false;
        break;
      case 'transaction_hash':
        if (isHash(member)) transactionHash = member;
        else valid = false;
        break;
      case 'request_hash':
        if (isHash(member)) requestHash = member;
        else valid = false;
        break;
      case 'token_hash':
        if (isHash(member)) tokenHash = member;
        else valid = false;
        break;
      case 'policy':
        policy = policyOf(member);
        valid = policy !== undefined;
        break;
      case 'outcome':
        if (member === 'allow' || member === 'deny' || member === 'review') outcome = member;
        else valid = false;
        break;
      case 'reasons':
        reasons = reasonsOf(member);
        valid = reasons !== undefined;
        break;
      default:
        // Only the members above: a name such as `constructor` or `toString` is as unknown as any other.
        valid = false;
    }
    if (!valid) return name;
  }
  // Required members read through a getter, or from a prototype, may be absent from what was checked.
  if (time === undefined) return 'time';
  if (kind === undefined) return 'kind';
  if (outcome === undefined) return 'outcome';
  if (reasons === undefined) return 'reasons';
  const copy: DecisionEntry = { time, kind } as DecisionEntry;
  if (action !== undefined) copy.action = action;
  if (issuer !== undefined) copy.issuer = issuer;
  if (audience !== undefined) copy.audience = audience;
  if (kid !== undefined) copy.kid = kid;
  if (jti !== undefined) copy.jti = jti;
  if (transactionHash !== undefined) copy.transaction_hash = transactionHash;
  if (requestHash !== undefined) copy.request_hash = requestHash;
  if (tokenHash !== undefined) copy.token_hash = tokenHash;
  if (policy !== undefined) copy.policy = policy;
  copy.outcome = outcome;
  copy.reasons = reasons;
  return copy;
}

/** `YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z` that `Date.parse` reads as an instant. */
function isTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const length = value.length;
  if (length !== 20 && (length < 22 || length > 30)) return false;
  for (let index = 0; index < 19; index++) {
    const code = value.charCodeAt(index);
    const expected = TIME_SHAPE.charCodeAt(index);
    if (expected === DIGIT ? code < 0x30 || code > 0x39 : code !== expected) return false;
  }
  if (length > 20) {
    if (value.charCodeAt(19) !== 0x2e) return false;
    for (let index = 20; index < length - 1; index++) {
      const code = value.charCodeAt(index);
      if (code < 0x30 || code > 0x39) return false;
    }
  }
  if (value.charCodeAt(length - 1) !== 0x5a) return false;
  // A real calendar date and time of day only: Date.parse would roll February 30 over into March, and
  // an entry's time must name the instant it says (SHO-LOG-2).
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && digits(value, 11, 2) <= 23 && digits(value, 14, 2) <= 59 && digits(value, 17, 2) <= 59;
}

/** `d` marks a digit; every other character must be itself. */
const TIME_SHAPE = 'dddd-dd-ddTdd:dd:dd';
const DIGIT = 0x64;

/** The number written by `count` ASCII digits at `start` (already checked to be digits). */
function digits(value: string, start: number, count: number): number {
  let number = 0;
  for (let index = start; index < start + count; index++) number = number * 10 + value.charCodeAt(index) - 0x30;
  return number;
}

/** `[a-z][a-z0-9_]{0,63}`. */
function isAction(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < 1 || value.length > MAX_ACTION) return false;
  const first = value.charCodeAt(0);
  if (first < 0x61 || first > 0x7a) return false;
  for (let index = 1; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (!((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x5f)) return false;
  }
  return true;
}

/** Printable ASCII without spaces, 1–512 characters: identifiers, URLs and kids; also keeps each entry one line. */
function isIdentifier(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < 1 || value.length > MAX_IDENTIFIER) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

/** base64url alphabet, 1–128 characters. */
function isHash(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_HASH && isBase64urlAlphabet(value);
}

/** A fresh `{ id, version }` when `value` has exactly those two members, both identifiers. */
function policyOf(value: unknown): { id: string; version: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (Object.keys(value).length !== 2) return undefined;
  const id = (value as Record<string, unknown>).id;
  const version = (value as Record<string, unknown>).version;
  return isIdentifier(id) && isIdentifier(version) ? { id, version } : undefined;
}

/** A fresh copy of `value` when it is an array of at most 64 error codes (a hole is not a code). */
function reasonsOf(value: unknown): ErrorCode[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_REASONS) return undefined;
  const codes: ErrorCode[] = [];
  for (let index = 0; index < value.length; index++) {
    const code: unknown = value[index];
    if (!isErrorCode(code)) return undefined;
    codes.push(code);
  }
  return codes;
}

/** The one error of a log that cannot record (SHO-LOG-3); `reason` says why. */
export function decisionLogUnavailable(reason: string, message: string, cause?: unknown): ShomeiError {
  return new ShomeiError('DECISION_LOG_UNAVAILABLE', message, {
    requirement: 'SHO-LOG-3',
    reason,
    ...(cause === undefined ? {} : { cause }),
  });
}
