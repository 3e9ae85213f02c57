/**
 * The example wallet (issue 5.3): a funds-transfer service (資金移動業者) that registers direct debits
 * from its customers' bank accounts — the reverse flow (spec/06-identity.md, spec/12-transport.md §12.5).
 *
 * For each registration it
 * 1. fetches a nonce from the bank's nonce endpoint,
 * 2. signs an identity assertion about its own customer: how it proofed them (or that it did not —
 *    `kyc_status: 'none'`, said out loud instead of left for the bank to guess) and how they logged in,
 * 3. pushes it with its signed request; the bank verifies both before its customer sees a page,
 * 4. after the bank authenticated its own account holder, verifies the bank's link assertion with the
 *    default policy before it treats the debit as registered.
 *
 * The 2020 wallets opened accounts with an e-mail address alone; customer `w-0002` is such an account.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { encodeBase64url, ShomeiError, type Account, type Evidence, type PartyMetadata } from 'shomei';
import { createIssuer, createJwksHandler, createMetadataHandler } from 'shomei/issuer';
import {
  createMemoryDecisionLog,
  createRelyingPartyClient,
  createVerifier,
  DEFAULT_POLICY,
  fetchPartyMetadata,
  PartnerError,
  type FetchLike,
  type TrustConfigInput,
  type VerifierOptions,
} from 'shomei/verifier';
import { html, page } from '../shared/html.js';
import { createPartyKeys } from '../shared/party-keys.js';
import {
  bindFlowToBrowser,
  browserHoldsFlow,
  decisionPage,
  FlowBook,
  htmlResponse,
  redirectWithCookies,
  refusedByBank,
  summarize,
  wantsJson,
  type FlowRecord,
} from '../shared/relying-party.js';

/** The wallet's record of its customer: its own KYC, if it did any. */
export interface WalletCustomer {
  id: string;
  email: string;
  /** `none`: the account was opened with an e-mail address only. */
  kyc:
    | 'none'
    | {
        procedure: string;
        time: string;
        evidence: Evidence[];
        person: { family_name: string; given_name: string; birthdate: string };
      };
}

export interface WalletAppOptions {
  issuer: string;
  name: string;
  banks: string[];
  /** The banks whose link assertions it accepts. */
  trust: TrustConfigInput;
  customers: WalletCustomer[];
  fetch?: FetchLike;
  keySet?: VerifierOptions['keySet'];
  clock?: () => number;
}

interface WalletFlow extends FlowRecord {
  account: Account;
}

export interface WalletApp {
  readonly issuer: string;
  fetch(request: Request): Promise<Response>;
  /** Direct debits the wallet considers registered (after an allowed link assertion). */
  directDebits(): ReadonlyArray<{ customerId: string; bank: string; account: Account }>;
  decisions(): ReturnType<ReturnType<typeof createMemoryDecisionLog>['entries']>;
}

