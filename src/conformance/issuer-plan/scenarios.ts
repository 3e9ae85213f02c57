import type { Account } from '../../claims/account.js';
import { isErrorCode } from '../../errors/codes.js';
import { jwkThumbprint } from '../../keys/thumbprint.js';
import { publicJwkProblem } from '../../keys/jwks.js';
import { HTTP_STATUS } from '../../transport/error-response.js';
import { METADATA_PATH, PartyMetadata } from '../../transport/metadata.js';
import type { Action } from '../../vocabulary/actions.js';
import { checkCacheControl, checkContentType, checkDecision, checkEqual, checkHttpStatus, checkThat, needsReview, type Observed } from '../checks.js';
import { forge } from '../forge/jws.js';
import { createForgeKey, type ForgeKey } from '../forge/keys.js';
import type { InterfaceClient } from '../interface/client.js';
import type { BankInfo, TestCustomer } from '../interface/schemas.js';
import { suiteCall, type SuiteResponse } from '../http-client.js';
import type { ModuleLog } from '../log.js';
import { redactUrl } from '../redact.js';
import { checkAssertion } from './assertion-checks.js';
import type { IssuerModule } from './module.js';
import { createTokenMutation, foreignAccount, happyIdentity, happyRequest, type RequestContext } from './requests.js';
import type { SuiteRelyingParty } from './suite-rp.js';
import type { IssuerPlanOptions } from './options.js';

/*
 * The issuer plan's scenarios (spec/17-conformance-interface.md): what each kind of module does against
 * the partner bank — push, authorize, exchange, check — and how its answers are judged.
 */

const REQUEST_URI = /^urn:shomei:request:[A-Za-z0-9_-]{22,128}$/;

/** What every scenario works with. */
export interface Context {
  info: BankInfo;
  bank: PartyMetadata;
  client: InterfaceClient;
  rp: SuiteRelyingParty;
  keys: { rp: ForgeKey; attacker: ForgeKey };
  customer: TestCustomer;
  options: IssuerPlanOptions;
  fetch: typeof fetch;
}

function requestContext(context: Context): RequestContext {
  return { rpId: context.rp.id(), rp: context.keys.rp, bankId: context.bank.issuer, callback: context.rp.callbackUrl(), customer: context.customer, now: Math.floor(Date.now() / 1000) };
}

async function push(log: ModuleLog, context: Context, body: Record<string, unknown>): Promise<SuiteResponse | undefined> {
  return suiteCall(log, { method: 'POST', url: context.bank.request_endpoint as string, json: body }, context.fetch);
}

function observedOf(response: SuiteResponse | undefined, success: number): Observed {
  if (response === undefined) return { result: 'none', codes: [] };
  if (response.status === success) return { result: 'accepted', codes: [] };
  return { result: 'rejected', codes: typeof response.json?.error === 'string' ? [response.json.error] : [] };
}

