import type { ErrorCode } from '../errors/codes.js';

/**
 * Result of one module or one check, as in the OpenID Foundation conformance suite:
 * - `PASSED` every check held;
 * - `FAILED` a MUST check did not hold (sticky: nothing later in the module clears it);
 * - `WARNING` a SHOULD check did not hold, or the partner refused for another reason than the expected one;
 * - `REVIEW` a person has to look (the suite cannot judge, e.g. what a consent screen showed);
 * - `SKIPPED` the module does not apply to this partner (an action it does not offer, a policy rule it lacks).
 *
 * @see spec/17-conformance-interface.md
 */
export type Status = 'PASSED' | 'FAILED' | 'WARNING' | 'REVIEW' | 'SKIPPED';

/** The statuses in report order. */
export const STATUSES: readonly Status[] = ['PASSED', 'FAILED', 'WARNING', 'REVIEW', 'SKIPPED'];

/** The level of the requirement a module checks (spec/README.md: a SHOULD failure is a WARNING). */
export type Level = 'MUST' | 'SHOULD';

/** The two plans: the suite plays a bank against a verifier, or a relying party against an issuer. */
export type PlanName = 'verifier' | 'issuer';

/**
 * What the partner is expected to do with the module's input.
 * - `accepted`: the partner allows (verifier plan) or answers with success (issuer plan);
 * - `rejected`: the partner denies / answers with an error; `code` is the code the protocol names,
 *   `alternatives` other codes the spec allows for the same failure, and `strictCode` makes any other
 *   code a FAILED instead of a WARNING (where only the code tells a conformant partner from a broken one);
 * - `review`: the partner's decision is `review` (for example an identity `close_match`, SHO-POL-14).
 */
export type Expected =
  | { result: 'accepted' }
  | { result: 'rejected'; code?: ErrorCode; alternatives?: readonly ErrorCode[]; strictCode?: boolean }
  | { result: 'review'; code?: ErrorCode };

/** Fields every module has, in both plans: it is data, so it can be listed, documented and selected. */
export interface ModuleInfo {
  /** Stable identifier, never reused: `verifier-alg-none`. */
  id: string;
  title: string;
  /** Requirement IDs of spec/ that the module checks. */
  requirements: readonly string[];
  level: Level;
  /** A grouping for reports and the README (`header`, `signature`, `time`, `policy`, `jwks`, …). */
  kind: string;
  expected: Expected;
}

/** One line of a module's log. Never holds a token, personal data or a secret (logs are shared). */
export type LogEntry =
  | { type: 'info'; time: string; message: string }
  | {
      type: 'check';
      time: string;
      /** What was checked, in a few words. */
      check: string;
      requirement?: string;
      status: Exclude<Status, 'SKIPPED'>;
      expected: string;
      actual: string;
    }
  | {
      type: 'http';
      time: string;
      direction: 'outgoing' | 'incoming';
      method: string;
      url: string;
      status?: number;
      /** Redacted request / response bodies (tokens replaced by their SHA-256, personal data removed). */
      request?: unknown;
      response?: unknown;
      durationMs?: number;
    };

/** The outcome of one module. */
export interface ModuleResult extends ModuleInfo {
  status: Status;
  /** One sentence: why this status. */
  summary: string;
  startedAt: string;
  durationMs: number;
  log: LogEntry[];
}

/** Counts per status. */
export type StatusCounts = Record<Status, number>;

/** Everything one run produced: the JSON report (issue 4 point 3), also the input of the other formats. */
export interface PlanReport {
  /** The report format's version; bump on incompatible change. */
  format: 'shomei-conformance-report/1';
  tool: { name: 'shomei'; version: string };
  plan: PlanName;
  /** The partner's test interface URL and party identifier. */
  target: { url: string; party?: string };
  /** The identifier the suite used for its own role (bank or relying party). */
  suite: { party: string; role: 'bank' | 'relying_party' };
  startedAt: string;
  finishedAt: string;
  /** Module ids asked for with --only / --skip, as given. */
  selection: { only?: readonly string[]; skip?: readonly string[] };
  counts: StatusCounts;
  /** `FAILED` when any module failed, otherwise the worst other status, `PASSED` when all passed. */
  result: Status;
  modules: ModuleResult[];
}
