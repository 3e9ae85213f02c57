/**
 * The example bank's own rules, driven in-process through its Hono app (no network): what the consent
 * page shows, how it authenticates, when it refuses. A relying party with an inline key pushes requests.
 */
import { Secret, TOTP } from 'otpauth';
import { createIssuer, createLocalSigner, generateKey, type Issuer } from 'shomei/issuer';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBankApp, type BankApp } from '../../examples/bank-api/app.js';
import { shomeiBankCustomers, type SandboxCustomer } from '../../examples/bank-api/customers.js';
import { hiddenInputs, scriptJson } from '../../examples/demo/user-agent.js';
import { SoftwareAuthenticator } from '../../examples/shared/software-authenticator.js';

const BANK = 'http://localhost:4100';
const RP = 'http://127.0.0.1:4200';
const CALLBACK = `${RP}/callback`;
const YAMADA_ACCOUNT = { bank_code: '0999', branch_code: '101', type: '1', number: '1234567' } as const;
const SATO_ACCOUNT = { bank_code: '0999', branch_code: '102', type: '1', number: '2345678' } as const;

let bank: BankApp;
let rp: Issuer;
let customers: SandboxCustomer[];
let passkey: SoftwareAuthenticator;

beforeEach(async () => {
  const key = await generateKey('ES256');
  rp = createIssuer({ issuer: RP, signer: await createLocalSigner(key.privateJwk, { alg: 'ES256' }) });
  customers = shomeiBankCustomers(Date.now());
  bank = await createBankApp({
    issuer: BANK,
    name: 'しょうめい銀行',
    bankCode: '0999',
    mode: 'secure',
    customers,
    trust: { parties: [{ id: RP, name: '証明証券', keys: { jwks: { keys: [key.publicJwk] } }, kinds: ['request'], max_ial: 'ial2', max_aal: 'aal2', status: 'active', redirect_uris: [CALLBACK] }] },
  });
  passkey = await SoftwareAuthenticator.create('c-0001');
  bank.authenticator.enrollPasskey('c-0001', await passkey.enrolled());
});

/** Pushes a link request and opens the consent page; returns the page and the interaction cookie. */
async function consent(overrides: Record<string, unknown> = {}): Promise<{ body: string; status: number; cookie: string; interaction: string; challenge: string }> {
  const { token } = await rp.request({ aud: BANK, action: 'account_link', redirect_uri: CALLBACK, state: 'st-1', account: { ...YAMADA_ACCOUNT }, ...overrides } as never);
  const pushed = await bank.fetch(new Request(`${BANK}/shomei/request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: token }) }));
  expect(pushed.status).toBe(201);
  const { request_uri } = (await pushed.json()) as { request_uri: string };
  const page = await bank.fetch(new Request(`${BANK}/shomei/authorize?${new URLSearchParams({ client_id: RP, request_uri })}`));
  const body = await page.text();
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { body, status: page.status, cookie, interaction: hiddenInputs(body).interaction ?? '', challenge: (scriptJson(body, 'webauthn-options') as { challenge: string }).challenge };
}

function login(page: { cookie: string; interaction: string }, fields: Record<string, string>, cookie = page.cookie): Promise<Response> {
  return bank.fetch(
    new Request(`${BANK}/shomei/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ interaction: page.interaction, ...fields }).toString(),
    }),
  );
}

async function withPasskey(page: { challenge: string }, origin = BANK): Promise<Record<string, string>> {
  const assertion = await passkey.getAssertion({ challenge: page.challenge, rpId: 'localhost', origin });
  return { login_id: 'yamada', password: 'yamada-sandbox-password', factor: 'passkey', webauthn_response: JSON.stringify(assertion) };
}

function redirectParams(response: Response): URLSearchParams {
  expect(response.status).toBe(303);
  return new URL(response.headers.get('location') ?? '').searchParams;
}

