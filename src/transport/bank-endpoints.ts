/**
 * The bank's side of the flow (spec/12-transport.md), free of any web framework: Web-standard
 * `Request → Response` handlers for the push, nonce and assertion endpoints, and two helpers for the
 * authorization endpoint, whose page (consent, login, second factor) is the bank's own.
 *
 * State lives in three {@link OneTimeStore}s — pushed requests (≤ 300 s), one-time codes (≤ 60 s),
 * nonces (≤ 300 s) — in memory by default; a bank with several instances passes shared ones.
 *
 * A `request_uri` and a nonce are seen by the browser and the wallet, so they are spent only when what
 * is presented with them passed every other check (client_id; signature, claims and policy of the
 * identity assertion): a wrong presentation cannot burn the customer's flow. The spending `take` stays
 * the single atomic step, so of two valid presentations exactly one wins (SHO-FLOW-6, SHO-FLOW-8,
 * SHO-IDA-3).
 */
import type { ErrorCode } from '../errors/codes.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { randomId, type Issued } from '../issuer/issue.js';
import { peekPayload } from '../jws/compact.js';
import type { IdentityClaims } from '../kinds/identity.js';
import type { RequestClaims } from '../kinds/request.js';
import type { Decision } from '../verifier/result.js';
import type { Verifier } from '../verifier/verify.js';
import { errorResponse, jsonResponse } from './error-response.js';
import { createMemoryOneTimeStore, type OneTimeStore, type PeekableOneTimeStore } from './one-time-store.js';
import { contentLengthExceeds, readCappedJson } from './read-capped.js';

/** A request the bank verified and holds until the customer's browser arrives (SHO-FLOW-5, SHO-FLOW-6). */
export interface PushedRequestRecord {
  requestUri: string;
  /** The relying party: the request's verified `iss`. */
  clientId: string;
  /** The compact request JWS, to hash into `req_hash`. */
  request: string;
  claims: RequestClaims;
  /** Reverse flow: the wallet's verified identity assertion (SHO-FLOW-13). */
  identity?: { token: string; claims: IdentityClaims };
  /** When the `request_uri` stops being usable, in ms. */
  expiresAt: number;
}

/** A signed assertion waiting for its one-time code to be exchanged (SHO-FLOW-14). */
export interface IssuedCodeRecord {
  clientId: string;
  assertion: string;
  kind: 'link' | 'transaction';
}

/** Options of {@link createBankEndpoints}. */
export interface BankEndpointsOptions {
  /** The bank's party identifier: the `iss` parameter of its redirects (SHO-FLOW-9). */
  issuer: string;
  /**
   * The bank's verifier: audience = the bank, a trust configuration listing each relying party for
   * kind `request` with its `redirect_uris`, and each wallet for kinds `request` and `identity`; its
   * policy judges identity assertions (rule `direct_debit_registration`).
   */
  verifier: Verifier;
  /** Must implement `peek`: the `client_id` is compared before the `request_uri` is spent (SHO-FLOW-8). */
  pushedRequests?: PeekableOneTimeStore<PushedRequestRecord>;
  codes?: OneTimeStore<IssuedCodeRecord>;
  nonces?: OneTimeStore<true>;
  /** Seconds a `request_uri` stays usable, 1–300 (default 300), never beyond the request's `exp`. */
  requestUriLifetime?: number;
  /** Seconds a code stays usable, 1–60 (default 60). */
  codeLifetime?: number;
  /** Seconds a nonce stays usable, 1–300 (default 300). */
  nonceLifetime?: number;
  /** Largest request body, in bytes (default 65536, SHO-FLOW-7). */
  maxBodyBytes?: number;
  /**
   * Longest wait for a request body to arrive, 100–60,000 ms (default 10,000): a sender that trickles its
   * body is answered `400 MALFORMED_TOKEN` then, instead of holding the handler until the server's own
   * request timeout (Node's is 300 s).
   */
  bodyTimeoutMs?: number;
  /** Current time in ms. */
  clock?: () => number;
}

