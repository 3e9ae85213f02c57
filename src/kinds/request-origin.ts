import { deepFreeze } from '../encoding/json.js';
import type { RequestClaims } from './request.js';

/**
 * Request claims this package handed out together with the compact JWS they came from: the claims a
 * `request` verification returned for a token, and the claims `Issuer.request` signed into one. An issuer
 * given the request as `{ token, claims }` (spec/10-binding.md SHO-BIND-11) recognizes such a pair
 * without decoding the token again. Each entry keeps a frozen copy taken when the claims were handed
 * out, and the issuer's answer checks read that copy: a later change to the caller's object cannot
 * steer them. Entries live as long as the caller keeps the claims object.
 */
const ORIGINS = new WeakMap<object, { token: string; claims: Readonly<RequestClaims> }>();

/** Records that `claims` are the claims of `token` (call only with claims just decoded from, or signed into, `token`). */
export function recordRequestOrigin(claims: RequestClaims, token: string): void {
  // The claims are JSON data (checked by the request schema): a JSON round trip is an exact deep copy.
  ORIGINS.set(claims, { token, claims: deepFreeze(JSON.parse(JSON.stringify(claims)) as RequestClaims) });
}

/**
 * The frozen copy of `claims` as handed out with `token`, or `undefined` when this package did not hand
 * out that object with that very token (another token, or claims from elsewhere: a store, a copy).
 */
export function recordedRequestClaims(claims: object, token: string): Readonly<RequestClaims> | undefined {
  const origin = ORIGINS.get(claims);
  return origin !== undefined && origin.token === token ? origin.claims : undefined;
}
