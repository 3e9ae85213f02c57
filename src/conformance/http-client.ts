import { parseJsonObject } from '../encoding/json.js';
import type { ModuleLog } from './log.js';
import { redact, redactUrl } from './redact.js';

/** What the suite sends to a partner. */
export interface SuiteRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  url: string;
  /** A JSON body (object), or raw text sent as is with `contentType`. */
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Deadline in ms (default 10000). */
  timeoutMs?: number;
}

/** What came back; `json` is set when the body was a JSON object. */
export interface SuiteResponse {
  status: number;
  headers: Headers;
  text: string;
  json?: Record<string, unknown>;
}

/** The largest partner body the suite reads (a hostile partner cannot exhaust the suite). */
const MAX_BODY = 1_048_576;

/**
 * One HTTP call of the suite to a partner, logged (redacted) in the module's log. Redirects are not
 * followed: a 3xx is itself a result the modules look at. Network failures and timeouts return
 * `undefined` after logging them.
 */
export async function suiteCall(log: ModuleLog | undefined, request: SuiteRequest, fetchFn: typeof fetch = globalThis.fetch): Promise<SuiteResponse | undefined> {
  const started = Date.now();
  const headers: Record<string, string> = { accept: 'application/json', ...(request.headers ?? {}) };
  let body: string | undefined;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] = 'application/json';
  } else if (request.text !== undefined) {
    body = request.text;
    headers['content-type'] = request.contentType ?? 'text/plain';
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs ?? 10_000);
  try {
    const response = await fetchFn(request.url, { method: request.method, headers, redirect: 'manual', signal: controller.signal, ...(body !== undefined ? { body } : {}) });
    const text = await readCapped(response);
    let json: Record<string, unknown> | undefined;
    try {
      json = text.length > 0 ? parseJsonObject(text, { maxDepth: 64 }) : undefined;
    } catch {
      json = undefined;
    }
    log?.http({
      direction: 'outgoing',
      method: request.method,
      url: redactUrl(request.url),
      status: response.status,
      ...(request.json !== undefined ? { request: redact(request.json) } : request.text !== undefined ? { request: `${request.text.length} characters` } : {}),
      response: json !== undefined ? redact(json) : text.length > 0 ? `${text.length} characters of ${response.headers.get('content-type') ?? 'unknown type'}` : '(empty)',
      durationMs: Date.now() - started,
    });
    return { status: response.status, headers: response.headers, text, ...(json !== undefined ? { json } : {}) };
  } catch (error) {
    const reason = controller.signal.aborted ? 'timeout' : (error as Error).name;
    log?.http({ direction: 'outgoing', method: request.method, url: redactUrl(request.url), response: `no response (${reason})`, durationMs: Date.now() - started });
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY) {
      void reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(Math.min(total, MAX_BODY));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk.subarray(0, Math.max(0, bytes.length - offset)), offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
