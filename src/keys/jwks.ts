import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64url, encodeBase64url } from '../encoding/base64url.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import type { PublicJwk } from './types.js';

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use'] as const;
// RFC 7518 §6.2.2, §6.3.2, §6.4.1 and RFC 8037 §2: any of these makes a JWK secret material.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'] as const;
const MAX_KEYS = 100;
/** The RSA modulus sizes shomei accepts, in bits (SHO-JWS-15, SHO-KEY-13). */
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 16384;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The algorithm a JWK's key type implies: EC P-256 → ES256, OKP Ed25519 → EdDSA, RSA → PS256;
 * `undefined` for any other key.
 */
export function algForJwk(jwk: { kty?: unknown; crv?: unknown }): Alg | undefined {
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'RSA') return 'PS256';
  return undefined;
}

function algMemberFits(member: unknown, alg: Alg): boolean {
  return member === undefined || member === alg;
}

/**
 * Whether the key can verify `alg`: its type and curve fit the algorithm and its `alg` member, when
 * present, names exactly that algorithm (RFC 7517 §4.4, RFC 8725 §3.1: one key, one algorithm).
 *
 * @example jwkMatchesAlg({ kty: 'EC', crv: 'P-256', x, y }, 'ES256') // true
 * @see spec/02-tokens.md SHO-JWS-22, spec/11-keys.md SHO-KEY-7
 */
export function jwkMatchesAlg(jwk: PublicJwk | Record<string, unknown>, alg: Alg): boolean {
  if (!isRecord(jwk)) return false;
  return algForJwk(jwk) === alg && algMemberFits(jwk.alg, alg);
}

/**
 * Copies only the public members of a JWK (`kty crv x y n e kid alg use`), so private members can never
 * leak into a published key set, whatever the input holds.
 *
 * @throws TypeError when `jwk` is not an object with `kty` EC, OKP or RSA.
 * @example toPublicJwk(privateJwk) // same key without d, p, q, dp, dq, qi
 * @see spec/11-keys.md SHO-KEY-6
 */
export function toPublicJwk(jwk: PublicJwk | Record<string, unknown>): PublicJwk {
  if (!isRecord(jwk)) throw invalidArgument('toPublicJwk: jwk must be an object');
  if (jwk.kty !== 'EC' && jwk.kty !== 'OKP' && jwk.kty !== 'RSA') {
    throw invalidArgument('toPublicJwk: kty must be EC, OKP or RSA');
  }
  const out: Record<string, string> = {};
  for (const member of PUBLIC_MEMBERS) {
    const value = jwk[member];
    if (typeof value === 'string') out[member] = value;
  }
  return out as unknown as PublicJwk;
}

function decodedLength(value: unknown): Uint8Array | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return decodeBase64url(value);
  } catch {
    return undefined;
  }
}

function ecProblem(jwk: Record<string, unknown>): string | undefined {
  const x = decodedLength(jwk.x);
  const y = decodedLength(jwk.y);
  // RFC 7518 §6.2.1.2: coordinates are the full 32 octets, never shortened.
  if (x?.length !== 32 || y?.length !== 32) return 'invalid_coordinates';
  try {
    p256.Point.fromAffine({ x: p256.Point.Fp.fromBytes(x), y: p256.Point.Fp.fromBytes(y) }).assertValidity();
  } catch {
    // An off-curve point invites invalid-curve attacks on any implementation that does not check it.
    return 'point_not_on_curve';
  }
  return undefined;
}

function okpProblem(jwk: Record<string, unknown>): string | undefined {
  const x = decodedLength(jwk.x);
  if (x?.length !== 32) return 'invalid_coordinates';
  let point;
  try {
    point = ed25519.Point.fromBytes(x);
  } catch {
    return 'point_not_on_curve';
  }
  // A key a·B is always in the prime-order subgroup. A small-order key (the identity, or a point of
  // order 2, 4 or 8) lets anyone forge: with A = identity, R = identity and S = 0 verify over any
  // message, in node:crypto and WebCrypto alike. A mixed-order key has no honest origin either.
  if (point.isSmallOrder() || !point.isTorsionFree()) return 'point_small_order';
  return undefined;
}

