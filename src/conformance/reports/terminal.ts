import { STATUSES, type ModuleResult, type PlanReport, type Status } from '../types.js';

const ANSI: Record<Status, string> = { PASSED: '32', FAILED: '31', WARNING: '33', REVIEW: '35', SKIPPED: '90' };

function paint(status: Status, text: string, color: boolean): string {
  return color ? `\u001b[${ANSI[status]}m${text}\u001b[0m` : text;
}

/** One line per finished module (live progress): status, id, duration, and why when not PASSED. */
export function formatModuleLine(result: ModuleResult, options: { color?: boolean } = {}): string {
  const status = paint(result.status, result.status.padEnd(7), options.color === true);
  const why = result.status === 'PASSED' ? '' : `  — ${result.summary}`;
  return `${status} ${result.id.padEnd(48)} ${String(result.durationMs).padStart(6)} ms${why}`;
}

/** The summary table at the end of a run. */
export function formatSummary(report: PlanReport, options: { color?: boolean } = {}): string {
  const color = options.color === true;
  const lines = [
    '',
    `shomei conformance ${report.plan} plan against ${report.target.url}${report.target.party !== undefined ? ` (${report.target.party})` : ''}`,
    '',
    '  status    modules',
    ...STATUSES.map((status) => `  ${paint(status, status.padEnd(8), color)}  ${String(report.counts[status]).padStart(7)}`),
    `  ${'total'.padEnd(8)}  ${String(report.modules.length).padStart(7)}`,
    '',
  ];
  const failed = report.modules.filter((module) => module.status === 'FAILED');
  if (failed.length > 0) {
    lines.push('Failed modules:', ...failed.map((module) => `  ${module.id} (${module.requirements.join(', ')}): ${module.summary}`), '');
  }
  lines.push(`Result: ${paint(report.result, report.result, color)}`);
  return lines.join('\n');
}
