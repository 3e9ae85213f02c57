import { encodeBase64url } from '../../encoding/base64url.js';
import { parseJsonObject } from '../../encoding/json.js';
import { decodeUtf8Strict } from '../../encoding/utf8.js';
import { ShomeiError } from '../../errors/shomei-error.js';
import { decodePayload, parseCompact } from '../../jws/compact.js';
import { RequestClaims } from '../../kinds/request.js';
import type { PublicJwk } from '../../keys/types.js';
import { randomId } from '../../issuer/issue.js';
import { errorResponse, jsonResponse } from '../../transport/error-response.js';
import { readCapped } from '../../transport/read-capped.js';
import type { ForgeKey } from '../forge/keys.js';
import type { ModuleLog } from '../log.js';
import { suiteMetadataResponse } from '../suite-metadata.js';
import { redact, redactUrl } from '../redact.js';
import type { WebHandler } from '../server.js';
import type { BankBehaviour, JwksScenario } from './module.js';

/** Something the suite's bank saw; the modules' observations are computed from these. */
export interface BankEvent {
  time: number;
  type: 'metadata' | 'jwks' | 'push' | 'authorize' | 'exchange' | 'attacker' | 'jwks-moved';
}

/** A request the partner pushed, decoded without trust (its verification is a module of its own). */
export interface PushedRecord {
  requestUri: string;
  token: string;
  claims: RequestClaims;
  receivedAt: number;
}

/** How the bank answers one authorization: the token to hand out and the bank's behaviour. */
export interface Answer {
  token: string;
  /** The token's own kind, for the exchange answer's `kind` member. */
  kind: string;
  behaviour?: BankBehaviour;
  /** End the flow with this error instead of a code (a module that turned out not to apply). */
  error?: string;
}

/** The JWKS behaviour for the current module. */
export interface JwksSetting {
  scenario?: JwksScenario;
  fresh: ForgeKey;
  offCurve: PublicJwk;
  /** Milliseconds the `slow` scenario waits before answering. */
  slowMs: number;
  /** The partner's body limit: the `oversized` scenario exceeds it. */
  maxBytes: number;
}

/** The bank the suite plays in the verifier plan (spec/12-transport.md endpoints, plus attacker URLs). */
export interface SuiteBank {
  readonly handler: WebHandler;
  readonly events: BankEvent[];
  /** The bank's party identifier, known once the server listens. */
  id(): string;
  setOrigin(origin: string): void;
  pushed(requestUri: string): PushedRecord | undefined;
  /** Sets how the authorization endpoint answers (one function for the whole run). */
  onAuthorize(answer: (pushed: PushedRecord) => Promise<Answer>): void;
  setJwks(setting: JwksSetting | undefined): void;
  urls(): { authorization: string; attackerJwks: string; x5u: string };
  /** Where requests to the bank are logged (the running module's log), redacted. */
  setLog(log: ModuleLog | undefined): void;
}

/** The largest request body the suite's bank reads, in bytes (as the bank endpoints, SHO-FLOW-7). */
const MAX_BODY = 65_536;

