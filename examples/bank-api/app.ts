/**
 * The example bank API (issue 5.1), on Hono, using only the package's public entry points.
 *
 * - publishes its metadata and JWKS (the package's handlers);
 * - receives a relying party's signed request and verifies it: it trusts a relying party no more than
 *   its trust configuration says — keys, kinds, registered redirect URIs (the package's bank endpoints);
 * - in the reverse flow, verifies the wallet's identity assertion with the default policy
 *   (`direct_debit_registration`) before anything else happens;
 * - shows a consent page (who asks, for what, which account, how much), authenticates the customer with
 *   password + passkey or password + TOTP, checks that the customer holds the account, compares the
 *   relying party's identity data with its KYC record, signs the link or transaction assertion and sends
 *   the customer back with a one-time code.
 *
 * `mode: 'legacy'` builds レガシー銀行 instead: the 2020 bank that "authenticates" with account number,
 * cash-card PIN and birthdate and takes a wallet's word for its KYC. The SDK refuses to sign what it
 * produces, so it signs by hand — see {@link legacyLink}. It exists to be denied.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { compareIdentity, encodeBase64url, ShomeiError, type Account, type ErrorCode, type IdentityData } from 'shomei';
import {
  createBankEndpoints,
  linkHash,
  randomId,
  requestHash,
  seeOther,
  signCompact,
  type Issued,
  type PushedRequestRecord,
} from 'shomei/issuer';
import { createBankTestInterface, createSandboxVerifier } from 'shomei/conformance';
import { createMemoryDecisionLog, createVerifier, DEFAULT_POLICY, type TrustConfigInput, type VerifierOptions } from 'shomei/verifier';
import { createPartyIssuer } from '../shared/party-keys.js';
import { mountConformance } from '../shared/conformance-mount.js';
import { mountPartyDocuments } from '../shared/party-documents.js';
import { pageHeaders } from '../shared/html.js';
import { CustomerAuthenticator, type Authentication } from './authentication.js';
import { identityRecordOf, verifiedClaimsOf, type SandboxCustomer } from './customers.js';
import { consentPage, errorPage, legacyConsentPage } from './pages.js';

export interface BankAppOptions {
  /** The bank's party identifier; its path (if any) is where the app's routes live. */
  issuer: string;
  /** Display name, for pages and metadata. */
  name: string;
  /** Its bank code (統一金融機関コード), for the accounts it holds. */
  bankCode: string;
  mode: 'secure' | 'legacy';
  customers: SandboxCustomer[];
  /** The relying parties and wallets it serves, with their keys, kinds and redirect URIs. */
  trust: TrustConfigInput;
  /** Remote key-set options (timeouts, a fetch) for the partners' `jwks_uri`s. */
  keySet?: VerifierOptions['keySet'];
  clock?: () => number;
  /**
   * SANDBOX ONLY: mounts the conformance test interface (spec/17) at `<issuer>/conformance` — the
   * synthetic customers, a test-login hook that signs assertions without a person, and trust
   * registration. A production bank never sets this (SHO-CONF-13); only the secure bank offers it.
   */
  conformance?: boolean;
}

/** A direct debit the bank registered for a wallet (reverse flow). */
export interface DirectDebit {
  wallet: string;
  account: Account;
  registeredAt: string;
}

export interface BankApp {
  readonly issuer: string;
  readonly name: string;
  fetch(request: Request): Promise<Response>;
  /** Sandbox enrollment of passkeys created by the demo or the browser test. */
  readonly authenticator: CustomerAuthenticator;
  directDebits(): readonly DirectDebit[];
  /** What happened, without personal data: for the demo's narrative. */
  readonly events: string[];
  /** The bank's own decision log (requests and identity assertions it verified). */
  decisions(): ReturnType<ReturnType<typeof createMemoryDecisionLog>['entries']>;
  /** SANDBOX ONLY: the conformance test-login hook (completes the consent for a synthetic customer). */
  sandboxAuthorize(input: { clientId: string; requestUri: string; customerId: string; approve: boolean }): Promise<{ location: string } | { error: ErrorCode; description: string }>;
}

