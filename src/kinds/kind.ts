import type { z } from 'zod';
import { compileSchema } from '../validation/compile-schema.js';
import { IdentityClaims } from './identity.js';
import { LinkClaims } from './link.js';
import { RequestClaims } from './request.js';
import { TransactionClaims } from './transaction.js';

/**
 * The four token kinds (spec/02-tokens.md, SHO-KIND). Each has its own `typ` and claims schema, and no
 * kind is ever accepted as another (RFC 8725 §3.11 explicit typing).
 */
export const KINDS = ['request', 'link', 'transaction', 'identity'] as const;
export type Kind = (typeof KINDS)[number];

export interface KindDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly kind: Kind;
  readonly typ: string;
  readonly schema: Schema;
  /**
   * `schema.safeParse`, precompiled (src/validation/compile-schema.ts): the same success, output and
   * issues, with a fast success path (Issue 7).
   */
  readonly check: (value: unknown) => z.ZodSafeParseResult<z.output<Schema>>;
  /** Lifetime (exp − iat) an issuer uses when it is not told otherwise, in seconds. */
  readonly defaultLifetime: number;
  /** Longest lifetime a verifier accepts and an issuer signs, in seconds (SHO-KIND). */
  readonly maxLifetime: number;
}

export const KIND_DEFINITIONS = {
  request: { kind: 'request', typ: 'shomei-request+jwt', schema: RequestClaims, check: compileSchema(RequestClaims), defaultLifetime: 300, maxLifetime: 600 },
  link: { kind: 'link', typ: 'shomei-link+jwt', schema: LinkClaims, check: compileSchema(LinkClaims), defaultLifetime: 120, maxLifetime: 300 },
  transaction: { kind: 'transaction', typ: 'shomei-txn+jwt', schema: TransactionClaims, check: compileSchema(TransactionClaims), defaultLifetime: 60, maxLifetime: 120 },
  identity: { kind: 'identity', typ: 'shomei-identity+jwt', schema: IdentityClaims, check: compileSchema(IdentityClaims), defaultLifetime: 120, maxLifetime: 300 },
} as const satisfies Record<Kind, KindDefinition>;

/** The claims type of each kind. */
export interface ClaimsOf {
  request: RequestClaims;
  link: LinkClaims;
  transaction: TransactionClaims;
  identity: IdentityClaims;
}

/**
 * The kind whose `typ` this is, or undefined. Compared byte for byte: no case folding and no
 * `application/` prefix (SHO-KIND-2), so there is exactly one spelling per kind to check and to test.
 */
export function kindOfTyp(typ: unknown): Kind | undefined {
  return KINDS.find((kind) => KIND_DEFINITIONS[kind].typ === typ);
}