/** The authorization endpoint's first step: the pushed request, or why the page must stop (SHO-FLOW-8). */
export type AuthorizationStart = { ok: true; pushed: PushedRequestRecord } | { ok: false; error: ErrorCode; description: string };

export interface BankEndpoints {
  /** `POST request_endpoint` (SHO-FLOW-5, 6, 7, 13). */
  handlePush(request: Request): Promise<Response>;
  /** `POST nonce_endpoint` (SHO-FLOW-12). */
  handleNonce(request: Request): Promise<Response>;
  /** `POST assertion_endpoint` (SHO-FLOW-14). */
  handleExchange(request: Request): Promise<Response>;
  /**
   * Takes the pushed request named by `client_id` and `request_uri` (single use). The `request_uri` is
   * spent only when `client_id` is the party that pushed it, so a wrong `client_id` leaves it usable.
   * On failure the bank shows an error page and never redirects (SHO-FLOW-8).
   */
  beginAuthorization(params: URLSearchParams): Promise<AuthorizationStart>;
  /** Stores the signed assertion under a new one-time code; returns the redirect `Location` (SHO-FLOW-9). */
  completeAuthorization(pushed: PushedRequestRecord, issued: Issued<'link'> | Issued<'transaction'>): Promise<string>;
  /** The redirect `Location` of a failed flow; customer-side failures are `ISSUANCE_REFUSED` (SHO-FLOW-10). */
  failAuthorization(pushed: PushedRequestRecord, error?: ErrorCode): string;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Creates the bank's flow endpoints (spec/12-transport.md).
 *
 * - Push: verifies the relying party's signed request with the bank's verifier — expected issuer the
 *   request's `iss`, so the keys, allowed kinds and registered `redirect_uris` come from the bank's
 *   trust entry for that party and from nothing in the token (SHO-REQ-13, SHO-ROLE-7). In the reverse
 *   flow the wallet's identity assertion is verified too, with a nonce this bank issued (SHO-FLOW-13,
 *   SHO-IDA-3, SHO-IDA-6). Answers `201 { request_uri, expires_in }`.
 * - Exchange: a code is usable once, for at most 60 s.
 * - Every answer carries `Cache-Control: no-store`; errors are `{ error, error_description }` with the
 *   status of the code (SHO-FLOW-2, 3, 4).
 *
 * @example
 * const endpoints = createBankEndpoints({ issuer: 'https://bank.example', verifier });
 * app.post('/shomei/request', (c) => endpoints.handlePush(c.req.raw));
 * app.post('/shomei/assertion', (c) => endpoints.handleExchange(c.req.raw));
 * // authorization page:
 * const start = await endpoints.beginAuthorization(new URL(c.req.url).searchParams);
 * // … consent, login, second factor, ownership, matching, bank.link(…) …
 * return seeOther(await endpoints.completeAuthorization(start.pushed, issued));
 * @see spec/12-transport.md SHO-FLOW-1 to SHO-FLOW-14
 */
