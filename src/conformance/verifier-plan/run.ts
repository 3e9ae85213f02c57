import { invalidArgument } from '../../errors/shomei-error.js';
import { parseCompact } from '../../jws/compact.js';
import { kindOfTyp } from '../../kinds/kind.js';
import { checkDecision, checkThat, type Observed } from '../checks.js';
import { forge } from '../forge/jws.js';
import { createForgeKey, offCurveJwk, type ForgeKey } from '../forge/keys.js';
import { createInterfaceClient, type InterfaceClient } from '../interface/client.js';
import { registerSuiteParty } from '../interface/register-suite.js';
import type { FlowStatus, RelyingPartyInfo } from '../interface/schemas.js';
import { suiteCall } from '../http-client.js';
import type { ModuleLog } from '../log.js';
import type { PlanOptions } from '../plan-options.js';
import { buildReport, checkSelection, isSelected, runModule, sleep } from '../runner.js';
import { serveDefault } from '../server.js';
import type { ModuleInfo, ModuleResult, PlanReport } from '../types.js';
import { happyAssertion, newSubject, type AnswerContext } from './assertions.js';
import { checkPushedRequest } from './request-checks.js';
import type { Observation, VerifierModule } from './module.js';
import { VERIFIER_MODULES } from './modules.js';
import { createMutation, SkipModule } from './mutation.js';
import { createSuiteBank, type BankEvent, type PushedRecord, type SuiteBank } from './suite-bank.js';

/** Options of {@link runVerifierPlan}; `target` is the relying party's test interface, the suite plays the bank. */
export interface VerifierPlanOptions extends PlanOptions {
  /** How long to wait for the partner's decision on one flow, in ms (default 5000). */
  decisionTimeoutMs?: number;
}

/** The first module of the plan: the partner's test interface itself (it gates the others). */
export const VERIFIER_INTERFACE_MODULE: ModuleInfo = {
  id: 'verifier-test-interface',
  title: "The relying party's conformance test interface answers as spec/17 defines",
  requirements: ['SHO-CONF-4', 'SHO-CONF-7'],
  level: 'MUST',
  kind: 'interface',
  expected: { result: 'accepted' },
};

/** Every module of the verifier plan, in run order. */
export const VERIFIER_PLAN: readonly ModuleInfo[] = [VERIFIER_INTERFACE_MODULE, ...VERIFIER_MODULES];

/** Margin added to the partner's refetch cooldown before a module that needs a key-set request. */
const COOLDOWN_MARGIN_MS = 300;
/** How long to wait for a decision the relying party may never report (a flow it rightly abandoned). */
const SILENT_WAIT_MS = 1500;

interface FlowResult {
  observed: Observed;
  pushed?: PushedRecord;
  authorizationUrl?: string;
  /** Claims of the assertion the bank handed out (for the replay module). */
  claims?: Record<string, unknown>;
  skipped?: string;
  problem?: string;
}

/**
 * Runs the verifier plan (issue 4): the suite plays a bank on loopback — metadata, JWKS, push,
 * authorization and exchange endpoints — while the partner's relying party, driven through its test
 * interface, starts flows against it; the bank answers each flow with the module's assertion (the happy
 * path plus one mutation), then the suite reads the relying party's decision and compares it with what
 * the spec expects.
 *
 * @throws TypeError for unknown module ids in `only` / `skip` or a missing `target`.
 * @example
 * const report = await runVerifierPlan({ target: 'http://127.0.0.1:8080/conformance', onResult: print });
 * process.exitCode = report.counts.FAILED > 0 ? 1 : 0;
 * @see spec/17-conformance-interface.md
 */
