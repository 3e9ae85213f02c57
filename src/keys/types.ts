/**
 * A public JWK as shomei publishes and accepts it (RFC 7517 §4, RFC 7518 §6): EC P-256, OKP Ed25519
 * (RFC 8037) or RSA. Only public members; private members are never part of this type.
 *
 * @see spec/11-keys.md SHO-KEY-4, SHO-KEY-6
 */
export interface PublicJwk {
  kty: 'EC' | 'OKP' | 'RSA';
  /** `P-256` (EC) or `Ed25519` (OKP). */
  crv?: string;
  x?: string;
  y?: string;
  /** RSA modulus, base64url, ≥ 2048 bits. */
  n?: string;
  /** RSA public exponent; only `AQAB` (65537) is accepted. */
  e?: string;
  kid?: string;
  alg?: string;
  use?: string;
}

/** A private JWK: a {@link PublicJwk} plus its private members (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
export interface PrivateJwk extends PublicJwk {
  d: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
}