export function createBankEndpoints(options: BankEndpointsOptions): BankEndpoints {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  const { issuer, verifier } = options;
  if (typeof issuer !== 'string' || issuer.length === 0) throw invalidArgument('options.issuer must be the bank party identifier');
  if (typeof verifier?.verify !== 'function') throw invalidArgument('options.verifier must be a Verifier (createVerifier)');
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw invalidArgument('options.clock must be a function');
  const requestUriLifetime = seconds(options.requestUriLifetime ?? 300, 300, 'requestUriLifetime');
  const codeLifetime = seconds(options.codeLifetime ?? 60, 60, 'codeLifetime');
  const nonceLifetime = seconds(options.nonceLifetime ?? 300, 300, 'nonceLifetime');
  const maxBodyBytes = options.maxBodyBytes ?? 65_536;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1024 || maxBodyBytes > 1_048_576) throw invalidArgument('options.maxBodyBytes must be from 1024 to 1048576');
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  if (!Number.isInteger(bodyTimeoutMs) || bodyTimeoutMs < 100 || bodyTimeoutMs > 60_000) throw invalidArgument('options.bodyTimeoutMs must be from 100 to 60000');
  const pushedRequests = failClosed(checkedStore(options.pushedRequests, 'pushedRequests', true) ?? createMemoryOneTimeStore<PushedRequestRecord>({ clock }));
  const codes = failClosed(checkedStore(options.codes, 'codes') ?? createMemoryOneTimeStore<IssuedCodeRecord>({ clock }));
  const nonces = failClosed(checkedStore(options.nonces, 'nonces') ?? createMemoryOneTimeStore<true>({ clock }));
  const readBody = (request: Request): Promise<Record<string, unknown> | Response> => readJsonBody(request, maxBodyBytes, bodyTimeoutMs);

  /** Verifies the wallet's identity assertion; the caller spends its nonce once the push is otherwise accepted. */
  async function verifyIdentity(token: string, claims: RequestClaims): Promise<Response | { token: string; claims: IdentityClaims; nonce: string }> {
    if (claims.action !== 'direct_debit_registration') {
      return errorResponse('REQUEST_MISMATCH', 'an identity assertion is pushed only with a direct_debit_registration request');
    }
    const peeked = peekPayload(token, 65_536); // unverified: the signature is checked below
    if (peeked === undefined) return errorResponse('MALFORMED_TOKEN', 'identity_assertion is not a compact JWS with a JSON payload');
    // Both tokens come from the same party (SHO-FLOW-13); the signature check below proves it.
    if (peeked.iss !== claims.iss) return errorResponse('REQUEST_MISMATCH', 'the identity assertion and the request have different issuers');
    // The nonce is read before the signature only to find which live nonce to expect; the verifier
    // then checks it like any other claim, after the signature. Looking is not spending (SHO-IDA-3):
    // the nonce is taken only after the assertion verified, so a forged token cannot burn it.
    if (typeof peeked.nonce !== 'string') return nonceMismatch('unknown');
    const nonce = peeked.nonce;
    const looked = nonces.peek === undefined ? undefined : await nonces.peek(nonce);
    if (looked !== undefined && looked.status !== 'ok') return nonceMismatch(looked.status);
    const decision = await verifier.verify(token, {
      kind: 'identity',
      issuer: claims.iss,
      nonce,
      action: 'direct_debit_registration',
      ...(claims.account !== undefined ? { account: claims.account } : {}),
    });
    if (decision.outcome !== 'allow' || decision.claims === undefined) return refusal(decision);
    return { token, claims: decision.claims, nonce };
  }

  return {
    handlePush: (request) => answeringStoreFailure(() => push(request)),
    async handleNonce(request) {
      if (request.method !== 'POST') return methodNotAllowed();
      void request.body?.cancel().catch(() => undefined);
      const nonce = randomId();
      try {
        await nonces.put(nonce, true, clock() + nonceLifetime * 1000);
      } catch {
        return errorResponse('REPLAY_STORE_UNAVAILABLE', 'the bank cannot issue more nonces now');
      }
      return jsonResponse(200, { nonce, expires_in: nonceLifetime });
    },
    handleExchange: (request) => answeringStoreFailure(() => exchange(request)),
    async beginAuthorization(params) {
      if (!(params instanceof URLSearchParams)) throw invalidArgument('params must be URLSearchParams');
      try {
        return await begin(params);
      } catch (error) {
        if (!isStoreFailure(error)) throw error;
        return { ok: false, error: 'REPLAY_STORE_UNAVAILABLE', description: STORE_FAILED };
      }
    },
    completeAuthorization,
    failAuthorization(pushed, error = 'ISSUANCE_REFUSED') {
      return redirectLocation(pushed, { error });
    },
  };

  async function push(request: Request): Promise<Response> {
    const body = await readBody(request);
    if (body instanceof Response) return body;
    const token = body.request;
    if (typeof token !== 'string' || token.length === 0) return errorResponse('MALFORMED_TOKEN', 'the body has no request member with the request JWS');
    const identityToken = body.identity_assertion;
    if (identityToken !== undefined && typeof identityToken !== 'string') return errorResponse('MALFORMED_TOKEN', 'identity_assertion must be a compact JWS string');
    const peeked = peekPayload(token, 65_536); // unverified: only to route the token to the right verification
    if (peeked === undefined) return errorResponse('MALFORMED_TOKEN', 'request is not a compact JWS with a JSON payload');
    // The unverified `iss` only selects which trust entry to verify against; a token that claims
    // another party fails that party's signature check.
    const clientId = typeof peeked.iss === 'string' ? peeked.iss : '';
    if (body.client_id !== undefined && body.client_id !== clientId) return errorResponse('REQUEST_MISMATCH', 'client_id differs from the iss of the request');
    const decision = await verifier.verify(token, { kind: 'request', issuer: clientId });
    if (decision.outcome !== 'allow' || decision.claims === undefined) return refusal(decision);
    const claims = decision.claims;
    if (claims.action === 'direct_debit_registration' && identityToken === undefined) {
      return errorResponse('MALFORMED_TOKEN', 'a direct_debit_registration request is pushed with the identity_assertion of the wallet');
    }
    let identity: { token: string; claims: IdentityClaims } | undefined;
    let nonce: string | undefined;
    if (identityToken !== undefined) {
      const verified = await verifyIdentity(identityToken, claims);
      if (verified instanceof Response) return verified;
      ({ nonce, ...identity } = verified);
    }
    const now = clock();
    const expiresAt = Math.min(now + requestUriLifetime * 1000, claims.exp * 1000);
    if (expiresAt <= now) return errorResponse('TOKEN_EXPIRED', 'the request expires before it could be used');
    const requestUri = `urn:shomei:request:${randomId()}`;
    try {
      await pushedRequests.put(requestUri, { requestUri, clientId, request: token, claims, ...(identity !== undefined ? { identity } : {}), expiresAt }, expiresAt);
    } catch {
      return errorResponse('REPLAY_STORE_UNAVAILABLE', 'the bank cannot hold more pushed requests now');
    }
    // Spent last, once nothing else can refuse the push: the atomic take decides which of two pushes
    // with one nonce wins (SHO-IDA-3). The loser's request_uri was never disclosed; it is spent too.
    if (nonce !== undefined) {
      const taken = await nonces.take(nonce);
      if (taken.status !== 'ok') {
        await pushedRequests.take(requestUri).catch(() => undefined);
        return nonceMismatch(taken.status);
      }
    }
    return jsonResponse(201, { request_uri: requestUri, expires_in: Math.max(1, Math.floor((expiresAt - now) / 1000)) });
  }

  async function exchange(request: Request): Promise<Response> {
    const body = await readBody(request);
    if (body instanceof Response) return body;
    if (typeof body.code !== 'string' || body.code.length === 0 || body.code.length > 512) return errorResponse('MALFORMED_TOKEN', 'the body has no code member');
    const taken = await codes.take(body.code);
    if (taken.status !== 'ok') return takeFailure(taken.status, 'code');
    return jsonResponse(200, { assertion: taken.value.assertion, kind: taken.value.kind });
  }

  async function begin(params: URLSearchParams): Promise<AuthorizationStart> {
    const clientIds = params.getAll('client_id');
    const requestUris = params.getAll('request_uri');
    if (clientIds.length !== 1 || requestUris.length !== 1) {
      return { ok: false, error: 'REQUEST_MISMATCH', description: 'the link needs exactly one client_id and one request_uri' };
    }
    const requestUri = requestUris[0] as string;
    // Look, check, then spend: a client_id that is not the pusher's must not burn the request_uri of
    // the party whose customer is on its way (SHO-FLOW-8).
    const looked = await pushedRequests.peek(requestUri);
    if (looked.status !== 'ok') return requestUriFailure(looked.status);
    if (looked.value.clientId !== clientIds[0]) {
      return { ok: false, error: 'REQUEST_MISMATCH', description: 'client_id is not the party that pushed this request' };
    }
    // Only the take is atomic: it alone decides which of two concurrent presentations gets the request.
    const taken = await pushedRequests.take(requestUri);
    if (taken.status !== 'ok') return requestUriFailure(taken.status);
    return { ok: true, pushed: taken.value };
  }

  /** @throws ShomeiError `REPLAY_STORE_UNAVAILABLE` when the code cannot be stored; TypeError for a mismatched assertion. */
  async function completeAuthorization(pushed: PushedRequestRecord, issued: Issued<'link'> | Issued<'transaction'>): Promise<string> {
    const expectedKind = pushed.claims.action === 'payout' ? 'transaction' : 'link';
    if (issued?.kind !== expectedKind) throw invalidArgument(`a ${pushed.claims.action} request is answered with a ${expectedKind} assertion`);
    if (issued.claims.aud !== pushed.clientId || issued.claims.nonce !== pushed.claims.nonce) {
      throw invalidArgument('the assertion is not addressed to this request (aud and nonce must be those of the request)');
    }
    const code = randomId();
    await codes.put(code, { clientId: pushed.clientId, assertion: issued.token, kind: expectedKind }, clock() + codeLifetime * 1000);
    return redirectLocation(pushed, { code });
  }

  function redirectLocation(pushed: PushedRequestRecord, result: { code: string } | { error: string }): string {
    const url = new URL(pushed.claims.redirect_uri);
    if ('code' in result) url.searchParams.set('code', result.code);
    else url.searchParams.set('error', result.error);
    if (pushed.claims.state !== undefined) url.searchParams.set('state', pushed.claims.state);
    url.searchParams.set('iss', issuer);
    return url.href;
  }
}

