/**
 * The example securities backend (issue 5.2): a relying party that
 * - starts a payout-account link with a signed request carrying what it knows of its customer;
 * - verifies the bank's link assertion with the default policy and stores the linked account;
 * - before each payout, asks the bank for a transaction assertion — the account holder authenticated for
 *   this amount to this account — and verifies it against the payout it is about to execute;
 * - records every decision in a decision log and answers with the decision and its reasons (JSON for
 *   API clients, a page for browsers).
 *
 * The firm's own login is out of scope (in the 2020 SBI case the attackers had the passwords anyway): the
 * sandbox acts for the customer chosen in the form.
 */
import { Hono, type Context } from 'hono';
import { ShomeiError, type Account, type PartyMetadata, type TransactionDetails } from 'shomei';
import { createIssuer, createJwksHandler, createMetadataHandler } from 'shomei/issuer';
import {
  createMemoryDecisionLog,
  createRelyingPartyClient,
  createVerifier,
  DEFAULT_POLICY,
  fetchPartyMetadata,
  PartnerError,
  type Decision,
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
  type DecisionSummary,
  type FlowRecord,
} from '../shared/relying-party.js';

/** What the firm knows of a customer from its own account opening: what it sends for matching. */
export interface SecuritiesCustomer {
  id: string;
  name: string;
  name_kana: string;
  birthdate: string;
}

export interface SecuritiesAppOptions {
  issuer: string;
  name: string;
  /** The banks it works with (party identifiers); each must be in `trust`. */
  banks: string[];
  /** The banks it trusts, for which kinds and up to which levels. */
  trust: TrustConfigInput;
  customers: SecuritiesCustomer[];
  /** The `fetch` for calls to the banks (metadata, push, exchange). */
  fetch?: FetchLike;
  keySet?: VerifierOptions['keySet'];
  clock?: () => number;
}

export interface LinkedAccount {
  bank: string;
  account: Account;
  /** The bank's pairwise identifier of the holder: a payout must be authorised by the same person (SHO-TXN-9). */
  sub: string;
  linkedAt: string;
}

interface SecuritiesFlow extends FlowRecord {
  /** For a link: the account entered. */
  account?: Account;
  /** For a payout: what will be executed — editable until executed, and verified against the assertion. */
  transaction?: TransactionDetails;
  executed?: boolean;
}

export interface SecuritiesApp {
  readonly issuer: string;
  fetch(request: Request): Promise<Response>;
  linkedAccount(customerId: string): LinkedAccount | undefined;
  /** Payouts actually executed. */
  payouts(): ReadonlyArray<{ flow: string; customerId: string; amount: string; account: Account }>;
  decisions(): ReturnType<ReturnType<typeof createMemoryDecisionLog>['entries']>;
}

const ACCOUNT_FIELDS = ['bank_code', 'branch_code', 'type', 'number'] as const;

