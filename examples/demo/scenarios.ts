/**
 * The demo's scenarios (issue 5.4): the legitimate flows allowed, the 2020 attacks denied for the right
 * reasons. Each scenario drives the services over HTTP as a customer's browser (or an attacker) would,
 * and reports the outcome and reason codes the relying party answered with.
 */
import { Secret, TOTP } from 'otpauth';
import { compareName } from 'shomei';
import type { FetchLike } from 'shomei/verifier';
import type { SandboxCustomer } from '../bank-api/customers.js';
import type { SoftwareAuthenticator } from '../shared/software-authenticator.js';
import type { Sandbox } from './sandbox.js';
import { hiddenInputs, scriptJson, ScriptedBrowser, type PageResult } from './user-agent.js';

export type ExpectedOutcome = 'allow' | 'deny' | 'deny or review';

export interface ScenarioResult {
  id: string;
  title: string;
  expected: { outcome: ExpectedOutcome; codes: string[] };
  outcome: string;
  codes: string[];
  ok: boolean;
}

/**
 * Records what the securities backend receives from the bank's assertion endpoint — standing for an
 * attacker who can read the firm's outbound traffic or logs. Used to replay a real assertion.
 */
export interface AssertionTap {
  fetch: FetchLike;
  last(kind: 'link' | 'transaction'): string | undefined;
}

export function createAssertionTap(): AssertionTap {
  const seen = new Map<string, string>();
  return {
    async fetch(input, init) {
      const response = await globalThis.fetch(input, init);
      if (new URL(input).pathname.endsWith('/shomei/assertion') && response.status === 200) {
        const body = (await response.clone().json()) as { assertion?: unknown; kind?: unknown };
        if (typeof body.assertion === 'string' && typeof body.kind === 'string') seen.set(body.kind, body.assertion);
      }
      return response;
    },
    last: (kind) => seen.get(kind),
  };
}

interface Decision {
  outcome: string;
  stage?: string;
  reasons: Array<{ code: string; message: string }>;
  effect?: string;
  policy?: { id: string; version: string };
}

type Say = (line: string) => void;

function customer(customers: SandboxCustomer[], id: string): SandboxCustomer {
  const found = customers.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no sandbox customer ${id}`);
  return found;
}

/** Logs in on the bank's consent page with password + a TOTP code, computed as the customer's authenticator app would. */
async function totpLogin(browser: ScriptedBrowser, consent: PageResult, who: SandboxCustomer): Promise<PageResult> {
  if (consent.status !== 200) throw new Error(`the bank's consent page did not load (${consent.status})`);
  const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(who.totp_secret) }).generate();
  return browser.submit(new URL('authorize', consent.url).href, {
    interaction: hiddenInputs(consent.body).interaction ?? '',
    login_id: who.login_id,
    password: who.password,
    factor: 'totp',
    totp_code: code,
  });
}

/** Logs in on the bank's consent page with password + passkey, as the customer's phone would. */
async function passkeyLogin(browser: ScriptedBrowser, consent: PageResult, who: SandboxCustomer, passkey: SoftwareAuthenticator | undefined): Promise<PageResult> {
  if (consent.status !== 200) throw new Error(`the bank's consent page did not load (${consent.status})`);
  if (passkey === undefined) throw new Error('the customer has no passkey enrolled');
  const fields = hiddenInputs(consent.body);
  const options = scriptJson(consent.body, 'webauthn-options') as { challenge: string; rpId: string };
  const origin = new URL(consent.url).origin;
  const assertion = await passkey.getAssertion({ challenge: options.challenge, rpId: options.rpId, origin });
  return browser.submit(new URL('authorize', consent.url).href, {
    interaction: fields.interaction ?? '',
    login_id: who.login_id,
    password: who.password,
    factor: 'passkey',
    webauthn_response: JSON.stringify(assertion),
  });
}

/** The decision in a relying party's JSON answer; throws (the scenario broke) when there is none. */
function decisionIn(body: { decision?: unknown }, where: string): Decision {
  const decision = body.decision as Partial<Decision> | null | undefined;
  if (typeof decision?.outcome !== 'string' || !Array.isArray(decision.reasons)) throw new Error(`no decision at ${where}`);
  return decision as Decision;
}

