import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { asciiString, base64urlLength, encodeBase64url, encodeBase64urlInto } from '../encoding/base64url.js';
import { createScratch } from '../encoding/scratch.js';
import { encodeUtf8, encodeUtf8Into } from '../encoding/utf8.js';
import { assertSigner, knownSignatureLength, readsInputDuringSignCall, type Signer } from '../keys/signer.js';
import { derToJose, isP256ScalarInRange, normalizeLowS } from './ecdsa.js';

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
    // Ed25519 signatures are 64 bytes (RFC 8032); RSA ones exactly as long as the modulus (RFC 8017 §8.1.1):
    // known for the signers made here, else at least a 2048-bit and at most a 16384-bit one.
    const rsaBytes = knownSignatureLength(signer);
    const rsaLengthWrong = rsaBytes !== undefined ? signature.length !== rsaBytes : signature.length < 256 || signature.length > 2048;
    if (signer.alg === 'EdDSA' ? signature.length !== 64 : rsaLengthWrong) {
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
  // A verifier rejects r or s outside 1..n-1 (SHO-JWS-12); so the issuer never emits one (and n - s
  // below is defined only for s < n).
  if (!isP256ScalarInRange(raw, 0) || !isP256ScalarInRange(raw, 32)) throw signerFailed('invalid_output', 'signer returned an ES256 signature with r or s out of range');
  return normalizeLowS(raw);
}

/** The encoded protected header of one (signer, typ): its base64url ASCII bytes. */
interface HeaderEntry {
  readonly alg: string;
  readonly kid: string;
  readonly byTyp: Map<string, Uint8Array>;
}

// Keyed by the Signer object, not by kid: a KeyRing hands out another object after rotation, and a
// signer dropped from the ring is collected with its entry. alg and kid are compared on every use, so a
// (non-frozen) signer whose members change gets a fresh header instead of a stale one.
const headerCache = new WeakMap<Signer, HeaderEntry>();
// Bound per signer: typ is the caller's string; a few kinds exist, a flood of distinct ones is not cached.
const MAX_TYPS_PER_SIGNER = 16;

function protectedHeaderBytes(signer: Signer, typ: string): Uint8Array {
  let entry = headerCache.get(signer);
  if (entry === undefined || entry.alg !== signer.alg || entry.kid !== signer.kid) {
    entry = { alg: signer.alg, kid: signer.kid, byTyp: new Map() };
    headerCache.set(signer, entry);
  }
  let bytes = entry.byTyp.get(typ);
  if (bytes === undefined) {
    bytes = encodeUtf8(encodeBase64url(encodeUtf8(toJson({ alg: signer.alg, kid: signer.kid, typ }, 'header'))));
    if (entry.byTyp.size < MAX_TYPS_PER_SIGNER) entry.byTyp.set(typ, bytes);
  }
  return bytes;
}

// UTF-8 of the payload JSON: written and read synchronously, before the signer is called.
const payloadScratch = createScratch(4096);
// The signing input itself, reused only for this package's signers that have read it when their `sign`
// call returns (readsInputDuringSignCall): any other signer (a KMS client, an HSM queue) may read its
// argument later, and gets bytes of its own.
const inputScratch = createScratch(4096);

/**
 * ASCII bytes of `<protected>.<base64url(UTF-8(payloadJson))>`: the JWS signing input (RFC 7515 §5.1
 * step 5), written directly instead of built as a string and encoded again.
 */
function signingInputBytes(protectedBytes: Uint8Array, payloadJson: string, reuse: boolean): Uint8Array {
  const utf8 = encodeUtf8Into(payloadJson, payloadScratch);
  const headerLength = protectedBytes.length;
  const length = headerLength + 1 + base64urlLength(utf8.length);
  const out = reuse ? inputScratch(length).subarray(0, length) : new Uint8Array(length);
  out.set(protectedBytes);
  out[headerLength] = 0x2e; // '.'
  encodeBase64urlInto(utf8, 0, utf8.length, out, headerLength + 1);
  return out;
}

/**
 * Builds a compact JWS (RFC 7515 §3.1, §5.1). The protected header is exactly `{alg, kid, typ}`
 * (SHO-JWS-18), `alg` and `kid` taken from the signer: a header naming other values, or any other
 * member (`crit`, `b64`, `cty`, `jwk`, `x5c`, …), is refused. An ES256 signature given as DER (`signatureFormat: 'der'`) is
 * converted to `r || s`, checked to be 64 bytes and emitted in low-S form (RFC 7518 §3.4 accepts both;
 * one canonical form leaves no room for malleability).
 *
 * The encoded header is computed once per signer object and `typ` (a KeyRing's rotation hands out
 * another signer object, hence another header); the output is the same as encoding it each time.
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

  const signingInput = signingInputBytes(protectedHeaderBytes(signer, header.typ), toJson(payload, 'payload'), readsInputDuringSignCall(signer));
  // The text is taken before the signer sees the bytes: whatever the signer does with its argument, the
  // token carries exactly what was handed over to be signed.
  const signingText = asciiString(signingInput);
  const signature = await signatureOf(signer, signingInput);
  return `${signingText}.${encodeBase64url(signature)}`;
}