/** The personal data of the test customer, which must never appear in an error description (SHO-ERR-3). */
function personalValues(customer: TestCustomer): string[] {
  const identity = customer.identity ?? {};
  return [identity.name, identity.name_kana, identity.birthdate, ...customer.accounts.map((account) => account.number)].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/** An error answer has the protocol's form and status (SHO-FLOW-2, 3, 4; SHO-ERR-3). */
function checkErrorResponse(log: ModuleLog, context: Context, response: SuiteResponse): void {
  const error = response.json?.error;
  const description = response.json?.error_description;
  log.record(checkThat('error response body', 'SHO-FLOW-3', isErrorCode(error) && typeof description === 'string' && description.length <= 256, '{ error: <code of the closed list>, error_description: ≤ 256 characters }', isErrorCode(error) ? `error ${error}, description ${typeof description === 'string' ? `${description.length} characters` : 'absent'}` : 'no known error code'));
  if (isErrorCode(error)) {
    log.record(checkEqual('HTTP status of the error code', 'SHO-FLOW-4', (HTTP_STATUS as Record<string, number>)[error], response.status));
  }
  log.record(checkCacheControl('SHO-FLOW-2', response.headers.get('cache-control'), ['no-store']));
  if (typeof description === 'string') {
    const leaked = personalValues(context.customer).some((value) => description.includes(value)) || /[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/.test(description);
    log.record(checkThat('no personal data or token in error_description', 'SHO-ERR-3', !leaked, 'none', leaked ? 'found' : 'none'));
  }
}

/** Judges a push answer against the module's expectation, then its form. */
function judgePush(log: ModuleLog, module: IssuerModule, context: Context, response: SuiteResponse | undefined): void {
  log.record(checkDecision(module.expected, observedOf(response, 201), module.requirements[0]), module.level);
  if (response === undefined) return;
  if (response.status === 201) {
    const requestUri = response.json?.request_uri;
    const expiresIn = response.json?.expires_in;
    log.record(checkThat('request_uri', 'SHO-FLOW-6', typeof requestUri === 'string' && REQUEST_URI.test(requestUri), 'urn:shomei:request: and at least 128 random bits', typeof requestUri === 'string' ? `${requestUri.length} characters` : 'absent'));
    log.record(checkThat('expires_in', 'SHO-FLOW-6', Number.isInteger(expiresIn) && (expiresIn as number) >= 1 && (expiresIn as number) <= 300, '1 to 300 seconds', String(expiresIn)));
    log.record(checkContentType('SHO-FLOW-1', response.headers.get('content-type'), ['application/json']));
    log.record(checkCacheControl('SHO-FLOW-2', response.headers.get('cache-control'), ['no-store']));
  } else if (response.status >= 400) {
    checkErrorResponse(log, context, response);
  }
}

async function pushedRequest(log: ModuleLog, context: Context, action: Action, account?: Account): Promise<{ token: string; claims: Record<string, unknown>; requestUri?: string; response?: SuiteResponse }> {
  const draft = await happyRequest(requestContext(context), action, account);
  const token = forge({ header: draft.header, payload: draft.claims, key: context.keys.rp });
  const response = await push(log, context, { request: token });
  const requestUri = response?.status === 201 && typeof response.json?.request_uri === 'string' ? response.json.request_uri : undefined;
  return { token, claims: draft.claims, ...(requestUri !== undefined ? { requestUri } : {}), ...(response !== undefined ? { response } : {}) };
}

interface Authorization {
  request: { token: string; claims: Record<string, unknown> };
  requestUri?: string;
  /** The redirect's query (unattended: from the hook's `location`; assisted: what reached the callback). */
  params?: URLSearchParams;
  location?: string;
  /** The test hook's refusal, as an error code. */
  refused?: string;
  problem?: string;
}

/** Pushes a happy request and completes the authorization: through the test hook, or by a person. */
async function authorize(log: ModuleLog, module: IssuerModule, context: Context, input: { action?: Action; account?: Account; approve?: boolean; instruction?: string } = {}): Promise<Authorization> {
  const action = input.action ?? module.action ?? 'account_link';
  const pushed = await pushedRequest(log, context, action, input.account);
  const request = { token: pushed.token, claims: pushed.claims };
  if (pushed.requestUri === undefined) return { request, problem: `the bank refused the happy request (${pushed.response?.status ?? 'no answer'}${typeof pushed.response?.json?.error === 'string' ? ` ${pushed.response.json.error}` : ''})` };
  const state = String(pushed.claims.state);
  if (context.options.assisted === true) {
    const url = new URL(context.bank.authorization_endpoint as string);
    url.searchParams.set('client_id', context.rp.id());
    url.searchParams.set('request_uri', pushed.requestUri);
    const waiting = context.rp.waitForCallback(state, context.options.assistedTimeoutMs ?? 300_000);
    context.options.onPrompt?.({ module: module.id, url: url.href, instruction: input.instruction ?? (input.approve === false ? 'open the link, then cancel at the bank' : `open the link and complete the ${action} as test customer ${context.customer.id}`) });
    log.info(`assisted: waiting for a person to complete ${redactUrl(url.href)}`);
    const params = await waiting;
    if (params === undefined) return { request, requestUri: pushed.requestUri, problem: 'nobody completed the authorization in time' };
    return { request, requestUri: pushed.requestUri, params };
  }
  const answer = await context.client.authorize(log, { client_id: context.rp.id(), request_uri: pushed.requestUri, customer: context.customer.id, approve: input.approve ?? true });
  if (answer === undefined) return { request, requestUri: pushed.requestUri, problem: 'the test-login hook did not answer' };
  if (answer.status !== 200) {
    return typeof answer.json?.error === 'string' ? { request, requestUri: pushed.requestUri, refused: answer.json.error } : { request, requestUri: pushed.requestUri, problem: `the test-login hook answered ${answer.status}` };
  }
  const location = answer.json?.location;
  if (typeof location !== 'string') return { request, requestUri: pushed.requestUri, problem: 'the test-login hook answered without a location' };
  try {
    return { request, requestUri: pushed.requestUri, location, params: new URL(location).searchParams };
  } catch {
    return { request, requestUri: pushed.requestUri, problem: 'the location is not a URL' };
  }
}

async function exchange(log: ModuleLog, context: Context, code: string): Promise<SuiteResponse | undefined> {
  return suiteCall(log, { method: 'POST', url: context.bank.assertion_endpoint as string, json: { code } }, context.fetch);
}

/** An authorization endpoint must refuse and never redirect to the relying party (SHO-FLOW-8). */
async function checkNoRedirect(log: ModuleLog, module: IssuerModule, context: Context, clientId: string, requestUri: string): Promise<void> {
  const url = new URL(context.bank.authorization_endpoint as string);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('request_uri', requestUri);
  const response = await suiteCall(log, { method: 'GET', url: url.href, headers: { accept: 'text/html' } }, context.fetch);
  const location = response?.headers.get('location') ?? '';
  const redirected = response !== undefined && response.status >= 300 && response.status < 400 && location.startsWith(context.rp.callbackUrl());
  log.record(checkThat('no redirect to the relying party', module.requirements[0], !redirected && response !== undefined, 'an error page, no redirect to the callback', response === undefined ? 'no answer' : redirected ? `redirect ${response.status} to the callback` : `status ${response.status}`), module.level);
}

/** Runs one issuer-plan module against the bank. */
export async function runIssuerModule(module: IssuerModule, log: ModuleLog, context: Context): Promise<void> {
  switch (module.scenario) {
    case 'metadata':
      return checkMetadata(log, context);
    case 'jwks':
      return checkJwks(log, context);
    case 'push': {
      const draft = await happyRequest(requestContext(context), module.action ?? 'account_link');
      const fresh = await createForgeKey();
      const mutation = createTokenMutation(draft, { keys: { ...context.keys, fresh }, now: Math.floor(Date.now() / 1000), bankId: context.bank.issuer, rpId: context.rp.id(), customer: context.customer });
      const token = module.mutation === undefined ? forge({ header: draft.header, payload: draft.claims, key: context.keys.rp }) : await module.mutation(mutation);
      return judgePush(log, module, context, await push(log, context, { request: token }));
    }
    case 'push-twice': {
      const first = await pushedRequest(log, context, module.action ?? 'account_link');
      log.record(checkThat('first push accepted', 'SHO-FLOW-5', first.requestUri !== undefined, '201', String(first.response?.status ?? 'no answer')));
      if (first.requestUri === undefined) return;
      return judgePush(log, module, context, await push(log, context, { request: first.token }));
    }
    case 'push-raw': {
      const raw = module.raw!;
      const url = context.bank.request_endpoint as string;
      const draft = await happyRequest(requestContext(context), 'account_link');
      const token = forge({ header: draft.header, payload: draft.claims, key: context.keys.rp });
      const text = raw.body === 'not-json' ? `request=${token}` : raw.body === 'no-request' ? JSON.stringify({ jwt: token }) : raw.body === 'too-large' ? JSON.stringify({ request: token, padding: 'A'.repeat(70 * 1024) }) : undefined;
      const response = await suiteCall(log, { method: raw.method, url, ...(text !== undefined ? { text, contentType: raw.contentType ?? 'application/json' } : {}) }, context.fetch);
      if (raw.method !== 'POST') {
        log.record(checkHttpStatus('SHO-FLOW-7', 405, response?.status), module.level);
        log.record(checkThat('Allow header', 'SHO-FLOW-7', (response?.headers.get('allow') ?? '').toUpperCase().includes('POST'), 'Allow: POST', response?.headers.get('allow') ?? '(absent)'), module.level);
        return;
      }
      const expectedStatus = raw.body === 'too-large' ? 413 : 400;
      log.record(checkHttpStatus('SHO-FLOW-7', expectedStatus, response?.status), module.level);
      log.record(checkDecision(module.expected, observedOf(response, 201), 'SHO-FLOW-7'), module.level);
      if (response !== undefined && response.status >= 400) checkErrorResponse(log, context, response);
      return;
    }
    case 'authorize-unknown':
      return checkNoRedirect(log, module, context, context.rp.id(), 'urn:shomei:request:bm90LWlzc3VlZC1ieS10aGUtYmFuaw');
    case 'authorize-client-mismatch': {
      const pushed = await pushedRequest(log, context, 'account_link');
      if (pushed.requestUri === undefined) return void log.record(checkThat('happy push', 'SHO-FLOW-5', false, '201', String(pushed.response?.status ?? 'no answer')));
      return checkNoRedirect(log, module, context, 'https://other-rp.example', pushed.requestUri);
    }
    case 'authorize-reused': {
      const done = await authorize(log, module, context);
      if (done.requestUri === undefined || done.params === undefined) return void log.record(checkThat('a completed authorization first', 'SHO-FLOW-9', false, 'a redirect with a code', done.problem ?? done.refused ?? 'none'));
      return checkNoRedirect(log, module, context, context.rp.id(), done.requestUri);
    }
    case 'redirect':
    case 'exchange':
    case 'code-reused':
      return checkFlow(log, module, context);
    case 'code-unknown': {
      const response = await exchange(log, context, 'bm8tc3VjaC1jb2RlLWV2ZXItaXNzdWVk');
      log.record(checkDecision(module.expected, observedOf(response, 200), module.requirements[0]), module.level);
      if (response !== undefined && response.status >= 400) checkErrorResponse(log, context, response);
      return;
    }
    case 'customer-cancels':
    case 'account-not-held': {
      const done = await authorize(log, module, context, module.scenario === 'customer-cancels' ? { approve: false } : { account: foreignAccount(context.customer), instruction: `open the link and sign in as test customer ${context.customer.id}: the account is not theirs` });
      if (done.problem !== undefined) return void log.record(checkThat('flow', 'SHO-CONF-11', false, 'a flow the suite can complete', done.problem));
      const error = done.refused ?? done.params?.get('error') ?? undefined;
      const code = done.params?.get('code');
      log.record(checkDecision(module.expected, error !== undefined ? { result: 'rejected', codes: [error] } : code !== null && code !== undefined ? { result: 'accepted', codes: [] } : { result: 'none', codes: [] }, module.requirements[0]), module.level);
      if (done.params !== undefined && error !== undefined) {
        const sameState = done.params.get('state') === String(done.request.claims.state);
        log.record(checkThat('state returned', 'SHO-FLOW-10', sameState, "the request's state", sameState ? 'equal' : 'different or absent'));
        log.record(checkEqual('iss returned', 'SHO-FLOW-10', context.bank.issuer, done.params.get('iss')));
      }
      return;
    }
    case 'assertion': {
      const done = await authorize(log, module, context);
      const code = done.params?.get('code');
      if (code === null || code === undefined) return void log.record(checkThat('a completed flow', 'SHO-FLOW-9', false, 'a redirect with a code', done.problem ?? done.refused ?? done.params?.get('error') ?? 'none'));
      const answer = await exchange(log, context, code);
      const assertion = answer?.json?.assertion;
      if (answer?.status !== 200 || typeof assertion !== 'string') return void log.record(checkThat('exchange', 'SHO-FLOW-14', false, '200 with an assertion', String(answer?.status ?? 'no answer')));
      return checkAssertion(log, { assertion, kind: (module.action ?? 'account_link') === 'payout' ? 'transaction' : 'link', request: done.request as never, bank: context.bank, rpId: context.rp.id() });
    }
    case 'consent-screen':
      if (context.options.assisted !== true) {
        log.skip('only a person can see the consent screen: run with --assisted');
        return;
      }
      log.record(needsReview('consent screen', 'SHO-REQ-16', "the bank showed the relying party's name, the action, the masked account and, for a payout, the amount and the payee before authentication"));
      return;
    case 'nonce':
      return checkNonce(log, module, context);
    case 'reverse':
      return runReverse(log, module, context);
  }
}

async function checkFlow(log: ModuleLog, module: IssuerModule, context: Context): Promise<void> {
  const done = await authorize(log, module, context);
  if (done.problem !== undefined || done.params === undefined) return void log.record(checkThat('flow', 'SHO-CONF-11', false, 'a flow the suite can complete', done.problem ?? `refused with ${done.refused ?? 'nothing'}`));
  const params = done.params;
  const code = params.get('code');
  if (module.scenario === 'redirect') {
    log.record(checkThat('redirect target is the registered redirect_uri', 'SHO-FLOW-9', done.location === undefined || done.location.startsWith(`${context.rp.callbackUrl()}?`), context.rp.callbackUrl(), done.location === undefined ? 'via browser' : redactUrl(done.location)));
    log.record(checkThat('code carries at least 128 bits', 'SHO-FLOW-9', code !== null && /^[A-Za-z0-9_-]{22,}$/.test(code), 'at least 22 base64url characters', code === null ? 'absent' : `${code.length} characters`));
    const sameState = params.get('state') === String(done.request.claims.state);
    log.record(checkThat('state unchanged', 'SHO-FLOW-9', sameState, "the request's state", sameState ? 'equal' : 'different or absent'));
    log.record(checkEqual('iss is the bank', 'SHO-FLOW-9', context.bank.issuer, params.get('iss')));
    return;
  }
  if (code === null) return void log.record(checkThat('code in the redirect', 'SHO-FLOW-9', false, 'a code', params.get('error') ?? 'none'));
  const answer = await exchange(log, context, code);
  if (module.scenario === 'exchange') {
    log.record(checkHttpStatus('SHO-FLOW-14', 200, answer?.status), module.level);
    const expectedKind = (module.action ?? 'account_link') === 'payout' ? 'transaction' : 'link';
    log.record(checkEqual('kind', 'SHO-FLOW-14', expectedKind, answer?.json?.kind));
    log.record(checkThat('assertion', 'SHO-FLOW-14', typeof answer?.json?.assertion === 'string', 'a compact JWS', typeof answer?.json?.assertion === 'string' ? 'present' : 'absent'));
    log.record(checkContentType('SHO-FLOW-1', answer?.headers.get('content-type'), ['application/json']));
    log.record(checkCacheControl('SHO-FLOW-2', answer?.headers.get('cache-control'), ['no-store']));
    return;
  }
  log.record(checkThat('first exchange', 'SHO-FLOW-14', answer?.status === 200, '200', String(answer?.status ?? 'no answer')));
  const second = await exchange(log, context, code);
  log.record(checkDecision(module.expected, observedOf(second, 200), module.requirements[0]), module.level);
  if (second !== undefined && second.status >= 400) checkErrorResponse(log, context, second);
}

async function checkMetadata(log: ModuleLog, context: Context): Promise<void> {
  const url = `${context.info.party.replace(/\/+$/, '')}${METADATA_PATH}`;
  const response = await suiteCall(log, { method: 'GET', url }, context.fetch);
  log.record(checkHttpStatus('SHO-KEY-1', 200, response?.status));
  if (response === undefined) return;
  log.record(checkContentType('SHO-KEY-3', response.headers.get('content-type'), ['application/json']));
  log.record(checkCacheControl('SHO-KEY-3', response.headers.get('cache-control'), ['public', 'max-age=300']));
  const parsed = PartyMetadata.safeParse(response.json);
  log.record(checkThat('document', 'SHO-KEY-1', parsed.success, 'a metadata document (spec/11-keys.md)', parsed.success ? 'valid' : 'invalid'));
  if (!parsed.success) return;
  const metadata = parsed.data;
  log.record(checkEqual('issuer is the party identifier', 'SHO-KEY-2', context.info.party, metadata.issuer));
  log.record(checkThat('roles', 'SHO-KEY-1', metadata.roles.includes('issuer'), 'includes issuer', metadata.roles.join(', ')));
  log.record(checkThat('kinds_supported', 'SHO-KEY-1', metadata.kinds_supported.includes('link'), 'includes link', metadata.kinds_supported.join(', ')));
  log.record(checkEqual('spec_version', 'SHO-KEY-1', '1', metadata.spec_version));
}

async function checkJwks(log: ModuleLog, context: Context): Promise<void> {
  const response = await suiteCall(log, { method: 'GET', url: context.bank.jwks_uri, headers: { accept: 'application/jwk-set+json, application/json' } }, context.fetch);
  log.record(checkHttpStatus('SHO-KEY-3', 200, response?.status));
  if (response === undefined) return;
  log.record(checkContentType('SHO-KEY-3', response.headers.get('content-type'), ['application/jwk-set+json']));
  log.record(checkCacheControl('SHO-KEY-3', response.headers.get('cache-control'), ['public', 'max-age=300']));
  const keys = Array.isArray(response.json?.keys) ? (response.json.keys as unknown[]) : undefined;
  log.record(checkThat('a JWK Set', 'SHO-KEY-4', keys !== undefined && keys.length > 0, '{ keys: [ … ] } with at least one key', keys === undefined ? 'no keys array' : `${keys.length} key(s)`));
  if (keys === undefined) return;
  const kids = new Set<string>();
  for (const [index, key] of keys.entries()) {
    const record = (typeof key === 'object' && key !== null ? key : {}) as Record<string, unknown>;
    const secret = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'].filter((member) => member in record);
    log.record(checkThat(`key ${index}: no private member`, 'SHO-KEY-6', secret.length === 0, 'public members only', secret.length === 0 ? 'public only' : `private member(s) ${secret.join(', ')}`));
    const problem = publicJwkProblem(record);
    log.record(checkThat(`key ${index}: an acceptable public key`, 'SHO-KEY-4', problem === undefined && typeof record.alg === 'string' && record.use === 'sig', 'kty, alg, use sig, valid public parameters', problem ?? (record.use !== 'sig' ? 'use is not sig' : typeof record.alg !== 'string' ? 'alg missing' : 'valid')));
    if (problem === undefined && typeof record.kid === 'string') {
      const thumbprint = await jwkThumbprint(record as never);
      log.record(checkThat(`key ${index}: kid is the RFC 7638 thumbprint`, 'SHO-KEY-5', record.kid === thumbprint, 'kid = thumbprint', record.kid === thumbprint ? 'equal' : 'different'));
      log.record(checkThat(`key ${index}: kid unique`, 'SHO-KEY-5', !kids.has(record.kid), 'unique', kids.has(record.kid) ? 'duplicate' : 'unique'));
      kids.add(record.kid);
    } else {
      log.record(checkThat(`key ${index}: kid`, 'SHO-KEY-5', false, 'a kid', 'absent or key invalid'));
    }
  }
}

async function fetchNonce(log: ModuleLog, context: Context): Promise<SuiteResponse | undefined> {
  return suiteCall(log, { method: 'POST', url: context.bank.nonce_endpoint as string, json: {} }, context.fetch);
}

async function checkNonce(log: ModuleLog, module: IssuerModule, context: Context): Promise<void> {
  const first = await fetchNonce(log, context);
  const second = await fetchNonce(log, context);
  log.record(checkHttpStatus('SHO-FLOW-12', 200, first?.status), module.level);
  const nonce = first?.json?.nonce;
  const expiresIn = first?.json?.expires_in;
  log.record(checkThat('nonce', 'SHO-CLM-10', typeof nonce === 'string' && /^[A-Za-z0-9_-]{22,128}$/.test(nonce), '22–128 base64url characters (≥ 128 bits)', typeof nonce === 'string' ? `${nonce.length} characters` : 'absent'));
  log.record(checkThat('expires_in', 'SHO-FLOW-12', Number.isInteger(expiresIn) && (expiresIn as number) >= 1 && (expiresIn as number) <= 300, '1 to 300 seconds', String(expiresIn)));
  log.record(checkThat('a fresh nonce each time', 'SHO-CLM-11', typeof nonce === 'string' && nonce !== second?.json?.nonce, 'two different nonces', nonce === second?.json?.nonce ? 'the same nonce twice' : 'different'));
  log.record(checkCacheControl('SHO-FLOW-2', first?.headers.get('cache-control'), ['no-store']));
}

async function runReverse(log: ModuleLog, module: IssuerModule, context: Context): Promise<void> {
  const base = requestContext(context);
  let nonce: string;
  if (module.nonce === 'unknown') {
    nonce = 'bm90LWEtbm9uY2UtZnJvbS10aGUtYmFuaw';
  } else {
    const issued = await fetchNonce(log, context);
    if (typeof issued?.json?.nonce !== 'string') return void log.record(checkThat('nonce from the bank', 'SHO-FLOW-12', false, 'a nonce', String(issued?.status ?? 'no answer')));
    nonce = issued.json.nonce;
    if (module.nonce === 'used') {
      const first = await happyIdentity(base, nonce);
      const firstRequest = await happyRequest(base, 'direct_debit_registration');
      const response = await push(log, context, { request: forge({ header: firstRequest.header, payload: firstRequest.claims, key: context.keys.rp }), identity_assertion: forge({ header: first.header, payload: first.claims, key: context.keys.rp }) });
      log.record(checkThat('first use of the nonce accepted', 'SHO-IDA-3', response?.status === 201, '201', String(response?.status ?? 'no answer')));
      if (response?.status !== 201) return;
    }
  }
  const request = await happyRequest(base, 'direct_debit_registration');
  const identity = await happyIdentity(base, nonce);
  const fresh = await createForgeKey();
  const identityToken = module.identityMutation === undefined
    ? forge({ header: identity.header, payload: identity.claims, key: context.keys.rp })
    : await module.identityMutation(createTokenMutation(identity, { keys: { ...context.keys, fresh }, now: base.now, bankId: context.bank.issuer, rpId: context.rp.id(), customer: context.customer }));
  const response = await push(log, context, { request: forge({ header: request.header, payload: request.claims, key: context.keys.rp }), identity_assertion: identityToken });
  judgePush(log, module, context, response);
}