function rsaProblem(jwk: Record<string, unknown>): string | undefined {
  // Only 65537: small exponents have a history of signature-forgery bugs, and nobody needs others.
  if (jwk.e !== 'AQAB') return 'rsa_exponent_unsupported';
  const n = decodedLength(jwk.n);
  // RFC 7518 §6.3.1.1: the modulus has no leading zero octet.
  if (n === undefined || n.length === 0 || n[0] === 0) return 'rsa_modulus_invalid';
  const bits = (n.length - 1) * 8 + (32 - Math.clz32(n[0]!));
  if (bits < MIN_RSA_BITS) return 'rsa_modulus_too_small';
  if (bits > MAX_RSA_BITS) return 'rsa_modulus_too_large';
  if ((n[n.length - 1]! & 1) === 0) return 'rsa_modulus_invalid';
  return undefined;
}

/**
 * Why a JWK is not an acceptable shomei public key, as a short reason, or `undefined` when it is:
 * a private member (`private_member`), an unknown key type or curve (`unsupported_key`), wrong-size or
 * off-curve coordinates (`invalid_coordinates`, `point_not_on_curve`), an Ed25519 key outside the
 * prime-order subgroup (`point_small_order`), an RSA modulus under 2048 bits or
 * an exponent other than 65537 (`rsa_modulus_too_small`, `rsa_exponent_unsupported`, …), an `alg` member
 * the key cannot serve (`alg_mismatch`), `use` other than `sig` (`use_not_sig`) or a `kid` that is not a
 * non-empty string (`kid_invalid`).
 *
 * Shared by JWKS validation (→ `JWKS_INVALID`) and key import (→ `KEY_INVALID`).
 *
 * @see spec/11-keys.md SHO-KEY-4, SHO-KEY-6
 */
export function publicJwkProblem(jwk: unknown): string | undefined {
  if (!isRecord(jwk)) return 'not_an_object';
  for (const member of PRIVATE_MEMBERS) if (member in jwk) return 'private_member';
  for (const member of PUBLIC_MEMBERS) {
    if (jwk[member] !== undefined && typeof jwk[member] !== 'string') return `invalid_${member}`;
  }
  if (jwk.kid !== undefined && jwk.kid === '') return 'kid_invalid';
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'use_not_sig';
  const implied = algForJwk(jwk);
  if (implied === undefined) return 'unsupported_key';
  if (!algMemberFits(jwk.alg, implied)) return 'alg_mismatch';
  if (implied === 'ES256') return ecProblem(jwk);
  if (implied === 'EdDSA') return okpProblem(jwk);
  return rsaProblem(jwk);
}

/** Options of {@link validateJwks}. */
export interface ValidateJwksOptions {
  /** Keys whose algorithm is not listed are left out of the result (not an error). Default: all. */
  allowedAlgs?: readonly Alg[];
}

function jwksInvalid(reason: string, message: string): ShomeiError {
  const requirement = reason === 'private_member' ? 'SHO-KEY-6' : 'SHO-FETCH-7';
  return new ShomeiError('JWKS_INVALID', `JWK Set: ${message}`, { reason, requirement });
}


/**
 * The RFC 7638 thumbprint of a checked public key, synchronously: SHA-256 over the required members in
 * lexicographic order (RFC 7638 §3.2, RFC 8037 §2), whose values are base64url text JSON needs no escape for.
 */
export function thumbprintOf(jwk: PublicJwk): string {
  const required = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return encodeBase64url(sha256(encodeUtf8(JSON.stringify(required))));
}

