import { hashCanonical } from '../../canonical/digest.js';
import type { Kind } from '../../kinds/kind.js';
import type { RequestClaims } from '../../kinds/request.js';
import type { PublicJwk } from '../../keys/types.js';
import type { ActionRule } from '../../policy/schema.js';
import { forge, type JsonPart } from '../forge/jws.js';
import type { ForgeKey } from '../forge/keys.js';
import type { RelyingPartyInfo } from '../interface/schemas.js';
import { genuine, type AnswerContext, type Draft } from './assertions.js';

/** Thrown by a mutation when the module does not apply to what the partner pushed. */
export class SkipModule extends Error {
  override readonly name = 'SkipModule';
}

/**
 * What a module's mutation works on: copies of the happy path's header and claims, the keys, and what
 * the partner asked for. A mutation changes one thing and returns the token to send (issue 4 point 2:
 * "a negative test = happy path + one mutation").
 */
export interface Mutation {
  /** The happy token's header `{ alg, kid, typ }` (a copy: change it freely). */
  header: Record<string, unknown>;
  /** The happy token's claims (a deep copy). */
  claims: Record<string, unknown>;
  keys: {
    /** The suite bank's published signing key. */
    bank: ForgeKey;
    /** A key nobody trusts. */
    attacker: ForgeKey;
    /** A key generated for this module (published or not, as the module's JWKS scenario says). */
    fresh: ForgeKey;
    /** A key whose point is not on P-256, published by the `off-curve` scenario. */
    offCurve: PublicJwk & { kid: string };
  };
  /** ES256-signs header and claims (defaults: the mutated copies) with `key` (default: the bank key). */
  sign(header?: JsonPart, claims?: JsonPart, key?: ForgeKey): string;
  /** What the relying party pushed. */
  request: { token: string; claims: RequestClaims };
  /** The partner's policy rule for the request's action. */
  rule: ActionRule | undefined;
  info: RelyingPartyInfo;
  /** Seconds since the epoch, read once for the module. */
  now: number;
  /** Claims of the happy assertions of this module's earlier flows (replay). */
  previous: readonly Record<string, unknown>[];
  /** URLs on the suite's server that only an attacker would point at. */
  urls: { attackerJwks: string; x5u: string };
  /** A genuine token of another kind for the same request (kind confusion). */
  other(kind: Kind): Promise<Draft>;
  /** RFC 8785 / SHA-256 / base64url of a value (SHO-BIND-1). */
  hash(value: unknown): Promise<string>;
  /** Ends the module as SKIPPED: it does not apply to this partner. */
  skip(reason: string): never;
}

/** Builds the {@link Mutation} for one hostile flow. */
export function createMutation(input: {
  happy: Draft;
  context: AnswerContext;
  keys: Mutation['keys'];
  info: RelyingPartyInfo;
  previous: readonly Record<string, unknown>[];
  urls: Mutation['urls'];
}): Mutation {
  const header = structuredClone(input.happy.header);
  const claims = structuredClone(input.happy.claims);
  return {
    header,
    claims,
    keys: input.keys,
    sign: (h = header, c = claims, key = input.keys.bank) => forge({ header: h, payload: c, key }),
    request: input.context.request,
    rule: input.context.rule,
    info: input.info,
    now: input.context.now,
    previous: input.previous,
    urls: input.urls,
    other: (kind) => genuine(input.context, kind),
    hash: hashCanonical,
    skip(reason) {
      throw new SkipModule(reason);
    },
  };
}

/** The first (or only) `verified_claims` element's `verification`, for the policy modules. */
export function verification(claims: Record<string, unknown>): Record<string, unknown> {
  const verified = claims.verified_claims as Record<string, unknown> | Record<string, unknown>[];
  const element = Array.isArray(verified) ? verified[0]! : verified;
  return element.verification as Record<string, unknown>;
}

/** Adds a filler claim until the payload segment's length is not a multiple of 4 (it then has unused bits). */
export function withUnusedBits(claims: Record<string, unknown>, segmentOf: (claims: Record<string, unknown>) => string): Record<string, unknown> {
  const out = { ...claims, x_filler: '' };
  while (segmentOf(out).length % 4 === 0) out.x_filler += 'a';
  return out;
}
