import { invalidArgument } from '../errors/shomei-error.js';
import { ModuleLog } from './log.js';
import { STATUSES, type ModuleInfo, type ModuleResult, type PlanName, type PlanReport, type Status, type StatusCounts } from './types.js';

/** The package version written into reports (kept in step with package.json by a test). */
export const TOOL_VERSION = '0.1.0';

/** Options every plan takes for choosing modules and following progress. */
export interface SelectionOptions {
  /** Run only these module ids. */
  only?: readonly string[];
  /** Do not run these module ids (reported as SKIPPED). */
  skip?: readonly string[];
  /** Called when a module starts. */
  onStart?: (module: ModuleInfo) => void;
  /** Called with each module's result as soon as it finishes (live terminal progress). */
  onResult?: (result: ModuleResult) => void;
}

/**
 * Checks `--only` / `--skip` against the plan's ids: an unknown id is a caller's mistake (a typo would
 * otherwise silently run nothing, or everything).
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) naming the unknown ids.
 */
export function checkSelection(modules: readonly ModuleInfo[], selection: Pick<SelectionOptions, 'only' | 'skip'>): void {
  const known = new Set(modules.map((module) => module.id));
  const unknown = [...(selection.only ?? []), ...(selection.skip ?? [])].filter((id) => !known.has(id));
  if (unknown.length > 0) throw invalidArgument(`unknown module id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
}

/** Whether a module is selected; a module not selected by `--only` is left out of the report entirely. */
export function isSelected(module: ModuleInfo, selection: Pick<SelectionOptions, 'only'>): boolean {
  return selection.only === undefined || selection.only.length === 0 || selection.only.includes(module.id);
}

/**
 * Runs one module: `body` does the work and records checks in the log; an exception inside it is a
 * FAILED check (the suite could not complete the module — never a silent pass).
 */
export async function runModule(module: ModuleInfo, body: (log: ModuleLog) => Promise<void>, selection: SelectionOptions = {}): Promise<ModuleResult> {
  const log = new ModuleLog();
  const started = Date.now();
  selection.onStart?.(module);
  if (selection.skip?.includes(module.id)) {
    log.skip('left out with --skip');
  } else {
    try {
      await body(log);
    } catch (error) {
      log.record({ check: 'module ran to the end', status: 'FAILED', expected: 'no error in the suite', actual: `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300) });
    }
  }
  const result: ModuleResult = {
    id: module.id,
    title: module.title,
    requirements: module.requirements,
    level: module.level,
    kind: module.kind,
    expected: module.expected,
    status: log.status,
    summary: log.summary,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    log: log.entries,
  };
  selection.onResult?.(result);
  return result;
}

/** Counts per status. */
export function countStatuses(results: readonly ModuleResult[]): StatusCounts {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as StatusCounts;
  for (const result of results) counts[result.status] += 1;
  return counts;
}

/** The run's overall result: FAILED if anything failed, else WARNING, else REVIEW, else PASSED. */
export function overall(counts: StatusCounts): Status {
  if (counts.FAILED > 0) return 'FAILED';
  if (counts.WARNING > 0) return 'WARNING';
  if (counts.REVIEW > 0) return 'REVIEW';
  return 'PASSED';
}

/** Assembles the JSON report (issue 4 point 3). */
export function buildReport(input: {
  plan: PlanName;
  target: PlanReport['target'];
  suite: PlanReport['suite'];
  startedAt: number;
  selection: Pick<SelectionOptions, 'only' | 'skip'>;
  modules: ModuleResult[];
}): PlanReport {
  const counts = countStatuses(input.modules);
  return {
    format: 'shomei-conformance-report/1',
    tool: { name: 'shomei', version: TOOL_VERSION },
    plan: input.plan,
    target: input.target,
    suite: input.suite,
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    selection: {
      ...(input.selection.only !== undefined && input.selection.only.length > 0 ? { only: [...input.selection.only] } : {}),
      ...(input.selection.skip !== undefined && input.selection.skip.length > 0 ? { skip: [...input.selection.skip] } : {}),
    },
    counts,
    result: overall(counts),
    modules: input.modules,
  };
}

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