/**
 * Validates a partner's JWK Set (RFC 7517 §5; SHO-FETCH-7, SHO-KEY-4 to SHO-KEY-6) and returns its
 * usable keys as public JWKs.
 *
 * The whole set is refused — never only the bad key — when it is not `{ keys: [...] }`, has more than
 * 100 keys, any key (of any type) carries a private member, or a key of a supported type and algorithm
 * lacks a string `kid`, lacks `alg` or `use: "sig"`, does not fit its `alg`, has an off-curve point, an
 * RSA modulus under 2048 bits or an exponent other than 65537, or when two keys share a `kid` with
 * different key material (identical duplicates collapse into one). A set that publishes secrets or
 * garbage says its operator's key handling is broken: no key from it is trusted.
 *
 * Keys whose `kty` is not EC/OKP/RSA or whose `alg` is not ES256/EdDSA/PS256 are skipped (forward
 * compatibility, SHO-FETCH-7), and so are keys whose algorithm is not in `allowedAlgs`.
 *
 * @throws ShomeiError `JWKS_INVALID` with a `reason` (see {@link publicJwkProblem}, plus `not_a_jwk_set`,
 *   `too_many_keys`, `kid_missing`, `alg_missing`, `use_missing`, `duplicate_kid`).
 * @example validateJwks(await response.json(), { allowedAlgs: ['ES256'] })
 * @see spec/11-keys.md SHO-FETCH-7, SHO-KEY-4, SHO-KEY-5, SHO-KEY-6
 */
export function validateJwks(body: unknown, options: ValidateJwksOptions = {}): PublicJwk[] {
  const allowed = options.allowedAlgs;
  if (allowed !== undefined && (!Array.isArray(allowed) || !allowed.every(isAlg))) {
    throw invalidArgument('validateJwks: allowedAlgs must be an array of ES256, EdDSA, PS256');
  }
  if (!isRecord(body) || !Array.isArray(body.keys)) throw jwksInvalid('not_a_jwk_set', 'not an object with a keys array');
  const keys: unknown[] = body.keys;
  if (keys.length > MAX_KEYS) throw jwksInvalid('too_many_keys', `more than ${MAX_KEYS} keys`);
  const byKid = new Map<string, PublicJwk>();
  const result: PublicJwk[] = [];
  keys.forEach((candidate, index) => {
    if (!isRecord(candidate)) throw jwksInvalid('not_an_object', `key ${index} is not an object`);
    // Checked before skipping unknown keys: a set that leaks any secret is refused whole (SHO-KEY-6).
    for (const member of PRIVATE_MEMBERS) {
      if (member in candidate) throw jwksInvalid('private_member', `key ${index} has a private member`);
    }
    if (candidate.kty !== 'EC' && candidate.kty !== 'OKP' && candidate.kty !== 'RSA') return;
    if (candidate.alg === undefined) throw jwksInvalid('alg_missing', `key ${index} has no alg`);
    if (typeof candidate.alg === 'string' && !isAlg(candidate.alg)) return;
    const problem = publicJwkProblem(candidate);
    if (problem !== undefined) throw jwksInvalid(problem, `key ${index} is not acceptable (${problem})`);
    if (candidate.use === undefined) throw jwksInvalid('use_missing', `key ${index} has no use`);
    const jwk = toPublicJwk(candidate);
    if (jwk.kid === undefined) throw jwksInvalid('kid_missing', `key ${index} has no kid`);
    // SHO-KEY-5 via SHO-FETCH-7: every kid is the key's RFC 7638 thumbprint, once per set.
    if (jwk.kid !== thumbprintOf(jwk)) throw jwksInvalid('kid_not_thumbprint', `key ${index}: kid is not the RFC 7638 thumbprint of the key`);
    if (byKid.has(jwk.kid)) throw jwksInvalid('duplicate_kid', `key ${index} repeats a kid`);
    byKid.set(jwk.kid, jwk);
    if (allowed === undefined || allowed.includes(jwk.alg as Alg)) result.push(jwk);
  });
  return result;
}
