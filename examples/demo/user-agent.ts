/**
 * A scripted browser for the demo: cookies per host, redirects followed one by one (as a browser does,
 * GET after 303), forms posted as `application/x-www-form-urlencoded`. It is what lets the demo walk the
 * same redirect flow that the browser test drives in Chromium, without a browser.
 */

export interface PageResult {
  url: string;
  status: number;
  body: string;
}

interface StoredCookie {
  value: string;
  path: string;
}

const MAX_REDIRECTS = 10;

export class ScriptedBrowser {
  readonly #jar = new Map<string, Map<string, StoredCookie>>();
  /** Every URL visited, in order: the demo prints the hops. */
  readonly visited: string[] = [];

  /** GET, following redirects. */
  async open(url: string, headers: Record<string, string> = {}): Promise<PageResult> {
    return this.#follow(url, { method: 'GET', headers });
  }

  /** POST a form, following redirects. */
  async submit(url: string, fields: Record<string, string>): Promise<PageResult> {
    return this.#follow(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  }

  /** A JSON API call (no redirect following), with this browser's cookies. */
  async json(url: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await this.#send(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async #follow(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<PageResult> {
    let current = url;
    let request = init;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      this.visited.push(`${request.method} ${current}`);
      const response = await this.#send(current, request);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        current = new URL(location, current).href;
        request = { method: 'GET', headers: { accept: init.headers.accept ?? 'text/html' } };
        continue;
      }
      return { url: current, status: response.status, body: await response.text() };
    }
    throw new Error('too many redirects');
  }

  async #send(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Response> {
    const target = new URL(url);
    const cookie = this.#cookieHeader(target);
    const response = await fetch(target, { ...init, headers: { ...init.headers, ...(cookie === '' ? {} : { cookie }) }, redirect: 'manual' });
    this.#store(target, response.headers.getSetCookie());
    return response;
  }

  #cookieHeader(url: URL): string {
    const cookies = this.#jar.get(url.host);
    if (cookies === undefined) return '';
    return [...cookies].filter(([, cookie]) => url.pathname.startsWith(cookie.path)).map(([name, cookie]) => `${name}=${cookie.value}`).join('; ');
  }

  #store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const path = attributes.find((attribute) => attribute.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((attribute) => /^max-age=(0|-)/i.test(attribute) || /^expires=thu, 01 jan 1970/i.test(attribute));
      const cookies = this.#jar.get(url.host) ?? new Map<string, StoredCookie>();
      if (expired) cookies.delete(name);
      else cookies.set(name, { value, path });
      this.#jar.set(url.host, cookies);
    }
  }
}

/** The hidden inputs of a page (this sandbox's own markup), unescaped. */
export function hiddenInputs(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] as string] = unescapeHtml(match[2] as string);
  }
  return fields;
}

/** The JSON in `<script type="application/json" id="…">`. */
export function scriptJson(body: string, id: string): Record<string, unknown> {
  const match = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(body);
  if (match === null) throw new Error(`no ${id} on the page`);
  return JSON.parse(match[1] as string) as Record<string, unknown>;
}

function unescapeHtml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#96);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#96': '`' })[entity] as string);
}
