import type { TransactionDetails } from '../claims/transaction-details.js';
import { RandomId } from '../claims/common.js';
import type { ErrorCode } from '../errors/codes.js';
import { isErrorCode } from '../errors/codes.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { randomId, type Issuer, type IssueOptions, type RequestInput } from '../issuer/issue.js';
import type { RequestClaims } from '../kinds/request.js';
import type { Decision } from '../verifier/result.js';
import type { Verifier } from '../verifier/verify.js';
import type { PartyMetadata } from './metadata.js';
import { createPartnerHttp, type PartnerHttpOptions } from './partner-http.js';

/** Options of {@link createRelyingPartyClient}. */
export interface RelyingPartyClientOptions extends PartnerHttpOptions {
  /** The relying party's own issuer: it signs the requests; its `issuer` is the `client_id`. */
  issuer: Issuer;
  /** The relying party's verifier (audience = its own identifier, the banks it trusts, its policy). */
  verifier: Verifier;
}

/**
 * What the relying party signs: everything but `aud`, which is the bank's identifier; `state` is
 * generated (128 random bits) when absent.
 */
export type RequestToPush = Omit<RequestInput, 'aud' | 'state'> & { state?: string };

/**
 * A pushed request: the bank's answer (`request_uri`, `expires_in`) and what the relying party must keep
 * for the flow (SHO-REQ-15): the exact compact request, its `nonce` and `state`, and its claims.
 */
export interface PushedRequest {
  request_uri: string;
  expires_in: number;
  /** The compact request JWS, byte for byte as pushed (its hash is `req_hash`). */
  request: string;
  nonce: string;
  state: string;
  /** The bank it was pushed to (its party identifier): the only `iss` accepted in the redirect. */
  bank: string;
  claims: RequestClaims;
}

/** What the bank's redirect said: a code to exchange, or the code of the failure. */
export type CallbackResult = { code: string } | { error: ErrorCode };

/** The assertion endpoint's answer (SHO-FLOW-14). */
export interface ExchangedAssertion {
  assertion: string;
  kind: 'link' | 'transaction';
}

export interface RelyingPartyClient {
  /** The relying party's `client_id`: its party identifier (SHO-ROLE-2). */
  readonly clientId: string;
  /** Signs `input` with `aud` = the bank and pushes it (SHO-FLOW-5; SHO-FLOW-13 with an identity assertion). */
  pushRequest(bank: PartyMetadata, input: RequestToPush, options?: { identityAssertion?: string } & IssueOptions): Promise<PushedRequest>;
  /** Where to send the customer's browser (SHO-FLOW-8). */
  authorizationUrl(bank: PartyMetadata, clientId: string, requestUri: string): string;
  /** A nonce for an identity assertion, from the bank's nonce endpoint (SHO-FLOW-12). */
  requestNonce(bank: PartyMetadata): Promise<{ nonce: string; expires_in: number }>;
  /** Checks the redirect back from the bank: `state` and `iss` of this flow (SHO-FLOW-11). */
  readCallback(pushed: PushedRequest, params: URLSearchParams): CallbackResult;
  /** Exchanges a code for the assertion (SHO-FLOW-14). */
  exchangeCode(bank: PartyMetadata, code: string): Promise<ExchangedAssertion>;
  /**
   * Exchanges the code and verifies the assertion as the kind the request implies (SHO-FLOW-15), bound
   * to the pushed request, its account and action, and — for a payout — to `expect.transaction`: the
   * payout as the relying party is about to execute it (by default the one it requested), and to
   * `expect.subject`: the `sub` it stored from the customer's link assertion, so that a payout
   * authorised by anyone else is denied `ACCOUNT_MISMATCH` (SHO-TXN-9).
   */
  redeem(bank: PartyMetadata, pushed: PushedRequest, code: string, expect?: RedeemExpectations): Promise<Decision<'link' | 'transaction'>>;
}

/** What {@link RelyingPartyClient.redeem} binds a payout's transaction assertion to, beyond the pushed request. */
export interface RedeemExpectations {
  /** The payout as it will be executed; by default the one requested (SHO-BIND-6). */
  transaction?: TransactionDetails;
  /**
   * The `sub` stored from the customer's link assertion of the payout account (SHO-TXN-9). Payout flows
   * only: a link flow is where this value comes from. Without it, who authorised the payout is not checked.
   */
  subject?: string;
}

