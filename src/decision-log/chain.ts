import { canonicalize } from '../canonical/jcs.js';
import { sha256, type Sha256 } from '../canonical/digest.js';
import { parseJsonObject } from '../encoding/json.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { invalidArgument } from '../errors/shomei-error.js';
import { decisionEntryProblem, normalizeDecisionEntry, type DecisionEntry } from './decision-log.js';

/** Where a chain stands: the sequence number and hash of its last entry. */
export interface ChainLink {
  seq: number;
  /** Lower-case hex SHA-256. */
  hash: string;
}

/**
 * A {@link DecisionEntry} as written to a log file (spec/15-decision-log.md SHO-LOG-4): `seq` counts
 * from 1 across every file of the log, `prev` is the `hash` of the entry before (64 zero digits for the
 * first entry of the log), and `hash` is the hex SHA-256 of the RFC 8785 (JCS) form of the entry with
 * `seq` and `prev` but without `hash`.
 */
export type ChainedEntry = DecisionEntry & { seq: number; prev: string; hash: string };

/** `prev` of the first entry of a log. */
export const GENESIS_HASH = '0'.repeat(64);

/** What {@link verifyChain} found wrong at a line. */
export type ChainProblem = 'edited' | 'deleted_or_reordered' | 'torn' | 'malformed' | 'chain_break_across_files';

/** The outcome of {@link verifyChain}; `count` and `last` describe the entries that verified. */
export type ChainVerification =
  | { ok: true; count: number; first: ChainLink | null; last: ChainLink | null }
  | { ok: false; line: number; problem: ChainProblem; count: number; first: ChainLink | null; last: ChainLink | null };

