import type { ErrorCode } from '../../errors/codes.js';
import { invalidArgument } from '../../errors/shomei-error.js';
import type { Action } from '../../vocabulary/actions.js';
import { infoAndTrustRoutes } from './common-routes.js';
import { authorized, errorResponse, jsonResponse, methodNotAllowed, notFound, readJson, subPath, unauthorized } from './http.js';
import { AuthorizeRequest, BankInfo, INTERFACE_VERSION, RegistrationRequest, type TestCustomer } from './schemas.js';

/** Options of {@link createBankTestInterface}. */
export interface BankTestInterfaceOptions {
  /** Where the interface is mounted; default `/conformance`. */
  basePath?: string;
  /** The bank's party identifier. */
  party: string;
  /** Synthetic customers of the sandbox (SHO-CONF-2), with the accounts they hold. */
  customers: readonly TestCustomer[];
  /** The actions the bank's request endpoint serves. */
  actions: readonly Action[];
  /** When set, every call needs `Authorization: Bearer <token>` (SHO-CONF-5). */
  bearerToken?: string;
  /**
   * The test-login hook (SHO-CONF-11): does what the authorization page does after the customer logged in
   * — `beginAuthorization` with `client_id` and `request_uri`, authenticate `customer` without a person,
   * check the account, match the identity, sign the assertion, `completeAuthorization` — or, with
   * `approve: false`, end the flow as a customer who cancelled (`failAuthorization`). Returns the
   * redirect `Location`, or the error the page would show without redirecting (SHO-FLOW-8).
   */
  authorize(input: { clientId: string; requestUri: string; customer: TestCustomer; approve: boolean }): Promise<{ location: string } | { error: ErrorCode; description?: string }>;
  /** Adds a party (the suite's relying party) to the sandbox's trust configuration (SHO-CONF-7). */
  registerParty?(entry: RegistrationRequest): Promise<void> | void;
}

/**
 * The bank side of the conformance test interface (spec/17-conformance-interface.md): lets
 * `shomei conformance issuer` find test customers, register its relying party and complete the consent
 * without a person. Mount it only in a sandbox with test keys and synthetic customers (SHO-CONF-1, 2).
 *
 * @example
 * const conformance = createBankTestInterface({ party, customers, actions: ['account_link', 'payout'],
 *   authorize: async ({ clientId, requestUri, customer, approve }) => sandboxLogin(clientId, requestUri, customer, approve) });
 * const response = (await conformance.handle(request)) ?? (await app(request));
 * @see spec/17-conformance-interface.md SHO-CONF-4, SHO-CONF-7, SHO-CONF-10, SHO-CONF-11
 */
export function createBankTestInterface(options: BankTestInterfaceOptions): { handle(request: Request): Promise<Response | undefined> } {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  if (typeof options.authorize !== 'function') throw invalidArgument('options.authorize must be a function');
  const basePath = options.basePath ?? '/conformance';
  const info = BankInfo.parse({
    interface: INTERFACE_VERSION,
    role: 'bank',
    party: options.party,
    customers: options.customers,
    actions: [...options.actions],
    registration: options.registerParty !== undefined,
  });

  return {
    async handle(request) {
      const path = subPath(request, basePath);
      if (path === undefined) return undefined;
      if (!authorized(request, options.bearerToken)) return unauthorized();
      const common = await infoAndTrustRoutes(request, path, info, options.registerParty?.bind(options));
      if (common !== undefined) return common;
      if (path === '/authorize') {
        if (request.method !== 'POST') return methodNotAllowed('POST');
        const body = await readJson(request);
        if (body instanceof Response) return body;
        const input = AuthorizeRequest.safeParse(body);
        if (!input.success) return errorResponse('MALFORMED_TOKEN', 'the body must have client_id, request_uri and customer');
        const customer = info.customers.find((candidate) => candidate.id === input.data.customer);
        if (customer === undefined) return errorResponse('CLAIMS_INVALID', 'no such test customer');
        const result = await options.authorize({ clientId: input.data.client_id, requestUri: input.data.request_uri, customer, approve: input.data.approve });
        if ('error' in result) return errorResponse(result.error, result.description ?? 'the authorization page refused the request');
        return jsonResponse(200, { location: result.location });
      }
      return notFound();
    },
  };
}
