import { z } from 'zod';

/**
 * Claims every kind carries (spec/02-tokens.md, SHO-CLM): RFC 7519 §4.1 names with shomei's stricter types.
 */

/** RFC 7519 §2 NumericDate, restricted to whole seconds: strings and fractions are refused (SHO-CLM). */
export const NumericDate = z.int().min(0).max(253402300799);

/** An issuer or audience identifier: an https URL, or http on a loopback host for development (SHO-CLM). */
export const PartyId = z
  .string()
  .max(512)
  .regex(/^(https:\/\/[^\s/?#]+|http:\/\/(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?)(\/[^\s?#]*)?$/, 'an https URL (http only on loopback)');

/** A random identifier of at least 128 bits in base64url characters: `jti`, `nonce`, `sub`. */
export const RandomId = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, '16–128 base64url characters');

/** A base64url SHA-256 digest (43 characters, no padding). */
export const Sha256Base64url = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url SHA-256 digest');

/** The envelope shared by all kinds: who, to whom, when, which. `aud` is one string, never an array (SHO-CLM). */
export const Envelope = {
  iss: PartyId,
  aud: PartyId,
  iat: NumericDate,
  exp: NumericDate,
  nbf: NumericDate.optional(),
  jti: RandomId,
  nonce: RandomId,
};
