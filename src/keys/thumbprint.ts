import { calculateJwkThumbprint } from 'jose';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import type { PrivateJwk, PublicJwk } from './types.js';

/**
 * The RFC 7638 JWK thumbprint (SHA-256, base64url) of a key: shomei's default `kid`. Only the required
 * public members enter the hash, so a private JWK and its public half have the same thumbprint.
 *
 * @throws ShomeiError `KEY_INVALID` when a required member is missing.
 * @example await jwkThumbprint(publicJwk) // 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'
 * @see spec/11-keys.md SHO-KEY-5; spec/02-tokens.md SHO-JWS-19
 */
export async function jwkThumbprint(jwk: PublicJwk | PrivateJwk): Promise<string> {
  if (typeof jwk !== 'object' || jwk === null) throw invalidArgument('jwkThumbprint: jwk must be an object');
  try {
    return await calculateJwkThumbprint(jwk, 'sha256');
  } catch (cause) {
    throw new ShomeiError('KEY_INVALID', 'cannot compute the JWK thumbprint', { reason: 'thumbprint_failed', cause });
  }
}
