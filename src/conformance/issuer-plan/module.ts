import type { PartyMetadata } from '../../transport/metadata.js';
import type { Action } from '../../vocabulary/actions.js';
import type { BankInfo } from '../interface/schemas.js';
import type { ModuleInfo } from '../types.js';
import type { TokenMutation } from './requests.js';

/**
 * What an issuer-plan module does (the suite plays the relying party, the partner is the bank):
 * - `metadata`, `jwks`: fetch and check the published documents (SHO-KEY);
 * - `push`: push the happy request with the module's mutation and judge the answer (SHO-FLOW-5, SHO-REQ);
 * - `push-twice`: push one request twice; the second answer is judged (SHO-REQ-14);
 * - `push-raw`: a broken push body or method (SHO-FLOW-7);
 * - `authorize-unknown`, `authorize-client-mismatch`, `authorize-reused`: the authorization endpoint
 *   must refuse without redirecting (SHO-FLOW-8);
 * - `redirect`, `exchange`, `code-reused`, `code-unknown`: the happy flow's redirect and exchange (SHO-FLOW-9, 14);
 * - `customer-cancels`, `account-not-held`: the flow ends with an error redirect (SHO-FLOW-10, SHO-LINK-6);
 * - `assertion`: the assertion of a happy flow, checked against the spec (SHO-LINK, SHO-TXN, SHO-BIND);
 * - `consent-screen`: what the customer saw — only a person can tell (REVIEW, assisted runs only);
 * - `nonce`, `reverse`: the reverse flow's nonce endpoint and identity-assertion push (SHO-FLOW-12, 13; SHO-IDA).
 */
export type IssuerScenario =
  | 'metadata'
  | 'jwks'
  | 'push'
  | 'push-twice'
  | 'push-raw'
  | 'authorize-unknown'
  | 'authorize-client-mismatch'
  | 'authorize-reused'
  | 'redirect'
  | 'exchange'
  | 'code-reused'
  | 'code-unknown'
  | 'customer-cancels'
  | 'account-not-held'
  | 'assertion'
  | 'consent-screen'
  | 'nonce'
  | 'reverse';

/** An issuer-plan module: data, with the one mutation it applies to the happy request. */
export interface IssuerModule extends ModuleInfo {
  scenario: IssuerScenario;
  /** The request's action (default `account_link`). */
  action?: Action;
  /** `push`: the hostile request token (the happy request plus one mutation). */
  mutation?: (m: TokenMutation) => string | Promise<string>;
  /** `reverse`: the hostile identity assertion; `m.claims.nonce` is a fresh nonce from the bank. */
  identityMutation?: (m: TokenMutation) => string | Promise<string>;
  /** `reverse`: the nonce to put in the identity assertion — a fresh one (default), a used one, or one never issued. */
  nonce?: 'fresh' | 'used' | 'unknown';
  /** `push-raw`: what to send instead of a JSON body with the request. */
  raw?: { method: 'GET' | 'POST' | 'PUT'; contentType?: string; body?: 'not-json' | 'too-large' | 'no-request' };
  /** Why the module does not apply to this bank, or undefined. */
  applies?: (info: BankInfo, metadata: PartyMetadata) => string | undefined;
}
