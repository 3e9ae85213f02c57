import { invalidArgument, ShomeiError } from '../../errors/shomei-error.js';
import { PartnerError } from '../../transport/partner-error.js';
import { loadPolicy } from '../../policy/load.js';
import type { Policy } from '../../policy/schema.js';
import type { Action } from '../../vocabulary/actions.js';
import type { Decision } from '../../verifier/result.js';
import { infoAndTrustRoutes } from './common-routes.js';
import { authorized, errorResponse, jsonResponse, methodNotAllowed, notFound, readJson, subPath, unauthorized, type InterfaceHandler } from './http.js';
import { INTERFACE_VERSION, RegistrationRequest, StartFlowRequest, type FlowStatus, type RelyingPartyInfo } from './schemas.js';

/** Options of {@link createRelyingPartyTestInterface}. */
export interface RelyingPartyTestInterfaceOptions {
  /** Where the interface is mounted; default `/conformance`. */
  basePath?: string;
  /** The relying party's party identifier. */
  party: string;
  /** The flows `startFlow` can run. */
  actions: readonly Action[];
  /** The policy the relying party's verifier applies. */
  policy: Policy;
  /** The relying party's key-set settings (`createRemoteKeySet` timeoutMs, cooldownSeconds, maxBodyBytes). */
  keyFetch: { timeoutMs: number; cooldownSeconds: number; maxBodyBytes?: number };
  clockToleranceSeconds?: number;
  maxTokenBytes?: number;
  /** When set, every call needs `Authorization: Bearer <token>` (SHO-CONF-5). */
  bearerToken?: string;
  /**
   * Starts a flow for the sandbox's test customer, exactly as the relying party's own UI would: sign the
   * request, push it to `bank`, and return the authorization URL the browser would be sent to, with a
   * flow identifier (for example the flow's `state`) that the relying party later passes to `report`.
   * Cookies the callback needs (a flow bound to the browser session, SHO-FLOW-11) are returned as
   * `Set-Cookie` values in `cookies`: the suite's browser sends them back at the callback.
   */
  startFlow(input: { action: Action; bank: string }): Promise<{ flow: string; authorizationUrl: string; cookies?: readonly string[] }>;
  /** Adds a party (the suite's bank) to the sandbox's trust configuration (SHO-CONF-7); absent = not offered. */
  registerParty?(entry: RegistrationRequest): Promise<void> | void;
}

/** A decision as the relying party took it: a `Decision` of the verifier, or the app's own summary of it. */
export interface ReportedDecision {
  outcome: Decision['outcome'];
  reasons: ReadonlyArray<{ code: string; requirement?: string | undefined }>;
}

/** What {@link createRelyingPartyTestInterface} returns. */
export interface RelyingPartyTestInterface {
  /** Serves `GET /`, `POST /trust`, `POST /flows`, `GET /flows/{flow}` below `basePath`; `undefined` for other paths. */
  handle(request: Request): Promise<Response | undefined>;
  /** Records the relying party's decision for a flow (or the code that ended it), once it has one. */
  report(flow: string, result: ReportedDecision | { error: string }): void;
}

const MAX_FLOWS = 1000;

/**
 * The relying-party side of the conformance test interface (spec/17-conformance-interface.md): a
 * handler a sandbox mounts so that `shomei conformance verifier` can start flows and read the decisions
 * without a person. The relying party keeps doing its own flow; it only calls `report` where it decided.
 *
 * Mount it only in a sandbox with test keys (SHO-CONF-1): it starts flows for a test customer on request.
 *
 * @example
 * const conformance = createRelyingPartyTestInterface({ party, actions: ['account_link', 'payout'], policy,
 *   keyFetch: { timeoutMs: 1000, cooldownSeconds: 1 },
 *   startFlow: async ({ action, bank }) => { const flow = await startFor(testCustomer, action, bank); return { flow: flow.state, authorizationUrl: flow.url }; } });
 * server.on('request', async (req) => (await conformance.handle(req)) ?? app(req));
 * // in the callback, after verifying:
 * conformance.report(state, decision);
 * @see spec/17-conformance-interface.md SHO-CONF-4, SHO-CONF-7 to SHO-CONF-9
 */