describe('consent page', () => {
  it('SHO-REQ-12: shows the name from the trust configuration; a client_name with markup is shown escaped, never as markup', async () => {
    const page = await consent({ client_name: '<img src=x onerror=alert(1)>' });
    expect(page.body).toContain('証明証券 からの依頼');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('SHO-REQ-16: shows the masked account, and is neither framable nor cacheable', async () => {
    const { token } = await rp.request({ aud: BANK, action: 'account_link', redirect_uri: CALLBACK, state: 's', account: { ...YAMADA_ACCOUNT } } as never);
    const pushed = (await (await bank.fetch(new Request(`${BANK}/shomei/request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: token }) }))).json()) as { request_uri: string };
    const page = await bank.fetch(new Request(`${BANK}/shomei/authorize?${new URLSearchParams({ client_id: RP, request_uri: pushed.request_uri })}`));
    const body = await page.text();
    expect(body).toContain('****567');
    expect(body).not.toContain('1234567');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('SHO-FLOW-8: an unknown request_uri shows an error page and never redirects', async () => {
    const page = await bank.fetch(new Request(`${BANK}/shomei/authorize?${new URLSearchParams({ client_id: RP, request_uri: 'urn:shomei:request:AAAAAAAAAAAAAAAAAAAAAA' })}`));
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(await page.text()).toContain('REQUEST_MISMATCH');
  });
});

describe('authentication', () => {
  it('SHO-FLOW-9: password + passkey signs the link and redirects with code, state and iss', async () => {
    const page = await consent();
    const params = redirectParams(await login(page, await withPasskey(page)));
    expect(params.get('state')).toBe('st-1');
    expect(params.get('iss')).toBe(BANK);
    expect(params.get('code')).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });

  it('SHO-AUTH-7: a passkey answer made for another origin (a phishing site) does not log in', async () => {
    const page = await consent();
    const response = await login(page, await withPasskey(page, 'http://localhost:6666'));
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('ログインできませんでした');
  });

  it('SHO-AUTH-9: a wrong password with a valid passkey does not log in, and the message does not say which failed', async () => {
    const page = await consent();
    const response = await login(page, { ...(await withPasskey(page)), password: 'wrong' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('ログインできませんでした');
  });

  it('SHO-FLOW-10: three failed logins end the flow with error=ISSUANCE_REFUSED', async () => {
    const page = await consent();
    await login(page, { login_id: 'yamada', password: 'x', factor: 'totp', totp_code: '000000' });
    await login(page, { login_id: 'yamada', password: 'x', factor: 'totp', totp_code: '000000' });
    const params = redirectParams(await login(page, { login_id: 'yamada', password: 'x', factor: 'totp', totp_code: '000000' }));
    expect(params.get('error')).toBe('ISSUANCE_REFUSED');
  });

  it('SHO-AUTH-9: a TOTP code is accepted once; the same code again is refused', async () => {
    const yamada = customers.find((customer) => customer.id === 'c-0001') as SandboxCustomer;
    const code = new TOTP({ secret: Secret.fromBase32(yamada.totp_secret) }).generate();
    // A request without a phishing-resistance requirement: TOTP is enough for the bank to sign.
    const first = await consent();
    expect(redirectParams(await login(first, { login_id: 'yamada', password: 'yamada-sandbox-password', factor: 'totp', totp_code: code })).get('code')).not.toBeNull();
    const second = await consent();
    expect((await login(second, { login_id: 'yamada', password: 'yamada-sandbox-password', factor: 'totp', totp_code: code })).status).toBe(401);
  });

  it('SHO-FLOW-11: the login form without the interaction cookie of this browser is refused', async () => {
    const page = await consent();
    const response = await login(page, await withPasskey(page), '');
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
});

describe('ownership and consent', () => {
  it('SHO-LINK-6: a customer who does not hold the account gets ISSUANCE_REFUSED, without saying why', async () => {
    const page = await consent({ account: { ...SATO_ACCOUNT } });
    const params = redirectParams(await login(page, await withPasskey(page)));
    expect(params.get('error')).toBe('ISSUANCE_REFUSED');
    expect(params.get('code')).toBeNull();
  });

  it('SHO-FLOW-10: declining on the consent page ends the flow with ISSUANCE_REFUSED', async () => {
    const page = await consent();
    expect(redirectParams(await login(page, { factor: 'cancel' })).get('error')).toBe('ISSUANCE_REFUSED');
  });

  it('SHO-CONF-1: the sandbox test login completes the flow for a synthetic customer', async () => {
    const { token } = await rp.request({ aud: BANK, action: 'account_link', redirect_uri: CALLBACK, state: 'st-2', account: { ...YAMADA_ACCOUNT } } as never);
    const { request_uri } = (await (await bank.fetch(new Request(`${BANK}/shomei/request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: token }) }))).json()) as { request_uri: string };
    const result = await bank.sandboxAuthorize({ clientId: RP, requestUri: request_uri, customerId: 'c-0001', approve: true });
    expect('location' in result && new URL(result.location).searchParams.get('code')).toBeTruthy();
  });
});
