/**
 * The documents of the conformance test interface (spec/17-conformance-interface.md, SHO-CONF): what a
 * partner's sandbox answers so that a plan runs without a person. Shared by the suite (which reads them
 * as hostile partner data) and by the helpers a partner mounts (which produce them).
 */
import { z } from 'zod';
import { Account } from '../../claims/account.js';
import { PartyId } from '../../claims/common.js';
import { IdentityData } from '../../claims/identity-match.js';
import { policySchema } from '../../policy/schema.js';
import { ACTIONS } from '../../vocabulary/actions.js';

/** The interface version a document speaks (SHO-CONF-3). */
export const INTERFACE_VERSION = 'shomei-conformance/1';

const FlowId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, '1–128 base64url characters');

/** How a relying party's verifier fetches keys: the suite times its key-set modules by it (SHO-CONF-6). */
export const KeyFetchSettings = z.strictObject({
  /** The partner's deadline for one key-set request, in ms. */
  timeout_ms: z.number().int().min(1).max(60_000),
  /** The partner's minimum time between two requests for the same key set, in seconds (SHO-FETCH-9). */
  cooldown_seconds: z.number().min(0).max(3600),
  /** The largest key set it reads, in bytes (SHO-FETCH-5; default 65536). */
  max_body_bytes: z.number().int().min(1024).max(16_777_216).default(65_536),
});
export type KeyFetchSettings = z.infer<typeof KeyFetchSettings>;

/** `GET {interface}` of a relying party (SHO-CONF-4). */
export const RelyingPartyInfo = z.object({
  interface: z.literal(INTERFACE_VERSION),
  role: z.literal('relying_party'),
  /** The relying party's party identifier (its `iss`, its `client_id`). */
  party: PartyId,
  /** The flows it can start for its test customer. */
  actions: z.array(z.enum(ACTIONS)).min(1),
  /** The policy its verifier applies (SHO-POL-1): the suite derives the "below policy" modules from it. */
  policy: policySchema,
  key_fetch: KeyFetchSettings,
  clock_tolerance_seconds: z.number().int().min(0).max(60).default(10),
  max_token_bytes: z.number().int().min(256).max(1_048_576).default(16_384),
  /** Whether `POST {interface}/trust` is offered (SHO-CONF-7). */
  registration: z.boolean().default(false),
});
export type RelyingPartyInfo = z.infer<typeof RelyingPartyInfo>;

/** A synthetic test customer of a bank sandbox (SHO-CONF-2, SHO-CONF-10). */
export const TestCustomer = z.object({
  id: FlowId,
  /** Accounts the customer holds at the bank: the suite links and pays out with these. */
  accounts: z.array(Account).min(1),
  /** What the bank holds as the customer's verified identity, in the request's `identity` form (SHO-REQ-9). */
  identity: IdentityData.optional(),
});
export type TestCustomer = z.infer<typeof TestCustomer>;

/** `GET {interface}` of a bank (SHO-CONF-4). */
export const BankInfo = z.object({
  interface: z.literal(INTERFACE_VERSION),
  role: z.literal('bank'),
  party: PartyId,
  customers: z.array(TestCustomer).min(1),
  /** The actions its request endpoint serves. */
  actions: z.array(z.enum(ACTIONS)).min(1),
  registration: z.boolean().default(false),
});
export type BankInfo = z.infer<typeof BankInfo>;

/** `POST {interface}/flows` body (SHO-CONF-8). */
export const StartFlowRequest = z.strictObject({
  action: z.enum(ACTIONS),
  /** The bank to send the customer to: a party the relying party trusts. */
  bank: PartyId,
});
export type StartFlowRequest = z.infer<typeof StartFlowRequest>;

/** `POST {interface}/flows` answer (SHO-CONF-8). */
export const StartFlowResponse = z.object({
  flow: FlowId,
  /** Where the customer's browser is sent: the bank's authorization endpoint with client_id and request_uri. */
  authorization_url: z.string().url().max(4096),
});
export type StartFlowResponse = z.infer<typeof StartFlowResponse>;

/** One reason of a reported decision: the code, and optionally the requirement (no messages: SHO-ERR-3). */
const ReportedReason = z.object({ code: z.string().max(64), requirement: z.string().max(32).optional() });

/** `GET {interface}/flows/{flow}` answer (SHO-CONF-9). */
export const FlowStatus = z.object({
  flow: FlowId,
  /** `pending` until the relying party decided or the flow ended in an error. */
  status: z.enum(['pending', 'decided', 'failed']),
  decision: z
    .object({
      outcome: z.enum(['allow', 'deny', 'review']),
      reasons: z.array(ReportedReason).max(64),
    })
    .optional(),
  /** For `failed`: the code that ended the flow (a redirect `error`, a refused exchange, a transport failure). */
  error: z.string().max(64).optional(),
});
export type FlowStatus = z.infer<typeof FlowStatus>;

/** `POST {interface}/authorize` body at a bank: the test-login hook (SHO-CONF-11). */
export const AuthorizeRequest = z.strictObject({
  client_id: PartyId,
  request_uri: z.string().min(1).max(512),
  customer: FlowId,
  /** `false` simulates the customer cancelling or failing authentication (SHO-FLOW-10). */
  approve: z.boolean().default(true),
});
export type AuthorizeRequest = z.infer<typeof AuthorizeRequest>;

/** `POST {interface}/authorize` answer: where the bank redirects the browser (SHO-FLOW-9 / SHO-FLOW-10). */
export const AuthorizeResponse = z.object({ location: z.string().url().max(8192) });
export type AuthorizeResponse = z.infer<typeof AuthorizeResponse>;

/** `POST {interface}/trust` body: one trust-configuration party entry (SHO-TRUST-2), registered in the sandbox. */
export const RegistrationRequest = z.object({
  id: PartyId,
  keys: z.strictObject({ jwks_uri: PartyId }),
  kinds: z.array(z.enum(['request', 'link', 'transaction', 'identity'])).min(1),
  max_ial: z.enum(['ial1', 'ial2', 'ial3']),
  max_aal: z.enum(['aal1', 'aal2', 'aal3']),
  algs: z.array(z.enum(['ES256', 'EdDSA', 'PS256'])).min(1),
  status: z.literal('active'),
  redirect_uris: z.array(PartyId).min(1).optional(),
});
export type RegistrationRequest = z.infer<typeof RegistrationRequest>;

