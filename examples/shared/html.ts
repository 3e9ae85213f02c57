/**
 * HTML for the example pages. Every interpolated value is escaped: names, account numbers and a relying
 * party's display name come from other parties or from customers and must never become markup.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Markup that is already safe (built by {@link html}). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (char) => ESCAPES[char] as string);
}

type Interpolation = string | number | boolean | null | undefined | SafeHtml | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** Tagged template: literal parts are markup, interpolations are escaped (arrays of SafeHtml are joined). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are escaped as \u003c etc. so
 * that no value can close the script element.
 */
export function jsonForScript(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const STYLE = `
  :root { color-scheme: light; --ink:#1d2433; --muted:#5b6478; --line:#d9dee8; --brand:#0b5cad; --ok:#11734b; --bad:#b42318; --warn:#a15c00; }
  * { box-sizing: border-box; }
  body { margin:0; font: 16px/1.6 system-ui, "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color:var(--ink); background:#f4f6fa; }
  header { background:var(--brand); color:#fff; padding:14px 24px; font-weight:600; letter-spacing:.02em; }
  header small { font-weight:400; opacity:.85; margin-left:.6em; }
  main { max-width:720px; margin:24px auto; background:#fff; border:1px solid var(--line); border-radius:10px; padding:24px 28px; }
  h1 { font-size:1.3rem; margin:0 0 12px; }
  h2 { font-size:1.05rem; margin:22px 0 8px; }
  dl.facts { display:grid; grid-template-columns: 11em 1fr; gap:6px 14px; margin:0; }
  dl.facts dt { color:var(--muted); }
  dl.facts dd { margin:0; font-weight:600; }
  .notice { background:#fff8e6; border:1px solid #f3d18b; border-radius:8px; padding:10px 14px; margin:14px 0; font-size:.92rem; }
  .error { background:#fdecea; border:1px solid #f5b5ae; color:var(--bad); border-radius:8px; padding:10px 14px; margin:14px 0; }
  label { display:block; margin:10px 0 4px; font-weight:600; }
  input[type=text], input[type=password], input[type=number], select { width:100%; padding:9px 10px; border:1px solid var(--line); border-radius:6px; font-size:1rem; }
  .row { display:flex; gap:10px; align-items:flex-end; } .row > * { flex:1; } .row > button { margin-top:0; }
  button { margin-top:16px; padding:10px 18px; border-radius:6px; border:1px solid var(--brand); background:var(--brand); color:#fff; font-size:1rem; cursor:pointer; }
  button.secondary { background:#fff; color:var(--brand); }
  fieldset { border:1px solid var(--line); border-radius:8px; padding:8px 16px 16px; margin:16px 0 0; }
  legend { padding:0 6px; color:var(--muted); }
  .outcome { font-size:1.6rem; font-weight:700; margin: 4px 0 12px; }
  .allow { color:var(--ok); } .deny { color:var(--bad); } .review { color:var(--warn); }
  table { border-collapse:collapse; width:100%; font-size:.92rem; } td, th { border-bottom:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
  code { font-size:.9em; }
`;

/** A complete page. */
export function page(title: string, brand: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header>${brand}<small>sandbox</small></header>
<main>${body}</main>
</body>
</html>`.value;
}

/**
 * Security headers for every example page: no framing, no caching, a strict CSP with at most one script
 * nonce. `formTargets` lists the origins a form on the page may end up at: browsers apply `form-action`
 * to the redirects that follow a form submission too (the bank's 303 back to the relying party).
 */
export function pageHeaders(options: { scriptNonce?: string; formTargets?: readonly string[] } = {}): Record<string, string> {
  const script = options.scriptNonce === undefined ? "'none'" : `'nonce-${options.scriptNonce}'`;
  const forms = ["'self'", ...(options.formTargets ?? [])].join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${script}; connect-src 'self'; form-action ${forms}; frame-ancestors 'none'; base-uri 'none'`,
  };
}