/**
 * A `303 See Other` to `location` with `Cache-Control: no-store` (SHO-FLOW-9): 303 so that the browser
 * follows with GET after the login form's POST.
 */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}

const TAKE_FAILURES: Record<'unknown' | 'expired' | 'used', { code: ErrorCode; text: string }> = {
  unknown: { code: 'REQUEST_MISMATCH', text: 'is unknown' },
  expired: { code: 'TOKEN_EXPIRED', text: 'has expired' },
  used: { code: 'REPLAYED', text: 'was already used' },
};

function requestUriFailure(status: 'unknown' | 'expired' | 'used'): AuthorizationStart {
  const failure = TAKE_FAILURES[status];
  return { ok: false, error: failure.code, description: `this request_uri ${failure.text}` };
}

/** An unknown, expired or reused nonce, all `NONCE_MISMATCH` (SHO-IDA-3). */
function nonceMismatch(status: 'unknown' | 'expired' | 'used'): Response {
  return errorResponse('NONCE_MISMATCH', `the identity assertion's nonce is ${status === 'unknown' ? 'not one this bank issued' : status === 'used' ? 'already used' : 'expired'}`);
}

function takeFailure(status: 'unknown' | 'expired' | 'used', what: string): Response {
  const failure = TAKE_FAILURES[status];
  return errorResponse(failure.code, `this ${what} ${failure.text}`);
}