export async function createSecuritiesApp(options: SecuritiesAppOptions): Promise<SecuritiesApp> {
  const clock = options.clock ?? Date.now;
  const keyRing = await createPartyKeys();
  const issuer = createIssuer({ issuer: options.issuer, signer: keyRing, clock });
  const decisionLog = createMemoryDecisionLog();
  const verifier = createVerifier({
    audience: options.issuer,
    trust: options.trust,
    policy: DEFAULT_POLICY,
    decisionLog,
    clock,
    ...(options.keySet !== undefined ? { keySet: options.keySet } : {}),
  });
  const client = createRelyingPartyClient({ issuer, verifier, ...(options.fetch !== undefined ? { fetch: options.fetch } : {}) });
  const flows = new FlowBook<SecuritiesFlow>();
  const linked = new Map<string, LinkedAccount>();
  const payouts: Array<{ flow: string; customerId: string; amount: string; account: Account }> = [];
  const bankMetadata = new Map<string, Promise<PartyMetadata>>();
  const callback = `${options.issuer}/callback`;

  function bank(id: string): Promise<PartyMetadata> {
    let metadata = bankMetadata.get(id);
    if (metadata === undefined) {
      metadata = fetchPartyMetadata(id, options.fetch !== undefined ? { fetch: options.fetch } : {});
      // A failed fetch is not cached: the next flow tries again.
      metadata.catch(() => bankMetadata.delete(id));
      bankMetadata.set(id, metadata);
    }
    return metadata;
  }

  /** Acts on a verified decision: link the account, or execute the payout — once. */
  function settle(flow: SecuritiesFlow, decision: Decision): DecisionSummary {
    if (decision.outcome !== 'allow' || decision.claims === undefined) return summarize(decision, effectOfRefusal(flow));
    const claims = decision.claims as { sub: string };
    if (flow.action === 'account_link') {
      linked.set(flow.customerId, { bank: flow.bank, account: flow.account as Account, sub: claims.sub, linkedAt: new Date(clock()).toISOString() });
      return summarize(decision, '出金先口座として登録しました。');
    }
    const link = linked.get(flow.customerId);
    if (link === undefined || link.sub !== claims.sub) {
      // SHO-TXN-9: the bank says someone authorised this payout, but not the holder who linked the account.
      return { ...summarize(decision), outcome: 'deny', reasons: [{ code: 'ACCOUNT_MISMATCH', requirement: 'SHO-TXN-9', message: 'the payout was authorised by another customer than the linked account holder' }] };
    }
    if (!flow.executed) {
      flow.executed = true;
      payouts.push({ flow: flow.id, customerId: flow.customerId, amount: flow.transaction?.amount.value ?? '', account: link.account });
    }
    return summarize(decision, '出金を実行しました。');
  }

  function effectOfRefusal(flow: SecuritiesFlow): string {
    return flow.action === 'account_link' ? '口座は登録していません。' : '出金は実行していません。';
  }

  function record(flow: SecuritiesFlow, summary: DecisionSummary): void {
    flow.decisions.push(summary);
    flow.status = 'completed';
  }

  /** Pushes the request and answers with where to send the browser (or the bank's refusal). */
  async function start(c: Context, flow: SecuritiesFlow, input: Parameters<typeof client.pushRequest>[1]): Promise<Response> {
    let metadata: PartyMetadata;
    try {
      metadata = await bank(flow.bank);
      flow.pushed = await client.pushRequest(metadata, input);
    } catch (error) {
      if (!(error instanceof ShomeiError)) throw error;
      flows.add(flow);
      record(flow, refusedByBank(error, 'push'));
      return wantsJson(c) ? c.json({ flow_id: flow.id, decision: flow.decisions.at(-1) }, 200) : redirectWithCookies(c, `/flows/${flow.id}`);
    }
    flows.add(flow);
    const authorizationUrl = client.authorizationUrl(metadata, client.clientId, flow.pushed.request_uri);
    bindFlowToBrowser(c, 'sec_flow', flow.pushed.state);
    if (wantsJson(c)) {
      const response = c.json({ flow_id: flow.id, authorization_url: authorizationUrl }, 201);
      return response;
    }
    return redirectWithCookies(c, authorizationUrl);
  }

  async function body(c: Context): Promise<Record<string, string>> {
    const type = c.req.header('content-type') ?? '';
    const raw: Record<string, unknown> = type.startsWith('application/json') ? await c.req.json() : await c.req.parseBody();
    return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }

  function problem(c: Context, status: 400 | 404 | 409, message: string): Response {
    return wantsJson(c) ? c.json({ error: message }, status) : htmlResponse(page(options.name, options.name, html`<p class="error">${message}</p><p><a href="/">戻る</a></p>`), status);
  }

  const metadata = createMetadataHandler({
    issuer: options.issuer,
    jwks_uri: `${options.issuer}/jwks.json`,
    roles: ['relying_party'],
    kinds_supported: ['request'],
    algs_supported: ['ES256'],
    redirect_uris: [callback],
    organization_name: options.name,
    spec_version: '1',
  });
  const jwks = createJwksHandler(keyRing);

  const app = new Hono();
  app.get('/.well-known/shomei', (c) => metadata(c.req.raw));
  app.get('/jwks.json', (c) => jwks(c.req.raw));

  app.get('/', () => htmlResponse(homePage(options, linked), 200, options.banks.map((id) => new URL(id).origin)));

  app.post('/links', async (c) => {
    const form = await body(c);
    const customer = options.customers.find((candidate) => candidate.id === form.customer_id);
    if (customer === undefined) return problem(c, 404, 'unknown customer');
    const account = { bank_code: form.bank_code ?? '', branch_code: form.branch_code ?? '', type: form.type ?? '1', number: (form.number ?? '').padStart(7, '0') };
    if (!ACCOUNT_FIELDS.every((field) => /^\d+$/.test(account[field]))) return problem(c, 400, 'the account is not a Zengin account');
    const bankId = form.bank ?? options.banks[0] ?? '';
    if (!options.banks.includes(bankId)) return problem(c, 400, 'unknown bank');
    const flow: SecuritiesFlow = { id: flows.newId('link'), action: 'account_link', customerId: customer.id, bank: bankId, status: 'awaiting_authorization', decisions: [], account: account as Account };
    return start(c, flow, {
      action: 'account_link',
      redirect_uri: callback,
      client_name: options.name,
      account: account as Account,
      identity: { name: customer.name, name_kana: customer.name_kana, birthdate: customer.birthdate },
      requirements: { min_ial: 'ial2', min_aal: 'aal2', phishing_resistant: true },
    });
  });

  app.post('/payouts', async (c) => {
    const form = await body(c);
    const link = linked.get(form.customer_id ?? '');
    if (link === undefined) return problem(c, 409, 'link a payout account first');
    const amount = form.amount ?? '';
    if (!/^[1-9]\d{0,11}$/.test(amount)) return problem(c, 400, 'the amount is a whole number of yen');
    const flowId = flows.newId('payout');
    const transaction: TransactionDetails = { type: 'payout', amount: { currency: 'JPY', value: amount }, payee: link.account, reference: `SHOMEI SEC ${flowId.slice(-8)}` };
    const flow: SecuritiesFlow = { id: flowId, action: 'payout', customerId: form.customer_id as string, bank: link.bank, status: 'awaiting_authorization', decisions: [], transaction };
    return start(c, flow, { action: 'payout', redirect_uri: callback, client_name: options.name, account: link.account, transaction, requirements: { min_aal: 'aal2', phishing_resistant: true } });
  });

  /**
   * Editing a pending payout — a convenience many back offices have. The bank's transaction assertion
   * is bound to the amount the customer approved; an edit after that makes the verification fail
   * (TRANSACTION_MISMATCH), so nothing but the approved payout can be executed.
   */
  app.patch('/api/payouts/:id', async (c) => {
    const flow = flows.get(c.req.param('id'));
    const form = await body(c);
    if (flow?.transaction === undefined || flow.executed === true) return problem(c, 404, 'no pending payout with this id');
    if (!/^[1-9]\d{0,11}$/.test(form.amount ?? '')) return problem(c, 400, 'the amount is a whole number of yen');
    flow.transaction = { ...flow.transaction, amount: { currency: 'JPY', value: form.amount as string } };
    return c.json({ flow_id: flow.id, amount: flow.transaction.amount.value });
  });

  app.get('/callback', async (c) => {
    const params = new URL(c.req.url).searchParams;
    const flow = flows.byState(params.get('state'));
    if (flow?.pushed === undefined || !browserHoldsFlow(c, 'sec_flow', params.get('state'))) {
      return problem(c, 400, 'REQUEST_MISMATCH: this answer belongs to no flow started in this browser');
    }
    let result;
    try {
      result = client.readCallback(flow.pushed, params);
    } catch (error) {
      if (!(error instanceof ShomeiError)) throw error;
      return problem(c, 400, `${error.code}: the bank's answer does not belong to this flow`);
    }
    if ('error' in result) {
      record(flow, { outcome: 'deny', stage: 'bank', reasons: [{ code: result.error, message: 'the bank ended the flow without an assertion' }], effect: effectOfRefusal(flow) });
    } else {
      try {
        const metadataOfBank = await bank(flow.bank);
        const decision = await client.redeem(metadataOfBank, flow.pushed, result.code, flow.transaction !== undefined ? { transaction: flow.transaction } : {});
        record(flow, settle(flow, decision));
      } catch (error) {
        if (!(error instanceof ShomeiError)) throw error;
        record(flow, error instanceof PartnerError ? refusedByBank(error, 'bank') : { outcome: 'deny', stage: 'bank', reasons: [{ code: error.code, message: 'the assertion could not be obtained from the bank' }] });
      }
    }
    return redirectWithCookies(c, `/flows/${flow.id}`);
  });

  /**
   * App-to-app delivery: a bank's app may hand the signed assertion to the firm's app, which posts it
   * here. The assertion proves itself (signature, audience, nonce, request hash, transaction) — and the
   * verifier's replay store makes sure the same assertion is acted on once, whichever way it arrives.
   */
  app.post('/api/flows/:id/assertion', async (c) => {
    const flow = flows.get(c.req.param('id'));
    if (flow?.pushed === undefined) return problem(c, 404, 'no flow with this id');
    const form = await body(c);
    if (typeof form.assertion !== 'string') return problem(c, 400, 'assertion is required');
    const assertion = form.assertion;
    const expectations = {
      issuer: flow.bank,
      nonce: flow.pushed.nonce,
      request: flow.pushed.request,
    };
    const decision: Decision = flow.action === 'payout'
      ? await verifier.verify(assertion, { ...expectations, kind: 'transaction', transaction: flow.transaction as TransactionDetails })
      : await verifier.verify(assertion, { ...expectations, kind: 'link', action: 'account_link', account: flow.account as Account });
    record(flow, settle(flow, decision));
    return c.json({ flow_id: flow.id, decision: flow.decisions.at(-1) });
  });

  app.get('/flows/:id', (c) => {
    const flow = flows.get(c.req.param('id'));
    if (flow === undefined) return problem(c, 404, 'no flow with this id');
    if (wantsJson(c)) return c.json({ flow_id: flow.id, action: flow.action, status: flow.status, decision: flow.decisions.at(-1) ?? null, decisions: flow.decisions });
    return htmlResponse(decisionPage(options.name, flow, '/'));
  });

  app.get('/api/decisions', (c) => c.json({ entries: decisionLog.entries() }));

  app.onError((error, c) => {
    const code = error instanceof ShomeiError ? error.code : 'internal';
    return c.json({ error: code }, 500);
  });

  return {
    issuer: options.issuer,
    fetch: async (request) => app.fetch(request),
    linkedAccount: (customerId) => linked.get(customerId),
    payouts: () => payouts,
    decisions: () => decisionLog.entries(),
  };
}

