import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { encodeBase64url } from '../encoding/base64url.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { assertSigner, type Signer } from '../keys/signer.js';
import { derToJose, normalizeLowS } from './ecdsa.js';

// SHO-JWS-18: an issuer emits exactly alg, kid and typ — so never crit, b64, cty, jwk, jku or x5*.
const HEADER_MEMBERS: ReadonlySet<string> = new Set(['alg', 'kid', 'typ']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function signerFailed(reason: string, message: string, cause?: unknown): ShomeiError {
  return new ShomeiError('SIGNER_FAILED', message, { reason, cause, requirement: 'SHO-KEY-12' });
}

function toJson(value: Record<string, unknown>, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw Object.assign(invalidArgument(`signCompact: ${what} is not serializable as JSON`), { cause });
  }
}

async function signatureOf(signer: Signer, signingInput: Uint8Array): Promise<Uint8Array> {
  let signature: unknown;
  try {
    signature = await signer.sign(signingInput);
  } catch (cause) {
    throw signerFailed('sign_threw', `signer ${signer.kid} failed`, cause);
  }
  if (!(signature instanceof Uint8Array)) throw signerFailed('invalid_output', 'signer did not return a Uint8Array');
  if (signer.alg !== 'ES256') {
    // Ed25519 signatures are 64 bytes (RFC 8032); RSA ones as long as a ≥ 2048-bit modulus.
    if (signer.alg === 'EdDSA' ? signature.length !== 64 : signature.length < 256) {
      throw signerFailed('invalid_output', `signer returned a ${signature.length}-byte ${signer.alg} signature`);
    }
    return signature;
  }
  let raw = signature;
  if (signer.signatureFormat === 'der') {
    try {
      raw = derToJose(signature, 32);
    } catch (cause) {
      throw signerFailed('invalid_output', 'signer returned an invalid DER ECDSA signature', cause);
    }
  }
  if (raw.length !== 64) throw signerFailed('invalid_output', `signer returned a ${raw.length}-byte ES256 signature`);
  return normalizeLowS(raw);
}

/**
 * Builds a compact JWS (RFC 7515 §3.1, §5.1). The protected header is exactly `{alg, kid, typ}`
 * (SHO-JWS-18), `alg` and `kid` taken from the signer: a header naming other values, or any other
 * member (`crit`, `b64`, `cty`, `jwk`, `x5c`, …), is refused. An ES256 signature given as DER (`signatureFormat: 'der'`) is
 * converted to `r || s`, checked to be 64 bytes and emitted in low-S form (RFC 7518 §3.4 accepts both;
 * one canonical form leaves no room for malleability).
 *
 * @throws TypeError for a bad header, payload or signer; ShomeiError `SIGNER_FAILED` when the signer
 *   throws or returns something that is not a signature of its algorithm.
 * @example const token = await signCompact({ typ: 'shomei-link+jwt' }, claims, signer);
 * @see spec/02-tokens.md SHO-JWS-11, SHO-JWS-14, SHO-JWS-18; spec/11-keys.md SHO-KEY-11, SHO-KEY-12
 */
export async function signCompact(
  header: { typ: string; alg?: string; kid?: string },
  payload: Record<string, unknown>,
  signer: Signer,
): Promise<string> {
  assertSigner(signer);
  if (!isPlainObject(header)) throw invalidArgument('signCompact: header must be a plain object');
  if (typeof header.typ !== 'string' || header.typ.length === 0) throw invalidArgument('signCompact: header.typ must be a non-empty string');
  if (header.alg !== undefined && header.alg !== signer.alg) throw invalidArgument('signCompact: header.alg differs from the signer');
  if (header.kid !== undefined && header.kid !== signer.kid) throw invalidArgument('signCompact: header.kid differs from the signer');
  for (const member of Object.keys(header)) {
    if (!HEADER_MEMBERS.has(member)) throw invalidArgument(`signCompact: header member ${member} is not allowed`);
  }
  if (!isPlainObject(payload)) throw invalidArgument('signCompact: payload must be a plain object');

  const protectedHeader = { alg: signer.alg, kid: signer.kid, typ: header.typ };
  const protectedB64 = encodeBase64url(encodeUtf8(toJson(protectedHeader, 'header')));
  const payloadB64 = encodeBase64url(encodeUtf8(toJson(payload, 'payload')));
  const signingInput = `${protectedB64}.${payloadB64}`;
  const signature = await signatureOf(signer, encodeUtf8(signingInput));
  return `${signingInput}.${encodeBase64url(signature)}`;
}