async function decisionAt(browser: ScriptedBrowser, page: PageResult): Promise<{ flowId: string; decision: Decision }> {
  const { body } = await browser.json(page.url);
  return { flowId: String(body.flow_id), decision: decisionIn(body, page.url) };
}

/** A name as the demo prints it: the first character of each part, the rest masked (no personal data on the console). */
function maskName(name: string): string {
  return name.split(' ').map((part) => `${[...part][0] ?? ''}${'＊'.repeat(Math.max([...part].length - 1, 0))}`).join(' ');
}

function codes(decision: Decision): string[] {
  return decision.reasons.map((reason) => reason.code);
}

function explain(say: Say, decision: Decision): void {
  say(`   → ${decision.outcome.toUpperCase()}${decision.stage === undefined ? '' : ` (at ${decision.stage})`}${decision.policy === undefined ? '' : ` under ${decision.policy.id} ${decision.policy.version}`}`);
  for (const reason of decision.reasons) say(`     ${reason.code}: ${reason.message}`);
  if (decision.effect !== undefined) say(`     ${decision.effect}`);
}

/**
 * Runs every scenario in order (later ones use what earlier ones set up: the linked account, the
 * recorded payout assertion) and returns one result per scenario.
 */
export async function runScenarios(sandbox: Sandbox, tap: AssertionTap, say: Say = () => undefined): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const bankId = sandbox.bank.issuer;
  const legacyId = sandbox.legacyBank.issuer;
  const securities = sandbox.securities.issuer;
  const wallet = sandbox.wallet.issuer;
  const yamada = customer(sandbox.bankCustomers, 'c-0001');
  const sato = customer(sandbox.bankCustomers, 'c-0002');
  const fakeSuzuki = customer(sandbox.bankCustomers, 'c-0003');
  const tanaka = customer(sandbox.legacyCustomers, 'l-0001');
  let payoutFlowId = '';

  /** Links a payout account at the securities firm; `holder` signs in at the bank with their passkey. */
  async function linkWithPasskey(customerId: string, account: { branch_code: string; number: string }, holder: SandboxCustomer): Promise<Decision> {
    const browser = new ScriptedBrowser();
    const consent = await browser.submit(`${securities}/links`, { customer_id: customerId, bank: bankId, bank_code: '0999', branch_code: account.branch_code, type: '1', number: account.number });
    const done = await passkeyLogin(browser, consent, holder, sandbox.passkeys.get(holder.id));
    return (await decisionAt(browser, done)).decision;
  }

  /** Payouts the securities firm executed; a scenario that must not pay throws when the count changed. */
  function payoutsExecuted(): number {
    return sandbox.securities.payouts().length;
  }

  async function scenario(id: string, title: string, expected: ScenarioResult['expected'], run: () => Promise<Decision>): Promise<void> {
    say('');
    say(`▶ ${id}. ${title}`);
    let decision: Decision;
    try {
      decision = await run();
    } catch (error) {
      say(`   ✗ the scenario broke: ${(error as Error).message}`);
      results.push({ id, title, expected, outcome: 'error', codes: [], ok: false });
      return;
    }
    explain(say, decision);
    const got = codes(decision);
    const outcomeOk = expected.outcome === 'deny or review' ? decision.outcome === 'deny' || decision.outcome === 'review' : decision.outcome === expected.outcome;
    const ok = outcomeOk && expected.codes.every((code) => got.includes(code)) && (expected.outcome !== 'allow' || got.length === 0);
    results.push({ id, title, expected, outcome: decision.outcome, codes: got, ok });
  }

  await scenario('1', 'Legitimate payout-account link', { outcome: 'allow', codes: [] }, async () => {
    say('   A customer (s-0001) links his しょうめい銀行 account at 証明証券. The firm signs a request with what it knows of him');
    say('   (name, kana, birthdate) and pushes it; the bank verifies it, shows who asks for what, and he signs in');
    say('   with his password and his passkey. The bank checks he holds the account, compares the firm\'s data');
    say('   with its JPKI (ワ) KYC record and signs a link assertion; the firm verifies it with the default policy.');
    return linkWithPasskey('s-0001', { branch_code: '101', number: '1234567' }, yamada);
  });

  await scenario('2', 'Legitimate payout of ¥150,000', { outcome: 'allow', codes: [] }, async () => {
    say('   Before paying out, the firm asks the bank for a transaction assertion: the account holder');
    say('   authenticated for exactly ¥150,000 to exactly this account (dynamic linking).');
    const before = payoutsExecuted();
    const browser = new ScriptedBrowser();
    const consent = await browser.submit(`${securities}/payouts`, { customer_id: 's-0001', amount: '150000' });
    if (!consent.body.includes('150,000 円')) throw new Error('the consent page does not show the amount');
    const done = await passkeyLogin(browser, consent, yamada, sandbox.passkeys.get(yamada.id));
    const { flowId, decision } = await decisionAt(browser, done);
    payoutFlowId = flowId;
    say(`   Payouts executed so far: ${payoutsExecuted()}.`);
    if (decision.outcome === 'allow' && payoutsExecuted() !== before + 1) throw new Error('the allowed payout was not executed exactly once');
    return decision;
  });

  await scenario('3', 'Legitimate direct-debit registration (reverse flow)', { outcome: 'allow', codes: [] }, async () => {
    say('   A customer (w-0001) registers a direct debit at しょうめいペイ. The wallet fetches a nonce from the bank, signs an');
    say('   identity assertion about her (its own IC-chip KYC, ヘ) and pushes it with its request. The bank verifies');
    say('   it with the default policy and authenticates her itself: password + authenticator-app code (TOTP;');
    say('   enough for a direct debit under the default policy, not for payouts). It compares the wallet\'s');
    say('   identity with its record, registers the debit and answers with a link assertion the wallet verifies.');
    const browser = new ScriptedBrowser();
    const consent = await browser.submit(`${wallet}/direct-debits`, { customer_id: 'w-0001', bank: bankId, bank_code: '0999', branch_code: '102', type: '1', number: '2345678' });
    const done = await totpLogin(browser, consent, sato);
    return (await decisionAt(browser, done)).decision;
  });

  await scenario('4a', 'Docomo pattern at a shomei bank: wallet account without KYC', { outcome: 'deny', codes: ['KYC_MISSING'] }, async () => {
    say('   2020: criminals opened wallet accounts with an e-mail address only, then registered victims\' bank');
    say('   accounts for direct debit. Here the wallet must say so in its signed identity assertion');
    say('   (kyc_status: none) — and the bank refuses before the victim\'s account is even shown.');
    const browser = new ScriptedBrowser();
    const { body } = await browser.json(`${wallet}/direct-debits`, { body: { customer_id: 'w-0002', bank: bankId, bank_code: '0999', branch_code: '101', type: '1', number: '1234567' } });
    return decisionIn(body, `${wallet}/direct-debits`);
  });

  await scenario('4b', 'Docomo pattern at a legacy bank: account number + PIN + birthdate', { outcome: 'deny', codes: ['FACTOR_NOT_COUNTED'] }, async () => {
    say('   レガシー銀行 behaves as several banks did in 2020: it takes the wallet\'s word for its KYC (no policy)');
    say(`   and "authenticates" with the account number, the 4-digit cash-card PIN and the birthdate, all of which`);
    say('   the attacker knows. The SDK refuses to sign that as aal2, so this bank signs by hand. The wallet');
    say('   recounts the factors from amr: a PIN and a birthdate are not factors.');
    const browser = new ScriptedBrowser();
    const page = await browser.submit(`${wallet}/direct-debits`, { customer_id: 'w-0002', bank: legacyId, bank_code: '0998', branch_code: '201', type: '1', number: '4567890' });
    if (page.status !== 200) throw new Error(`the legacy bank's page did not load (${page.status})`);
    const done = await browser.submit(new URL('authorize', page.url).href, {
      interaction: hiddenInputs(page.body).interaction ?? '',
      branch_code: '201',
      number: tanaka.accounts[0]?.number ?? '',
      pin: tanaka.cash_card_pin,
      birthdate: tanaka.person.birthdate,
      factor: 'legacy',
    });
    for (const event of sandbox.legacyBank.events.filter((line) => line.includes('SDK refused'))) say(`   (${event})`);
    say(`   The legacy bank registered the debit on its side (${sandbox.legacyBank.directDebits().length}); the wallet will not use it:`);
    return (await decisionAt(browser, done)).decision;
  });

  await scenario('5', 'SBI pattern: same-name account opened three days ago with photo-upload eKYC', { outcome: 'deny or review', codes: ['PROOFING_METHOD_NOT_ALLOWED'] }, async () => {
    say('   2020: attackers took over securities accounts with reused passwords, then registered payout accounts');
    say('   they had opened in the victims\' names with forged ID photos. The firm checked the account name only.');
    const victim = sandbox.securitiesCustomers.find((candidate) => candidate.id === 's-0002');
    const accountName = fakeSuzuki.accounts[0]?.holder_kana ?? '';
    const nameOnly = compareName(victim?.name_kana ?? '', accountName);
    say(`   名義照合 (name-only check): account name ${maskName(accountName)} vs customer ${maskName(victim?.name_kana ?? '')} → ${nameOnly}:`);
    say(`   the 2020 check would have ${nameOnly === 'match' ? 'ACCEPTED' : 'refused'} this account.`);
    if (nameOnly !== 'match') throw new Error('the name-only check was expected to match');
    say('   With shomei the bank signs how it proofed the holder — ホ (photo upload), three days ago — and the');
    say('   firm\'s policy decides; the attacker even passes the bank\'s passkey login (it is their account).');
    return linkWithPasskey('s-0002', { branch_code: '103', number: '3456789' }, fakeSuzuki);
  });

  await scenario('6', 'Replayed transaction assertion', { outcome: 'deny', codes: ['REPLAYED'] }, async () => {
    const assertion = tap.last('transaction');
    if (assertion === undefined || payoutFlowId === '') throw new Error('no recorded payout assertion');
    say('   An attacker who recorded the bank\'s answer to the ¥150,000 payout (a proxy log, a leaked trace)');
    say('   presents the same signed assertion again, hoping for a second payout.');
    const before = payoutsExecuted();
    const browser = new ScriptedBrowser();
    const { body } = await browser.json(`${securities}/api/flows/${payoutFlowId}/assertion`, { body: { assertion } });
    say(`   Payouts executed: ${before} before, ${payoutsExecuted()} after.`);
    if (payoutsExecuted() !== before) throw new Error('the replayed assertion paid out again');
    return decisionIn(body, `${securities}/api/flows/${payoutFlowId}/assertion`);
  });

  await scenario('7', 'Payout amount changed after signing (¥150,000 → ¥1,500,000)', { outcome: 'deny', codes: ['TRANSACTION_MISMATCH'] }, async () => {
    say('   The customer approves ¥150,000 at the bank; meanwhile the pending payout is edited to ¥1,500,000 in');
    say('   the firm\'s back office. The firm verifies the assertion against what it is about to execute.');
    const before = payoutsExecuted();
    const browser = new ScriptedBrowser();
    const started = await browser.json(`${securities}/payouts`, { body: { customer_id: 's-0001', amount: '150000' } });
    const flowId = String(started.body.flow_id);
    const edited = await browser.json(`${securities}/api/payouts/${flowId}`, { method: 'PATCH', body: { amount: '1500000' } });
    if (edited.status !== 200) throw new Error('the pending payout could not be edited');
    const consent = await browser.open(String(started.body.authorization_url));
    if (!consent.body.includes('150,000 円')) throw new Error('the consent page does not show the approved amount');
    const done = await passkeyLogin(browser, consent, yamada, sandbox.passkeys.get(yamada.id));
    say(`   Payouts executed: ${payoutsExecuted()} (only the legitimate one).`);
    if (payoutsExecuted() !== before) throw new Error('the edited payout was executed');
    return (await decisionAt(browser, done)).decision;
  });

  return results;
}

/** The final table, one line per scenario. */
export function resultTable(results: readonly ScenarioResult[]): string[] {
  const rows = results.map((result) => [
    result.id,
    result.title.length > 62 ? `${result.title.slice(0, 61)}…` : result.title,
    `${result.expected.outcome}${result.expected.codes.length > 0 ? ` ${result.expected.codes.join(',')}` : ''}`,
    `${result.outcome}${result.codes.length > 0 ? ` ${result.codes.join(',')}` : ''}`,
    result.ok ? 'ok' : 'FAILED',
  ]);
  const header = ['#', 'scenario', 'expected', 'got', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line)];
}