function refusal(decision: Decision): Response {
  const [first] = decision.reasons;
  if (first === undefined) return errorResponse('CLAIMS_INVALID', 'the token was not accepted');
  return errorResponse(first.code, decision.reasons.map((reason) => reason.message).join('; '));
}

function methodNotAllowed(): Response {
  return jsonResponse(405, { error: 'MALFORMED_TOKEN', error_description: 'this endpoint accepts POST only' }, { allow: 'POST' });
}

/** Reads a bounded, strict JSON object body (SHO-FLOW-1, SHO-FLOW-7) within a deadline, or the error response to send. */
async function readJsonBody(request: Request, maxBodyBytes: number, timeoutMs: number): Promise<Record<string, unknown> | Response> {
  if (request.method !== 'POST') return methodNotAllowed();
  const contentLength = request.headers.get('content-length');
  // An announced oversize is 413 before the type is looked at (SHO-FLOW-7).
  if (contentLengthExceeds(contentLength, maxBodyBytes)) {
    void request.body?.cancel().catch(() => undefined);
    return errorResponse('TOKEN_TOO_LARGE', `the body is larger than ${maxBodyBytes} bytes`);
  }
  if (!JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
    void request.body?.cancel().catch(() => undefined);
    return errorResponse('MALFORMED_TOKEN', 'the body must be application/json');
  }
  // A timer cleared as soon as the body is read: AbortSignal.timeout would hold every request's signal
  // until its deadline (about 60 MB at 5,000 requests a second).
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error('body deadline')), timeoutMs);
  try {
    return await readCappedJson(request.body, maxBodyBytes, { signal: deadline.signal });
  } catch (error) {
    if (deadline.signal.aborted) return errorResponse('MALFORMED_TOKEN', `the body did not arrive within ${timeoutMs} ms`);
    if (!(error instanceof ShomeiError)) return errorResponse('MALFORMED_TOKEN', 'the body could not be read');
    if (error.code === 'TOKEN_TOO_LARGE') return errorResponse('TOKEN_TOO_LARGE', `the body is larger than ${maxBodyBytes} bytes`);
    return errorResponse('MALFORMED_TOKEN', 'the body is not a strict UTF-8 JSON object');
  } finally {
    clearTimeout(timer);
  }
}

