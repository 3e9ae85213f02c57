/**
 * The set-up the two example relying parties (the securities backend and the wallet) share around their
 * flows: their options and verifier options, their banks' metadata, form bodies, error answers and the
 * flow and decision-log routes.
 */
import type { Context, Hono } from 'hono';
import { ShomeiError, type PartyMetadata } from 'shomei';
import { createVerifier, DEFAULT_POLICY, fetchPartyMetadata, type FetchLike, type TrustConfigInput, type VerifierOptions } from 'shomei/verifier';
import { html, page, type SafeHtml } from './html.js';
import { bindFlowToBrowser, browserHoldsFlow, decisionPage, htmlResponse, redirectWithCookies, wantsJson, type FlowBook, type FlowRecord } from './relying-party.js';

/** What configures an example relying party, whatever its business. */
export interface RelyingPartyOptions {
  /** Its party identifier (and base URL). */
  issuer: string;
  /** Display name, for pages and metadata. */
  name: string;
  /** The banks it works with (party identifiers); each must be in `trust`. */
  banks: string[];
  /** The banks it trusts, for which kinds and up to which levels. */
  trust: TrustConfigInput;
  /** The `fetch` for calls to the banks (metadata, push, exchange). */
  fetch?: FetchLike;
  keySet?: VerifierOptions['keySet'];
  clock?: () => number;
}

/**
 * The relying party's verifier options but its trust: it verifies what is addressed to it, with the
 * default policy, records every decision, and checks replays in `replayStore` (the verifier's own
 * in-memory store when absent).
 */
export function relyingPartyVerifierOptions(
  options: RelyingPartyOptions,
  extra: { clock: () => number; decisionLog: VerifierOptions['decisionLog']; replayStore?: VerifierOptions['replayStore'] },
): Omit<VerifierOptions, 'trust'> {
  return {
    audience: options.issuer,
    policy: DEFAULT_POLICY,
    decisionLog: extra.decisionLog,
    ...(extra.replayStore !== undefined ? { replayStore: extra.replayStore } : {}),
    clock: extra.clock,
    ...(options.keySet !== undefined ? { keySet: options.keySet } : {}),
  };
}

/** A verifier with the relying party's fixed trust configuration (SHO-TRUST-1). */
export function createRelyingPartyVerifier(options: RelyingPartyOptions, extra: Parameters<typeof relyingPartyVerifierOptions>[1]): ReturnType<typeof createVerifier> {
  return createVerifier({ ...relyingPartyVerifierOptions(options, extra), trust: options.trust });
}

/** The banks' metadata, fetched once per bank. */
export class BankMetadata {
  readonly #byBank = new Map<string, Promise<PartyMetadata>>();

  constructor(private readonly fetch?: FetchLike) {}