function homePage(options: SecuritiesAppOptions, linked: Map<string, LinkedAccount>): string {
  return page(options.name, options.name, html`
<h1>出金先口座の登録</h1>
<p>銀行で本人確認と認証を受け、その結果を署名付きで受け取ってから登録します。</p>
<form method="post" action="/links" id="link-form">
  <label for="customer_id">お客さま（サンドボックス）</label>
  <select id="customer_id" name="customer_id">${options.customers.map((customer) => html`<option value="${customer.id}">${customer.name}（${customer.id}）</option>`)}</select>
  <label for="bank">銀行</label>
  <select id="bank" name="bank">${options.banks.map((bank) => html`<option value="${bank}">${bank}</option>`)}</select>
  <div class="row">
    <div><label for="bank_code">金融機関コード</label><input type="text" id="bank_code" name="bank_code" value="0999" pattern="[0-9]{4}" required></div>
    <div><label for="branch_code">支店番号</label><input type="text" id="branch_code" name="branch_code" value="101" pattern="[0-9]{3}" required></div>
    <div><label for="number">口座番号（普通）</label><input type="text" id="number" name="number" value="1234567" pattern="[0-9]{7}" required></div>
  </div>
  <input type="hidden" name="type" value="1">
  <button type="submit" id="link-button">銀行で確認して登録する</button>
</form>
<h2>出金</h2>
<form method="post" action="/payouts" id="payout-form">
  <label for="payout_customer">お客さま</label>
  <select id="payout_customer" name="customer_id">${options.customers.map((customer) => html`<option value="${customer.id}">${customer.name}（${customer.id}）</option>`)}</select>
  <label for="amount">金額（円）</label>
  <input type="text" id="amount" name="amount" value="150000" pattern="[1-9][0-9]{0,11}" required>
  <button type="submit" id="payout-button">銀行で承認して出金する</button>
</form>
<h2>登録済みの出金先</h2>
${linked.size === 0 ? html`<p>まだありません。</p>` : html`<table><tbody>${[...linked].map(([customer, link]) => html`<tr><td>${customer}</td><td>${link.bank}</td><td>支店 ${link.account.branch_code} ****${link.account.number.slice(-3)}</td></tr>`)}</tbody></table>`}`);
}