export function createRelyingPartyTestInterface(options: RelyingPartyTestInterfaceOptions): RelyingPartyTestInterface {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  if (typeof options.startFlow !== 'function') throw invalidArgument('options.startFlow must be a function');
  const basePath = options.basePath ?? '/conformance';
  const policy = loadPolicy(options.policy);
  const info: RelyingPartyInfo = {
    interface: INTERFACE_VERSION,
    role: 'relying_party',
    party: options.party,
    actions: [...options.actions],
    policy,
    key_fetch: { timeout_ms: options.keyFetch.timeoutMs, cooldown_seconds: options.keyFetch.cooldownSeconds, max_body_bytes: options.keyFetch.maxBodyBytes ?? 65_536 },
    clock_tolerance_seconds: options.clockToleranceSeconds ?? 10,
    max_token_bytes: options.maxTokenBytes ?? 16_384,
    registration: options.registerParty !== undefined,
  };
  const flows = new Map<string, FlowStatus>();

  function remember(flow: string, status: FlowStatus): void {
    flows.delete(flow);
    flows.set(flow, status);
    if (flows.size > MAX_FLOWS) flows.delete(flows.keys().next().value as string);
  }

  const routes: InterfaceHandler = async (request) => {
    const path = subPath(request, basePath) as string;
    const common = await infoAndTrustRoutes(request, path, info, options.registerParty?.bind(options));
    if (common !== undefined) return common;
    if (path === '/flows') {
      if (request.method !== 'POST') return methodNotAllowed('POST');
      const body = await readJson(request);
      if (body instanceof Response) return body;
      const input = StartFlowRequest.safeParse(body);
      if (!input.success || !info.actions.includes(input.data.action)) return errorResponse('CLAIMS_INVALID', 'the body must name an action this relying party offers and a bank');
      let started: { flow: string; authorizationUrl: string; cookies?: readonly string[] };
      try {
        started = await options.startFlow(input.data);
      } catch (error) {
        // Only a protocol code is reported: a system error's code or message says nothing to the suite.
        const code = error instanceof PartnerError ? error.partnerError : error instanceof ShomeiError ? error.code : undefined;
        return errorResponse('FETCH_FAILED', `the relying party could not start the flow${typeof code === 'string' ? ` (${code})` : ''}`);
      }
      remember(started.flow, { flow: started.flow, status: 'pending' });
      const response = jsonResponse(201, { flow: started.flow, authorization_url: started.authorizationUrl });
      for (const cookie of started.cookies ?? []) response.headers.append('set-cookie', cookie);
      return response;
    }
    const match = /^\/flows\/([A-Za-z0-9_-]{1,128})$/.exec(path);
    if (match !== null) {
      if (request.method !== 'GET') return methodNotAllowed('GET');
      const status = flows.get(match[1] as string);
      return status === undefined ? notFound() : jsonResponse(200, status);
    }
    return notFound();
  };

  return {
    async handle(request) {
      if (subPath(request, basePath) === undefined) return undefined;
      if (!authorized(request, options.bearerToken)) return unauthorized();
      return routes(request);
    },
    report(flow, result) {
      if (typeof flow !== 'string') throw invalidArgument('flow must be a string');
      if ('error' in result) {
        remember(flow, { flow, status: 'failed', error: result.error });
        return;
      }
      remember(flow, {
        flow,
        status: 'decided',
        decision: { outcome: result.outcome, reasons: result.reasons.map((reason) => ({ code: reason.code, ...(reason.requirement !== undefined ? { requirement: reason.requirement } : {}) })) },
      });
    },
  };
}
