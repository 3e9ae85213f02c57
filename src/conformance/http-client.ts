import { parseJsonObject } from '../encoding/json.js';
import { ShomeiError } from '../errors/shomei-error.js';
import { readCapped } from '../transport/read-capped.js';
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
 * followed: a 3xx is itself a result the modules look at. Network failures, timeouts and answers over
 * 1 MiB (counted in bytes while reading) return `undefined` after logging them.
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
    // Over the cap the answer is refused, not truncated: a prefix could parse as a different JSON object.
    const bytes = await readCapped(response.body, MAX_BODY, {
      // A HEAD answer announces the length of a body it does not carry.
      contentLength: request.method === 'HEAD' ? null : response.headers.get('content-length'),
      tooLarge: (max) => new ShomeiError('FETCH_FAILED', `the answer exceeds ${max} bytes`, { reason: 'too_large' }),
      signal: controller.signal,
    });
    // Lenient decoding on purpose: the suite records what a partner sent; the modules judge it.
    const text = new TextDecoder().decode(bytes);
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
    const reason = controller.signal.aborted ? 'timeout' : error instanceof ShomeiError && error.reason !== undefined ? error.reason : (error as Error).name;
    log?.http({ direction: 'outgoing', method: request.method, url: redactUrl(request.url), response: `no response (${reason})`, durationMs: Date.now() - started });
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