export async function runVerifierPlan(options: VerifierPlanOptions): Promise<PlanReport> {
  if (typeof options?.target !== 'string' || options.target.length === 0) throw invalidArgument('options.target must be the URL of the partner test interface');
  checkSelection(VERIFIER_PLAN, options);
  const startedAt = Date.now();
  const keys = { bank: await createForgeKey(), attacker: await createForgeKey() };
  const offCurve = await offCurveJwk(await createForgeKey());
  const bank = createSuiteBank(keys);
  const server = await (options.serve ?? serveDefault)(bank.handler, { host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  bank.setOrigin(options.publicUrl ?? server.url);
  const client = createInterfaceClient({ target: options.target, ...(options.bearerToken !== undefined ? { bearerToken: options.bearerToken } : {}), ...(options.fetch !== undefined ? { fetch: options.fetch } : {}) });
  const results: ModuleResult[] = [];
  let info: RelyingPartyInfo | undefined;
  try {
    // Always runs, whatever --only and --skip say: every other module depends on it.
    results.push(
      await runModule(VERIFIER_INTERFACE_MODULE, async (log) => {
        info = await setUp(log, client, bank);
      }, { ...options, skip: [] }),
    );
    const sub = newSubject();
    const linked = { value: false };
    for (const module of VERIFIER_MODULES) {
      if (!isSelected(module, options)) continue;
      results.push(
        await runModule(module, async (log) => {
          if (info === undefined) {
            log.skip('the test interface is not usable (see verifier-test-interface)');
            return;
          }
          await runVerifierModule(module, log, { info, bank, client, keys, offCurve, sub, decisionTimeoutMs: options.decisionTimeoutMs ?? 5000, linked, fetch: options.fetch ?? globalThis.fetch });
        }, options),
      );
    }
  } finally {
    await server.close();
  }
  return buildReport({
    plan: 'verifier',
    target: { url: options.target, ...(info !== undefined ? { party: info.party } : {}) },
    suite: { party: bank.id(), role: 'bank' },
    startedAt,
    selection: options,
    modules: results,
  });
}

/** Reads the partner's info document and registers the suite's bank in its sandbox trust configuration. */
async function setUp(log: ModuleLog, client: InterfaceClient, bank: SuiteBank): Promise<RelyingPartyInfo | undefined> {
  const info = await client.relyingPartyInfo(log);
  log.record(checkThat('info document', 'SHO-CONF-4', info.ok, 'a relying-party info document', info.ok ? 'valid' : info.problem));
  if (!info.ok) return undefined;
  log.info(`relying party ${info.value.party}; actions ${info.value.actions.join(', ')}; policy ${info.value.policy.policy_id} ${info.value.policy.version}; key fetch timeout ${info.value.key_fetch.timeout_ms} ms, cooldown ${info.value.key_fetch.cooldown_seconds} s`);
  const registered = await registerSuiteParty(log, client, {
    offered: info.value.registration, partner: 'relying party', suite: 'bank', id: bank.id(),
    kinds: ['link', 'transaction'], purpose: 'link and transaction assertions',
  });
  if (!registered) return undefined;
  return info.value;
}

interface ModuleContext {
  info: RelyingPartyInfo;
  bank: SuiteBank;
  client: InterfaceClient;
  keys: { bank: ForgeKey; attacker: ForgeKey };
  offCurve: Awaited<ReturnType<typeof offCurveJwk>>;
  sub: string;
  decisionTimeoutMs: number;
  /** Whether an account-link flow was accepted in this run (payouts need a linked account). */
  linked: { value: boolean };
  fetch: typeof fetch;
}

async function runVerifierModule(module: VerifierModule, log: ModuleLog, context: ModuleContext): Promise<void> {
  context.bank.setLog(log);
  try {
    await runVerifierModuleLogged(module, log, context);
  } finally {
    context.bank.setLog(undefined);
  }
}

async function runVerifierModuleLogged(module: VerifierModule, log: ModuleLog, context: ModuleContext): Promise<void> {
  const { info, bank } = context;
  if (!info.actions.includes(module.action)) {
    log.skip(`the relying party does not offer ${module.action} flows`);
    return;
  }
  const notApplicable = module.applies?.(info);
  if (notApplicable !== undefined) {
    log.skip(notApplicable);
    return;
  }
  const fresh = await createForgeKey();
  if (module.action === 'payout' && !context.linked.value && info.actions.includes('account_link')) {
    // A relying party pays out only to an account the same holder linked (SHO-TXN-9): link once first.
    const link = await runFlow({ ...module, action: 'account_link', mutation: undefined } as VerifierModule, log, context, { hostile: false, fresh, previous: [] });
    log.record(checkThat('account linked before the first payout', 'SHO-TXN-9', link.observed.result === 'accepted', 'accepted', link.problem ?? describeObserved(link.observed)));
    if (link.observed.result !== 'accepted') return;
  }
  const previous: Record<string, unknown>[] = [];
  for (let index = 0; index < (module.before ?? 0); index++) {
    const flow = await runFlow(module, log, context, { hostile: false, fresh, previous });
    const holds = flow.observed.result === 'accepted' && flow.claims !== undefined;
    log.record(checkThat(`happy flow ${index + 1} before the hostile one`, module.requirements[0], holds, 'accepted', flow.problem ?? describeObserved(flow.observed)));
    if (!holds) return;
    previous.push(flow.claims as Record<string, unknown>);
  }
  if (module.jwks !== undefined) await waitForCooldown(log, bank.events, info);
  const slowMs = info.key_fetch.timeout_ms + 1000;
  bank.setJwks(module.jwks === undefined ? undefined : { scenario: module.jwks, fresh, offCurve: context.offCurve, slowMs, maxBytes: info.key_fetch.max_body_bytes });
  const mark = bank.events.length;
  let flow: FlowResult;
  try {
    // A relying party that stops a flow early may never report on it: waiting long proves nothing more.
    const decisionTimeoutMs = module.silentIsRejection === true ? Math.min(context.decisionTimeoutMs, SILENT_WAIT_MS) : context.decisionTimeoutMs + (module.jwks === 'slow' ? slowMs : 0);
    flow = await runFlow(module, log, { ...context, decisionTimeoutMs }, { hostile: true, fresh, previous });
  } finally {
    bank.setJwks(undefined);
  }
  if (flow.skipped !== undefined) {
    log.skip(flow.skipped);
    return;
  }
  if (flow.problem !== undefined) {
    log.record(checkThat('flow driven through the test interface', 'SHO-CONF-8', false, 'a flow the suite can complete', flow.problem));
    return;
  }
  let observed = flow.observed;
  if (module.silentIsRejection === true && observed.result === 'none') {
    log.info('the relying party reported no decision for the flow: it never reached one, which counts as a refusal here');
    observed = { result: 'rejected', codes: module.expected.result === 'rejected' && module.expected.code !== undefined ? [module.expected.code] : [] };
  }
  log.record(checkDecision(module.expected, observed, module.requirements[0]), module.level);
  const during = bank.events.slice(mark);
  for (const observation of module.observe ?? []) log.record(observe(observation, during, module.requirements), module.level);
  if (module.checkRequest === true && flow.pushed !== undefined && flow.authorizationUrl !== undefined) {
    await checkPushedRequest(log, { pushed: flow.pushed, authorizationUrl: flow.authorizationUrl, info, bankId: bank.id() });
  }
}

/** Waits until the partner may fetch the key set again (SHO-FETCH-9): its cooldown since our last JWKS answer. */
async function waitForCooldown(log: ModuleLog, events: readonly BankEvent[], info: RelyingPartyInfo): Promise<void> {
  const last = [...events].reverse().find((event) => event.type === 'jwks');
  if (last === undefined) return;
  const wait = last.time + info.key_fetch.cooldown_seconds * 1000 + COOLDOWN_MARGIN_MS - Date.now();
  if (wait > 0) {
    log.info(`waiting ${wait} ms for the relying party's key-set cooldown (${info.key_fetch.cooldown_seconds} s)`);
    await sleep(wait);
  }
}

function observe(observation: Observation, events: readonly BankEvent[], requirements: readonly string[]): ReturnType<typeof checkThat> {
  const count = (type: BankEvent['type']) => events.filter((event) => event.type === type).length;
  switch (observation) {
    case 'no-exchange':
      return checkThat('the code was not exchanged', 'SHO-FLOW-11', count('exchange') === 0, 'no call to the assertion endpoint', `${count('exchange')} call(s)`);
    case 'no-attacker-fetch':
      return checkThat('URLs named in the token were not fetched', 'SHO-JWS-10', count('attacker') === 0, 'no request to the attacker URL', `${count('attacker')} request(s)`);
    case 'one-jwks-fetch':
      return checkThat('key set fetched exactly once', requirements.includes('SHO-FETCH-9') ? 'SHO-FETCH-9' : 'SHO-FETCH-8', count('jwks') === 1, '1 request', `${count('jwks')} request(s)`);
    case 'at-most-one-jwks-fetch':
      return checkThat('key set fetched at most once', 'SHO-FETCH-9', count('jwks') <= 1, 'at most 1 request', `${count('jwks')} request(s)`);
    case 'no-jwks-fetch':
      return checkThat('cached key set used', 'SHO-FETCH-8', count('jwks') === 0, 'no request', `${count('jwks')} request(s)`);
  }
}

/**
 * One flow, driven as the partner's customer would: the relying party starts it (and pushes its request
 * to the suite's bank), the suite's "browser" visits the bank's authorization URL, which answers at once
 * with a redirect carrying a code for the module's token, and then the relying party's callback; the
 * relying party exchanges the code, verifies, decides, and reports its decision.
 */
async function runFlow(module: VerifierModule, log: ModuleLog, context: ModuleContext, flow: { hostile: boolean; fresh: ForgeKey; previous: readonly Record<string, unknown>[] }): Promise<FlowResult> {
  const { bank, client, info } = context;
  const started = await client.startFlow(log, module.action, bank.id());
  if ('problem' in started) return { observed: none(), problem: started.problem };
  let authorization: URL;
  try {
    authorization = new URL(started.authorization_url);
  } catch {
    return { observed: none(), problem: 'the authorization_url is not a URL' };
  }
  if (`${authorization.origin}${authorization.pathname}` !== bank.urls().authorization) {
    return { observed: none(), problem: "the relying party did not send the browser to the suite bank's authorization endpoint" };
  }
  const pushed = bank.pushed(authorization.searchParams.get('request_uri') ?? '');
  if (pushed === undefined) return { observed: none(), problem: 'the authorization URL names no request the relying party pushed to the suite bank' };

  let claims: Record<string, unknown> | undefined;
  let skipped: string | undefined;
  bank.onAuthorize(async (record) => {
    const answerContext: AnswerContext = {
      bankId: bank.id(),
      bank: context.keys.bank,
      sub: context.sub,
      now: Math.floor(Date.now() / 1000),
      rule: info.policy.rules[record.claims.action],
      request: { token: record.token, claims: record.claims },
    };
    const happy = await happyAssertion(answerContext);
    claims = happy.claims;
    if (!flow.hostile) return { token: forge({ header: happy.header, payload: happy.claims, key: context.keys.bank }), kind: kindOfTyp(happy.header.typ) ?? 'link' };
    const behaviour = module.bank;
    if (module.mutation === undefined) return { token: forge({ header: happy.header, payload: happy.claims, key: context.keys.bank }), kind: kindOfTyp(happy.header.typ) ?? 'link', ...(behaviour !== undefined ? { behaviour } : {}) };
    try {
      const mutation = createMutation({
        happy,
        context: answerContext,
        keys: { ...context.keys, fresh: flow.fresh, offCurve: context.offCurve },
        info,
        previous: flow.previous,
        urls: { attackerJwks: bank.urls().attackerJwks, x5u: bank.urls().x5u },
      });
      const token = await module.mutation(mutation);
      claims = mutation.claims;
      return { token, kind: typOfToken(token) ?? 'link', ...(behaviour !== undefined ? { behaviour } : {}) };
    } catch (error) {
      if (!(error instanceof SkipModule)) throw error;
      skipped = error.message;
      return { token: '', kind: 'link', error: 'ISSUANCE_REFUSED' };
    }
  });

  const bankAnswer = await suiteCall(log, { method: 'GET', url: started.authorization_url }, context.fetch);
  const location = bankAnswer?.headers.get('location');
  if (bankAnswer?.status !== 303 || location === null || location === undefined) {
    return { observed: none(), pushed, problem: `the suite bank could not complete the authorization (${bankAnswer?.status ?? 'no answer'})` };
  }
  const cookie = started.cookies.join('; ');
  await suiteCall(log, { method: 'GET', url: location, headers: { accept: 'text/html, application/json', ...(cookie.length > 0 ? { cookie } : {}) } }, context.fetch);
  if (skipped !== undefined) return { observed: none(), skipped };
  const status = await client.waitForDecision(log, started.flow, context.decisionTimeoutMs);
  if (module.action === 'account_link' && status?.decision?.outcome === 'allow') context.linked.value = true;
  return { observed: observedOf(status), pushed, authorizationUrl: started.authorization_url, ...(claims !== undefined ? { claims } : {}) };
}

function typOfToken(token: string): string | undefined {
  try {
    return kindOfTyp(parseCompact(token, { maxLength: 65_536 }).header.typ);
  } catch {
    return undefined;
  }
}

function none(): Observed {
  return { result: 'none', codes: [] };
}

function observedOf(status: FlowStatus | undefined): Observed {
  if (status === undefined || status.status === 'pending') return none();
  if (status.status === 'failed') return { result: 'rejected', codes: status.error === undefined ? [] : [status.error] };
  const decision = status.decision;
  if (decision === undefined) return none();
  const result = decision.outcome === 'allow' ? 'accepted' : decision.outcome === 'review' ? 'review' : 'rejected';
  return { result, codes: decision.reasons.map((reason) => reason.code) };
}

function describeObserved(observed: Observed): string {
  return observed.codes.length === 0 ? observed.result : `${observed.result} (${observed.codes.join(', ')})`;
}
