import type { LogEntry, ModuleResult, PlanReport } from '../types.js';

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function logText(entries: readonly LogEntry[]): string {
  return entries
    .map((entry) => {
      if (entry.type === 'info') return `${entry.time} info ${entry.message}`;
      if (entry.type === 'check') return `${entry.time} ${entry.status} ${entry.check}${entry.requirement !== undefined ? ` [${entry.requirement}]` : ''}: expected ${entry.expected}; actual ${entry.actual}`;
      return `${entry.time} http ${entry.method} ${entry.url} → ${entry.status ?? 'no response'}`;
    })
    .join('\n');
}

function testcase(plan: string, module: ModuleResult): string {
  const name = `${module.id}: ${module.title} (${module.requirements.join(', ')})`;
  const open = `    <testcase classname="shomei.conformance.${plan}.${module.kind}" name="${escapeXml(name)}" time="${(module.durationMs / 1000).toFixed(3)}">`;
  const output = `      <system-out>${escapeXml(logText(module.log))}</system-out>`;
  switch (module.status) {
    case 'FAILED':
      return `${open}\n      <failure message="${escapeXml(module.summary)}" type="FAILED"/>\n${output}\n    </testcase>`;
    case 'SKIPPED':
      return `${open}\n      <skipped message="${escapeXml(module.summary)}"/>\n    </testcase>`;
    case 'WARNING':
    case 'REVIEW':
      // CI systems know pass / fail / skip only: a warning passes, with its status in the output.
      return `${open}\n      <system-err>${module.status}: ${escapeXml(module.summary)}</system-err>\n${output}\n    </testcase>`;
    default:
      return `${open}\n${output}\n    </testcase>`;
  }
}

/**
 * JUnit XML for CI systems (issue 4 point 3): one test suite per plan, one test case per module;
 * FAILED is a failure, SKIPPED skipped, WARNING and REVIEW pass with their status on stderr.
 */
export function toJunitXml(report: PlanReport): string {
  const { counts } = report;
  const total = report.modules.length;
  const seconds = ((Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shomei conformance" tests="${total}" failures="${counts.FAILED}" skipped="${counts.SKIPPED}" time="${seconds}">`,
    `  <testsuite name="shomei.conformance.${report.plan}" tests="${total}" failures="${counts.FAILED}" errors="0" skipped="${counts.SKIPPED}" timestamp="${report.startedAt}" time="${seconds}">`,
    '    <properties>',
    `      <property name="tool" value="shomei ${escapeXml(report.tool.version)}"/>`,
    `      <property name="target" value="${escapeXml(report.target.url)}"/>`,
    `      <property name="result" value="${report.result}"/>`,
    '    </properties>',
    ...report.modules.map((module) => testcase(report.plan, module)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