const JWKS_HEADERS = { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' };

/**
 * Creates the suite's bank: metadata and JWKS (with the module's scenario), a push endpoint that keeps
 * what the relying party sent, an authorization endpoint that completes without a person and answers
 * with the module's token, and an assertion endpoint (single-use codes). Attacker URLs are served too,
 * so that a partner that follows `jku`/`x5u` is seen doing it.
 */
export function createSuiteBank(keys: { bank: ForgeKey; attacker: ForgeKey }): SuiteBank {
  let origin = '';
  const events: BankEvent[] = [];
  const pushedRequests = new Map<string, PushedRecord>();
  const codes = new Map<string, { token: string; kind: string }>();
  let answer: ((pushed: PushedRecord) => Promise<Answer>) | undefined;
  let jwks: JwksSetting | undefined;

  const note = (type: BankEvent['type']): void => {
    events.push({ time: Date.now(), type });
  };
  const keySet = (...extra: object[]) => ({ keys: [keys.bank.publicJwk, ...extra] });

  async function serveJwks(): Promise<Response> {
    note('jwks');
    const setting = jwks;
    if (setting?.scenario === undefined || setting.scenario === 'unpublished') return new Response(JSON.stringify(keySet()), { headers: JWKS_HEADERS });
    const withFresh = keySet(setting.fresh.publicJwk);
    switch (setting.scenario) {
      case 'rotate':
        return new Response(JSON.stringify(withFresh), { headers: JWKS_HEADERS });
      case 'down':
        return jsonResponse(503, { error: 'service_unavailable' });
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, setting.slowMs));
        return new Response(JSON.stringify(withFresh), { headers: JWKS_HEADERS });
      case 'oversized':
        return new Response(JSON.stringify({ ...withFresh, x_padding: 'A'.repeat(setting.maxBytes + 1024) }), { headers: JWKS_HEADERS });
      case 'html':
        return new Response(JSON.stringify(withFresh), { headers: { ...JWKS_HEADERS, 'content-type': 'text/html; charset=utf-8' } });
      case 'redirect':
        return new Response(null, { status: 302, headers: { location: `${origin}/moved/jwks`, 'cache-control': 'no-store' } });
      case 'off-curve':
        return new Response(JSON.stringify(keySet(setting.offCurve as unknown as Record<string, unknown>)), { headers: JWKS_HEADERS });
      case 'private-member':
        return new Response(JSON.stringify(keySet({ ...setting.fresh.publicJwk, d: encodeBase64url(setting.fresh.secret) })), { headers: JWKS_HEADERS });
    }
  }

  async function push(request: Request, body: Uint8Array): Promise<Response> {
    note('push');
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST' } });
    let token: unknown;
    try {
      token = jsonObject(body).request;
    } catch {
      return errorResponse('MALFORMED_TOKEN', 'the body is not a JSON object with a request member');
    }
    if (typeof token !== 'string') return errorResponse('MALFORMED_TOKEN', 'the body has no request member');
    let payload: Record<string, unknown>;
    try {
      payload = decodePayload(parseCompact(token, { maxLength: 65_536 }));
    } catch {
      return errorResponse('MALFORMED_TOKEN', 'request is not a compact JWS with a JSON payload');
    }
    const claims = RequestClaims.safeParse(payload);
    if (!claims.success) return errorResponse('CLAIMS_INVALID', 'the request claims do not follow spec/03-request.md');
    if (claims.data.aud !== origin) return errorResponse('AUDIENCE_MISMATCH', 'the request is not addressed to this bank');
    const requestUri = `urn:shomei:request:${randomId()}`;
    pushedRequests.set(requestUri, { requestUri, token, claims: claims.data, receivedAt: Date.now() });
    return jsonResponse(201, { request_uri: requestUri, expires_in: 300 });
  }

  async function authorize(request: Request): Promise<Response> {
    note('authorize');
    const params = new URL(request.url).searchParams;
    const requestUri = params.get('request_uri') ?? '';
    const pushed = pushedRequests.get(requestUri);
    // SHO-FLOW-8: an unknown, used or mismatched request_uri shows an error and never redirects.
    if (pushed === undefined || params.get('client_id') !== pushed.claims.iss || answer === undefined) {
      return new Response('unknown or used request_uri, or client_id mismatch', { status: 400, headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
    }
    pushedRequests.delete(requestUri);
    const given = await answer(pushed);
    const location = new URL(pushed.claims.redirect_uri);
    const behaviour = given.behaviour ?? {};
    if (given.error !== undefined || behaviour.redirect === 'error') {
      location.searchParams.set('error', given.error ?? 'ISSUANCE_REFUSED');
    } else {
      const code = randomId();
      const flowKind = pushed.claims.action === 'payout' ? 'transaction' : 'link';
      const kind = behaviour.responseKind ?? (given.kind === 'link' || given.kind === 'transaction' ? given.kind : flowKind);
      codes.set(code, { token: given.token, kind });
      location.searchParams.set('code', code);
    }
    location.searchParams.set('state', behaviour.redirect === 'wrong-state' ? `${pushed.claims.state}-other` : pushed.claims.state);
    location.searchParams.set('iss', behaviour.redirect === 'wrong-iss' ? 'https://other-bank.example' : origin);
    return new Response(null, { status: 303, headers: { location: location.href, 'cache-control': 'no-store' } });
  }

  async function exchange(body: Uint8Array): Promise<Response> {
    note('exchange');
    let code: unknown;
    try {
      code = jsonObject(body).code;
    } catch {
      return errorResponse('MALFORMED_TOKEN', 'the body is not a JSON object with a code member');
    }
    const entry = typeof code === 'string' ? codes.get(code) : undefined;
    if (entry === undefined) return errorResponse('REQUEST_MISMATCH', 'unknown or used code');
    codes.delete(code as string);
    return jsonResponse(200, { assertion: entry.token, kind: entry.kind });
  }

  let currentLog: ModuleLog | undefined;

  /** Logs every request the partner makes to the suite's bank, with token hashes only. */
  const handler: WebHandler = async (request) => {
    const log = currentLog;
    const started = Date.now();
    const read = request.method === 'POST' ? await readBody(request) : new Uint8Array(0);
    const response = read instanceof Response ? read : await route(request, read);
    // Lenient decoding for the log only: it records what the partner sent.
    const body = read instanceof Response ? '' : new TextDecoder().decode(read);
    if (log !== undefined) {
      const text = response.headers.get('content-type')?.includes('json') === true ? await response.clone().text().catch(() => '') : '';
      log.http({
        direction: 'incoming',
        method: request.method,
        url: redactUrl(request.url),
        status: response.status,
        ...(body.length > 0 ? { request: redact(parseOr(body)) } : {}),
        ...(text.length > 0 ? { response: redact(parseOr(text)) } : {}),
        durationMs: Date.now() - started,
      });
    }
    return response;
  };

  async function route(request: Request, body: Uint8Array): Promise<Response> {
    const path = new URL(request.url).pathname;
    switch (path) {
      case '/.well-known/shomei':
        note('metadata');
        return suiteMetadataResponse(request, origin, {
          roles: ['issuer'],
          kinds_supported: ['link', 'transaction'],
          request_endpoint: `${origin}/push`,
          authorization_endpoint: `${origin}/authorize`,
          assertion_endpoint: `${origin}/assertion`,
          trust_frameworks_supported: ['jp_aml'],
          organization_name: 'shomei conformance suite (bank role)',
        });
      case '/jwks':
        return serveJwks();
      case '/moved/jwks':
        note('jwks-moved');
        return new Response(JSON.stringify(keySet(...(jwks === undefined ? [] : [jwks.fresh.publicJwk]))), { headers: JWKS_HEADERS });
      case '/push':
        return push(request, body);
      case '/authorize':
        return authorize(request);
      case '/assertion':
        return request.method === 'POST' ? exchange(body) : new Response(null, { status: 405, headers: { allow: 'POST' } });
      case '/attacker/jwks':
        note('attacker');
        // The attacker's key under the bank's kid: a verifier that honours jku would accept the token.
        return new Response(JSON.stringify({ keys: [{ ...keys.attacker.publicJwk, kid: keys.bank.kid }] }), { headers: JWKS_HEADERS });
      case '/attacker/cert.pem':
        note('attacker');
        return new Response('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n', { headers: { 'content-type': 'application/pem-certificate-chain' } });
      default:
        return jsonResponse(404, { error: 'REQUEST_MISMATCH', error_description: 'not found' });
    }
  }

  return {
    handler,
    events,
    id: () => origin,
    setOrigin(value) {
      origin = value.replace(/\/+$/, '');
    },
    pushed: (requestUri) => pushedRequests.get(requestUri),
    onAuthorize(fn) {
      answer = fn;
    },
    setJwks(setting) {
      jwks = setting;
    },
    urls: () => ({ authorization: `${origin}/authorize`, attackerJwks: `${origin}/attacker/jwks`, x5u: `${origin}/attacker/cert.pem` }),
    setLog(log) {
      currentLog = log;
    },
  };
}

/**
 * Reads a partner's request body once, capped as the bank endpoints cap theirs (64 KiB, SHO-FLOW-7),
 * or the error response to send.
 */
async function readBody(request: Request): Promise<Uint8Array | Response> {
  try {
    return await readCapped(request.body, MAX_BODY, { contentLength: request.headers.get('content-length') });
  } catch (error) {
    if (error instanceof ShomeiError && error.code === 'TOKEN_TOO_LARGE') return errorResponse('TOKEN_TOO_LARGE', `the body is larger than ${MAX_BODY} bytes`);
    return errorResponse('MALFORMED_TOKEN', 'the body could not be read');
  }
}

/** A strict UTF-8 JSON object, as the bank endpoints parse it (SHO-FLOW-1). */
function jsonObject(body: Uint8Array): Record<string, unknown> {
  return parseJsonObject(decodeUtf8Strict(body));
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return `${text.length} characters`;
  }
}
