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
import { createRelyingPartyTestInterface, createSandboxVerifier, type RelyingPartyTestInterface } from 'shomei/conformance';
import { createMemoryDecisionLog, createRelyingPartyClient, DEFAULT_POLICY, PartnerError, type Decision } from 'shomei/verifier';
import { createFileDecisionLog, createRedisReplayStore } from 'shomei/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountConformance } from '../shared/conformance-mount.js';
import { html, page } from '../shared/html.js';
import { mountPartyDocuments } from '../shared/party-documents.js';
import { createPartyIssuer } from '../shared/party-keys.js';
import {
  FlowBook,
  htmlResponse,
  redirectWithCookies,
  refusedByBank,
  summarize,
  type DecisionSummary,
  type FlowRecord,
} from '../shared/relying-party.js';
import {
  accountFields,
  BankMetadata,
  callbackFlow,
  createRelyingPartyVerifier,
  mountFlowRoutes,
  problemResponse,
  NO_SUCH_FLOW,
  readBody,
  relyingPartyVerifierOptions,
  sendToBank,
  showEndedFlow,
  type RelyingPartyOptions,
} from '../shared/relying-party-app.js';

/** What the firm knows of a customer from its own account opening: what it sends for matching. */
export interface SecuritiesCustomer {
  id: string;
  name: string;
  name_kana: string;
  birthdate: string;
}

export interface SecuritiesAppOptions extends RelyingPartyOptions {
  customers: SecuritiesCustomer[];
  /**
   * SANDBOX ONLY: mounts the conformance test interface (spec/17) at `<issuer>/conformance`, so that
   * `shomei conformance verifier` can register its bank, start flows for a synthetic test customer and
   * read the decisions without a person. A production relying party never sets this: the interface
   * starts flows on request and trusts any bank registered through it (SHO-CONF-13).
   */
  conformance?: { keyFetch: { timeoutMs: number; cooldownSeconds: number } };
  /**
   * Where the hash-chained decision log is written (issue 6); a fresh temporary folder when absent, so
   * the demo runs on a clean machine, removed again by `close()` (give a folder to keep the log). Check it
   * with `shomei audit verify <folder>/*.jsonl`.
   */
  decisionLogPath?: string;
  /** A Redis shared by several instances of this backend (`REDIS_URL`); the in-memory replay store otherwise. */
  redisUrl?: string;
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
  /**
   * For a payout: the `sub` of the holder who linked the payee account. The verifier denies a payout
   * authorised by anyone else with ACCOUNT_MISMATCH (SHO-TXN-9).
   */
  subject?: string;
  executed?: boolean;
}

export interface SecuritiesApp {
  readonly issuer: string;
  fetch(request: Request): Promise<Response>;
  linkedAccount(customerId: string): LinkedAccount | undefined;
  /** Payouts actually executed. */
  payouts(): ReadonlyArray<{ flow: string; customerId: string; amount: string; account: Account }>;
  decisions(): ReturnType<ReturnType<typeof createMemoryDecisionLog>['entries']>;
  /** The folder of the file decision log. */
  readonly decisionLogPath: string;
  /** Flushes the decision log and closes the replay store. */
  close(): Promise<void>;
}

const ACCOUNT_FIELDS = ['bank_code', 'branch_code', 'type', 'number'] as const;

/** The synthetic customer the conformance interface starts flows for (SHO-CONF-2); not one of the demo's. */
export const CONFORMANCE_CUSTOMER: SecuritiesCustomer = { id: 's-test', name: '試験 花子', name_kana: 'シケン ハナコ', birthdate: '1990-04-01' };
const CONFORMANCE_ACCOUNT: Account = { bank_code: '0005', branch_code: '123', type: '1', number: '0123456' };

