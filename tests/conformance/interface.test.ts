import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from 'shomei/verifier';
import { BankInfo, createBankTestInterface, createRelyingPartyTestInterface, FlowStatus, RelyingPartyInfo, type RegistrationRequest } from 'shomei/conformance';

const PARTY = 'http://127.0.0.1:8080';
const BANK = 'http://127.0.0.1:9090';

function rpInterface(options: { bearerToken?: string; registered?: RegistrationRequest[]; fail?: boolean } = {}) {
  return createRelyingPartyTestInterface({
    party: PARTY,
    actions: ['account_link'],
    policy: DEFAULT_POLICY,
    keyFetch: { timeoutMs: 1000, cooldownSeconds: 1 },
    ...(options.bearerToken !== undefined ? { bearerToken: options.bearerToken } : {}),
    async startFlow({ action, bank }) {
      if (options.fail === true) throw Object.assign(new Error('refused'), { code: 'FETCH_FAILED' });
      return { flow: `flow_${action}`, authorizationUrl: `${bank}/authorize?client_id=x&request_uri=y`, cookies: ['sec_flow=abc; Path=/callback; HttpOnly'] };
    },
    ...(options.registered !== undefined ? { registerParty: (entry: RegistrationRequest) => void options.registered?.push(entry) } : {}),
  });
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`${PARTY}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const get = (path: string, headers: Record<string, string> = {}) => new Request(`${PARTY}${path}`, { headers });

describe('relying-party test interface', () => {
  it('SHO-CONF-4: GET answers the info document with the policy and key-fetch settings', async () => {
    const response = (await rpInterface().handle(get('/conformance'))) as Response;
    expect(response.status).toBe(200);
    const info = RelyingPartyInfo.parse(await response.json());
    expect(info).toMatchObject({ interface: 'shomei-conformance/1', role: 'relying_party', party: PARTY, key_fetch: { timeout_ms: 1000, cooldown_seconds: 1, max_body_bytes: 65_536 }, registration: false });
    expect(info.policy.policy_id).toBe(DEFAULT_POLICY.policy_id);
  });

  it('SHO-CONF-3: requests outside the base path are left to the application', async () => {
    expect(await rpInterface().handle(get('/callback?code=x'))).toBeUndefined();
  });

  it('SHO-CONF-8: POST /flows starts a flow, passes cookies on, and the flow is pending', async () => {
    const conformance = rpInterface();
    const response = (await conformance.handle(post('/conformance/flows', { action: 'account_link', bank: BANK }))) as Response;
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ flow: 'flow_account_link', authorization_url: `${BANK}/authorize?client_id=x&request_uri=y` });
    expect(response.headers.getSetCookie()).toEqual(['sec_flow=abc; Path=/callback; HttpOnly']);
    const status = (await conformance.handle(get('/conformance/flows/flow_account_link'))) as Response;
    expect(FlowStatus.parse(await status.json()).status).toBe('pending');
  });

  it('SHO-CONF-8: an action the relying party does not offer is refused with 400', async () => {
    const response = (await rpInterface().handle(post('/conformance/flows', { action: 'payout', bank: BANK }))) as Response;
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('CLAIMS_INVALID');
  });

  it('SHO-CONF-8: a flow the relying party cannot start is reported with FETCH_FAILED', async () => {
    const response = (await rpInterface({ fail: true }).handle(post('/conformance/flows', { action: 'account_link', bank: BANK }))) as Response;
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toBe('FETCH_FAILED');
  });

  it('SHO-CONF-9: a reported decision carries outcome and codes, never messages or claims', async () => {
    const conformance = rpInterface();
    const decision = { outcome: 'deny' as const, reasons: [{ code: 'AUDIENCE_MISMATCH', requirement: 'SHO-CLM-2', message: 'aud is not this verifier' }] };
    conformance.report('flow_1', decision);
    const body = await ((await conformance.handle(get('/conformance/flows/flow_1'))) as Response).json();
    expect(body).toEqual({ flow: 'flow_1', status: 'decided', decision: { outcome: 'deny', reasons: [{ code: 'AUDIENCE_MISMATCH', requirement: 'SHO-CLM-2' }] } });
    conformance.report('flow_2', { error: 'ISSUANCE_REFUSED' });
    expect(await ((await conformance.handle(get('/conformance/flows/flow_2'))) as Response).json()).toEqual({ flow: 'flow_2', status: 'failed', error: 'ISSUANCE_REFUSED' });
    expect(((await conformance.handle(get('/conformance/flows/unknown'))) as Response).status).toBe(404);
  });

  it('SHO-CONF-5: with a bearer token, calls without it are refused with 401', async () => {
    const conformance = rpInterface({ bearerToken: 's3cret' });
    expect(((await conformance.handle(get('/conformance'))) as Response).status).toBe(401);
    expect(((await conformance.handle(get('/conformance', { authorization: 'Bearer wrong' }))) as Response).status).toBe(401);
    expect(((await conformance.handle(get('/conformance', { authorization: 'Bearer s3cret' }))) as Response).status).toBe(200);
  });

  it('SHO-CONF-7: registration is 404 when not offered, 204 with a valid party entry, 400 otherwise', async () => {
    const entry = { id: BANK, keys: { jwks_uri: `${BANK}/jwks` }, kinds: ['link', 'transaction'], max_ial: 'ial3', max_aal: 'aal3', algs: ['ES256'], status: 'active' };
    expect(((await rpInterface().handle(post('/conformance/trust', entry))) as Response).status).toBe(404);
    const registered: RegistrationRequest[] = [];
    const conformance = rpInterface({ registered });
    expect(((await conformance.handle(post('/conformance/trust', entry))) as Response).status).toBe(204);
    expect(registered).toEqual([entry]);
    expect(((await conformance.handle(post('/conformance/trust', { ...entry, keys: { jwks_uri: 'ftp://x' } }))) as Response).status).toBe(400);
    expect(((await conformance.handle(post('/conformance/trust', 'not json'))) as Response).status).toBe(400);
    expect(RelyingPartyInfo.parse(await ((await conformance.handle(get('/conformance'))) as Response).json()).registration).toBe(true);
  });
});

describe('bank test interface', () => {
  const customer = { id: 'c1', accounts: [{ bank_code: '0999', branch_code: '001', type: '1' as const, number: '1234567' }], identity: { name: '試験 花子', birthdate: '1990-04-01' } };
  const calls: unknown[] = [];
  const bank = createBankTestInterface({
    party: BANK,
    customers: [customer],
    actions: ['account_link'],
    async authorize(input) {
      calls.push(input);
      if (input.requestUri === 'urn:shomei:request:used') return { error: 'REPLAYED', description: 'this request_uri was already used' };
      return { location: `${PARTY}/callback?code=c&state=s&iss=${encodeURIComponent(BANK)}` };
    },
  });
  const bankPost = (path: string, body: unknown) => new Request(`${BANK}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('SHO-CONF-10: GET lists the synthetic test customers with their accounts', async () => {
    const info = BankInfo.parse(await ((await bank.handle(new Request(`${BANK}/conformance`))) as Response).json());
    expect(info.customers).toEqual([customer]);
    expect(info.role).toBe('bank');
  });

  it('SHO-CONF-11: the test-login hook answers the redirect location', async () => {
    const response = (await bank.handle(bankPost('/conformance/authorize', { client_id: PARTY, request_uri: 'urn:shomei:request:x', customer: 'c1' }))) as Response;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { location: string }).location).toContain('/callback?code=');
    expect(calls.at(-1)).toEqual({ clientId: PARTY, requestUri: 'urn:shomei:request:x', customer, approve: true });
  });

  it("SHO-CONF-11: the hook answers the authorization page's refusal as an error response without location", async () => {
    const response = (await bank.handle(bankPost('/conformance/authorize', { client_id: PARTY, request_uri: 'urn:shomei:request:used', customer: 'c1', approve: true }))) as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'REPLAYED', error_description: 'this request_uri was already used' });
  });

  it('SHO-CONF-11: an unknown test customer or a malformed body is refused', async () => {
    expect(((await bank.handle(bankPost('/conformance/authorize', { client_id: PARTY, request_uri: 'x', customer: 'nobody' }))) as Response).status).toBe(400);
    expect(((await bank.handle(bankPost('/conformance/authorize', { request_uri: 'x' }))) as Response).status).toBe(400);
    expect(((await bank.handle(new Request(`${BANK}/conformance/authorize`))) as Response).status).toBe(405);
  });
});
