import { STATUSES, type LogEntry, type ModuleResult, type PlanReport, type Status } from '../types.js';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const COLORS: Record<Status, string> = { PASSED: '#1a7f37', FAILED: '#cf222e', WARNING: '#9a6700', REVIEW: '#8250df', SKIPPED: '#6e7781' };

function badge(status: Status): string {
  return `<span class="badge" style="background:${COLORS[status]}">${status}</span>`;
}

function entryRow(entry: LogEntry): string {
  const time = escapeHtml(entry.time.slice(11, 23));
  if (entry.type === 'info') return `<tr><td>${time}</td><td>info</td><td colspan="3">${escapeHtml(entry.message)}</td></tr>`;
  if (entry.type === 'check') {
    return `<tr><td>${time}</td><td>${badge(entry.status)}</td><td>${escapeHtml(entry.check)}${entry.requirement !== undefined ? ` <code>${escapeHtml(entry.requirement)}</code>` : ''}</td><td>${escapeHtml(entry.expected)}</td><td>${escapeHtml(entry.actual)}</td></tr>`;
  }
  const detail = JSON.stringify({ ...(entry.request !== undefined ? { request: entry.request } : {}), ...(entry.response !== undefined ? { response: entry.response } : {}) }, null, 1);
  const direction = entry.direction === 'incoming' ? 'partner → suite' : 'suite → partner';
  return `<tr class="http"><td>${time}</td><td>${direction}</td><td colspan="3"><code>${escapeHtml(`${entry.method} ${entry.url} → ${entry.status ?? 'no response'}${entry.durationMs !== undefined ? ` (${entry.durationMs} ms)` : ''}`)}</code><pre>${escapeHtml(detail)}</pre></td></tr>`;
}

function moduleSection(module: ModuleResult): string {
  const expected = module.expected.result === 'accepted' ? 'accepted' : `${module.expected.result}${module.expected.code !== undefined ? ` (${module.expected.code})` : ''}`;
  return `<details class="module ${module.status}"${module.status === 'FAILED' ? ' open' : ''}>
<summary>${badge(module.status)} <b>${escapeHtml(module.id)}</b> — ${escapeHtml(module.title)} <span class="req">${module.requirements.map(escapeHtml).join(' ')}</span></summary>
<p>${escapeHtml(module.summary)} · ${module.level} · expected: ${escapeHtml(expected)} · ${module.durationMs} ms</p>
<table class="log"><tr><th>time</th><th>kind</th><th>check</th><th>expected</th><th>actual</th></tr>
${module.log.map(entryRow).join('\n')}
</table>
</details>`;
}

/**
 * One self-contained HTML file (issue 4 point 3): no script, no external resource, so that it can be
 * mailed to a partner or attached to an audit file and opened anywhere.
 */
export function toHtmlReport(report: PlanReport): string {
  const counts = STATUSES.map((status) => `<td>${badge(status)} ${report.counts[status]}</td>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>shomei conformance — ${escapeHtml(report.plan)} plan — ${report.result}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.4rem}table{border-collapse:collapse}td,th{padding:.25rem .5rem;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}
.badge{color:#fff;border-radius:.3rem;padding:0 .4rem;font-size:.8rem;font-weight:600}
.module{margin:.4rem 0;border:1px solid #d0d7de;border-radius:.4rem;padding:.3rem .6rem}
.module summary{cursor:pointer}.req{color:#57606a;font-size:.85rem}
.log{font-size:.85rem;width:100%}.log pre{margin:.2rem 0;white-space:pre-wrap;color:#57606a;max-height:12rem;overflow:auto}
</style></head>
<body>
<h1>shomei conformance — ${escapeHtml(report.plan)} plan: ${badge(report.result)}</h1>
<table>
<tr><th>target</th><td>${escapeHtml(report.target.url)}${report.target.party !== undefined ? ` (${escapeHtml(report.target.party)})` : ''}</td></tr>
<tr><th>suite</th><td>${escapeHtml(report.suite.role)} ${escapeHtml(report.suite.party)}</td></tr>
<tr><th>tool</th><td>shomei ${escapeHtml(report.tool.version)}</td></tr>
<tr><th>run</th><td>${escapeHtml(report.startedAt)} — ${escapeHtml(report.finishedAt)}</td></tr>
</table>
<h2>Summary</h2>
<table><tr>${counts}</tr></table>
<h2>Modules</h2>
${report.modules.map(moduleSection).join('\n')}
<p class="req">Logs identify tokens by their SHA-256 and leave out personal data and flow secrets.</p>
</body></html>
`;
}
