import type { z } from 'zod';
import { suiteCall, type SuiteResponse } from '../http-client.js';
import { redactUrl } from '../redact.js';
import type { ModuleLog } from '../log.js';
import { BankInfo, FlowStatus, RelyingPartyInfo, StartFlowResponse, type RegistrationRequest } from './schemas.js';

/** Options of {@link createInterfaceClient}. */
export interface InterfaceClientOptions {
  /** The partner's test interface URL (`--target`). */
  target: string;
  /** Sent as `Authorization: Bearer …` when the partner protects its interface (SHO-CONF-5). */
  bearerToken?: string;
  fetch?: typeof fetch;
}

/** A started flow, with the cookies the relying party set (the suite's "browser" sends them back). */
export interface StartedFlow extends StartFlowResponse {
  cookies: string[];
}

/**
 * The suite's side of the conformance test interface (spec/17-conformance-interface.md). Partner answers
 * are hostile input: each is validated against its schema, and a wrong one is reported, not trusted.
 */
export function createInterfaceClient(options: InterfaceClientOptions) {
  const base = options.target.replace(/\/+$/, '');
  const headers: Record<string, string> = options.bearerToken === undefined ? {} : { authorization: `Bearer ${options.bearerToken}` };
  const fetchFn = options.fetch ?? globalThis.fetch;

  async function getDocument<T extends z.ZodType>(log: ModuleLog | undefined, schema: T, url: string): Promise<{ ok: true; value: z.output<T> } | { ok: false; problem: string }> {
    const response = await suiteCall(log, { method: 'GET', url, headers }, fetchFn);
    if (response === undefined) return { ok: false, problem: `no answer from ${redactUrl(url)}` };
    if (response.status !== 200 || response.json === undefined) return { ok: false, problem: `${redactUrl(url)} answered ${response.status} without a JSON object` };
    const parsed = schema.safeParse(response.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // Path and code only: a zod message may quote what the partner sent (customer records included).
      return { ok: false, problem: `${redactUrl(url)} is not a conformance interface document (${issue?.path.join('.') ?? ''}: ${issue?.code ?? 'invalid'})` };
    }
    return { ok: true, value: parsed.data };
  }

  return {
    base,
    relyingPartyInfo: (log?: ModuleLog) => getDocument(log, RelyingPartyInfo, base),
    bankInfo: (log?: ModuleLog) => getDocument(log, BankInfo, base),

    /** `POST /trust`: 204 registered, 404 not offered (the partner was configured by hand), else failed. */
    async register(log: ModuleLog | undefined, entry: RegistrationRequest): Promise<'registered' | 'not-offered' | 'failed'> {
      const response = await suiteCall(log, { method: 'POST', url: `${base}/trust`, json: entry, headers }, fetchFn);
      if (response?.status === 204 || response?.status === 200) return 'registered';
      if (response?.status === 404) return 'not-offered';
      return 'failed';
    },

    async startFlow(log: ModuleLog | undefined, action: string, bank: string): Promise<StartedFlow | { problem: string }> {
      const response = await suiteCall(log, { method: 'POST', url: `${base}/flows`, json: { action, bank }, headers }, fetchFn);
      if (response === undefined) return { problem: 'the relying party did not answer the start of the flow' };
      if (response.status !== 201 && response.status !== 200) {
        const code = typeof response.json?.error === 'string' ? ` (${response.json.error})` : '';
        return { problem: `the relying party refused to start the flow: ${response.status}${code}` };
      }
      const parsed = StartFlowResponse.safeParse(response.json);
      if (!parsed.success) return { problem: 'the start-flow answer has no flow and authorization_url' };
      return { ...parsed.data, cookies: cookiesOf(response) };
    },

    async flowStatus(log: ModuleLog | undefined, flow: string): Promise<FlowStatus | undefined> {
      const result = await getDocument(log, FlowStatus, `${base}/flows/${encodeURIComponent(flow)}`);
      return result.ok ? result.value : undefined;
    },

    /** Polls the flow until it is decided or failed, or `timeoutMs` passed. Only the last poll is logged. */
    async waitForDecision(log: ModuleLog | undefined, flow: string, timeoutMs: number): Promise<FlowStatus | undefined> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const last = Date.now() + 50 >= deadline;
        const status = await this.flowStatus(last ? log : undefined, flow);
        if (status !== undefined && status.status !== 'pending') {
          if (!last) log?.info(`flow ${flow}: ${status.status}`);
          return status;
        }
        if (last) return status;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },

    authorize: (log: ModuleLog | undefined, body: Record<string, unknown>): Promise<SuiteResponse | undefined> =>
      suiteCall(log, { method: 'POST', url: `${base}/authorize`, json: body, headers }, fetchFn),
  };
}

export type InterfaceClient = ReturnType<typeof createInterfaceClient>;

/** `name=value` of each Set-Cookie (attributes dropped: the suite's browser is one short session). */
export function cookiesOf(response: SuiteResponse): string[] {
  const all = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
  return all.map((cookie) => cookie.split(';', 1)[0]?.trim() ?? '').filter((cookie) => cookie.includes('='));
}
