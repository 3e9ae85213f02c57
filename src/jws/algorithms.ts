/**
 * The JWS algorithms shomei signs and verifies (RFC 7518 §3.4, §3.5; RFC 8037 for EdDSA with Ed25519
 * only). ES256 is the default. `none`, HMAC and RSASSA-PKCS1-v1_5 are never accepted.
 *
 * @see spec/02-tokens.md SHO-JWS-6
 */
export const ALGORITHMS = ['ES256', 'EdDSA', 'PS256'] as const;

/** One of {@link ALGORITHMS}. */
export type Alg = (typeof ALGORITHMS)[number];

const ALG_SET: ReadonlySet<unknown> = new Set(ALGORITHMS);

/**
 * Whether `value` is one of {@link ALGORITHMS} (exact, case-sensitive).
 *
 * @example isAlg('ES256') // true; isAlg('es256') // false
 */
export function isAlg(value: unknown): value is Alg {
  return ALG_SET.has(value);
}