const REQUEST_URI = /^urn:shomei:request:[A-Za-z0-9_-]{22,128}$/;
const MAX_ASSERTION_LENGTH = 65_536;

/**
 * The relying party's side of the flow (spec/12-transport.md): push a signed request, send the customer
 * to the bank, check the redirect, exchange the code and verify the assertion. Every answer of the
 * bank is hostile until checked (exact status, no redirect, JSON object, size cap, deadline); a
 * failure is `ShomeiError` `FETCH_FAILED`, or a {@link PartnerError} carrying the bank's error code.
 *
 * @example
 * const client = createRelyingPartyClient({ issuer: brokerIssuer, verifier });
 * const pushed = await client.pushRequest(bank, { action: 'account_link', redirect_uri, account, identity });
 * response.redirect(client.authorizationUrl(bank, client.clientId, pushed.request_uri));
 * // on the callback:
 * const result = client.readCallback(pushed, url.searchParams);
 * if ('code' in result) decision = await client.redeem(bank, pushed, result.code);
 * // a payout: bound to the holder who linked the account
 * decision = await client.redeem(bank, pushed, code, { subject: linked.sub });
 * @see spec/12-transport.md SHO-FLOW-5 to SHO-FLOW-15; spec/05-transaction.md SHO-TXN-9
 */
