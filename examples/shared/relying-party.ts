/**
 * What the two example relying parties (the securities backend and the wallet) share: their flow
 * records, the decision summary they answer with, and the pages that show it. Each keeps its own
 * business logic (linked payout accounts, direct debits) in its own app.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomId } from 'shomei/issuer';
import type { Decision, PartnerError, PushedRequest } from 'shomei/verifier';
import { html, page, pageHeaders, type SafeHtml } from './html.js';

/** A decision as the relying party answers it: outcome, reason codes with their messages, the policy. */
export interface DecisionSummary {
  outcome: 'allow' | 'deny' | 'review';
  /** Where the flow stopped: the bank refused the push, the bank redirected with an error, or our verifier decided. */
  stage: 'push' | 'bank' | 'verification';
  reasons: Array<{ code: string; requirement?: string; message: string }>;
  policy?: { id: string; version: string };
  kind?: string;
  /** What the relying party did because of it, in plain words. */
  effect?: string;
}

export interface FlowRecord {
  id: string;
  action: 'account_link' | 'payout' | 'direct_debit_registration';
  customerId: string;
  bank: string;
  pushed?: PushedRequest;
  status: 'awaiting_authorization' | 'completed';
  /** Every decision taken on this flow, oldest first: a replay adds one. */
  decisions: DecisionSummary[];
}

/** Flows by id and by state (the callback names the state). */
export class FlowBook<F extends FlowRecord> {
  readonly #byId = new Map<string, F>();
  readonly #byState = new Map<string, string>();

  newId(prefix: string): string {
    return `${prefix}_${randomId()}`;
  }

  add(flow: F): void {
    this.#byId.set(flow.id, flow);
    if (flow.pushed !== undefined) this.#byState.set(flow.pushed.state, flow.id);
  }

  get(id: string): F | undefined {
    return this.#byId.get(id);
  }

  byState(state: string | null): F | undefined {
    const id = state === null ? undefined : this.#byState.get(state);
    return id === undefined ? undefined : this.#byId.get(id);
  }
}

/**
 * Binds a flow to the browser that started it (SHO-FLOW-11: the state must be the one started in this
 * browser session). `cookie` is per app: browsers share cookies between ports of one host.
 */
export function bindFlowToBrowser(c: Context, cookie: string, state: string): void {
  setCookie(c, cookie, state, { httpOnly: true, sameSite: 'Lax', path: '/callback', maxAge: 600 });
}

export function browserHoldsFlow(c: Context, cookie: string, state: string | null): boolean {
  return state !== null && getCookie(c, cookie) === state;
}

/** A verifier decision, minus claims (personal data stays out of API answers and logs). */
export function summarize(decision: Decision, effect?: string): DecisionSummary {
  return {
    outcome: decision.outcome,
    stage: 'verification',
    kind: decision.kind,
    reasons: decision.reasons.map((reason) => ({ code: reason.code, requirement: reason.requirement, message: reason.message })),
    ...(decision.policy !== undefined ? { policy: decision.policy } : {}),
    ...(effect !== undefined ? { effect } : {}),
  };
}

/** The bank refused the push (or the exchange) with a protocol error. */
export function refusedByBank(error: PartnerError | Error, stage: 'push' | 'bank'): DecisionSummary {
  const code = 'partnerError' in error && error.partnerError !== undefined ? error.partnerError : 'FETCH_FAILED';
  return { outcome: 'deny', stage, reasons: [{ code, message: stage === 'push' ? 'the bank refused the request' : 'the bank did not complete the flow' }] };
}

/** Whether the client asked for JSON (the demo and API clients) rather than a page (a browser). */
export function wantsJson(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('application/json');
}

/** A 303 that carries the cookies the handler set on the context (Hono does not merge them into a raw Response). */
export function redirectWithCookies(c: Context, location: string): Response {
  const response = new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
  for (const cookie of c.res.headers.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
}

const OUTCOME_TEXT = { allow: '許可 (allow)', deny: '拒否 (deny)', review: '要確認 (review)' } as const;
const ACTION_TEXT = { account_link: '出金先口座の登録', payout: '出金', direct_debit_registration: '口座振替の登録' } as const;

/** The decision page of a flow: outcome, reasons with their codes, the policy version. */
export function decisionPage(brand: string, flow: FlowRecord, home: string): string {
  const latest = flow.decisions.at(-1);
  const body: SafeHtml = latest === undefined
    ? html`<h1>${ACTION_TEXT[flow.action]}</h1><p>銀行での認証を待っています。</p>`
    : html`
<h1>${ACTION_TEXT[flow.action]} の判定</h1>
<p class="outcome ${latest.outcome}" id="outcome" data-outcome="${latest.outcome}">${OUTCOME_TEXT[latest.outcome]}</p>
${latest.effect === undefined ? '' : html`<p>${latest.effect}</p>`}
${latest.reasons.length === 0 ? html`<p>すべての検証とポリシーを満たしました。</p>` : html`
<table id="reasons"><thead><tr><th>code</th><th>requirement</th><th>reason</th></tr></thead><tbody>
${latest.reasons.map((reason) => html`<tr><td><code>${reason.code}</code></td><td>${reason.requirement ?? ''}</td><td>${reason.message}</td></tr>`)}
</tbody></table>`}
<dl class="facts">
  <dt>flow</dt><dd><code>${flow.id}</code></dd>
  <dt>stage</dt><dd>${latest.stage}</dd>
  ${latest.policy === undefined ? '' : html`<dt>policy</dt><dd><code>${latest.policy.id} ${latest.policy.version}</code></dd>`}
</dl>`;
  return page(`${brand} — ${ACTION_TEXT[flow.action]}`, brand, html`${body}<p><a href="${home}">戻る</a></p>`);
}

export function htmlResponse(body: string, status = 200, formTargets: readonly string[] = []): Response {
  return new Response(body, { status, headers: pageHeaders({ formTargets }) });
}