interface Interaction {
  pushed: PushedRequestRecord;
  challenge: string;
  attempts: number;
  expiresAt: number;
}

const INTERACTION_MS = 10 * 60_000;
const MAX_ATTEMPTS = 3;
const MAX_INTERACTIONS = 10_000;

export async function createBankApp(options: BankAppOptions): Promise<BankApp> {
  const clock = options.clock ?? Date.now;
  const issuerUrl = new URL(options.issuer);
  const base = issuerUrl.pathname.replace(/\/$/, '');
  const { keyRing, issuer } = await createPartyIssuer(options.issuer, clock);
  const decisionLog = createMemoryDecisionLog();
  const verifierOptions = {
    audience: options.issuer,
    // The legacy bank takes a wallet's word for its KYC: it checks the signature, but no policy.
    policy: options.mode === 'legacy' ? (false as const) : DEFAULT_POLICY,
    decisionLog,
    clock,
    ...(options.keySet !== undefined ? { keySet: options.keySet } : {}),
  };
  const sandboxMode = options.conformance === true && options.mode === 'secure';
  // A sandbox's trust configuration grows when the conformance suite registers its relying party
  // (SHO-CONF-7); a production bank's is fixed at start-up (SHO-TRUST-1).
  const sandbox = sandboxMode ? createSandboxVerifier({ ...verifierOptions, trust: { parties: [...(options.trust.parties ?? [])] } }) : undefined;
  const verifier = sandbox ?? createVerifier({ ...verifierOptions, trust: options.trust });
  const endpoints = createBankEndpoints({ issuer: options.issuer, verifier, clock });
  const authenticator = new CustomerAuthenticator(options.customers, { origin: issuerUrl.origin, rpId: issuerUrl.hostname, clock });
  const partyNames = new Map((options.trust.parties ?? []).map((party) => [party.id, party.name ?? party.id]));
  const pairwiseSecret = randomBytes(32);
  const interactions = new Map<string, Interaction>();
  const directDebits: DirectDebit[] = [];
  const events: string[] = [];
  const cookieName = options.mode === 'legacy' ? 'legacy_bank_interaction' : 'bank_interaction';
  const cookiePath = `${base}/shomei`;

  /** The pairwise `sub`: one stable identifier per customer and relying party, useless to correlate across parties. */
  function pairwiseSub(customerId: string, clientId: string): string {
    return encodeBase64url(createHmac('sha256', pairwiseSecret).update(`${customerId}|${clientId}`).digest());
  }

  function holds(customer: SandboxCustomer, account: Account | undefined): boolean {
    return account !== undefined && customer.accounts.some((own) => own.bank_code === account.bank_code && own.branch_code === account.branch_code && own.type === account.type && own.number === account.number);
  }

  function newInteraction(c: Context, pushed: PushedRequestRecord): { id: string; interaction: Interaction } | undefined {
    const now = clock();
    for (const [key, value] of interactions) if (value.expiresAt <= now) interactions.delete(key);
    // Bounded: a flood of started flows cannot grow the bank's memory without limit.
    if (interactions.size >= MAX_INTERACTIONS) return undefined;
    const id = randomId();
    const interaction = { pushed, challenge: randomId(), attempts: 0, expiresAt: now + INTERACTION_MS };
    interactions.set(id, interaction);
    setCookie(c, cookieName, id, { httpOnly: true, sameSite: 'Lax', path: cookiePath, maxAge: INTERACTION_MS / 1000 });
    return { id, interaction };
  }

  /** The interaction of this form, only in the browser that started it (cookie), and only once. */
  function takeInteraction(c: Context, id: string): Interaction | undefined {
    const interaction = interactions.get(id);
    if (interaction === undefined || getCookie(c, cookieName) !== id || interaction.expiresAt <= clock()) return undefined;
    return interaction;
  }

  function partyName(pushed: PushedRequestRecord): string {
    return partyNames.get(pushed.clientId) ?? pushed.clientId;
  }

  function renderConsent(c: Context, id: string, interaction: Interaction, error?: string): Response {
    const scriptNonce = randomId();
    const pushed = interaction.pushed;
    const body = options.mode === 'legacy'
      ? legacyConsentPage({ bankName: options.name, partyName: partyName(pushed), claims: pushed.claims, interaction: id, error })
      : consentPage({
          bankName: options.name,
          partyName: partyName(pushed),
          partyId: pushed.clientId,
          claimedName: pushed.claims.client_name,
          claims: pushed.claims,
          walletKyc: pushed.identity === undefined ? undefined : describeKyc(pushed.identity.claims.verified_claims),
          interaction: id,
          webauthn: { challenge: interaction.challenge, rpId: issuerUrl.hostname },
          scriptNonce,
          error,
        });
    return new Response(body, { status: error === undefined ? 200 : 401, headers: pageHeaders({ scriptNonce, formTargets: [new URL(pushed.claims.redirect_uri).origin] }) });
  }

  function finish(c: Context, id: string, location: string): Response {
    interactions.delete(id);
    deleteCookie(c, cookieName, { path: cookiePath });
    const response = seeOther(location);
    for (const cookie of c.res.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
    return response;
  }

  async function issueFor(pushed: PushedRequestRecord, customer: SandboxCustomer, auth: Authentication): Promise<Issued<'link'> | Issued<'transaction'>> {
    // The request as verified at the push: req_hash is computed from the token, the answer checks read the claims.
    const request = { token: pushed.request, claims: pushed.claims };
    const common = { aud: pushed.clientId, sub: pairwiseSub(customer.id, pushed.clientId), nonce: pushed.claims.nonce, request, ...auth, txn: randomId() };
    if (pushed.claims.action === 'payout') {
      return issuer.transaction({ ...common, transaction: pushed.claims.transaction as NonNullable<typeof pushed.claims.transaction> });
    }
    const identityMatch = pushed.claims.identity === undefined ? undefined : compareIdentity(pushed.claims.identity, identityRecordOf(customer));
    return issuer.link({
      ...common,
      action: pushed.claims.action,
      account: pushed.claims.account as Account,
      verified_claims: verifiedClaimsOf(customer),
      ...(identityMatch !== undefined ? { identity_match: identityMatch } : {}),
    });
  }

  /**
   * The secure bank's login: password + passkey or password + TOTP, then ownership, then (reverse flow)
   * the wallet's identity against the account holder's record, then the assertion.
   */
  async function authorizeSecure(c: Context, id: string, interaction: Interaction, form: Record<string, string>): Promise<Response> {
    const pushed = interaction.pushed;
    const retry = (message: string): Response => {
      interaction.attempts += 1;
      if (interaction.attempts >= MAX_ATTEMPTS) {
        events.push(`${options.name}: authentication failed ${MAX_ATTEMPTS} times; flow ended with ISSUANCE_REFUSED`);
        return finish(c, id, endpoints.failAuthorization(pushed));
      }
      interaction.challenge = randomId();
      return renderConsent(c, id, interaction, message);
    };
    const customer = authenticator.checkPassword(form.login_id ?? '', form.password ?? '');
    let auth: Authentication | undefined;
    if (customer !== undefined && form.factor === 'passkey') {
      let response: unknown;
      try {
        response = JSON.parse(form.webauthn_response ?? '');
      } catch {
        response = undefined;
      }
      auth = await authenticator.checkPasskey(customer, response, interaction.challenge);
    } else if (customer !== undefined && form.factor === 'totp') {
      auth = authenticator.checkTotp(customer, form.totp_code ?? '');
    }
    // One message for every failure: the page does not say which of ID, password or factor was wrong.
    if (customer === undefined || auth === undefined) return retry('ログインできませんでした。入力内容を確認してください。');
    if (pushed.claims.requirements?.phishing_resistant === true && !auth.phishing_resistant) {
      interaction.challenge = randomId();
      return renderConsent(c, id, interaction, 'この手続きには、パスキーによる認証が必要です（依頼元の要件）。');
    }
    return finish(c, id, await conclude(pushed, customer, auth));
  }

  /**
   * After authentication: the customer must hold the account (SHO-LINK-6, SHO-TXN-8); in the reverse flow
   * the wallet's customer must be the account holder (SHO-IDA-9); then the assertion is signed and the
   * customer sent back with a code. Returns the redirect `Location`.
   */
  async function conclude(pushed: PushedRequestRecord, customer: SandboxCustomer, auth: Authentication): Promise<string> {
    const target = pushed.claims.action === 'payout' ? pushed.claims.transaction?.payee : pushed.claims.account;
    if (!holds(customer, target) || (pushed.claims.action === 'payout' && pushed.claims.account !== undefined && !holds(customer, pushed.claims.account))) {
      events.push(`${options.name}: the authenticated customer does not hold the account; flow ended with ISSUANCE_REFUSED`);
      return endpoints.failAuthorization(pushed);
    }
    if (pushed.identity !== undefined) {
      const outcome = compareWalletIdentity(pushed.identity.claims.verified_claims, customer);
      if (outcome !== undefined) {
        events.push(`${options.name}: the wallet's customer is not the account holder (${outcome}); no direct debit registered`);
        return endpoints.failAuthorization(pushed, outcome);
      }
    }
    const issued = await issueFor(pushed, customer, auth);
    if (pushed.claims.action === 'direct_debit_registration') {
      directDebits.push({ wallet: pushed.clientId, account: pushed.claims.account as Account, registeredAt: new Date(clock()).toISOString() });
      events.push(`${options.name}: direct debit registered for ${pushed.clientId}`);
    }
    events.push(`${options.name}: signed a ${issued.kind} assertion for ${pushed.clientId} (amr ${auth.amr.join('+')})`);
    return endpoints.completeAuthorization(pushed, issued);
  }

  /**
   * SANDBOX ONLY — the conformance test-login hook (spec/17-conformance-interface.md): completes the
   * authorization page for a synthetic customer without a person, as if they had signed in with password
   * and passkey. Never mount this on a bank with real customers.
   */
  async function sandboxAuthorize(input: { clientId: string; requestUri: string; customerId: string; approve: boolean }): Promise<{ location: string } | { error: ErrorCode; description: string }> {
    if (options.mode !== 'secure') return { error: 'ISSUANCE_REFUSED', description: 'the legacy bank has no test login' };
    const start = await endpoints.beginAuthorization(new URLSearchParams({ client_id: input.clientId, request_uri: input.requestUri }));
    if (!start.ok) return { error: start.error, description: start.description };
    const customer = options.customers.find((candidate) => candidate.id === input.customerId);
    if (customer === undefined || !input.approve) return { location: endpoints.failAuthorization(start.pushed) };
    const now = Math.floor(clock() / 1000);
    return { location: await conclude(start.pushed, customer, { amr: ['pwd', 'x-passkey-devicebound'], acr: 'phr', aal: 'aal2', phishing_resistant: true, auth_time: now }) };
  }

  /** レガシー銀行: account number + cash-card PIN + birthdate — none of them a factor. */
  async function authorizeLegacy(c: Context, id: string, interaction: Interaction, form: Record<string, string>): Promise<Response> {
    const pushed = interaction.pushed;
    const account = pushed.claims.account;
    const customer = options.customers.find((candidate) =>
      candidate.accounts.some((own) => own.branch_code === form.branch_code && own.number === form.number) &&
      candidate.cash_card_pin === form.pin &&
      candidate.person.birthdate === form.birthdate,
    );
    if (customer === undefined || pushed.claims.action === 'payout' || account === undefined || !holds(customer, account)) {
      interaction.attempts += 1;
      if (interaction.attempts >= MAX_ATTEMPTS) return finish(c, id, endpoints.failAuthorization(pushed));
      return renderConsent(c, id, interaction, '入力内容が正しくありません。');
    }
    const token = await legacyLink(pushed, customer, account);
    if (pushed.claims.action === 'direct_debit_registration') {
      directDebits.push({ wallet: pushed.clientId, account, registeredAt: new Date(clock()).toISOString() });
      events.push(`${options.name}: registered a direct debit on account number + PIN + birthdate and signed the link by hand`);
    }
    return finish(c, id, await endpoints.completeAuthorization(pushed, token));
  }

  /**
   * A MISBEHAVING BANK: it claims `aal2` for a cash-card PIN and a birthdate. The SDK refuses to sign
   * that (`ISSUANCE_REFUSED`: none of the methods counts as a factor), so this bank builds the token
   * itself with the low-level `signCompact`. The signature is valid; the relying party's policy recounts
   * the factors from `amr` and denies (FACTOR_NOT_COUNTED).
   */
  async function legacyLink(pushed: PushedRequestRecord, customer: SandboxCustomer, account: Account): Promise<Issued<'link'>> {
    const now = Math.floor(clock() / 1000);
    const claimed = { amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'] as ['x-jp-cashcard-pin', 'x-jp-birthdate'], auth_time: now, aal: 'aal2' as const, phishing_resistant: false };
    const action = pushed.claims.action as 'account_link' | 'payout_destination_change' | 'direct_debit_registration';
    const sub = pairwiseSub(customer.id, pushed.clientId);
    try {
      await issuer.link({ aud: pushed.clientId, sub, nonce: pushed.claims.nonce, request: pushed.request, action, account, verified_claims: verifiedClaimsOf(customer), ...claimed });
    } catch (error) {
      if (!(error instanceof ShomeiError)) throw error;
      events.push(`${options.name}: the SDK refused to sign (${error.code}: ${error.message})`);
    }
    const claims = {
      iss: options.issuer,
      aud: pushed.clientId,
      iat: now,
      exp: now + 120,
      jti: randomId(),
      sub,
      nonce: pushed.claims.nonce,
      req_hash: await requestHash(pushed.request),
      action,
      account,
      transaction_hash: await linkHash(action, account),
      verified_claims: verifiedClaimsOf(customer),
      ...claimed,
    };
    const token = await signCompact({ typ: 'shomei-link+jwt' }, claims, keyRing.activeSigner());
    return { kind: 'link', token, claims: claims as unknown as Issued<'link'>['claims'] };
  }

  /**
   * SANDBOX ONLY (spec/17, SHO-CONF-13): the bank side of the conformance test interface. Its
   * test-login hook signs assertions for a synthetic customer without a person; a bank with real
   * customers or production keys never mounts it.
   */
  const conformance = sandbox === undefined
    ? undefined
    : createBankTestInterface({
        basePath: `${base}/conformance`,
        party: options.issuer,
        // The good customer (JPKI, ワ) first: the issuer plan's happy paths use the first customer.
        customers: options.customers.map((customer) => ({
          id: customer.id,
          accounts: customer.accounts.map(({ holder_kana: _kana, ...account }) => account),
          identity: {
            name: `${customer.person.family_name} ${customer.person.given_name}`,
            name_kana: `${customer.person.family_name_kana} ${customer.person.given_name_kana}`,
            birthdate: customer.person.birthdate,
          },
        })),
        actions: ['account_link', 'payout', 'direct_debit_registration'],
        authorize: (input) => sandboxAuthorize({ clientId: input.clientId, requestUri: input.requestUri, customerId: input.customer.id, approve: input.approve }),
        registerParty: (entry) => sandbox.register(entry),
      });

  const app = base === '' ? new Hono() : new Hono().basePath(base);
  mountConformance(app, conformance);
  mountPartyDocuments(app, keyRing, {
    issuer: options.issuer,
    roles: ['issuer', 'relying_party'],
    kinds_supported: ['link', 'transaction'],
    request_endpoint: `${options.issuer}/shomei/request`,
    authorization_endpoint: `${options.issuer}/shomei/authorize`,
    assertion_endpoint: `${options.issuer}/shomei/assertion`,
    nonce_endpoint: `${options.issuer}/shomei/nonce`,
    trust_frameworks_supported: ['jp_aml'],
    organization_name: options.name,
  });
  // Every method reaches the package's endpoints: they answer anything but POST with 405 and `Allow`
  // (SHO-FLOW-7), where a POST-only route would answer 404.
  app.all('/shomei/request', (c) => endpoints.handlePush(c.req.raw));
  app.all('/shomei/nonce', (c) => endpoints.handleNonce(c.req.raw));
  app.all('/shomei/assertion', (c) => endpoints.handleExchange(c.req.raw));
  app.get('/shomei/authorize', async (c) => {
    const start = await endpoints.beginAuthorization(new URL(c.req.url).searchParams);
    if (!start.ok) return new Response(errorPage(options.name, start.error, start.description), { status: 400, headers: pageHeaders() });
    const started = newInteraction(c, start.pushed);
    if (started === undefined) return new Response(errorPage(options.name, 'REPLAY_STORE_UNAVAILABLE', 'too many sign-ins are in progress; try again later'), { status: 503, headers: pageHeaders() });
    const { id, interaction } = started;
    const response = renderConsent(c, id, interaction);
    for (const cookie of c.res.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
    return response;
  });
  app.post('/shomei/authorize', async (c) => {
    const form = Object.fromEntries(Object.entries(await c.req.parseBody()).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const id = form.interaction ?? '';
    const interaction = takeInteraction(c, id);
    if (interaction === undefined) return new Response(errorPage(options.name, 'REQUEST_MISMATCH', 'this page has expired or belongs to another browser'), { status: 400, headers: pageHeaders() });
    if (form.factor === 'cancel') {
      events.push(`${options.name}: the customer declined`);
      return finish(c, id, endpoints.failAuthorization(interaction.pushed));
    }
    return options.mode === 'legacy' ? authorizeLegacy(c, id, interaction, form) : authorizeSecure(c, id, interaction, form);
  });
  app.onError((error) => {
    // A defect must not leak details (or personal data) to the browser.
    events.push(`${options.name}: internal error ${error instanceof ShomeiError ? error.code : error.name}`);
    return new Response('internal error', { status: 500, headers: { 'cache-control': 'no-store' } });
  });

  return {
    issuer: options.issuer,
    name: options.name,
    fetch: async (request) => app.fetch(request),
    authenticator,
    directDebits: () => directDebits,
    events,
    decisions: () => decisionLog.entries(),
    sandboxAuthorize,
  };
}

/** "jp_aml ヘ (ial2)" for the consent page. */
function describeKyc(verified: unknown): string {
  const element = (Array.isArray(verified) ? verified[0] : verified) as { verification?: { trust_framework?: string; assurance_level?: string; assurance_process?: { procedure?: string } } } | undefined;
  const verification = element?.verification;
  if (verification === undefined) return '本人確認なし';
  return `${verification.trust_framework ?? '?'} ${verification.assurance_process?.procedure ?? ''} (${verification.assurance_level ?? '?'})`;
}

/**
 * SHO-IDA-9: compares the wallet's verified identity with the record of the account holder who just
 * authenticated; `no_match` on name or birthdate stops the registration, `close_match` sends it to review.
 */
function compareWalletIdentity(verified: unknown, customer: SandboxCustomer): 'IDENTITY_NO_MATCH' | 'IDENTITY_CLOSE_MATCH' | undefined {
  const element = (Array.isArray(verified) ? verified[0] : verified) as { claims?: Record<string, string | undefined> } | undefined;
  const claims = element?.claims ?? {};
  const wallet: IdentityData = {
    ...(claims.family_name !== undefined && claims.given_name !== undefined ? { name: `${claims.family_name} ${claims.given_name}` } : {}),
    ...(claims.birthdate !== undefined ? { birthdate: claims.birthdate } : {}),
  };
  const result = compareIdentity(wallet, identityRecordOf(customer));
  const values = [result.name ?? 'no_match', result.birthdate ?? 'no_match'];
  if (values.includes('no_match')) return 'IDENTITY_NO_MATCH';
  if (values.includes('close_match')) return 'IDENTITY_CLOSE_MATCH';
  return undefined;
}
