/**
 * One bounded JSON call to a partner's flow endpoint (spec/12-transport.md; the rules of SHO-FETCH-2
 * to SHO-FETCH-6 applied to every partner response, as oauth4webapi does): every answer is hostile
 * until proven otherwise — the exact expected status, no redirect followed, `application/json` only,
 * a byte cap counted while reading, one deadline for headers and body, and a strict JSON object
 * (no duplicate members, bounded depth). Failures are `ShomeiError` `FETCH_FAILED` with a `reason`;
 * a protocol error response of the partner is a {@link PartnerError}.
 *
 * Web APIs only: the `fetch` is the global one unless the caller passes another (undici's, a test
 * double). msw intercepts the global one, so tests run this exact code.
 */
import { parseJsonObject } from '../encoding/json.js';
import { isErrorCode } from '../errors/codes.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { PartnerError } from './partner-error.js';
import { readCappedText } from './read-capped.js';

/** A WHATWG `fetch`-compatible function. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Limits of partner calls; each has a safe default. */
export interface PartnerHttpOptions {
  /** The `fetch` to send with. Default: `globalThis.fetch`. */
  fetch?: FetchLike;
  /** One deadline for the response headers and the whole body, in ms. Default 5000. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes. Default 65536 (SHO-FETCH-5). */
  maxBodyBytes?: number;
}

/** A partner call: GET, or POST with a JSON object body. */
export interface PartnerCall {
  method: 'GET' | 'POST';
  url: string;
  body?: Record<string, unknown>;
  /** The one status that counts as success (201 for a push, 200 otherwise). */
  expectedStatus: number;
}

export type PartnerHttp = (call: PartnerCall) => Promise<Record<string, unknown>>;

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Builds the partner call function once, checking its options (STYLE rule 7).
 *
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) for bad options.
 * @example const call = createPartnerHttp({ timeoutMs: 3000 });
 *          const body = await call({ method: 'POST', url, body: { code }, expectedStatus: 200 });
 * @see spec/12-transport.md SHO-FLOW-1, spec/11-keys.md SHO-FETCH-2–6
 */
export function createPartnerHttp(options: PartnerHttpOptions = {}): PartnerHttp {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  if (typeof fetchFn !== 'function') throw invalidArgument('options.fetch must be a function');
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000) throw invalidArgument('options.timeoutMs must be a whole number of ms from 1 to 120000');
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 256 || maxBodyBytes > 16_777_216) throw invalidArgument('options.maxBodyBytes must be from 256 to 16777216');

  return async (call) => {
    const url = checkedUrl(call.url);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(failed('timeout', `no complete answer from ${url.origin} within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([exchange(fetchFn, url, call, controller.signal, maxBodyBytes), deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
}

async function exchange(fetchFn: FetchLike, url: URL, call: PartnerCall, signal: AbortSignal, maxBodyBytes: number): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetchFn(url.href, {
      method: call.method,
      redirect: 'manual',
      credentials: 'omit',
      headers: call.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal,
    });
  } catch (error) {
    if (error instanceof ShomeiError) throw error;
    throw failed('network', `request to ${url.origin} failed`, error);
  }
  // `redirect: 'manual'` gives an opaque-redirect (status 0) in browsers and the 3xx itself in Node.
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    void response.body?.cancel().catch(() => undefined);
    throw failed('redirect', `${url.origin} answered with a redirect, which is never followed`);
  }
  const text = await readBody(response, maxBodyBytes, url, signal);
  const isJson = JSON_TYPE.test(response.headers.get('content-type') ?? '');
  if (response.status !== call.expectedStatus) {
    throw refusal(response.status, isJson ? text : undefined, url, call.expectedStatus);
  }
  if (!isJson) throw failed('content_type', `${url.origin} answered without Content-Type application/json`);
  try {
    return parseJsonObject(text);
  } catch (error) {
    throw failed('not_json', `${url.origin} answered with a body that is not a strict JSON object`, error);
  }
}

function refusal(status: number, text: string | undefined, url: URL, expected: number): ShomeiError {
  if (text !== undefined && status >= 400 && status < 600) {
    try {
      const body = parseJsonObject(text);
      if (typeof body.error === 'string') return new PartnerError(status, isErrorCode(body.error) ? body.error : undefined, url.origin);
    } catch {
      // not a protocol error response: reported as an unexpected status below
    }
  }
  return failed('status', `${url.origin} answered with status ${status}, expected ${expected}`);
}

async function readBody(response: Response, maxBodyBytes: number, url: URL, signal: AbortSignal): Promise<string> {
  try {
    return await readCappedText(response.body, maxBodyBytes, {
      contentLength: response.headers.get('content-length'),
      tooLarge: (max) => tooLarge(url, max),
      signal,
    });
  } catch (error) {
    if (error instanceof ShomeiError && error.code === 'FETCH_FAILED') throw error;
    if (error instanceof ShomeiError) throw failed('not_json', `${url.origin} answered with a body that is not UTF-8`, error);
    throw failed('network', `reading the answer of ${url.origin} failed`, error);
  }
}

/** Endpoint URLs come from partner metadata: a bad one is partner data (FETCH_FAILED), not a TypeError (SHO-ERR-5). */
function checkedUrl(value: unknown): URL {
  let url: URL | undefined;
  if (typeof value === 'string') {
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
  }
  if (url === undefined || url.username !== '' || url.password !== '' || !(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname)))) {
    throw failed('url', 'a partner endpoint is not an https URL (http only on loopback) without userinfo');
  }
  return url;
}

function tooLarge(url: URL, max: number): ShomeiError {
  return failed('too_large', `the answer of ${url.origin} exceeds ${max} bytes`);
}

function failed(reason: string, message: string, cause?: unknown): ShomeiError {
  return new ShomeiError('FETCH_FAILED', message, { reason, requirement: 'SHO-FLOW-1', ...(cause !== undefined ? { cause } : {}) });
}