export async function createWalletApp(options: WalletAppOptions): Promise<WalletApp> {
  const clock = options.clock ?? Date.now;
  const keyRing = await createPartyKeys();
  const issuer = createIssuer({ issuer: options.issuer, signer: keyRing, clock });
  const decisionLog = createMemoryDecisionLog();
  const verifier = createVerifier({ audience: options.issuer, trust: options.trust, policy: DEFAULT_POLICY, decisionLog, clock, ...(options.keySet !== undefined ? { keySet: options.keySet } : {}) });
  const fetchOption = options.fetch !== undefined ? { fetch: options.fetch } : {};
  const client = createRelyingPartyClient({ issuer, verifier, ...fetchOption });
  const flows = new FlowBook<WalletFlow>();
  const registered: Array<{ customerId: string; bank: string; account: Account }> = [];
  const subSecret = randomBytes(32);
  const callback = `${options.issuer}/callback`;
  const metadataCache = new Map<string, Promise<PartyMetadata>>();

  function bank(id: string): Promise<PartyMetadata> {
    let metadata = metadataCache.get(id);
    if (metadata === undefined) {
      metadata = fetchPartyMetadata(id, fetchOption);
      metadata.catch(() => metadataCache.delete(id));
      metadataCache.set(id, metadata);
    }
    return metadata;
  }

  /** The wallet's pairwise identifier of its customer towards banks. */
  function sub(customerId: string): string {
    return encodeBase64url(createHash('sha256').update(subSecret).update(customerId).digest());
  }

  /** The identity assertion (spec/06-identity.md): the wallet's KYC of its customer, or `kyc_status: 'none'`. */
  async function identityAssertion(customer: WalletCustomer, bankId: string, nonce: string, account: Account): Promise<string> {
    const now = Math.floor(clock() / 1000);
    // The wallet's own login for this operation: password + authenticator-app code.
    const authentication = { amr: ['pwd', 'otp', 'swk'] as ['pwd', 'otp', 'swk'], auth_time: now - 30, aal: 'aal2' as const, phishing_resistant: false };
    const common = { aud: bankId, sub: sub(customer.id), nonce, action: 'direct_debit_registration' as const, account, ...authentication };
    if (customer.kyc === 'none') {
      // Said explicitly: the SDK refuses to sign an identity assertion without KYC unless told so.
      return (await issuer.identity({ ...common, kyc_status: 'none' })).token;
    }
    const { person, ...kyc } = customer.kyc;
    return (
      await issuer.identity({
        ...common,
        verified_claims: {
          verification: { trust_framework: 'jp_aml', assurance_level: 'ial2', assurance_process: { procedure: kyc.procedure }, time: kyc.time, evidence: kyc.evidence },
          claims: { family_name: person.family_name, given_name: person.given_name, birthdate: person.birthdate },
        },
      })
    ).token;
  }

  async function body(c: Context): Promise<Record<string, string>> {
    const type = c.req.header('content-type') ?? '';
    const raw: Record<string, unknown> = type.startsWith('application/json') ? await c.req.json() : await c.req.parseBody();
    return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }

  function problem(c: Context, status: 400 | 404, message: string): Response {
    return wantsJson(c) ? c.json({ error: message }, status) : htmlResponse(page(options.name, options.name, html`<p class="error">${message}</p>`), status);
  }

  const metadata = createMetadataHandler({
    issuer: options.issuer,
    jwks_uri: `${options.issuer}/jwks.json`,
    roles: ['issuer', 'relying_party'],
    kinds_supported: ['request', 'identity'],
    algs_supported: ['ES256'],
    redirect_uris: [callback],
    trust_frameworks_supported: ['jp_aml'],
    organization_name: options.name,
    spec_version: '1',
  });
  const jwks = createJwksHandler(keyRing);

  const app = new Hono();
  app.get('/.well-known/shomei', (c) => metadata(c.req.raw));
  app.get('/jwks.json', (c) => jwks(c.req.raw));

  app.get('/', () =>
    htmlResponse(
      page(options.name, options.name, html`
<h1>口座振替の登録</h1>
<p>銀行に当社での本人確認の結果を署名付きで伝え、銀行でご本人の認証を受けてから登録します。</p>
<form method="post" action="/direct-debits">
  <label for="customer_id">お客さま（サンドボックス）</label>
  <select id="customer_id" name="customer_id">${options.customers.map((customer) => html`<option value="${customer.id}">${customer.email}${customer.kyc === 'none' ? '（本人確認なし）' : ''}</option>`)}</select>
  <label for="bank">銀行</label>
  <select id="bank" name="bank">${options.banks.map((bank) => html`<option value="${bank}">${bank}</option>`)}</select>
  <div class="row">
    <div><label for="bank_code">金融機関コード</label><input type="text" id="bank_code" name="bank_code" value="0999" pattern="[0-9]{4}" required></div>
    <div><label for="branch_code">支店番号</label><input type="text" id="branch_code" name="branch_code" value="102" pattern="[0-9]{3}" required></div>
    <div><label for="number">口座番号（普通）</label><input type="text" id="number" name="number" value="2345678" pattern="[0-9]{7}" required></div>
  </div>
  <input type="hidden" name="type" value="1">
  <button type="submit">銀行で確認して登録する</button>
</form>`),
      200,
      options.banks.map((id) => new URL(id).origin),
    ),
  );

  app.post('/direct-debits', async (c) => {
    const form = await body(c);
    const customer = options.customers.find((candidate) => candidate.id === form.customer_id);
    if (customer === undefined) return problem(c, 404, 'unknown customer');
    const bankId = form.bank ?? '';
    if (!options.banks.includes(bankId)) return problem(c, 400, 'unknown bank');
    const account = { bank_code: form.bank_code ?? '', branch_code: form.branch_code ?? '', type: (form.type ?? '1') as Account['type'], number: (form.number ?? '').padStart(7, '0') };
    if (!/^\d{4}$/.test(account.bank_code) || !/^\d{3}$/.test(account.branch_code) || !/^\d{7}$/.test(account.number)) return problem(c, 400, 'the account is not a Zengin account');
    const flow: WalletFlow = { id: flows.newId('debit'), action: 'direct_debit_registration', customerId: customer.id, bank: bankId, status: 'awaiting_authorization', decisions: [], account };
    let metadataOfBank: PartyMetadata;
    try {
      metadataOfBank = await bank(bankId);
      const { nonce } = await client.requestNonce(metadataOfBank);
      const identity = await identityAssertion(customer, bankId, nonce, account);
      flow.pushed = await client.pushRequest(
        metadataOfBank,
        {
          action: 'direct_debit_registration',
          redirect_uri: callback,
          client_name: options.name,
          account,
          ...(customer.kyc === 'none' ? {} : { identity: { name: `${customer.kyc.person.family_name} ${customer.kyc.person.given_name}`, birthdate: customer.kyc.person.birthdate } }),
        },
        { identityAssertion: identity },
      );
    } catch (error) {
      if (!(error instanceof ShomeiError)) throw error;
      flows.add(flow);
      flow.decisions.push({ ...refusedByBank(error, 'push'), effect: '口座振替は登録されていません。' });
      flow.status = 'completed';
      return wantsJson(c) ? c.json({ flow_id: flow.id, decision: flow.decisions.at(-1) }) : redirectWithCookies(c, `/flows/${flow.id}`);
    }
    flows.add(flow);
    bindFlowToBrowser(c, 'wallet_flow', flow.pushed.state);
    const authorizationUrl = client.authorizationUrl(metadataOfBank, client.clientId, flow.pushed.request_uri);
    return wantsJson(c) ? c.json({ flow_id: flow.id, authorization_url: authorizationUrl }, 201) : redirectWithCookies(c, authorizationUrl);
  });

  app.get('/callback', async (c) => {
    const params = new URL(c.req.url).searchParams;
    const flow = flows.byState(params.get('state'));
    if (flow?.pushed === undefined || !browserHoldsFlow(c, 'wallet_flow', params.get('state'))) return problem(c, 400, 'REQUEST_MISMATCH: this answer belongs to no flow started in this browser');
    try {
      const result = client.readCallback(flow.pushed, params);
      if ('error' in result) {
        flow.decisions.push({ outcome: 'deny', stage: 'bank', reasons: [{ code: result.error, message: 'the bank ended the flow without an assertion' }], effect: '口座振替は登録されていません。' });
      } else {
        const decision = await client.redeem(await bank(flow.bank), flow.pushed, result.code);
        if (decision.outcome === 'allow') registered.push({ customerId: flow.customerId, bank: flow.bank, account: flow.account });
        flow.decisions.push(summarize(decision, decision.outcome === 'allow' ? '口座振替を登録しました。' : '口座振替は登録していません（銀行の認証を信頼できません）。'));
      }
    } catch (error) {
      if (!(error instanceof ShomeiError)) throw error;
      flow.decisions.push(error instanceof PartnerError ? refusedByBank(error, 'bank') : { outcome: 'deny', stage: 'bank', reasons: [{ code: error.code, message: 'the flow could not be completed' }] });
    }
    flow.status = 'completed';
    return redirectWithCookies(c, `/flows/${flow.id}`);
  });

  app.get('/flows/:id', (c) => {
    const flow = flows.get(c.req.param('id'));
    if (flow === undefined) return problem(c, 404, 'no flow with this id');
    if (wantsJson(c)) return c.json({ flow_id: flow.id, action: flow.action, status: flow.status, decision: flow.decisions.at(-1) ?? null, decisions: flow.decisions });
    return htmlResponse(decisionPage(options.name, flow, '/'));
  });

  app.get('/api/decisions', (c) => c.json({ entries: decisionLog.entries() }));
  app.onError((error, c) => c.json({ error: error instanceof ShomeiError ? error.code : 'internal' }, 500));

  return {
    issuer: options.issuer,
    fetch: async (request) => app.fetch(request),
    directDebits: () => registered,
    decisions: () => decisionLog.entries(),
  };
}
