import type { ModuleInfo } from '../types.js';
import type { RelyingPartyInfo } from '../interface/schemas.js';
import type { Mutation } from './mutation.js';

/**
 * What the suite bank's JWKS endpoint does while a module runs (issue 4 point 2: rotation, endpoint down,
 * slow, oversized, HTML). Each scenario involves the module's fresh key, so the partner must fetch:
 * - `rotate`: the fresh key is published next to the bank key (a conformant rotation, SHO-KEY-9);
 * - `unpublished`: the fresh key signs but is not published (unknown `kid`);
 * - `down`: 503; `slow`: answers after the partner's own timeout; `oversized`: over the partner's size
 *   limit; `html`: valid JSON as `text/html`; `redirect`: 302 to a copy elsewhere;
 * - `off-curve`: an off-curve key is published; `private-member`: the fresh key with its `d`.
 */
export type JwksScenario = 'rotate' | 'unpublished' | 'down' | 'slow' | 'oversized' | 'html' | 'off-curve' | 'private-member' | 'redirect';

/** Where the hostile part is the suite bank's behaviour rather than the token. */
export interface BankBehaviour {
  /** Redirect back with another `state`, another `iss`, or an error instead of a code (SHO-FLOW-9 to 11). */
  redirect?: 'wrong-state' | 'wrong-iss' | 'error';
  /** The `kind` member of the exchange answer: the token's own kind (default), or a fixed one (SHO-FLOW-15). */
  responseKind?: 'link' | 'transaction';
}

/**
 * What the suite checks besides the decision, from its own server's records:
 * - `no-exchange`: the partner did not redeem the code (SHO-FLOW-11: stop before the exchange);
 * - `no-attacker-fetch`: nothing fetched the URLs a token pointed at (SHO-JWS-10);
 * - `one-jwks-fetch` / `at-most-one-jwks-fetch` / `no-jwks-fetch`: key-set requests during the hostile flow
 *   (SHO-FETCH-8, SHO-FETCH-9).
 */
export type Observation = 'no-exchange' | 'no-attacker-fetch' | 'one-jwks-fetch' | 'at-most-one-jwks-fetch' | 'no-jwks-fetch';

/** A verifier-plan module: data, plus the one mutation it applies to the happy path. */
export interface VerifierModule extends ModuleInfo {
  /** The flow the partner is asked to start. */
  action: 'account_link' | 'payout' | 'payout_destination_change';
  /** Happy flows run first in the module, each expected to be accepted (replay, caching). */
  before?: number;
  jwks?: JwksScenario;
  bank?: BankBehaviour;
  /** The hostile token; absent for a happy-path module. */
  mutation?: (m: Mutation) => string | Promise<string>;
  observe?: readonly Observation[];
  /**
   * The relying party never gets far enough to decide (e.g. a redirect with a foreign `state` matches
   * no flow): no reported decision counts as the expected rejection, and the observations decide.
   */
  silentIsRejection?: boolean;
  /** Checks the relying party's pushed request as well (SHO-REQ). */
  checkRequest?: boolean;
  /** Why the module does not apply to this partner (from its info document), or undefined. */
  applies?: (info: RelyingPartyInfo) => string | undefined;
}