/** Options of {@link verifyChain}. */
export interface VerifyChainOptions {
  /**
   * What the first line must follow: `'genesis'` (default: the log's first file), the last link of the
   * file before, or `'any'` for a log whose older files were archived (the first entry is then taken on
   * trust and should be compared with an anchor kept elsewhere, such as a signed export).
   */
  start?: ChainLink | 'genesis' | 'any';
  /** The lines continue an earlier file: a first line that does not follow `start` is a `chain_break_across_files`. */
  fromPreviousFile?: boolean;
  /** A synchronous SHA-256 (node:crypto's, say); WebCrypto's asynchronous digest when absent. */
  hash?: Sha256;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Links `entry` to the chain after `prev` (`null` for the first entry of a log) and computes its hash
 * (SHO-LOG-4). Pure: writes nothing.
 *
 * `hash` is a synchronous SHA-256 where one is at hand (the file log passes node:crypto's): WebCrypto's digest
 * is a thread-pool round trip of 20–30 µs per entry for a hash that takes 1–2 µs.
 *
 * @throws TypeError for an invalid entry (SHO-LOG-2) or `prev`.
 * @example
 * const first = await chainEntry(entry, null);          // seq 1, prev = GENESIS_HASH
 * const second = await chainEntry(next, first);         // seq 2, prev = first.hash
 * @see spec/15-decision-log.md SHO-LOG-4
 */
export async function chainEntry(entry: DecisionEntry, prev: ChainLink | null, hash?: Sha256): Promise<ChainedEntry> {
  if (prev !== null && !isChainLink(prev)) throw invalidArgument('chainEntry: prev must be null or { seq, hash }');
  return linkCheckedEntry(normalizeDecisionEntry(entry), prev, hash);
}

/**
 * {@link chainEntry} for an entry already checked and copied by `normalizeDecisionEntry` and a `prev` the
 * caller made itself: the file log, which checks each entry once, when it is appended.
 */
export async function linkCheckedEntry(clean: DecisionEntry, prev: ChainLink | null, hash?: Sha256): Promise<ChainedEntry> {
  const body = { ...clean, seq: prev === null ? 1 : prev.seq + 1, prev: prev === null ? GENESIS_HASH : prev.hash };
  return { ...body, hash: await hashOf(body, hash) };
}

/**
 * The line that a log file holds for `entry`, without its newline: the entry's JCS form, so the bytes on
 * disk are exactly those a verifier recomputes.
 */
export function serializeChainedEntry(entry: ChainedEntry): string {
  return canonicalize(entry);
}

/**
 * Checks one file of a decision log (SHO-LOG-5). `lines` must be the file's text split on `'\n'`
 * (`text.split('\n')`), so that a file ending with a newline gives a last, empty element.
 *
 * Each line must be the canonical JSON of a valid entry (`malformed` otherwise), its `hash` must match
 * its content (`edited`), and it must follow the line before by `seq` and `prev`
 * (`deleted_or_reordered`; for the first line of a later file `chain_break_across_files`). A last line
 * without its newline is `torn` — an append cut short by a crash, not tampering (SHO-LOG-6): the
 * entries before it verified, and `last` is where the writer resumes.
 *
 * The chain proves that nothing was changed inside it; whoever can rewrite a file can rewrite every
 * hash after the change, which is why the last link is shared with partners in signed exports (SHO-LOG-7).
 *
 * @example
 * const report = await verifyChain(text.split('\n'));
 * if (!report.ok) console.error(`line ${report.line}: ${report.problem}`);
 * @see spec/15-decision-log.md SHO-LOG-5, SHO-LOG-6
 */
export async function verifyChain(lines: string[], options: VerifyChainOptions = {}): Promise<ChainVerification> {
  if (!Array.isArray(lines) || lines.some((line) => typeof line !== 'string')) {
    throw invalidArgument('verifyChain: lines must be an array of strings');
  }
  if (options.hash !== undefined && typeof options.hash !== 'function') throw invalidArgument('verifyChain: hash must be a function');
  const start = options.start ?? 'genesis';
  if (start !== 'genesis' && start !== 'any' && !isChainLink(start)) {
    throw invalidArgument("verifyChain: start must be 'genesis', 'any' or { seq, hash }");
  }
  const terminated = lines.length === 0 || lines[lines.length - 1] === '';
  const body = terminated ? lines.slice(0, -1) : lines;

  let expected: ChainLink | 'any' = start === 'genesis' ? { seq: 0, hash: GENESIS_HASH } : start;
  let first: ChainLink | null = null;
  let last: ChainLink | null = start === 'genesis' || start === 'any' ? null : start;
  let count = 0;
  const fail = (index: number, problem: ChainProblem): ChainVerification => ({ ok: false, line: index + 1, problem, count, first, last });

  for (let index = 0; index < body.length; index++) {
    if (!terminated && index === body.length - 1) return fail(index, 'torn');
    const line = body[index]!;
    const entry = parseEntry(line);
    if (entry === undefined) return fail(index, 'malformed');
    const { hash, ...content } = entry;
    if ((await hashOf(content, options.hash)) !== hash || serializeChainedEntry(entry) !== line) return fail(index, 'edited');
    if (expected !== 'any' && (entry.prev !== expected.hash || entry.seq !== expected.seq + 1)) {
      return fail(index, index === 0 && options.fromPreviousFile === true ? 'chain_break_across_files' : 'deleted_or_reordered');
    }
    expected = last = { seq: entry.seq, hash };
    first ??= last;
    count++;
  }
  return { ok: true, count, first, last };
}

/** Recomputes the hash of a chained entry (with `sha`, a synchronous SHA-256, when given); true when it matches. */
export async function chainedEntryIntact(entry: ChainedEntry, sha?: Sha256): Promise<boolean> {
  if (!isChainedEntry(entry)) return false;
  const { hash, ...content } = entry;
  return (await hashOf(content, sha)) === hash;
}

/** Whether `value` has the shape of a {@link ChainedEntry} (its hash is not checked). */
export function isChainedEntry(value: unknown): value is ChainedEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { seq, prev, hash, ...content } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(seq) &&
    (seq as number) >= 1 &&
    typeof prev === 'string' &&
    HEX64.test(prev) &&
    typeof hash === 'string' &&
    HEX64.test(hash) &&
    decisionEntryProblem(content) === undefined
  );
}

function parseEntry(line: string): ChainedEntry | undefined {
  let value: unknown;
  try {
    value = parseJsonObject(line);
  } catch {
    return undefined;
  }
  return isChainedEntry(value) ? value : undefined;
}

function isChainLink(value: unknown): value is ChainLink {
  if (value === null || typeof value !== 'object') return false;
  const { seq, hash } = value as Record<string, unknown>;
  return Number.isSafeInteger(seq) && (seq as number) >= 0 && typeof hash === 'string' && HEX64.test(hash);
}

async function hashOf(content: Record<string, unknown>, hash: Sha256 | undefined): Promise<string> {
  const digest = await sha256(encodeUtf8(canonicalize(content)), hash);
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
