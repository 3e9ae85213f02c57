/**
 * One bounded HTTP GET for key retrieval (spec/11-keys.md, SHO-FETCH-2, -5, -6, -15).
 *
 * Design. The remote key set talks to the network only through {@link HttpGet}, a small internal
 * interface. It is built from a WHATWG `fetch` function by {@link createFetchHttpGet}, which enforces
 * the rules that do not depend on the transport: `redirect: 'manual'` (a 3xx is returned, never
 * followed), a deadline for the response headers, a deadline for the whole body, and a byte cap
 * enforced while the body streams in (and up front when `Content-Length` already says it is too big).
 *
 * The default transport is undici's own `fetch` with an undici `Agent` as `dispatcher`
 * ({@link createUndiciFetch}), which adds socket-level connect, headers and body timeouts. Why `fetch`
 * and not `undici.request`: msw 2 (`setupServer` from `msw/node`) patches `globalThis.fetch`,
 * `node:http` `ClientRequest` and `XMLHttpRequest`, but neither `undici.request` nor the `fetch` that
 * undici exports (checked with msw 2.15 / undici 7.30). Building every transport on the `fetch`
 * contract means a test that injects `globalThis.fetch` runs exactly the same redirect, timeout and
 * size-cap code that production runs; the undici transport itself is tested against a real
 * `node:http` server on 127.0.0.1.
 *
 * undici is loaded with a dynamic `import()` on first use, so that a runtime without it (an edge
 * worker, a browser) can use the remote key set with its own `fetch` option and never loads it. This
 * file imports nothing from `node:`.
 */
import type { Agent as UndiciAgent, fetch as UndiciFetch } from 'undici';
import { ShomeiError } from '../errors/shomei-error.js';
import { readCapped } from '../transport/read-capped.js';

/** Limits of one GET, all required. */
export interface HttpLimits {
  /** Connecting plus receiving the response headers, in milliseconds. */
  readonly timeoutMs: number;
  /** Receiving the whole body, in milliseconds, counted from the end of the headers. */
  readonly bodyTimeoutMs: number;
  /** Largest body accepted, in bytes (after any content decoding `fetch` does). */
  readonly maxBodyBytes: number;
}

/** What a GET returns: the status as received (3xx included), headers with lower-case names, the body. */
export interface HttpGetResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/**
 * One GET of `url` within `limits`. Never follows a redirect. Rejects with `ShomeiError`
 * `'FETCH_FAILED'` and `reason` `'timeout' | 'too_large' | 'network'`.
 */
export type HttpGet = (url: URL, limits: HttpLimits) => Promise<HttpGetResponse>;

/** A WHATWG `fetch`-compatible function (the global one, undici's, or a test double). */
export type FetchFunction = (input: URL, init: RequestInit) => Promise<Response>;

// SHO-FETCH-15.
const ACCEPT = 'application/jwk-set+json, application/json';

/**
 * Builds an {@link HttpGet} on top of a `fetch` function (SHO-FETCH-2, SHO-FETCH-5, SHO-FETCH-6).
 *
 * @example
 * const get = createFetchHttpGet(globalThis.fetch);
 * const limits = { timeoutMs: 3000, bodyTimeoutMs: 3000, maxBodyBytes: 65536 };
 * const { status, body } = await get(new URL('https://bank.example/jwks'), limits);
 */
export function createFetchHttpGet(fetchFn: FetchFunction): HttpGet {
  return async (url, limits) => {
    const controller = new AbortController();
    let response: Response;
    try {
      response = await withDeadline(
        fetchFn(url, {
          method: 'GET',
          redirect: 'manual',
          // SHO-FETCH-15: a key set is public; nothing ambient (cookies, HTTP auth) is ever sent.
          credentials: 'omit',
          headers: { accept: ACCEPT },
          signal: controller.signal,
        }),
        limits.timeoutMs,
        controller,
        () => timeout(url, 'response headers', limits.timeoutMs),
      );
    } catch (error) {
      throw asFetchFailure(error, url);
    }

    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });

    const body = await readCappedBody(response, limits, controller, url);
    return { status: response.status, headers, body };
  };
}