export async function createSecuritiesApp(options: SecuritiesAppOptions): Promise<SecuritiesApp> {
  const clock = options.clock ?? Date.now;
  const { keyRing, issuer } = await createPartyIssuer(options.issuer, clock);
  // Every decision goes to the tamper-evident file log; the memory mirror only feeds GET /api/decisions.
  const ownLogFolder = options.decisionLogPath === undefined;
  const decisionLogPath = options.decisionLogPath ?? (await mkdtemp(join(tmpdir(), 'shomei-securities-decisions-')));
  const fileLog = await createFileDecisionLog({ path: decisionLogPath, durability: 'fsync-each' });
  const mirror = createMemoryDecisionLog();
  const decisionLog = {
    async append(entry: Parameters<typeof fileLog.append>[0]) {
      await fileLog.append(entry);
      await mirror.append(entry);
    },
  };
  const replayStore = options.redisUrl === undefined ? undefined : await createRedisReplayStore({ url: options.redisUrl });
  const banks = [...options.banks];
  const verifierSetup = { clock, decisionLog, ...(replayStore !== undefined ? { replayStore } : {}) };
  // In a sandbox the trust configuration grows when the conformance suite registers its bank (SHO-CONF-7);
  // in production it is fixed at start-up (SHO-TRUST-1).
  const sandbox = options.conformance === undefined
    ? undefined
    : createSandboxVerifier({ ...relyingPartyVerifierOptions(options, verifierSetup), trust: { parties: [...(options.trust.parties ?? [])] } });
  const verifier = sandbox ?? createRelyingPartyVerifier(options, verifierSetup);
  const client = createRelyingPartyClient({ issuer, verifier, ...(options.fetch !== undefined ? { fetch: options.fetch } : {}) });
  const flows = new FlowBook<SecuritiesFlow>();
  const linked = new Map<string, LinkedAccount>();
  const payouts: Array<{ flow: string; customerId: string; amount: string; account: Account }> = [];
  const bankMetadata = new BankMetadata(options.fetch);
  const callback = `${options.issuer}/callback`;

  /** Acts on a verified decision: link the account, or execute the payout — once. */
  function settle(flow: SecuritiesFlow, decision: Decision): DecisionSummary {
    if (decision.outcome !== 'allow' || decision.claims === undefined) return summarize(decision, effectOfRefusal(flow));
    if (flow.action === 'account_link') {
      const claims = decision.claims as { sub: string };
      linked.set(flow.customerId, { bank: flow.bank, account: flow.account as Account, sub: claims.sub, linkedAt: new Date(clock()).toISOString() });
      return summarize(decision, '出金先口座として登録しました。');
    }
    // An allowed payout was authorised by the linked holder: the verifier checked `sub` (SHO-TXN-9).
    const transaction = flow.transaction as TransactionDetails;
    if (!flow.executed) {
      flow.executed = true;
      payouts.push({ flow: flow.id, customerId: flow.customerId, amount: transaction.amount.value, account: transaction.payee });
    }
    return summarize(decision, '出金を実行しました。');
  }

  /** What a payout's transaction assertion is bound to beyond the request: the payout as it stands, and its linked holder. */
  function payoutBinding(flow: SecuritiesFlow): { transaction?: TransactionDetails; subject?: string } {
    return {
      ...(flow.transaction !== undefined ? { transaction: flow.transaction } : {}),
      ...(flow.subject !== undefined ? { subject: flow.subject } : {}),
    };
  }

  function effectOfRefusal(flow: SecuritiesFlow): string {
    return flow.action === 'account_link' ? '口座は登録していません。' : '出金は実行していません。';
  }

  function record(flow: SecuritiesFlow, summary: DecisionSummary): void {
    flow.decisions.push(summary);
    flow.status = 'completed';
  }

  /** Pushes the request and keeps the flow: where to send the browser, or the bank's refusal (recorded). */
  async function begin(flow: SecuritiesFlow, input: Parameters<typeof client.pushRequest>[1]): Promise<{ authorizationUrl: string; state: string } | { refused: ShomeiError }> {
    let metadata: PartyMetadata;
    try {
      metadata = await bankMetadata.get(flow.bank);
      flow.pushed = await client.pushRequest(metadata, input);
    } catch (error) {
      if (!(error instanceof ShomeiError)) throw error;
      flows.add(flow);
      record(flow, refusedByBank(error, 'push'));
      return { refused: error };
    }
    flows.add(flow);
    return { authorizationUrl: client.authorizationUrl(metadata, client.clientId, flow.pushed.request_uri), state: flow.pushed.state };
  }

  function linkRequest(customer: SecuritiesCustomer, account: Account): Parameters<typeof client.pushRequest>[1] {
    return {
      action: 'account_link',
      redirect_uri: callback,
      client_name: options.name,
      account,
      identity: { name: customer.name, name_kana: customer.name_kana, birthdate: customer.birthdate },
      requirements: { min_ial: 'ial2', min_aal: 'aal2', phishing_resistant: true },
    };
  }

  /** A payout flow to the customer's linked account, or undefined when nothing is linked yet. */
  function payoutFlow(customerId: string, amount: string): { flow: SecuritiesFlow; input: Parameters<typeof client.pushRequest>[1] } | undefined {
    const link = linked.get(customerId);
    if (link === undefined) return undefined;
    const flowId = flows.newId('payout');
    const transaction: TransactionDetails = { type: 'payout', amount: { currency: 'JPY', value: amount }, payee: link.account, reference: `SHOMEI SEC ${flowId.slice(-8)}` };
    const flow: SecuritiesFlow = { id: flowId, action: 'payout', customerId, bank: link.bank, status: 'awaiting_authorization', decisions: [], transaction, subject: link.sub };
    return { flow, input: { action: 'payout', redirect_uri: callback, client_name: options.name, account: link.account, transaction, requirements: { min_aal: 'aal2', phishing_resistant: true } } };
  }

  /** Answers the browser (or an API client) with where to go next. */
  async function start(c: Context, flow: SecuritiesFlow, input: Parameters<typeof client.pushRequest>[1]): Promise<Response> {
    const begun = await begin(flow, input);
    return 'refused' in begun ? showEndedFlow(c, flow) : sendToBank(c, 'sec_flow', { flow: flow.id, ...begun });
  }

  function problem(c: Context, status: 400 | 404 | 409, message: string): Response {
    return problemResponse(c, options.name, status, message, '/');
  }

  /**
   * SANDBOX ONLY (spec/17, SHO-CONF-13): the conformance test interface. It starts flows for the
   * synthetic {@link CONFORMANCE_CUSTOMER} exactly as the form does, and registers the suite's bank in
   * the trust configuration; neither may exist on a production relying party.
   */
  const conformance: RelyingPartyTestInterface | undefined = options.conformance === undefined || sandbox === undefined
    ? undefined
    : createRelyingPartyTestInterface({
        party: options.issuer,
        actions: ['account_link', 'payout'],
        policy: DEFAULT_POLICY,
        keyFetch: options.conformance.keyFetch,
        registerParty(entry) {
          sandbox.register(entry);
          if (!banks.includes(entry.id)) banks.push(entry.id);
          bankMetadata.forget(entry.id);
        },
        async startFlow({ action, bank: bankId }) {
          if (!banks.includes(bankId)) throw new Error('unknown bank');
          let begun: SecuritiesFlow;
          let input: Parameters<typeof client.pushRequest>[1];
          if (action === 'payout') {
            // A payout goes to the bank the customer linked with: the plan links first.
            const payout = payoutFlow(CONFORMANCE_CUSTOMER.id, '150000');
            if (payout === undefined) throw new Error('the test customer has no linked account yet');
            ({ flow: begun, input } = payout);
          } else {
            begun = { id: flows.newId('link'), action: 'account_link', customerId: CONFORMANCE_CUSTOMER.id, bank: bankId, status: 'awaiting_authorization', decisions: [], account: { ...CONFORMANCE_ACCOUNT } };
            input = linkRequest(CONFORMANCE_CUSTOMER, { ...CONFORMANCE_ACCOUNT });
          }
          const started = await begin(begun, input);
          if ('refused' in started) throw started.refused;
          return { flow: begun.id, authorizationUrl: started.authorizationUrl, cookies: [`sec_flow=${started.state}; Path=/callback; HttpOnly`] };
        },
      });

  const app = new Hono();
  mountConformance(app, conformance);
  mountPartyDocuments(app, keyRing, { issuer: options.issuer, roles: ['relying_party'], kinds_supported: ['request'], redirect_uris: [callback], organization_name: options.name });

  app.get('/', () => htmlResponse(homePage({ ...options, banks }, linked), 200, banks.map((id) => new URL(id).origin)));

  app.post('/links', async (c) => {
    const form = await readBody(c);
    const customer = options.customers.find((candidate) => candidate.id === form.customer_id);
    if (customer === undefined) return problem(c, 404, 'unknown customer');
    const account = { bank_code: form.bank_code ?? '', branch_code: form.branch_code ?? '', type: form.type ?? '1', number: (form.number ?? '').padStart(7, '0') };
    if (!ACCOUNT_FIELDS.every((field) => /^\d+$/.test(account[field]))) return problem(c, 400, 'the account is not a Zengin account');
    const bankId = form.bank ?? banks[0] ?? '';
    if (!banks.includes(bankId)) return problem(c, 400, 'unknown bank');
    const flow: SecuritiesFlow = { id: flows.newId('link'), action: 'account_link', customerId: customer.id, bank: bankId, status: 'awaiting_authorization', decisions: [], account: account as Account };
    return start(c, flow, linkRequest(customer, account as Account));
  });

  app.post('/payouts', async (c) => {
    const form = await readBody(c);
    if (linked.get(form.customer_id ?? '') === undefined) return problem(c, 409, 'link a payout account first');
    const amount = form.amount ?? '';
    if (!/^[1-9]\d{0,11}$/.test(amount)) return problem(c, 400, 'the amount is a whole number of yen');
    const payout = payoutFlow(form.customer_id as string, amount) as NonNullable<ReturnType<typeof payoutFlow>>;
    return start(c, payout.flow, payout.input);
  });

  /**
   * Editing a pending payout — a convenience many back offices have. The bank's transaction assertion
   * is bound to the amount the customer approved; an edit after that makes the verification fail
   * (TRANSACTION_MISMATCH), so nothing but the approved payout can be executed.
   */
  app.patch('/api/payouts/:id', async (c) => {
    const flow = flows.get(c.req.param('id'));
    const form = await readBody(c);
    if (flow?.transaction === undefined || flow.executed === true) return problem(c, 404, 'no pending payout with this id');
    if (!/^[1-9]\d{0,11}$/.test(form.amount ?? '')) return problem(c, 400, 'the amount is a whole number of yen');
    flow.transaction = { ...flow.transaction, amount: { currency: 'JPY', value: form.amount as string } };
    return c.json({ flow_id: flow.id, amount: flow.transaction.amount.value });
  });

  app.get('/callback', async (c) => {
    const answered = callbackFlow(c, flows, 'sec_flow');
    if (answered === undefined) return problem(c, 400, NO_SUCH_FLOW);
    const { flow, params } = answered;
    let result;
    try {
      result = client.readCallback(flow.pushed, params);
    } catch (error) {
      if (!(error instanceof ShomeiError)) throw error;
      return problem(c, 400, `${error.code}: the bank's answer does not belong to this flow`);
    }
    if ('error' in result) {
      record(flow, { outcome: 'deny', stage: 'bank', reasons: [{ code: result.error, message: 'the bank ended the flow without an assertion' }], effect: effectOfRefusal(flow) });
      conformance?.report(flow.id, { error: result.error });
    } else {
      try {
        const metadataOfBank = await bankMetadata.get(flow.bank);
        const decision = await client.redeem(metadataOfBank, flow.pushed, result.code, payoutBinding(flow));
        record(flow, settle(flow, decision));
        conformance?.report(flow.id, flow.decisions.at(-1) as DecisionSummary);
      } catch (error) {
        if (!(error instanceof ShomeiError)) throw error;
        const summary = error instanceof PartnerError ? refusedByBank(error, 'bank') : { outcome: 'deny' as const, stage: 'bank' as const, reasons: [{ code: error.code, message: 'the assertion could not be obtained from the bank' }] };
        record(flow, summary);
        conformance?.report(flow.id, { error: summary.reasons[0]?.code ?? error.code });
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
    const form = await readBody(c);
    if (typeof form.assertion !== 'string') return problem(c, 400, 'assertion is required');
    const assertion = form.assertion;
    const expectations = {
      issuer: flow.bank,
      nonce: flow.pushed.nonce,
      request: flow.pushed.request,
    };
    const decision: Decision = flow.action === 'payout'
      ? await verifier.verify(assertion, { ...expectations, ...payoutBinding(flow), kind: 'transaction' })
      : await verifier.verify(assertion, { ...expectations, kind: 'link', action: 'account_link', account: flow.account as Account });
    record(flow, settle(flow, decision));
    conformance?.report(flow.id, flow.decisions.at(-1) as DecisionSummary);
    return c.json({ flow_id: flow.id, decision: flow.decisions.at(-1) });
  });

  mountFlowRoutes(app, { brand: options.name, flows, decisions: () => mirror.entries(), home: '/' });

  return {
    issuer: options.issuer,
    fetch: async (request) => app.fetch(request),
    linkedAccount: (customerId) => linked.get(customerId),
    payouts: () => payouts,
    decisions: () => mirror.entries(),
    decisionLogPath,
    async close() {
      await fileLog.close();
      await replayStore?.close();
      // A folder the caller named is theirs; the temporary one made above goes with the app.
      if (ownLogFolder) await rm(decisionLogPath, { recursive: true, force: true });
    },
  };
}

function homePage(options: SecuritiesAppOptions, linked: Map<string, LinkedAccount>): string {
  return page(options.name, options.name, html`
<h1>出金先口座の登録</h1>
<p>銀行で本人確認と認証を受け、その結果を署名付きで受け取ってから登録します。</p>
<form method="post" action="/links" id="link-form">
  <label for="customer_id">お客さま（サンドボックス）</label>
  <select id="customer_id" name="customer_id">${options.customers.map((customer) => html`<option value="${customer.id}">${customer.name}（${customer.id}）</option>`)}</select>
${accountFields(options.banks, { branch_code: '101', number: '1234567' })}
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
