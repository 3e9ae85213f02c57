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
import { createMemoryDecisionLog, createRelyingPartyClient, PartnerError } from 'shomei/verifier';
import { html, page } from '../shared/html.js';
import { mountPartyDocuments } from '../shared/party-documents.js';
import { createPartyIssuer } from '../shared/party-keys.js';
import { FlowBook, htmlResponse, redirectWithCookies, refusedByBank, summarize, type FlowRecord } from '../shared/relying-party.js';
import { accountFields, BankMetadata, callbackFlow, createRelyingPartyVerifier, mountFlowRoutes, NO_SUCH_FLOW, problemResponse, readBody, sendToBank, showEndedFlow, type RelyingPartyOptions } from '../shared/relying-party-app.js';

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

/** `trust`: the banks whose link assertions it accepts. */
export interface WalletAppOptions extends RelyingPartyOptions {
  customers: WalletCustomer[];
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
  const { keyRing, issuer } = await createPartyIssuer(options.issuer, clock);
  const decisionLog = createMemoryDecisionLog();
  const verifier = createRelyingPartyVerifier(options, { clock, decisionLog });
  const fetchOption = options.fetch !== undefined ? { fetch: options.fetch } : {};
  const client = createRelyingPartyClient({ issuer, verifier, ...fetchOption });
  const flows = new FlowBook<WalletFlow>();
  const registered: Array<{ customerId: string; bank: string; account: Account }> = [];
  const subSecret = randomBytes(32);
  const callback = `${options.issuer}/callback`;
  const bankMetadata = new BankMetadata(options.fetch);

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

  function problem(c: Context, status: 400 | 404, message: string): Response {
    return problemResponse(c, options.name, status, message);
  }

  const app = new Hono();
  mountPartyDocuments(app, keyRing, {
    issuer: options.issuer,
    roles: ['issuer', 'relying_party'],
    kinds_supported: ['request', 'identity'],
    redirect_uris: [callback],
    trust_frameworks_supported: ['jp_aml'],
    organization_name: options.name,
  });

  app.get('/', () =>
    htmlResponse(
      page(options.name, options.name, html`
<h1>口座振替の登録</h1>
<p>銀行に当社での本人確認の結果を署名付きで伝え、銀行でご本人の認証を受けてから登録します。</p>
<form method="post" action="/direct-debits">
  <label for="customer_id">お客さま（サンドボックス）</label>
  <select id="customer_id" name="customer_id">${options.customers.map((customer) => html`<option value="${customer.id}">${customer.email}${customer.kyc === 'none' ? '（本人確認なし）' : ''}</option>`)}</select>
${accountFields(options.banks, { branch_code: '102', number: '2345678' })}
  <button type="submit">銀行で確認して登録する</button>
</form>`),
      200,
      options.banks.map((id) => new URL(id).origin),
    ),
  );

  app.post('/direct-debits', async (c) => {
    const form = await readBody(c);
    const customer = options.customers.find((candidate) => candidate.id === form.customer_id);
    if (customer === undefined) return problem(c, 404, 'unknown customer');
    const bankId = form.bank ?? '';
    if (!options.banks.includes(bankId)) return problem(c, 400, 'unknown bank');
    const account = { bank_code: form.bank_code ?? '', branch_code: form.branch_code ?? '', type: (form.type ?? '1') as Account['type'], number: (form.number ?? '').padStart(7, '0') };
    if (!/^\d{4}$/.test(account.bank_code) || !/^\d{3}$/.test(account.branch_code) || !/^\d{7}$/.test(account.number)) return problem(c, 400, 'the account is not a Zengin account');
    const flow: WalletFlow = { id: flows.newId('debit'), action: 'direct_debit_registration', customerId: customer.id, bank: bankId, status: 'awaiting_authorization', decisions: [], account };
    let metadataOfBank: PartyMetadata;
    try {
      metadataOfBank = await bankMetadata.get(bankId);
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
      return showEndedFlow(c, flow);
    }
    flows.add(flow);
    return sendToBank(c, 'wallet_flow', { flow: flow.id, state: flow.pushed.state, authorizationUrl: client.authorizationUrl(metadataOfBank, client.clientId, flow.pushed.request_uri) });
  });

  app.get('/callback', async (c) => {
    const answered = callbackFlow(c, flows, 'wallet_flow');
    if (answered === undefined) return problem(c, 400, NO_SUCH_FLOW);
    const { flow, params } = answered;
    try {
      const result = client.readCallback(flow.pushed, params);
      if ('error' in result) {
        flow.decisions.push({ outcome: 'deny', stage: 'bank', reasons: [{ code: result.error, message: 'the bank ended the flow without an assertion' }], effect: '口座振替は登録されていません。' });
      } else {
        const decision = await client.redeem(await bankMetadata.get(flow.bank), flow.pushed, result.code);
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

  mountFlowRoutes(app, { brand: options.name, flows, decisions: () => decisionLog.entries() });

  return {
    issuer: options.issuer,
    fetch: async (request) => app.fetch(request),
    directDebits: () => registered,
    decisions: () => decisionLog.entries(),
  };
}
