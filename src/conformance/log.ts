import type { Level, LogEntry, Status } from './types.js';
import type { CheckResult } from './checks.js';

/** Severity order used to combine check results: FAILED wins, then WARNING, then REVIEW. */
const RANK: Record<Exclude<Status, 'SKIPPED'>, number> = { PASSED: 0, REVIEW: 1, WARNING: 2, FAILED: 3 };

/**
 * The log of one module run, and its running status (OpenID conformance suite style: a check logs what
 * it expected and what it saw; FAILED is sticky — once a check failed, no later check clears it).
 *
 * The log is part of a report that partners exchange: entries hold identifiers and hashes, never a
 * token, a name, a birthdate or an account number (STYLE.md rule 3; callers redact HTTP bodies with
 * `redact()` before logging them).
 */
export class ModuleLog {
  readonly entries: LogEntry[] = [];
  #status: Exclude<Status, 'SKIPPED'> = 'PASSED';
  #skipped: string | undefined;
  /** The first failed check, and the first other non-passing check: the summary names them. */
  #firstFailure: string | undefined;
  #firstProblem: string | undefined;
  readonly #clock: () => number;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  #now(): string {
    return new Date(this.#clock()).toISOString();
  }

  /** Adds a free-text line. */
  info(message: string): void {
    this.entries.push({ type: 'info', time: this.#now(), message });
  }

  /**
   * Records a check. `level` is the level of the requirement at the place the check is called: a
   * failing SHOULD check is a WARNING, a failing MUST check a FAILED (the check result may already be
   * milder, e.g. a rejection with an unexpected code is a WARNING under either level).
   */
  record(result: CheckResult, level: Level = 'MUST'): Exclude<Status, 'SKIPPED'> {
    let status = result.status;
    if (status === 'FAILED' && level === 'SHOULD') status = 'WARNING';
    this.entries.push({
      type: 'check',
      time: this.#now(),
      check: result.check,
      ...(result.requirement !== undefined ? { requirement: result.requirement } : {}),
      status,
      expected: result.expected,
      actual: result.actual,
    });
    if (RANK[status] > RANK[this.#status]) this.#status = status;
    const text = `${result.check}: expected ${result.expected}, got ${result.actual}`;
    if (status === 'FAILED') this.#firstFailure ??= text;
    else if (status !== 'PASSED') this.#firstProblem ??= text;
    return status;
  }

  /** Logs an HTTP exchange (already redacted). */
  http(entry: Omit<Extract<LogEntry, { type: 'http' }>, 'type' | 'time'>): void {
    this.entries.push({ type: 'http', time: this.#now(), ...entry });
  }

  /** Marks the module as not applicable, with the reason. A module with a FAILED check stays FAILED. */
  skip(reason: string): void {
    this.#skipped = reason;
    this.info(`skipped: ${reason}`);
  }

  /** The module's status so far. */
  get status(): Status {
    if (this.#status === 'FAILED') return 'FAILED';
    if (this.#skipped !== undefined) return 'SKIPPED';
    return this.#status;
  }

  /** One sentence for the report. */
  get summary(): string {
    if (this.#status === 'FAILED') return this.#firstFailure ?? 'a check failed';
    if (this.#skipped !== undefined) return this.#skipped;
    if (this.#status !== 'PASSED') return this.#firstProblem ?? this.#status;
    const checks = this.entries.filter((entry) => entry.type === 'check').length;
    return `${checks} check${checks === 1 ? '' : 's'} passed`;
  }
}