/**
 * Loads undici and returns a `fetch` that sends through undici's `fetch` with one shared undici
 * `Agent` whose connect, headers and body timeouts are `limits` (SHO-FETCH-6). The `Agent` keeps
 * connections alive between refreshes of the same key set.
 *
 * @example
 * const limits = { timeoutMs: 3000, bodyTimeoutMs: 3000, maxBodyBytes: 65536 };
 * const get = createFetchHttpGet(await createUndiciFetch(limits));
 */
export async function createUndiciFetch(limits: HttpLimits): Promise<FetchFunction> {
  const undici = await import('undici');
  const agent: UndiciAgent = new undici.Agent({
    connect: { timeout: limits.timeoutMs },
    headersTimeout: limits.timeoutMs,
    bodyTimeout: limits.bodyTimeoutMs,
  });
  const undiciFetch: typeof UndiciFetch = undici.fetch;
  return async (input, init) => {
    // undici's fetch has its own (structurally equal) Request/Response types; the casts bridge the
    // DOM lib types to them.
    const response = await undiciFetch(input, { ...(init as Parameters<typeof UndiciFetch>[1]), dispatcher: agent });
    return response as unknown as Response;
  };
}

/**
 * The default {@link HttpGet}: {@link createFetchHttpGet} over {@link createUndiciFetch}. undici is
 * loaded on the first request, and loading is not counted against that request's deadlines.
 */
export function createDefaultHttpGet(limits: HttpLimits): HttpGet {
  let ready: Promise<HttpGet> | undefined;
  return async (url, callLimits) => {
    ready ??= createUndiciFetch(limits).then(createFetchHttpGet);
    let get: HttpGet;
    try {
      get = await ready;
    } catch (cause) {
      ready = undefined;
      throw new ShomeiError('FETCH_FAILED', 'undici could not be loaded; pass options.fetch on this runtime', {
        reason: 'network',
        cause,
      });
    }
    return get(url, callLimits);
  };
}

async function readCappedBody(
  response: Response,
  limits: HttpLimits,
  controller: AbortController,
  url: URL,
): Promise<Uint8Array> {
  // The body deadline aborts with its own reason: readCapped rejects with it even when the stream
  // does not honour the signal (a test double) or errors first with a bare AbortError.
  const timer = setTimeout(() => controller.abort(timeout(url, 'body', limits.bodyTimeoutMs)), limits.bodyTimeoutMs);
  try {
    return await readCapped(response.body, limits.maxBodyBytes, {
      contentLength: response.headers.get('content-length'),
      tooLarge: () => tooLarge(url, limits),
      signal: controller.signal,
    });
  } catch (error) {
    // Whatever ended the read, the transport lets go of the socket.
    controller.abort();
    throw asFetchFailure(error, url);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Races `promise` against a timer. The timer does not rely on the `fetch` honouring its signal (a
 * test double may not): the race settles either way, and the abort tells a real transport to let go
 * of the socket.
 */
async function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  controller: AbortController,
  onTimeout: () => ShomeiError,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(onTimeout());
      controller.abort();
    }, ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// undici's own connect / headers / body timeouts (the Agent's) can fire just before ours.
const UNDICI_TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function isTransportTimeout(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNDICI_TIMEOUTS.has(code)) return true;
  }
  return false;
}

function asFetchFailure(error: unknown, url: URL): ShomeiError {
  if (error instanceof ShomeiError) return error;
  if (isTransportTimeout(error)) {
    return new ShomeiError('FETCH_FAILED', `request to ${url.origin} timed out: ${describe(error)}`, {
      reason: 'timeout',
      cause: error,
    });
  }
  return new ShomeiError('FETCH_FAILED', `request to ${url.origin} failed: ${describe(error)}`, {
    reason: 'network',
    cause: error,
  });
}

function tooLarge(url: URL, limits: HttpLimits): ShomeiError {
  return new ShomeiError('FETCH_FAILED', `response from ${url.origin} exceeds ${limits.maxBodyBytes} bytes`, {
    reason: 'too_large',
  });
}

function timeout(url: URL, phase: string, ms: number): ShomeiError {
  return new ShomeiError('FETCH_FAILED', `no complete ${phase} from ${url.origin} within ${ms} ms`, {
    reason: 'timeout',
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return 'unknown error';
}