  get(bank: string): Promise<PartyMetadata> {
    let metadata = this.#byBank.get(bank);
    if (metadata === undefined) {
      metadata = fetchPartyMetadata(bank, this.fetch !== undefined ? { fetch: this.fetch } : {});
      // A failed fetch is not cached: the next flow tries again.
      metadata.catch(() => this.#byBank.delete(bank));
      this.#byBank.set(bank, metadata);
    }
    return metadata;
  }

  /** Forgets a bank's metadata (a sandbox re-registered it). */
  forget(bank: string): void {
    this.#byBank.delete(bank);
  }
}

/** The string fields of a JSON (API client) or form (browser) body. */
export async function readBody(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('content-type') ?? '';
  const raw: Record<string, unknown> = type.startsWith('application/json') ? await c.req.json() : await c.req.parseBody();
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** A refusal of the relying party itself: JSON for API clients, a page (with a way back to `home`, if given) for browsers. */
export function problemResponse(c: Context, brand: string, status: 400 | 404 | 409, message: string, home?: string): Response {
  if (wantsJson(c)) return c.json({ error: message }, status);
  const back = home === undefined ? '' : html`<p><a href="${home}">戻る</a></p>`;
  return htmlResponse(page(brand, brand, html`<p class="error">${message}</p>${back}`), status);
}

/** The form fields of a Zengin account at one of `banks`, prefilled with the sandbox's `account`. */
export function accountFields(banks: readonly string[], account: { branch_code: string; number: string }): SafeHtml {
  return html`
  <label for="bank">銀行</label>
  <select id="bank" name="bank">${banks.map((bank) => html`<option value="${bank}">${bank}</option>`)}</select>
  <div class="row">
    <div><label for="bank_code">金融機関コード</label><input type="text" id="bank_code" name="bank_code" value="0999" pattern="[0-9]{4}" required></div>
    <div><label for="branch_code">支店番号</label><input type="text" id="branch_code" name="branch_code" value="${account.branch_code}" pattern="[0-9]{3}" required></div>
    <div><label for="number">口座番号（普通）</label><input type="text" id="number" name="number" value="${account.number}" pattern="[0-9]{7}" required></div>
  </div>
  <input type="hidden" name="type" value="1">`;
}

/**
 * Sends the browser (or an API client) to the bank for a pushed flow, bound to this browser by the
 * `cookie` holding its state (SHO-FLOW-11).
 */
export function sendToBank(c: Context, cookie: string, started: { flow: string; state: string; authorizationUrl: string }): Response {
  bindFlowToBrowser(c, cookie, started.state);
  return wantsJson(c) ? c.json({ flow_id: started.flow, authorization_url: started.authorizationUrl }, 201) : redirectWithCookies(c, started.authorizationUrl);
}

/** Answers with a flow that already ended (the bank refused the push): its decision, or its page. */
export function showEndedFlow(c: Context, flow: FlowRecord): Response {
  return wantsJson(c) ? c.json({ flow_id: flow.id, decision: flow.decisions.at(-1) }, 200) : redirectWithCookies(c, `/flows/${flow.id}`);
}

/**
 * The flow a bank's redirect to `/callback` answers, with its parameters — only in the browser that
 * started it (`cookie`, SHO-FLOW-11); undefined otherwise.
 */
export function callbackFlow<F extends FlowRecord>(c: Context, flows: FlowBook<F>, cookie: string): { flow: F & Required<Pick<F, 'pushed'>>; params: URLSearchParams } | undefined {
  const params = new URL(c.req.url).searchParams;
  const flow = flows.byState(params.get('state'));
  if (flow?.pushed === undefined || !browserHoldsFlow(c, cookie, params.get('state'))) return undefined;
  return { flow: flow as F & Required<Pick<F, 'pushed'>>, params };
}

/** The refusal of a callback that belongs to no flow started in this browser. */
export const NO_SUCH_FLOW = 'REQUEST_MISMATCH: this answer belongs to no flow started in this browser';

/**
 * Mounts `GET /flows/:id` (the decision of a flow, as JSON or page), `GET /api/decisions` (the decision
 * log) and an error handler that answers with an error code only — never details or personal data.
 */
export function mountFlowRoutes<F extends FlowRecord>(app: Hono, options: { brand: string; flows: FlowBook<F>; decisions: () => unknown; home?: string }): void {
  const { brand, flows, home } = options;
  app.get('/flows/:id', (c) => {
    const flow = flows.get(c.req.param('id'));
    if (flow === undefined) return problemResponse(c, brand, 404, 'no flow with this id', home);
    if (wantsJson(c)) return c.json({ flow_id: flow.id, action: flow.action, status: flow.status, decision: flow.decisions.at(-1) ?? null, decisions: flow.decisions });
    return htmlResponse(decisionPage(brand, flow, '/'));
  });
  app.get('/api/decisions', (c) => c.json({ entries: options.decisions() }));
  app.onError((error, c) => c.json({ error: error instanceof ShomeiError ? error.code : 'internal' }, 500));
}
