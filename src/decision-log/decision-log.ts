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

export const DECISION_KINDS = ['request', 'link', 'transaction', 'identity'] as const;
export const DECISION_OUTCOMES = ['allow', 'deny', 'review'] as const;

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const ACTION = /^[a-z][a-z0-9_]{0,63}$/;
const HASH = /^[A-Za-z0-9_-]{1,128}$/;
// Printable ASCII without spaces: identifiers, URLs and kids; also keeps each entry one line.
const IDENTIFIER = /^[\x21-\x7e]{1,512}$/;
const MAX_REASONS = 64;

type Check = (value: unknown) => boolean;

const isIdentifier: Check = (value) => typeof value === 'string' && IDENTIFIER.test(value);
const isHash: Check = (value) => typeof value === 'string' && HASH.test(value);

const MEMBER_CHECKS: Readonly<Record<keyof DecisionEntry, Check>> = {
  time: (value) => typeof value === 'string' && TIME.test(value) && Number.isFinite(Date.parse(value)),
  kind: (value) => (DECISION_KINDS as readonly unknown[]).includes(value),
  action: (value) => typeof value === 'string' && ACTION.test(value),
  issuer: isIdentifier,
  audience: isIdentifier,
  kid: isIdentifier,
  jti: isIdentifier,
  transaction_hash: isHash,
  request_hash: isHash,
  token_hash: isHash,
  policy: (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    const { id, version } = value as Record<string, unknown>;
    return keys.length === 2 && isIdentifier(id) && isIdentifier(version);
  },
  outcome: (value) => (DECISION_OUTCOMES as readonly unknown[]).includes(value),
  reasons: (value) => Array.isArray(value) && value.length <= MAX_REASONS && value.every(isErrorCode),
};

const REQUIRED: readonly (keyof DecisionEntry)[] = ['time', 'kind', 'outcome', 'reasons'];

/**
 * The first member of `value` that breaks the {@link DecisionEntry} shape (by name, never its value),
 * or `undefined` when it is a valid entry. Members set to `undefined` count as absent.
 */
export function decisionEntryProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return '(entry)';
  const record = value as Record<string, unknown>;
  for (const name of REQUIRED) if (record[name] === undefined) return name;
  for (const [name, member] of Object.entries(record)) {
    if (member === undefined) continue;
    const check = MEMBER_CHECKS[name as keyof DecisionEntry] as Check | undefined;
    if (check === undefined || !check(member)) return name;
  }
  return undefined;
}

/**
 * Checks an entry and returns a copy holding only its defined members, in a fresh object that later
 * changes to the caller's value cannot reach.
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) naming the first bad member — a caller's mistake
 *   (SHO-LOG-2: unknown members are refused so that no personal data is recorded).
 */
export function normalizeDecisionEntry(entry: DecisionEntry): DecisionEntry {
  const problem = decisionEntryProblem(entry);
  if (problem !== undefined) throw invalidArgument(`decision entry: member ${problem} is missing or invalid (SHO-LOG-2)`);
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(entry)) {
    if (value === undefined) continue;
    if (name === 'reasons') copy[name] = [...(value as ErrorCode[])];
    else if (name === 'policy') copy[name] = { id: entry.policy!.id, version: entry.policy!.version };
    else copy[name] = value;
  }
  return copy as unknown as DecisionEntry;
}

/** The one error of a log that cannot record (SHO-LOG-3); `reason` says why. */
export function decisionLogUnavailable(reason: string, message: string, cause?: unknown): ShomeiError {
  return new ShomeiError('DECISION_LOG_UNAVAILABLE', message, {
    requirement: 'SHO-LOG-3',
    reason,
    ...(cause === undefined ? {} : { cause }),
  });
}
