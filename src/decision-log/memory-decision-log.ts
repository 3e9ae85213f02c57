import { invalidArgument } from '../errors/shomei-error.js';
import { decisionLogUnavailable, normalizeDecisionEntry, type DecisionEntry, type DecisionLog } from './decision-log.js';

/** Options of {@link createMemoryDecisionLog}. */
export interface MemoryDecisionLogOptions {
  /** Most entries kept. Default 10,000. */
  maxEntries?: number;
  /**
   * What a full log does: `'drop-oldest'` (default) forgets the oldest entry, as a bounded debugging
   * record should; `'refuse'` rejects the append with `DECISION_LOG_UNAVAILABLE`, so the verifier
   * denies rather than decide without a record.
   */
  whenFull?: 'drop-oldest' | 'refuse';
}

/** The in-memory {@link DecisionLog}, readable for tests and debugging. */
export interface MemoryDecisionLog extends DecisionLog {
  /** The entries held, oldest first (copies). */
  entries(): DecisionEntry[];
  close(): Promise<void>;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Creates the default decision log of a verifier: bounded memory, nothing written anywhere
 * (spec/15-decision-log.md SHO-LOG-1, SHO-LOG-2). It is not evidence — it is gone with the process and
 * not hash-chained; production verifiers use `createFileDecisionLog` (Node) or their own implementation.
 *
 * @example
 * const log = createMemoryDecisionLog({ maxEntries: 1_000 });
 * const verifier = createVerifier({ ...options, decisionLog: log });
 * log.entries().at(-1)?.outcome; // 'allow' | 'deny' | 'review'
 */
export function createMemoryDecisionLog(options: MemoryDecisionLogOptions = {}): MemoryDecisionLog {
  if (options === null || typeof options !== 'object') throw invalidArgument('createMemoryDecisionLog: options must be an object');
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw invalidArgument('createMemoryDecisionLog: maxEntries must be a positive integer');
  }
  const whenFull = options.whenFull ?? 'drop-oldest';
  if (whenFull !== 'drop-oldest' && whenFull !== 'refuse') {
    throw invalidArgument("createMemoryDecisionLog: whenFull must be 'drop-oldest' or 'refuse'");
  }

  // A ring: `start` is the oldest entry once the buffer has wrapped.
  const ring: DecisionEntry[] = [];
  let start = 0;
  let closed = false;

  return {
    async append(entry: DecisionEntry): Promise<void> {
      const clean = normalizeDecisionEntry(entry);
      if (closed) throw decisionLogUnavailable('closed', 'the decision log is closed');
      if (ring.length < maxEntries) {
        ring.push(clean);
        return;
      }
      if (whenFull === 'refuse') throw decisionLogUnavailable('full', `the in-memory decision log holds ${maxEntries} entries`);
      ring[start] = clean;
      start = (start + 1) % maxEntries;
    },

    entries(): DecisionEntry[] {
      const ordered = [...ring.slice(start), ...ring.slice(0, start)];
      return ordered.map((entry) => structuredClone(entry));
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}