function seconds(value: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw invalidArgument(`options.${name} must be a whole number of seconds from 1 to ${max}`);
  return value;
}

const STORE_FAILED = 'the bank cannot serve this flow now';
const TAKE_STATUSES: ReadonlySet<unknown> = new Set(['ok', 'unknown', 'expired', 'used']);

function storeFailed(cause?: unknown): ShomeiError {
  return new ShomeiError('REPLAY_STORE_UNAVAILABLE', 'the one-time store failed', { reason: 'store_failed', requirement: 'SHO-REPLAY-5', cause });
}

function isStoreFailure(error: unknown): error is ShomeiError {
  return error instanceof ShomeiError && error.code === 'REPLAY_STORE_UNAVAILABLE';
}

/**
 * `store` failing closed: whatever a store throws (a Redis that is down, with its address in the
 * message) or answers that is not a take result becomes `REPLAY_STORE_UNAVAILABLE`, so that the
 * endpoints answer 503 with their own words and never the store's (SHO-REPLAY-5, SHO-ERR-3).
 */
function failClosed<S extends OneTimeStore<unknown>>(store: S): S {
  const checked = async <R>(call: () => Promise<R>, isTake: boolean): Promise<R> => {
    let result: R;
    try {
      result = await call();
    } catch (cause) {
      throw storeFailed(cause);
    }
    if (isTake && !TAKE_STATUSES.has((result as { status?: unknown } | null)?.status)) throw storeFailed();
    return result;
  };
  const guarded: OneTimeStore<unknown> = {
    put: (key, value, expiresAt) => checked(() => store.put(key, value, expiresAt), false),
    take: (key) => checked(() => store.take(key), true),
  };
  const peek = store.peek;
  if (peek !== undefined) guarded.peek = (key) => checked(() => peek.call(store, key), true);
  return guarded as S;
}

/** A flow endpoint's answer, with a store failure answered `503 REPLAY_STORE_UNAVAILABLE`. */
async function answeringStoreFailure(handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (error) {
    if (isStoreFailure(error)) return errorResponse('REPLAY_STORE_UNAVAILABLE', STORE_FAILED);
    throw error;
  }
}

/** A caller's store, checked at start-up: put() and take(), and peek() where the flow looks before it spends. */
function checkedStore<S extends OneTimeStore<unknown>>(store: S | undefined, name: string, needsPeek = false): S | undefined {
  if (store === undefined) return undefined;
  const peek = (store as { peek?: unknown } | null)?.peek;
  if (typeof store?.put !== 'function' || typeof store.take !== 'function' || ((needsPeek || peek !== undefined) && typeof peek !== 'function')) {
    throw invalidArgument(`options.${name} must implement put(), take()${needsPeek ? ' and peek()' : ', and peek() if anything'}`);
  }
  return store;
}