export function createRelyingPartyClient(options: RelyingPartyClientOptions): RelyingPartyClient {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  const { issuer, verifier } = options;
  if (typeof issuer?.request !== 'function' || typeof issuer.issuer !== 'string') throw invalidArgument('options.issuer must be an Issuer (createIssuer)');
  if (typeof verifier?.verify !== 'function') throw invalidArgument('options.verifier must be a Verifier (createVerifier)');
  const call = createPartnerHttp(options);

  function endpoint(bank: PartyMetadata, name: 'request_endpoint' | 'authorization_endpoint' | 'assertion_endpoint' | 'nonce_endpoint'): string {
    if (typeof bank !== 'object' || bank === null || typeof bank.issuer !== 'string') throw invalidArgument('bank must be a PartyMetadata document (fetchPartyMetadata)');
    const url = bank[name];
    if (typeof url !== 'string') {
      throw new ShomeiError('CONFIG_INVALID', `the metadata of ${bank.issuer} has no ${name}`, { reason: 'endpoint_missing', requirement: 'SHO-KEY-1' });
    }
    return url;
  }

  async function exchangeCode(bank: PartyMetadata, code: string): Promise<ExchangedAssertion> {
    if (typeof code !== 'string' || code.length === 0) throw invalidArgument('code must be a non-empty string');
    const body = await call({ method: 'POST', url: endpoint(bank, 'assertion_endpoint'), body: { code }, expectedStatus: 200 });
    if (typeof body.assertion !== 'string' || body.assertion.length === 0 || body.assertion.length > MAX_ASSERTION_LENGTH || (body.kind !== 'link' && body.kind !== 'transaction')) {
      throw invalidResponse(bank, 'assertion', 'SHO-FLOW-14');
    }
    return { assertion: body.assertion, kind: body.kind };
  }

  return {
    clientId: issuer.issuer,

    async pushRequest(bank, input, pushOptions = {}) {
      if (typeof input !== 'object' || input === null) throw invalidArgument('input must be an object');
      if ('aud' in input) throw invalidArgument('input.aud is set by pushRequest: it is the bank identifier');
      const url = endpoint(bank, 'request_endpoint');
      const { identityAssertion, ...issueOptions } = pushOptions;
      if (identityAssertion !== undefined && typeof identityAssertion !== 'string') throw invalidArgument('identityAssertion must be a compact JWS string');
      const { token, claims } = await issuer.request({ ...input, aud: bank.issuer, state: input.state ?? randomId() }, issueOptions);
      const body = await call({
        method: 'POST',
        url,
        body: identityAssertion === undefined ? { request: token } : { request: token, identity_assertion: identityAssertion },
        expectedStatus: 201,
      });
      const requestUri = body.request_uri;
      const expiresIn = body.expires_in;
      if (typeof requestUri !== 'string' || !REQUEST_URI.test(requestUri) || !Number.isInteger(expiresIn) || (expiresIn as number) < 1 || (expiresIn as number) > 600) {
        throw invalidResponse(bank, 'push', 'SHO-FLOW-5');
      }
      return {
        request_uri: requestUri,
        expires_in: expiresIn as number,
        request: token,
        nonce: claims.nonce,
        state: claims.state as string,
        bank: bank.issuer,
        claims,
      };
    },

    authorizationUrl(bank, clientId, requestUri) {
      if (typeof clientId !== 'string' || typeof requestUri !== 'string') throw invalidArgument('clientId and requestUri must be strings');
      const url = new URL(endpoint(bank, 'authorization_endpoint'));
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('request_uri', requestUri);
      return url.href;
    },

    async requestNonce(bank) {
      const body = await call({ method: 'POST', url: endpoint(bank, 'nonce_endpoint'), body: {}, expectedStatus: 200 });
      if (!RandomId.safeParse(body.nonce).success || !Number.isInteger(body.expires_in) || (body.expires_in as number) < 1 || (body.expires_in as number) > 300) {
        throw invalidResponse(bank, 'nonce', 'SHO-FLOW-12');
      }
      return { nonce: body.nonce as string, expires_in: body.expires_in as number };
    },

    readCallback(pushed, params) {
      if (typeof pushed !== 'object' || pushed === null || !(params instanceof URLSearchParams)) throw invalidArgument('pushed and params (URLSearchParams) are required');
      // Each parameter exactly once: a second `state` or `code` is someone's attempt at confusion.
      for (const name of ['state', 'iss', 'code', 'error']) {
        if (params.getAll(name).length > 1) throw mismatch(`the redirect repeats ${name}`);
      }
      if (params.get('state') !== pushed.state) throw mismatch('the redirect state is not the one of this flow');
      if (params.get('iss') !== pushed.bank) throw mismatch('the redirect iss is not the bank this flow was sent to');
      const error = params.get('error');
      if (error !== null) return { error: isErrorCode(error) ? error : 'ISSUANCE_REFUSED' };
      const code = params.get('code');
      if (code === null || code.length === 0 || code.length > 512) throw mismatch('the redirect carries neither a code nor an error');
      return { code };
    },

    exchangeCode,

    async redeem(bank, pushed, code, expect = {}) {
      if (typeof pushed !== 'object' || pushed === null || typeof pushed.claims !== 'object' || pushed.claims === null) throw invalidArgument('pushed must be the PushedRequest of this flow');
      if (typeof expect !== 'object' || expect === null) throw invalidArgument('expect must be an object');
      const action = pushed.claims.action;
      const { subject } = expect;
      // Caller mistakes are refused before the exchange, which spends the code.
      if (subject !== undefined && (typeof subject !== 'string' || subject.length === 0)) throw invalidArgument('expect.subject must be the sub stored from the link assertion');
      if (subject !== undefined && action !== 'payout') throw invalidArgument('expect.subject binds a payout; a link flow is where the sub comes from');
      const transaction = action === 'payout' ? expect.transaction ?? pushed.claims.transaction : undefined;
      if (action === 'payout' && transaction === undefined) throw invalidArgument('a payout flow needs the transaction to verify against');
      const { assertion } = await exchangeCode(bank, code);
      // The kind follows from our own request, never from the bank's answer (SHO-FLOW-15).
      if (transaction !== undefined) {
        return verifier.verify(assertion, {
          kind: 'transaction',
          issuer: bank.issuer,
          nonce: pushed.nonce,
          request: pushed.request,
          transaction,
          ...(subject !== undefined ? { subject } : {}),
        });
      }
      return verifier.verify(assertion, {
        kind: 'link',
        issuer: bank.issuer,
        nonce: pushed.nonce,
        request: pushed.request,
        action,
        ...(pushed.claims.account !== undefined ? { account: pushed.claims.account } : {}),
      });
    },
  };
}

function invalidResponse(bank: PartyMetadata, what: string, requirement: string): ShomeiError {
  return new ShomeiError('FETCH_FAILED', `the ${what} answer of ${bank.issuer} does not have the form the protocol requires`, { reason: 'invalid_response', requirement });
}

function mismatch(message: string): ShomeiError {
  return new ShomeiError('REQUEST_MISMATCH', message, { requirement: 'SHO-FLOW-11' });
}
