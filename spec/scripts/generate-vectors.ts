/**
 * Generates spec/vectors/: deterministic test vectors that let a partner, in any language, check its
 * verifier against shomei (spec/vectors/README.md explains the format).
 *
 * Run: `npm run vectors` (add `-- --regenerate-ps256` to re-sign the PS256 tokens).
 *
 * Determinism: the keys are the committed files in spec/vectors/keys/ (the P-256 and Ed25519 keys are
 * themselves derived from fixed seeds, so they can be recreated; the RSA key cannot), the clock is fixed
 * (VECTOR_NOW), every `jti` comes from a counter seeded by the vector's id, ES256 signatures are RFC 6979
 * deterministic ECDSA from @noble/curves and Ed25519 signatures are deterministic by design (RFC 8032).
 * RSASSA-PSS is randomised by design (RFC 8017 §9.1.1): a PS256 signature, once made, is kept from the
 * committed files as long as the bytes it signs do not change, so regeneration does not churn them.
 *
 * TEST KEYS ONLY: every private key this script writes is published in the repository.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hashCanonical } from '../../src/canonical/digest.js';
import type { Account } from '../../src/claims/account.js';
import type { TransactionDetails } from '../../src/claims/transaction-details.js';
import type { VerifiedClaims } from '../../src/claims/verified-claims.js';
import { decodeBase64url, encodeBase64url } from '../../src/encoding/base64url.js';
import { ERROR_CODES, type ErrorCode } from '../../src/errors/codes.js';
import { createIssuer, linkHash, type IdentityInput, type Issuer, type LinkInput, type TransactionInput } from '../../src/issuer/issue.js';
import type { Alg } from '../../src/jws/algorithms.js';
import { joseToDer, P256_ORDER } from '../../src/jws/ecdsa.js';
import { signCompact } from '../../src/jws/sign.js';
import { createLocalSigner, type Signer } from '../../src/keys/signer.js';
import { jwkThumbprint } from '../../src/keys/thumbprint.js';
import type { PrivateJwk, PublicJwk } from '../../src/keys/types.js';
import type { Kind } from '../../src/kinds/kind.js';
import type { Expectations } from '../../src/verifier/verify.js';

// ---------------------------------------------------------------------------------------------------
// The vector format (spec/vectors/README.md)
// ---------------------------------------------------------------------------------------------------

/** The verification instant of (almost) every vector: 2026-10-26T07:33:20Z, 16:33:20 JST. */
export const VECTOR_NOW = 1_793_000_000;
/** The clock tolerance every vector is verified with (spec/02-tokens.md SHO-CLM-7 default). */
export const VECTOR_TOLERANCE = 10;
export const VECTOR_FORMAT = 'shomei-vectors/1';

export type Outcome = 'allow' | 'deny' | 'review';
/** `exact`: the reasons' codes are exactly these. `includes`: each of these appears; others may too. */
export type CodesMatch = 'exact' | 'includes';
/** The pipeline step of spec/13-verification.md §13.1 at which the vector fails (`none` when allowed). */
export type Step =
  | 'none'
  | 'parse'
  | 'header'
  | 'key'
  | 'signature'
  | 'claims'
  | 'time'
  | 'audience'
  | 'issuer'
  | 'nonce'
  | 'binding'
  | 'replay'
  | 'policy';

export interface Expected {
  outcome: Outcome;
  codes: ErrorCode[];
  codes_match: CodesMatch;
  step: Step;
}

/** What the verifying party itself knows (the library's `Expectations` without `kind`). */
export type VectorExpectations = Omit<Expectations, 'kind'>;

/** A trust-configuration party (spec/13-verification.md SHO-TRUST-2) whose `keys.jwks` is a file path. */
export interface VectorParty {
  id: string;
  keys: { jwks: string };
  kinds: Kind[];
  max_ial: 'ial1' | 'ial2' | 'ial3';
  max_aal: 'aal1' | 'aal2' | 'aal3';
  algs: Alg[];
  status: 'active' | 'suspended';
  redirect_uris?: string[];
}

export interface VectorVerifier {
  audience: string;
  clock_tolerance: number;
  max_token_bytes: number;
  trust: { parties: VectorParty[] };
  /** `default`: shomei-default-jp (spec/default-policy.json); `none`: no policy; or a policy document. */
  policy: 'default' | 'none' | Record<string, unknown>;
}

export interface Presentation {
  /** The token of this presentation; the vector's `token` when absent. */
  token?: string;
  /** Members replacing the vector's expectations for this presentation. */
  expectations?: Partial<VectorExpectations>;
  expected: Expected;
}

export interface VectorCase {
  id: string;
  description: string;
  requirements: string[];
  kind: Kind;
  /** The header `alg` of the token, or `null` when the header cannot be decoded. */
  alg: string | null;
  /** Whether regenerating reproduces `token` byte for byte (false for PS256: verify only). */
  reproducible: boolean;
  /** The valid vector this one mutates, and how. */
  base?: string;
  mutation?: string;
  token: string;
  now: number;
  verifier: VectorVerifier;
  expectations: VectorExpectations;
  expected: Expected;
  /** When present: present the tokens in order to ONE verifier (shared replay store); `expected` is the last. */
  sequence?: Presentation[];
  /** Where the vector can run: the library always; the CLI when its flags can express the inputs. */
  interfaces: Array<'library' | 'cli'>;
  notes?: string;
}

export interface IndexEntry {
  id: string;
  file: string;
  kind: Kind;
  alg: string | null;
  outcome: Outcome;
  codes: ErrorCode[];
  codes_match: CodesMatch;
  step: Step;
  requirements: string[];
  reproducible: boolean;
  interfaces: Array<'library' | 'cli'>;
}

// ---------------------------------------------------------------------------------------------------
// Parties and keys
// ---------------------------------------------------------------------------------------------------

export const PARTIES = {
  bank: 'https://bank.example',
  securities: 'https://sec.example',
  wallet: 'https://wallet.example',
  attacker: 'https://attacker.example',
} as const;
export type PartyName = keyof typeof PARTIES;

export const KEY_SPECS = [
  { name: 'bank-es256', party: 'bank', alg: 'ES256' },
  { name: 'bank-eddsa', party: 'bank', alg: 'EdDSA' },
  { name: 'securities-es256', party: 'securities', alg: 'ES256' },
  { name: 'securities-eddsa', party: 'securities', alg: 'EdDSA' },
  { name: 'securities-ps256', party: 'securities', alg: 'PS256' },
  { name: 'wallet-eddsa', party: 'wallet', alg: 'EdDSA' },
  { name: 'wallet-es256', party: 'wallet', alg: 'ES256' },
  { name: 'attacker-es256', party: 'attacker', alg: 'ES256' },
] as const satisfies ReadonlyArray<{ name: string; party: PartyName; alg: Alg }>;
export type KeyName = (typeof KEY_SPECS)[number]['name'];

export interface VectorKey {
  name: KeyName;
  party: PartyName;
  alg: Alg;
  kid: string;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
}
export type VectorKeys = Record<KeyName, VectorKey>;

const MEMBER_ORDER = ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'alg', 'use', 'kid'] as const;
const PUBLIC_MATERIAL = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

function ordered(jwk: Record<string, unknown>, members: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const member of members) if (typeof jwk[member] === 'string') out[member] = jwk[member] as string;
  return out;
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** The fixed seed of a P-256 or Ed25519 test key: anyone can recreate these keys from their names. */
function seedOf(name: KeyName): Uint8Array {
  return sha256(utf8(`shomei/spec/vectors/${name}`));
}

async function labelled(material: Record<string, string>, alg: Alg): Promise<{ privateJwk: PrivateJwk; publicJwk: PublicJwk; kid: string }> {
  const kid = await jwkThumbprint(ordered(material, PUBLIC_MATERIAL) as unknown as PublicJwk);
  const full = { ...material, alg, use: 'sig', kid };
  return {
    kid,
    privateJwk: ordered(full, MEMBER_ORDER) as unknown as PrivateJwk,
    publicJwk: ordered(full, [...PUBLIC_MATERIAL, 'alg', 'use', 'kid']) as unknown as PublicJwk,
  };
}

function derivedMaterial(name: KeyName, alg: Alg): Record<string, string> {
  const seed = seedOf(name);
  if (alg === 'ES256') {
    if (!p256.utils.isValidSecretKey(seed)) throw new Error(`seed of ${name} is not a P-256 scalar`);
    const point = p256.getPublicKey(seed, false);
    return { kty: 'EC', crv: 'P-256', x: encodeBase64url(point.subarray(1, 33)), y: encodeBase64url(point.subarray(33, 65)), d: encodeBase64url(seed) };
  }
  if (alg === 'EdDSA') return { kty: 'OKP', crv: 'Ed25519', x: encodeBase64url(ed25519.getPublicKey(seed)), d: encodeBase64url(seed) };
  throw new Error(`${alg} keys are not derived from a seed`);
}

async function freshRsaMaterial(): Promise<Record<string, string>> {
  const pair = await globalThis.crypto.subtle.generateKey(
    { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const jwk = (await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)) as Record<string, unknown>;
  return ordered(jwk, ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']);
}

/**
 * Reads the committed test keys from `dir` (spec/vectors/keys). With `create`, a missing key is made:
 * P-256 and Ed25519 keys from their fixed seeds, the RSA key at random (then committed and kept).
 * A committed key is checked: its `kid` is its RFC 7638 thumbprint and a seeded key matches its seed.
 */
export async function loadVectorKeys(dir: string, options: { create: boolean }): Promise<{ keys: VectorKeys; created: KeyName[] }> {
  const keys = {} as VectorKeys;
  const created: KeyName[] = [];
  for (const spec of KEY_SPECS) {
    const file = `${dir}/${spec.name}.json`;
    let material: Record<string, string>;
    if (existsSync(file)) {
      material = ordered(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']);
      if (spec.alg !== 'PS256') {
        const derived = derivedMaterial(spec.name, spec.alg);
        if (JSON.stringify(derived) !== JSON.stringify(material)) throw new Error(`${file} is not the key derived from its seed`);
      }
    } else if (options.create) {
      material = spec.alg === 'PS256' ? await freshRsaMaterial() : derivedMaterial(spec.name, spec.alg);
      created.push(spec.name);
    } else {
      throw new Error(`missing test key ${file}; run npm run vectors`);
    }
    const { kid, privateJwk, publicJwk } = await labelled(material, spec.alg);
    if (!created.includes(spec.name) && (JSON.parse(readFileSync(file, 'utf8')) as { kid?: unknown }).kid !== kid) {
      throw new Error(`${file}: kid is not the RFC 7638 thumbprint of the key`);
    }
    keys[spec.name] = { name: spec.name, party: spec.party, alg: spec.alg, kid, privateJwk, publicJwk };
  }
  return { keys, created };
}

/** The public JWKS of a party, as its jwks_uri would serve it (spec/11-keys.md). */
export function partyJwks(keys: VectorKeys, party: PartyName): { keys: PublicJwk[] } {
  return { keys: KEY_SPECS.filter((spec) => spec.party === party).map((spec) => keys[spec.name].publicJwk) };
}

// ---------------------------------------------------------------------------------------------------
// Deterministic signers
// ---------------------------------------------------------------------------------------------------

/** PS256 signatures already published, by the signing input they sign (`header.payload`). */
export type Ps256Pins = Map<string, string>;
/**
 * `sign-missing`: reuse a pinned PS256 signature when the signing input is unchanged, sign anew otherwise.
 * `pinned-only`: never sign anew (reproducibility check) — an unpinned PS256 signing input is an error.
 */
export type Ps256Mode = 'sign-missing' | 'pinned-only';

/**
 * ES256 by RFC 6979 (deterministic `k`, HMAC-DRBG with SHA-256), low-S: the same key and input always
 * give the same 64-byte `r || s` (RFC 7518 §3.4).
 */
export function rfc6979Es256(secretKey: Uint8Array, data: Uint8Array, options: { lowS?: boolean } = {}): Uint8Array {
  return p256.sign(data, secretKey, { prehash: true, lowS: options.lowS ?? true, extraEntropy: false, format: 'compact' });
}

/** Ed25519 (RFC 8032 §5.1.6): deterministic by construction. */
export function ed25519Sign(secretKey: Uint8Array, data: Uint8Array): Uint8Array {
  return ed25519.sign(data, secretKey);
}

/** A {@link Signer} whose output is a pure function of key and input (ES256, EdDSA), or pinned (PS256). */
export async function vectorSigner(key: VectorKey, pins: Ps256Pins, mode: Ps256Mode, fresh: string[]): Promise<Signer> {
  const secret = key.privateJwk.d === undefined ? undefined : decodeBase64url(key.privateJwk.d);
  if (key.alg === 'ES256') return { alg: 'ES256', kid: key.kid, sign: async (data) => rfc6979Es256(secret!, data) };
  if (key.alg === 'EdDSA') return { alg: 'EdDSA', kid: key.kid, sign: async (data) => ed25519Sign(secret!, data) };
  const local = await createLocalSigner(key.privateJwk, { alg: 'PS256' });
  return {
    alg: 'PS256',
    kid: key.kid,
    async sign(data) {
      const input = new TextDecoder().decode(data);
      const pinned = pins.get(input);
      if (pinned !== undefined) return decodeBase64url(pinned);
      if (mode === 'pinned-only') throw new Error('a PS256 signing input changed: its committed signature no longer applies (npm run vectors)');
      fresh.push(input);
      const signature = await local.sign(data);
      pins.set(input, encodeBase64url(signature));
      return signature;
    },
  };
}

/**
 * Every valid PS256 signature in the committed vector files (tokens, sequence tokens, expected requests),
 * by signing input. Mutated copies (a flipped bit, a truncated signature) share the signing input of the
 * original, so each candidate is verified with the committed public key and only a valid one is kept.
 */
export async function collectPs256Pins(casesDir: string, keys: VectorKeys): Promise<Ps256Pins> {
  const pins: Ps256Pins = new Map();
  if (!existsSync(casesDir)) return pins;
  const candidates: Array<{ input: string; signature: string; kid: unknown }> = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const parts = value.split('.');
      if (parts.length !== 3 || !parts[0]!.startsWith('eyJ')) return;
      try {
        const header = JSON.parse(new TextDecoder().decode(decodeBase64url(parts[0]!))) as { alg?: unknown; kid?: unknown };
        if (header.alg === 'PS256') candidates.push({ input: `${parts[0]}.${parts[1]}`, signature: parts[2]!, kid: header.kid });
      } catch {
        // Malformed on purpose: not a signature to keep.
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  for (const file of readdirSync(casesDir)) {
    if (file.endsWith('.json')) visit(JSON.parse(readFileSync(`${casesDir}/${file}`, 'utf8')));
  }
  for (const candidate of candidates) {
    const key = KEY_SPECS.map((spec) => keys[spec.name]).find((k) => k.alg === 'PS256' && k.kid === candidate.kid);
    if (key === undefined || pins.has(candidate.input)) continue;
    const publicKey = await globalThis.crypto.subtle.importKey('jwk', { kty: 'RSA', n: key.publicJwk.n!, e: key.publicJwk.e! }, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
    let signature: Uint8Array;
    try {
      signature = decodeBase64url(candidate.signature);
    } catch {
      continue;
    }
    const valid = await globalThis.crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, publicKey, signature as BufferSource, utf8(candidate.input) as BufferSource);
    if (valid) pins.set(candidate.input, candidate.signature);
  }
  return pins;
}

// ---------------------------------------------------------------------------------------------------
// Token surgery: building and mutating compact JWS by hand
// ---------------------------------------------------------------------------------------------------

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;

function b64(text: string): string {
  return encodeBase64url(utf8(text));
}

function split(token: string): [string, string, string] {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  return parts as [string, string, string];
}

function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(decodeBase64url(split(token)[0]))) as Record<string, unknown>;
}

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(decodeBase64url(split(token)[1]))) as Record<string, unknown>;
}

function withSignature(token: string, signature: Uint8Array): string {
  const [h, p] = split(token);
  return `${h}.${p}.${encodeBase64url(signature)}`;
}

function signatureOf(token: string): Uint8Array {
  return decodeBase64url(split(token)[2]);
}

function toBigInt(bytes: Uint8Array, littleEndian = false): bigint {
  const ordered = littleEndian ? [...bytes].reverse() : [...bytes];
  return ordered.reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
}

function fromBigInt(n: bigint, size: number, littleEndian = false): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return littleEndian ? out.reverse() : out;
}

function flipBit(token: string): string {
  const signature = signatureOf(token).slice();
  signature[10] = signature[10]! ^ 0x01;
  return withSignature(token, signature);
}

function highS(token: string): string {
  const signature = signatureOf(token);
  const s = toBigInt(signature.subarray(32));
  if (s > P256_ORDER >> 1n) throw new Error('expected a low-S signature');
  const out = new Uint8Array(64);
  out.set(signature.subarray(0, 32));
  out.set(fromBigInt(P256_ORDER - s, 32), 32);
  return withSignature(token, out);
}

/** The last character of a segment with a non-zero unused low bit (RFC 4648 §3.5): same bytes, other spelling. */
function nonCanonicalLastChar(segment: string): string {
  const unusedBits = (segment.length * 6) % 8;
  if (unusedBits === 0) throw new Error('segment has no unused bits');
  const value = B64URL.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + B64URL[value | 1];
}

/** Signs `header.payload` (both given as JSON text) with a raw signing function. */
async function handmade(headerJson: string, payloadJson: string, sign: (input: Uint8Array) => Promise<Uint8Array>): Promise<string> {
  const input = `${b64(headerJson)}.${b64(payloadJson)}`;
  return `${input}.${encodeBase64url(await sign(utf8(input)))}`;
}

function headerJson(alg: string, kid: string | undefined, typ: string | undefined, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ alg, ...(kid !== undefined ? { kid } : {}), ...(typ !== undefined ? { typ } : {}), ...extra });
}

/** Exactly one occurrence of `from` in `text` replaced (so a payload edit cannot silently miss). */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1) throw new Error(`expected exactly one ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

// ---------------------------------------------------------------------------------------------------
// Scenario data
// ---------------------------------------------------------------------------------------------------

const NOW = VECTOR_NOW;
const DAY = 86_400;
/** Assertions are signed 5 s before they are verified; requests a minute before. */
const ISSUED = NOW - 5;
const REQUESTED = NOW - 60;
const AUTHENTICATED = NOW - 35;

const CALLBACK = 'https://sec.example/shomei/callback';
const NONCE_LINK = 'n-0S6_WzA2Mj5fT1rLk8yQ';
const NONCE_CHANGE = 'n-Dst9Kq2Lw7Pz4Xc1Vb8M';
const NONCE_PAYOUT = 'n-Py7Hc3Rt5Ws1Qa9Ze2J';
const NONCE_DEBIT = 'bnk-nonce-7Yc2Qm9LxR4t';
const NONCE_OTHER = 'n-Xo4Rr8Tt2Yy6Uu0Ii3O';
const SUB = 'p5t3Lw0YqkR2cJ7aXn9HbA';
const OTHER_SUB = 'q9Zx1Cv3Bn5Mm7Ll2Kk4Jj';
const WALLET_SUB = 'wlt-sub-3Jq8Zr6Vd1Nk';

const CUSTOMER_ACCOUNT: Account = { bank_code: '0005', branch_code: '123', type: '1', number: '0123456' };
const ATTACKER_ACCOUNT: Account = { bank_code: '0005', branch_code: '456', type: '1', number: '7654321' };
const DEBIT_ACCOUNT: Account = { bank_code: '9900', branch_code: '238', type: '1', number: '1234567' };
const OTHER_DEBIT_ACCOUNT: Account = { bank_code: '9900', branch_code: '238', type: '1', number: '7777777' };

function payout(value: string, payee: Account = CUSTOMER_ACCOUNT, currency = 'JPY'): TransactionDetails {
  return { type: 'payout', amount: { currency, value }, payee, reference: 'ｼｮｳﾒｲ ｼｭｯｷﾝ 0001' };
}
const PAYOUT = payout('150000');

const IDENTITY = { name: '山田 太郎', name_kana: 'ヤマダ タロウ', birthdate: '1985-04-12' };
const PERSON = {
  family_name: '山田',
  given_name: '太郎',
  'family_name#ja-Kana-JP': 'ヤマダ',
  'given_name#ja-Kana-JP': 'タロウ',
  birthdate: '1985-04-12',
};

/** An RFC 3339 date-time in JST for an epoch second. */
function jst(epoch: number): string {
  return `${new Date((epoch + 9 * 3600) * 1000).toISOString().slice(0, 19)}+09:00`;
}

/** ヘ: IC-chip data of a photo ID and a live selfie, chip signature verified — ial2 (spec/07-kyc.md §7.4). */
const KYC_HE: VerifiedClaims = {
  verification: {
    trust_framework: 'jp_aml',
    assurance_level: 'ial2',
    assurance_process: { procedure: 'jp_aml.r6_1_1.he' },
    time: '2024-04-01T10:00:00+09:00',
    evidence: [{ type: 'document', check_details: [{ check_method: 'vcrypt' }], document_details: { type: 'jp_drivers_license' } }],
  },
  claims: PERSON,
};

/** ホ: an image of a photo ID and a selfie — reported ial1 (spec/07-kyc.md §7.4). */
function kycHo(verifiedAt: number): VerifiedClaims {
  return {
    verification: {
      trust_framework: 'jp_aml',
      assurance_level: 'ial1',
      assurance_process: { procedure: 'jp_aml.r6_1_1.ho' },
      time: jst(verifiedAt),
      evidence: [{ type: 'document', check_details: [{ check_method: 'vpip' }], document_details: { type: 'jp_drivers_license' } }],
    },
    claims: PERSON,
  };
}

const PASSKEY = { acr: 'phr', amr: ['x-passkey-synced'], auth_time: AUTHENTICATED, aal: 'aal2', phishing_resistant: true } as const;
const SMS_OTP = { amr: ['pwd', 'sms', 'otp'], auth_time: AUTHENTICATED, aal: 'aal2', phishing_resistant: false } as const;
/** The 2020 Web口座振替 pattern: account number + 4-digit cash-card PIN + birthdate, called "aal2" by the bank. */
const PIN_BIRTHDATE = { amr: ['x-jp-cashcard-pin', 'x-jp-birthdate'], auth_time: AUTHENTICATED, aal: 'aal2', phishing_resistant: false } as const;
const ALL_MATCH = { name: 'match', name_kana: 'match', birthdate: 'match' } as const;

const PAYOUT_THRESHOLD_POLICY = {
  policy_id: 'vectors-payout-threshold',
  version: '1.0.0',
  description: 'Test policy: payouts above JPY 100,000 need phishing-resistant authentication; any payout needs AAL2.',
  rules: {
    payout: {
      min_aal: 'aal2',
      phishing_resistant: { above_amount: { currency: 'JPY', value: '100000' } },
      max_auth_age_seconds: 300,
      amount_limit: { currency: 'JPY', max: '10000000' },
    },
  },
};

// ---------------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------------

export interface GenerateOptions {
  keys: VectorKeys;
  pins: Ps256Pins;
  ps256: Ps256Mode;
  /** The requirement IDs defined in spec/ (spec/requirements.json); every cited ID must be one. */
  requirementIds: ReadonlySet<string>;
}

export interface Generated {
  vectors: VectorCase[];
  /** Path relative to spec/vectors/ → exact file text (index, cases, JWKS). */
  files: Map<string, string>;
  /** PS256 signing inputs that were signed anew in this run. */
  freshPs256: string[];
}

const ALL_ALGS: Alg[] = ['ES256', 'EdDSA', 'PS256'];
const JWKS_FILE: Record<PartyName, string> = {
  bank: 'jwks/bank.json',
  securities: 'jwks/securities.json',
  wallet: 'jwks/wallet.json',
  attacker: 'jwks/attacker.json',
};

function party(name: PartyName, kinds: Kind[], extra: Partial<VectorParty> = {}): VectorParty {
  return { id: PARTIES[name], keys: { jwks: JWKS_FILE[name] }, kinds, max_ial: 'ial3', max_aal: 'aal3', algs: [...ALL_ALGS], status: 'active', ...extra };
}

const BANK_TRUST = (extra: Partial<VectorParty> = {}): VectorParty => party('bank', ['link', 'transaction'], extra);

function verifierFor(audience: PartyName, trusted: VectorParty, policy: VectorVerifier['policy'] = 'default'): VectorVerifier {
  return { audience: PARTIES[audience], clock_tolerance: VECTOR_TOLERANCE, max_token_bytes: 16_384, trust: { parties: [trusted] }, policy };
}

function allow(): Expected {
  return { outcome: 'allow', codes: [], codes_match: 'exact', step: 'none' };
}

/** A failure before the signature is verified: exactly one reason (spec/13-verification.md SHO-VER-4). */
function early(step: 'parse' | 'header' | 'key' | 'signature', code: ErrorCode): Expected {
  return { outcome: 'deny', codes: [code], codes_match: 'exact', step };
}

/** A failure after the signature: these reasons at least (SHO-VER-5 collects every failure). */
function late(step: Exclude<Step, 'none' | 'parse' | 'header' | 'key' | 'signature'>, ...codes: ErrorCode[]): Expected {
  return { outcome: codes.includes('IDENTITY_CLOSE_MATCH') && codes.length === 1 ? 'review' : 'deny', codes, codes_match: 'includes', step };
}

type Draft = Omit<VectorCase, 'alg' | 'reproducible' | 'interfaces' | 'now'> & { now?: number };

function algOf(token: string): string | null {
  try {
    const alg = headerOf(token).alg;
    return typeof alg === 'string' ? alg : null;
  } catch {
    return null;
  }
}


/**
 * Builds every vector in memory. Pure given its inputs: the same keys and pins give the same files.
 *
 * @see spec/vectors/README.md
 */
export async function generateVectors(options: GenerateOptions): Promise<Generated> {
  const { keys } = options;
  const freshPs256: string[] = [];
  const signers = {} as Record<KeyName, Signer>;
  for (const spec of KEY_SPECS) signers[spec.name] = await vectorSigner(keys[spec.name], options.pins, options.ps256, freshPs256);

  /** Raw signature of `input` with a key, for handmade tokens. */
  const rawSign = (name: KeyName) => (input: Uint8Array) => signers[name].sign(input);

  /** An issuer whose `jti`s come from a counter seeded by `label`, signing at `at`. */
  function issuerOf(name: KeyName, label: string, at = ISSUED): Issuer {
    let counter = 0;
    return createIssuer({
      issuer: PARTIES[keys[name].party],
      signer: signers[name],
      clock: () => at * 1000,
      randomId: () => encodeBase64url(sha256(utf8(`shomei/spec/vectors/${label}/${counter++}`))).slice(0, 22),
      // Invalid vectors include assertions that do not answer their request (amount changed, account mismatch).
      allowUnansweredRequests: true,
    });
  }

  /** Signs a claims object as is, bypassing the issuer's refusals: how a non-conforming partner signs. */
  async function signRaw(name: KeyName, typ: string, claims: Record<string, unknown>): Promise<string> {
    return signCompact({ typ }, claims, signers[name]);
  }

  const requireHash = async (what: string, actual: Promise<string>, expected: string): Promise<void> => {
    if ((await actual) !== expected) throw new Error(`${what}: hash differs from the worked example in spec/10-binding.md`);
  };
  await requireHash('link details', linkHash('account_link', CUSTOMER_ACCOUNT), 'BPLqQ4G8lhlrFdpJNdNa6M9fa-qDt5yzWFBKB1XtIGw');
  await requireHash('payout', hashCanonical(PAYOUT), 'xJJjX2O8dxVjdIPkOZ3JMMJRMBif-2u6S449suah5og');
  await requireHash('direct debit', linkHash('direct_debit_registration', DEBIT_ACCOUNT), 'qE45xdup5kArBLnK2p1B0TsXph-2W6IrmjUCa3Pv7j4');

  const drafts: Draft[] = [];
  const add = (draft: Draft): void => {
    drafts.push(draft);
  };

  // ----- requests (the relying party's signed request, verified by the bank) -----------------------
  const requestInput = {
    aud: PARTIES.bank,
    action: 'account_link' as const,
    redirect_uri: CALLBACK,
    state: 'st-8d1f0c2a',
    nonce: NONCE_LINK,
    account: CUSTOMER_ACCOUNT,
    identity: IDENTITY,
    requirements: { min_ial: 'ial2' as const, min_aal: 'aal2' as const, phishing_resistant: true },
    client_name: 'Example Securities',
  };
  const linkRequest = (await issuerOf('securities-es256', 'request/account-link', REQUESTED).request(requestInput)).token;
  const changeRequest = (await issuerOf('securities-es256', 'request/destination-change', REQUESTED).request({
    ...requestInput,
    action: 'payout_destination_change',
    state: 'st-5b7e9d31',
    nonce: NONCE_CHANGE,
  })).token;
  const payoutRequestInput = {
    aud: PARTIES.bank,
    action: 'payout' as const,
    redirect_uri: CALLBACK,
    state: 'st-1c4a6f08',
    nonce: NONCE_PAYOUT,
    transaction: PAYOUT,
    requirements: { min_aal: 'aal2' as const, phishing_resistant: true },
    client_name: 'Example Securities',
  };
  const payoutRequest = (await issuerOf('securities-es256', 'request/payout', REQUESTED).request(payoutRequestInput)).token;
  const requestVerifier = verifierFor('bank', party('securities', ['request']), 'none');
  const requestExpect: VectorExpectations = { issuer: PARTIES.securities };

  add({
    id: 'request-es256-account-link',
    description: 'A relying party request for account_link, ES256 (RFC 6979 deterministic signature), verified by the bank.',
    requirements: ['SHO-REQ-1', 'SHO-REQ-2', 'SHO-JWS-6', 'SHO-KIND-2', 'SHO-JWS-19'],
    kind: 'request',
    token: linkRequest,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: allow(),
  });
  add({
    id: 'request-es256-payout',
    description: 'A relying party request for a JPY 150,000 payout, carrying its TransactionDetails.',
    requirements: ['SHO-REQ-2', 'SHO-REQ-8', 'SHO-TXN-5'],
    kind: 'request',
    token: payoutRequest,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: allow(),
  });
  const eddsaRequest = (await issuerOf('securities-eddsa', 'request/eddsa', REQUESTED).request({ ...requestInput, state: 'st-ed25519' })).token;
  add({
    id: 'request-eddsa-account-link',
    description: 'The account_link request signed with Ed25519 (EdDSA, RFC 8037).',
    requirements: ['SHO-REQ-1', 'SHO-JWS-6', 'SHO-JWS-16'],
    kind: 'request',
    token: eddsaRequest,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: allow(),
  });
  const ps256Request = (await issuerOf('securities-ps256', 'request/ps256', REQUESTED).request({ ...requestInput, state: 'st-rsa-pss' })).token;
  add({
    id: 'request-ps256-account-link',
    description: 'The account_link request signed with PS256 (RSASSA-PSS, SHA-256, 32-octet salt). The signature is randomised: verify it, do not expect to reproduce it.',
    requirements: ['SHO-REQ-1', 'SHO-JWS-6', 'SHO-JWS-15'],
    kind: 'request',
    token: ps256Request,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: allow(),
  });
  add({
    id: 'request-ps256-bad-signature',
    description: 'The PS256 request with one bit of its signature flipped.',
    requirements: ['SHO-JWS-15', 'SHO-JWS-20'],
    kind: 'request',
    base: 'request-ps256-account-link',
    mutation: 'signature bit flipped (byte 10, bit 0)',
    token: flipBit(ps256Request),
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: early('signature', 'SIGNATURE_INVALID'),
  });
  add({
    id: 'request-ps256-truncated-signature',
    description: 'The PS256 request with the last octet of its signature removed: a PSS signature is exactly as long as the modulus.',
    requirements: ['SHO-JWS-15'],
    kind: 'request',
    base: 'request-ps256-account-link',
    mutation: 'signature truncated to 255 octets',
    token: withSignature(ps256Request, signatureOf(ps256Request).subarray(0, 255)),
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: early('signature', 'SIGNATURE_INVALID'),
  });
  add({
    id: 'request-typ-jwt',
    description: 'The request claims signed with typ "JWT": the explicit type of the kind is required.',
    requirements: ['SHO-KIND-2', 'SHO-REQ-1'],
    kind: 'request',
    base: 'request-es256-account-link',
    mutation: 'typ = JWT',
    token: await signRaw('securities-es256', 'JWT', payloadOf(linkRequest)),
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: early('header', 'TYP_MISMATCH'),
  });
  add({
    id: 'request-replay',
    description: 'The same request pushed twice to the bank: its jti is consumed once.',
    requirements: ['SHO-REQ-14', 'SHO-REPLAY-1'],
    kind: 'request',
    token: linkRequest,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: late('replay', 'REPLAYED'),
    sequence: [{ expected: allow() }, { expected: late('replay', 'REPLAYED') }],
  });
  add({
    id: 'request-redirect-uri-unregistered',
    description: 'A request whose redirect_uri is not among those the bank registered for the relying party.',
    requirements: ['SHO-REQ-5'],
    kind: 'request',
    token: linkRequest,
    verifier: verifierFor('bank', party('securities', ['request'], { redirect_uris: ['https://sec.example/other-callback'] }), 'none'),
    expectations: requestExpect,
    expected: late('binding', 'CLAIMS_INVALID'),
  });
  // Time boundaries (SHO-CLM-4, SHO-CLM-6), on the request kind, which no policy judges.
  const expiresAtBoundary = (await issuerOf('securities-es256', 'request/exp-boundary', NOW - 310).request(requestInput)).token;
  add({
    id: 'request-expired-at-tolerance-boundary',
    description: 'exp = now − tolerance: "on or after exp" is expired, even with the 10 s tolerance.',
    requirements: ['SHO-CLM-4', 'SHO-CLM-7'],
    kind: 'request',
    token: expiresAtBoundary,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: late('time', 'TOKEN_EXPIRED'),
  });
  const validAtBoundary = (await issuerOf('securities-es256', 'request/exp-boundary-valid', NOW - 309).request(requestInput)).token;
  add({
    id: 'request-valid-just-inside-tolerance',
    description: 'exp = now − tolerance + 1: still valid within the 10 s tolerance.',
    requirements: ['SHO-CLM-4', 'SHO-CLM-7'],
    kind: 'request',
    token: validAtBoundary,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: allow(),
  });
  const iatAtTolerance = (await issuerOf('securities-es256', 'request/iat-boundary', NOW + 10).request(requestInput)).token;
  add({
    id: 'request-iat-at-tolerance',
    description: 'iat = now + tolerance: a clock 10 s ahead is tolerated.',
    requirements: ['SHO-CLM-6', 'SHO-CLM-7'],
    kind: 'request',
    token: iatAtTolerance,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: allow(),
  });
  const iatBeyondTolerance = (await issuerOf('securities-es256', 'request/iat-future', NOW + 11).request(requestInput)).token;
  add({
    id: 'request-iat-beyond-tolerance',
    description: 'iat = now + tolerance + 1: issued in the future.',
    requirements: ['SHO-CLM-6'],
    kind: 'request',
    token: iatBeyondTolerance,
    verifier: requestVerifier,
    expectations: requestExpect,
    expected: late('time', 'IAT_IN_FUTURE'),
  });

  // ----- link assertions (bank → securities firm) -----------------------------------------------------
  const linkInput = {
    aud: PARTIES.securities,
    sub: SUB,
    nonce: NONCE_LINK,
    request: linkRequest,
    action: 'account_link' as const,
    account: CUSTOMER_ACCOUNT,
    verified_claims: KYC_HE,
    ...PASSKEY,
    amr: [...PASSKEY.amr],
    identity_match: { ...ALL_MATCH },
  };
  const link = await issuerOf('bank-es256', 'link/passkey').link(linkInput);
  const linkToken = link.token;
  const linkClaims = link.claims as unknown as Record<string, unknown>;
  const linkVerifier = verifierFor('securities', BANK_TRUST());
  const linkExpect: VectorExpectations = { issuer: PARTIES.bank, nonce: NONCE_LINK, request: linkRequest, account: CUSTOMER_ACCOUNT, action: 'account_link' };
  const linkCase = (draft: Omit<Draft, 'kind' | 'verifier' | 'expectations'> & Partial<Pick<Draft, 'verifier' | 'expectations'>>): Draft => ({
    kind: 'link',
    verifier: linkVerifier,
    expectations: linkExpect,
    ...draft,
  });
  const bankKid = keys['bank-es256'].kid;

  add(linkCase({
    id: 'link-es256-passkey',
    description: 'The legitimate account link: ヘ (IC chip + selfie) KYC at ial2, synced passkey (phishing-resistant aal2), every identity attribute matches. The default policy allows it.',
    requirements: ['SHO-LINK-2', 'SHO-LINK-4', 'SHO-LINK-8', 'SHO-BIND-2', 'SHO-BIND-3', 'SHO-POL-12', 'SHO-POL-16'],
    token: linkToken,
    expected: allow(),
  }));
  const eddsaLink = await issuerOf('bank-eddsa', 'link/eddsa').link(linkInput);
  add(linkCase({
    id: 'link-eddsa-passkey',
    description: 'The legitimate account link signed with the bank\'s Ed25519 key.',
    requirements: ['SHO-LINK-2', 'SHO-JWS-16'],
    token: eddsaLink.token,
    expected: allow(),
  }));
  add(linkCase({
    id: 'link-es256-high-s',
    description: 'The legitimate link with s replaced by n − s ("high-S"): still a valid ECDSA signature, which a verifier accepts.',
    requirements: ['SHO-JWS-13'],
    base: 'link-es256-passkey',
    mutation: 's := n − s',
    token: highS(linkToken),
    expected: allow(),
  }));

  // header and form
  add(linkCase({
    id: 'link-typ-txn',
    description: 'Link claims under the transaction kind\'s typ, presented as a link.',
    requirements: ['SHO-KIND-2'],
    base: 'link-es256-passkey',
    mutation: 'typ = shomei-txn+jwt',
    token: await signRaw('bank-es256', 'shomei-txn+jwt', linkClaims),
    expected: early('header', 'TYP_MISMATCH'),
  }));
  add(linkCase({
    id: 'link-typ-application-prefix',
    description: 'typ with the "application/" prefix: shomei compares typ byte for byte.',
    requirements: ['SHO-KIND-2'],
    base: 'link-es256-passkey',
    mutation: 'typ = application/shomei-link+jwt',
    token: await signRaw('bank-es256', 'application/shomei-link+jwt', linkClaims),
    expected: early('header', 'TYP_MISMATCH'),
  }));
  add(linkCase({
    id: 'link-typ-missing',
    description: 'A header without typ.',
    requirements: ['SHO-JWS-8'],
    base: 'link-es256-passkey',
    mutation: 'typ removed',
    token: await handmade(headerJson('ES256', bankKid, undefined), JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('header', 'TYP_MISMATCH'),
  }));
  add({
    id: 'link-presented-as-transaction',
    description: 'A valid link assertion presented where a payout (transaction) assertion is expected: one kind is never accepted as another.',
    requirements: ['SHO-KIND-2', 'SHO-KIND-4'],
    kind: 'transaction',
    base: 'link-es256-passkey',
    mutation: 'verified as kind transaction',
    token: linkToken,
    verifier: linkVerifier,
    expectations: { issuer: PARTIES.bank, nonce: NONCE_PAYOUT, request: payoutRequest, transaction: PAYOUT },
    expected: early('header', 'TYP_MISMATCH'),
  });
  add(linkCase({
    id: 'link-alg-none-unsigned',
    description: 'alg "none" with an empty signature: an unsecured JWS.',
    requirements: ['SHO-JWS-1', 'SHO-JWS-6'],
    base: 'link-es256-passkey',
    mutation: 'alg = none, signature empty',
    token: `${b64(headerJson('none', bankKid, 'shomei-link+jwt'))}.${split(linkToken)[1]}.`,
    expected: early('parse', 'MALFORMED_TOKEN'),
  }));
  add(linkCase({
    id: 'link-alg-none',
    description: 'alg "none" with a signature present.',
    requirements: ['SHO-JWS-6'],
    base: 'link-es256-passkey',
    mutation: 'alg = none',
    token: await handmade(headerJson('none', bankKid, 'shomei-link+jwt'), JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('header', 'ALG_NOT_ALLOWED'),
  }));
  add(linkCase({
    id: 'link-alg-hs256-public-key',
    description: 'HS256 with the bank\'s public JWK (its JSON text) as the HMAC key: the classic algorithm-confusion forgery.',
    requirements: ['SHO-JWS-6'],
    base: 'link-es256-passkey',
    mutation: 'alg = HS256, MAC keyed with the public JWK',
    token: await handmade(headerJson('HS256', bankKid, 'shomei-link+jwt'), JSON.stringify(linkClaims), async (input) =>
      hmac(sha256, utf8(JSON.stringify(keys['bank-es256'].publicJwk)), input),
    ),
    expected: early('header', 'ALG_NOT_ALLOWED'),
  }));
  add(linkCase({
    id: 'link-alg-lowercase',
    description: 'alg "es256": algorithm names are case-sensitive.',
    requirements: ['SHO-JWS-6'],
    base: 'link-es256-passkey',
    mutation: 'alg = es256',
    token: await handmade(headerJson('es256', bankKid, 'shomei-link+jwt'), JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('header', 'ALG_NOT_ALLOWED'),
  }));
  add(linkCase({
    id: 'link-alg-key-mismatch',
    description: 'Header alg EdDSA with the kid of the bank\'s P-256 key (signed with its Ed25519 key): the alg must fit the key kid selects.',
    requirements: ['SHO-JWS-22'],
    base: 'link-es256-passkey',
    mutation: 'alg = EdDSA, kid of the ES256 key',
    token: await handmade(headerJson('EdDSA', bankKid, 'shomei-link+jwt'), JSON.stringify(linkClaims), rawSign('bank-eddsa')),
    expected: early('key', 'ALG_NOT_ALLOWED'),
  }));
  add(linkCase({
    id: 'link-kid-missing',
    description: 'A header without kid.',
    requirements: ['SHO-JWS-7'],
    base: 'link-es256-passkey',
    mutation: 'kid removed',
    token: await handmade(headerJson('ES256', undefined, 'shomei-link+jwt'), JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('header', 'KID_MISSING'),
  }));
  add(linkCase({
    id: 'link-kid-unknown',
    description: 'The link claims (iss = the bank) signed by an attacker with its own key and kid: the kid is not among the bank\'s keys.',
    requirements: ['SHO-JWS-7', 'SHO-FETCH-9', 'SHO-VER-15'],
    base: 'link-es256-passkey',
    mutation: 'signed by the attacker key, attacker kid',
    token: await signRaw('attacker-es256', 'shomei-link+jwt', linkClaims),
    expected: early('key', 'KEY_NOT_FOUND'),
  }));
  add(linkCase({
    id: 'link-jwk-header-attacker',
    description: 'Signed by the attacker, with the bank\'s kid and the attacker\'s public key in a jwk header: jwk is never used to select the key.',
    requirements: ['SHO-JWS-10'],
    base: 'link-es256-passkey',
    mutation: 'jwk = attacker public key, kid = bank kid, signed by the attacker',
    token: await handmade(
      headerJson('ES256', bankKid, 'shomei-link+jwt', { jwk: keys['attacker-es256'].publicJwk }),
      JSON.stringify(linkClaims),
      rawSign('attacker-es256'),
    ),
    expected: early('signature', 'SIGNATURE_INVALID'),
  }));
  add(linkCase({
    id: 'link-crit',
    description: 'A header declaring crit ["exp"].',
    requirements: ['SHO-JWS-9'],
    base: 'link-es256-passkey',
    mutation: 'crit = ["exp"]',
    token: await handmade(headerJson('ES256', bankKid, 'shomei-link+jwt', { crit: ['exp'], exp: ISSUED + 120 }), JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('header', 'CRIT_UNSUPPORTED'),
  }));
  add(linkCase({
    id: 'link-crit-empty',
    description: 'A header with an empty crit array: rejected in any form.',
    requirements: ['SHO-JWS-9'],
    base: 'link-es256-passkey',
    mutation: 'crit = []',
    token: await handmade(headerJson('ES256', bankKid, 'shomei-link+jwt', { crit: [] }), JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('header', 'CRIT_UNSUPPORTED'),
  }));
  add(linkCase({
    id: 'link-b64-false',
    description: 'A header with b64: false and crit ["b64"] (RFC 7797 unencoded payload).',
    requirements: ['SHO-JWS-9'],
    base: 'link-es256-passkey',
    mutation: 'b64 = false, crit = ["b64"]',
    token: await handmade(headerJson('ES256', bankKid, 'shomei-link+jwt', { b64: false, crit: ['b64'] }), JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('header', 'CRIT_UNSUPPORTED'),
  }));
  add(linkCase({
    id: 'link-cty',
    description: 'A header with cty "JWT": shomei tokens are never nested.',
    requirements: ['SHO-JWS-21'],
    base: 'link-es256-passkey',
    mutation: 'cty = JWT',
    token: await handmade(headerJson('ES256', bankKid, 'shomei-link+jwt', { cty: 'JWT' }), JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('parse', 'MALFORMED_TOKEN'),
  }));
  add(linkCase({
    id: 'link-header-duplicate-member',
    description: 'A header naming alg twice ("ES256", then "none"): duplicate member names are rejected, never resolved first- or last-wins.',
    requirements: ['SHO-JWS-5'],
    base: 'link-es256-passkey',
    mutation: 'header {"alg":"ES256",…,"alg":"none"}',
    token: await handmade(`{"alg":"ES256","kid":"${bankKid}","typ":"shomei-link+jwt","alg":"none"}`, JSON.stringify(linkClaims), rawSign('bank-es256')),
    expected: early('parse', 'MALFORMED_TOKEN'),
  }));
  add(linkCase({
    id: 'link-payload-duplicate-aud',
    description: 'A validly signed payload naming aud twice (another relying party first, then this one).',
    requirements: ['SHO-JWS-5'],
    base: 'link-es256-passkey',
    mutation: 'payload {"aud":"https://other-sec.example",…,"aud":"https://sec.example"}',
    token: await handmade(
      headerJson('ES256', bankKid, 'shomei-link+jwt'),
      `{"aud":"https://other-sec.example",${JSON.stringify(linkClaims).slice(1)}`,
      rawSign('bank-es256'),
    ),
    expected: early('parse', 'MALFORMED_TOKEN'),
    notes: 'The duplicate is in the payload, which a verifier decodes after the signature: the result is still exactly one MALFORMED_TOKEN.',
  }));
  {
    const text = JSON.stringify({ ...linkClaims, txn: 'audit-@@' });
    const bytes = utf8(text);
    const at = text.indexOf('@@');
    bytes.set([0xc3, 0x28], at);
    const input = `${b64(headerJson('ES256', bankKid, 'shomei-link+jwt'))}.${encodeBase64url(bytes)}`;
    add(linkCase({
      id: 'link-payload-invalid-utf8',
      description: 'A validly signed payload containing the octets C3 28 (not UTF-8) inside a string.',
      requirements: ['SHO-JWS-4'],
      base: 'link-es256-passkey',
      mutation: 'txn value contains the invalid UTF-8 sequence C3 28',
      token: `${input}.${encodeBase64url(await signers['bank-es256'].sign(utf8(input)))}`,
      expected: early('parse', 'MALFORMED_TOKEN'),
    }));
  }
  {
    const [h, p, s] = split(linkToken);
    if (s.length % 4 === 0) throw new Error('signature segment needs no padding');
    add(linkCase({
      id: 'link-base64url-padded',
      description: 'The legitimate link with "=" padding appended to its signature segment.',
      requirements: ['SHO-JWS-3'],
      base: 'link-es256-passkey',
      mutation: `signature segment + "${'='.repeat(4 - (s.length % 4))}"`,
      token: `${h}.${p}.${s}${'='.repeat(4 - (s.length % 4))}`,
      expected: early('parse', 'MALFORMED_TOKEN'),
    }));
    add(linkCase({
      id: 'link-base64url-non-canonical',
      description: 'The legitimate link whose signature segment ends in a character with a non-zero unused low bit: the same octets, a second spelling.',
      requirements: ['SHO-JWS-3'],
      base: 'link-es256-passkey',
      mutation: 'last character of the signature segment with its lowest unused bit set',
      token: `${h}.${p}.${nonCanonicalLastChar(s)}`,
      expected: early('parse', 'MALFORMED_TOKEN'),
    }));
    const standard = s.replace(/-/g, '+').replace(/_/g, '/');
    if (standard === s) throw new Error('signature segment has no - or _ to respell');
    add(linkCase({
      id: 'link-base64-standard-alphabet',
      description: 'The legitimate link with its signature written in the standard base64 alphabet (+ and /).',
      requirements: ['SHO-JWS-3'],
      base: 'link-es256-passkey',
      mutation: 'signature segment: - → +, _ → /',
      token: `${h}.${p}.${standard}`,
      expected: early('parse', 'MALFORMED_TOKEN'),
    }));
    add(linkCase({
      id: 'link-two-segments',
      description: 'header.payload without a signature segment.',
      requirements: ['SHO-JWS-1'],
      base: 'link-es256-passkey',
      mutation: 'signature segment and its dot removed',
      token: `${h}.${p}`,
      expected: early('parse', 'MALFORMED_TOKEN'),
    }));
    add(linkCase({
      id: 'link-json-serialization',
      description: 'The legitimate link in the flattened JWS JSON serialization: only the compact form is accepted.',
      requirements: ['SHO-JWS-1'],
      base: 'link-es256-passkey',
      mutation: 'JSON serialization {payload, protected, signature}',
      token: JSON.stringify({ payload: p, protected: h, signature: s }),
      expected: early('parse', 'MALFORMED_TOKEN'),
    }));
  }
  {
    const padded = { ...linkClaims, x_padding: 'A'.repeat(12_000) };
    const token = await signRaw('bank-es256', 'shomei-link+jwt', padded);
    if (token.length <= 16_384) throw new Error('the oversized token is not oversized');
    add(linkCase({
      id: 'link-too-large',
      description: `A validly signed link of ${token.length} octets, above the default 16384-octet limit.`,
      requirements: ['SHO-JWS-2'],
      base: 'link-es256-passkey',
      mutation: 'extra claim x_padding of 12000 characters',
      token,
      expected: early('parse', 'TOKEN_TOO_LARGE'),
    }));
  }

  // signature
  add(linkCase({
    id: 'link-es256-bad-signature',
    description: 'The legitimate link with one bit of its signature flipped.',
    requirements: ['SHO-JWS-20'],
    base: 'link-es256-passkey',
    mutation: 'signature bit flipped (byte 10, bit 0)',
    token: flipBit(linkToken),
    expected: early('signature', 'SIGNATURE_INVALID'),
  }));
  {
    const [h, , s] = split(linkToken);
    add(linkCase({
      id: 'link-es256-payload-swapped-account',
      description: 'The legitimate link\'s header and signature over a payload whose account is the attacker\'s (hash recomputed).',
      requirements: ['SHO-JWS-17', 'SHO-JWS-20'],
      base: 'link-es256-passkey',
      mutation: 'payload replaced: account = attacker account, transaction_hash recomputed; signature kept',
      token: `${h}.${b64(JSON.stringify({ ...linkClaims, account: ATTACKER_ACCOUNT, transaction_hash: await linkHash('account_link', ATTACKER_ACCOUNT) }))}.${s}`,
      expected: early('signature', 'SIGNATURE_INVALID'),
    }));
  }
  add(linkCase({
    id: 'link-es256-signed-by-attacker-with-bank-kid',
    description: 'The link claims signed with the attacker\'s key under the bank\'s kid.',
    requirements: ['SHO-JWS-20'],
    base: 'link-es256-passkey',
    mutation: 'signed by the attacker key, kid = bank kid',
    token: await handmade(headerJson('ES256', bankKid, 'shomei-link+jwt'), JSON.stringify(linkClaims), rawSign('attacker-es256')),
    expected: early('signature', 'SIGNATURE_INVALID'),
  }));
  add(linkCase({
    id: 'link-es256-r-s-zero',
    description: 'A signature of 64 zero octets (r = s = 0, the "psychic signature" of CVE-2022-21449).',
    requirements: ['SHO-JWS-12'],
    base: 'link-es256-passkey',
    mutation: 'signature = 64 × 0x00',
    token: withSignature(linkToken, new Uint8Array(64)),
    expected: early('signature', 'SIGNATURE_INVALID'),
  }));
  {
    const signature = signatureOf(linkToken);
    const sN = new Uint8Array(64);
    sN.set(signature.subarray(0, 32));
    sN.set(fromBigInt(P256_ORDER, 32), 32);
    add(linkCase({
      id: 'link-es256-s-equals-n',
      description: 'The legitimate r with s = n (the P-256 group order): out of range.',
      requirements: ['SHO-JWS-12'],
      base: 'link-es256-passkey',
      mutation: 's := n',
      token: withSignature(linkToken, sN),
      expected: early('signature', 'SIGNATURE_INVALID'),
    }));
    add(linkCase({
      id: 'link-es256-der-signature',
      description: 'The legitimate signature DER-encoded (as KMS APIs return it) instead of r || s.',
      requirements: ['SHO-JWS-11'],
      base: 'link-es256-passkey',
      mutation: 'signature re-encoded as ASN.1 DER',
      token: withSignature(linkToken, joseToDer(signature)),
      expected: early('signature', 'SIGNATURE_INVALID'),
    }));
    add(linkCase({
      id: 'link-es256-truncated-signature',
      description: 'The legitimate signature without its last octet (63 octets).',
      requirements: ['SHO-JWS-11'],
      base: 'link-es256-passkey',
      mutation: 'signature truncated to 63 octets',
      token: withSignature(linkToken, signature.subarray(0, 63)),
      expected: early('signature', 'SIGNATURE_INVALID'),
    }));
  }
  add(linkCase({
    id: 'link-eddsa-bad-signature',
    description: 'The Ed25519 link with one bit of its signature flipped.',
    requirements: ['SHO-JWS-16', 'SHO-JWS-20'],
    base: 'link-eddsa-passkey',
    mutation: 'signature bit flipped (byte 10, bit 0)',
    token: flipBit(eddsaLink.token),
    expected: early('signature', 'SIGNATURE_INVALID'),
  }));
  {
    const signature = signatureOf(eddsaLink.token);
    const s = toBigInt(signature.subarray(32), true);
    const malleated = new Uint8Array(64);
    malleated.set(signature.subarray(0, 32));
    malleated.set(fromBigInt(s + ED25519_L, 32, true), 32);
    add(linkCase({
      id: 'link-eddsa-s-not-reduced',
      description: 'The Ed25519 link with S replaced by S + L: the same equation holds, but RFC 8032 §5.1.7 requires S < L.',
      requirements: ['SHO-JWS-16'],
      base: 'link-eddsa-passkey',
      mutation: 'S := S + L (little-endian)',
      token: withSignature(eddsaLink.token, malleated),
      expected: early('signature', 'SIGNATURE_INVALID'),
    }));
  }

  // claims and time
  const linkAt = async (label: string, at: number, extra: Record<string, unknown> = {}, lifetime?: number): Promise<string> =>
    (await issuerOf('bank-es256', label, at).link({ ...linkInput, auth_time: at - 30, ...extra } as LinkInput, lifetime === undefined ? {} : { lifetime })).token;
  add(linkCase({
    id: 'link-expired',
    description: 'A link signed 400 s ago with the default 120 s lifetime.',
    requirements: ['SHO-CLM-4'],
    base: 'link-es256-passkey',
    mutation: 'iat = now − 400, exp = now − 280',
    token: await linkAt('link/expired', NOW - 400),
    expected: late('time', 'TOKEN_EXPIRED'),
  }));
  add(linkCase({
    id: 'link-nbf-future',
    description: 'A link with nbf one minute in the future.',
    requirements: ['SHO-CLM-5'],
    base: 'link-es256-passkey',
    mutation: 'nbf = now + 60',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, nbf: NOW + 60 }),
    expected: late('time', 'TOKEN_NOT_YET_VALID'),
  }));
  add(linkCase({
    id: 'link-iat-future',
    description: 'A link issued one minute in the future.',
    requirements: ['SHO-CLM-6'],
    base: 'link-es256-passkey',
    mutation: 'iat = now + 60, exp = now + 180',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, iat: NOW + 60, exp: NOW + 180 }),
    expected: late('time', 'IAT_IN_FUTURE'),
  }));
  add(linkCase({
    id: 'link-lifetime-exceeded',
    description: 'A link with exp − iat = 301 s, above the 300 s maximum of the link kind.',
    requirements: ['SHO-KIND-3', 'SHO-LINK-13'],
    base: 'link-es256-passkey',
    mutation: 'exp = iat + 301',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, exp: ISSUED + 301 }),
    expected: late('time', 'LIFETIME_EXCEEDED'),
  }));
  add(linkCase({
    id: 'link-lifetime-at-maximum',
    description: 'A link with exp − iat = 300 s, exactly the maximum of the link kind.',
    requirements: ['SHO-KIND-3'],
    base: 'link-es256-passkey',
    mutation: 'lifetime 300 s',
    token: await linkAt('link/lifetime-max', ISSUED, {}, 300),
    expected: allow(),
  }));
  add(linkCase({
    id: 'link-aud-array',
    description: 'aud as a one-element array holding this relying party: a single string is required.',
    requirements: ['SHO-CLM-2'],
    base: 'link-es256-passkey',
    mutation: 'aud = ["https://sec.example"]',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, aud: [PARTIES.securities] }),
    expected: late('claims', 'CLAIMS_INVALID'),
  }));
  add(linkCase({
    id: 'link-aud-other-relying-party',
    description: 'A link the bank issued to another relying party.',
    requirements: ['SHO-CLM-2', 'SHO-LINK-3'],
    base: 'link-es256-passkey',
    mutation: 'aud = https://other-sec.example',
    token: await linkAt('link/other-aud', ISSUED, { aud: 'https://other-sec.example' }),
    expected: late('audience', 'AUDIENCE_MISMATCH'),
  }));
  add(linkCase({
    id: 'link-iss-other-party',
    description: 'Signed with the bank\'s key but naming another party as iss: iss is not the owner of the verifying key.',
    requirements: ['SHO-VER-3', 'SHO-FETCH-13', 'SHO-CLM-1'],
    base: 'link-es256-passkey',
    mutation: 'iss = https://other-bank.example',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, iss: 'https://other-bank.example' }),
    expected: late('issuer', 'ISSUER_MISMATCH'),
  }));
  add(linkCase({
    id: 'link-issuer-not-configured',
    description: 'The verifier expects a bank that is not in its trust configuration.',
    requirements: ['SHO-VER-3', 'SHO-TRUST-2'],
    base: 'link-es256-passkey',
    mutation: 'expected issuer https://other-bank.example (not trusted)',
    token: linkToken,
    expectations: { ...linkExpect, issuer: 'https://other-bank.example' },
    expected: late('issuer', 'ISSUER_UNKNOWN'),
  }));
  add(linkCase({
    id: 'link-exp-float',
    description: 'exp as a fraction (1793000115.5).',
    requirements: ['SHO-CLM-3'],
    base: 'link-es256-passkey',
    mutation: 'exp = exp + 0.5',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, exp: ISSUED + 120 + 0.5 }),
    expected: late('claims', 'CLAIMS_INVALID'),
  }));
  add(linkCase({
    id: 'link-iat-string',
    description: 'iat as a JSON string.',
    requirements: ['SHO-CLM-3'],
    base: 'link-es256-passkey',
    mutation: 'iat = "1792999995"',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, iat: String(ISSUED) }),
    expected: late('claims', 'CLAIMS_INVALID'),
  }));
  add(linkCase({
    id: 'link-exp-fraction-spelling',
    description: 'exp written with a fraction part ("…115.0"): a verifier judges the parsed value, the integer 1793000115, so the link is allowed.',
    requirements: ['SHO-CLM-3'],
    base: 'link-es256-passkey',
    mutation: `"exp":${ISSUED + 120} → "exp":${ISSUED + 120}.0 in the payload text`,
    token: await handmade(
      headerJson('ES256', bankKid, 'shomei-link+jwt'),
      replaceOnce(JSON.stringify(linkClaims), `"exp":${ISSUED + 120}`, `"exp":${ISSUED + 120}.0`),
      rawSign('bank-es256'),
    ),
    expected: allow(),
    notes: 'Issuers write integers (SHO-CLM-3); this vector checks that a verifier does not refuse, or misread, an integral value spelt otherwise.',
  }));
  add(linkCase({
    id: 'link-exp-exponent-spelling',
    description: 'exp written with an exponent ("1.793000115e9"): a verifier judges the parsed value, the integer 1793000115, so the link is allowed.',
    requirements: ['SHO-CLM-3'],
    base: 'link-es256-passkey',
    mutation: `"exp":${ISSUED + 120} → "exp":1.793000115e9 in the payload text`,
    token: await handmade(
      headerJson('ES256', bankKid, 'shomei-link+jwt'),
      replaceOnce(JSON.stringify(linkClaims), `"exp":${ISSUED + 120}`, '"exp":1.793000115e9'),
      rawSign('bank-es256'),
    ),
    expected: allow(),
    notes: 'Issuers write integers (SHO-CLM-3); this vector checks that a verifier does not refuse, or misread, an integral value spelt otherwise.',
  }));
  add(linkCase({
    id: 'link-jti-too-short',
    description: 'A jti of 8 characters: at least 16 are required.',
    requirements: ['SHO-CLM-8'],
    base: 'link-es256-passkey',
    mutation: 'jti = "abcd1234"',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, jti: 'abcd1234' }),
    expected: late('claims', 'CLAIMS_INVALID'),
  }));
  add(linkCase({
    id: 'link-null-claim',
    description: 'An optional claim (txn) sent as null instead of being omitted.',
    requirements: ['SHO-CLM-14'],
    base: 'link-es256-passkey',
    mutation: 'txn = null',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, txn: null }),
    expected: late('claims', 'CLAIMS_INVALID'),
  }));
  add(linkCase({
    id: 'link-without-verified-claims',
    description: 'A link assertion without verified_claims: the holding bank always has a KYC record.',
    requirements: ['SHO-LINK-9'],
    base: 'link-es256-passkey',
    mutation: 'verified_claims removed',
    token: await signRaw('bank-es256', 'shomei-link+jwt', Object.fromEntries(Object.entries(linkClaims).filter(([name]) => name !== 'verified_claims'))),
    expected: late('claims', 'CLAIMS_INVALID'),
  }));
  add(linkCase({
    id: 'link-unknown-amr',
    description: 'An amr value outside the closed vocabulary ("x-bank-magic").',
    requirements: ['SHO-AUTH-1'],
    base: 'link-es256-passkey',
    mutation: 'amr = ["x-passkey-synced", "x-bank-magic"]',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, amr: ['x-passkey-synced', 'x-bank-magic'] }),
    expected: late('claims', 'CLAIMS_INVALID'),
  }));
  add(linkCase({
    id: 'link-auth-time-after-iat',
    description: 'auth_time one minute after iat: the authentication cannot postdate the assertion.',
    requirements: ['SHO-AUTH-3'],
    base: 'link-es256-passkey',
    mutation: 'auth_time = iat + 60',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, auth_time: ISSUED + 60 }),
    expected: late('time', 'CLAIMS_INVALID'),
  }));

  // binding
  add(linkCase({
    id: 'link-nonce-mismatch',
    description: 'A link whose nonce is not the nonce of the relying party\'s request.',
    requirements: ['SHO-BIND-4', 'SHO-LINK-4'],
    base: 'link-es256-passkey',
    mutation: `nonce = ${NONCE_OTHER}`,
    token: await linkAt('link/nonce', ISSUED, { nonce: NONCE_OTHER }),
    expected: late('nonce', 'NONCE_MISMATCH'),
  }));
  {
    const otherRequest = (await issuerOf('securities-es256', 'request/other', REQUESTED).request({ ...requestInput, state: 'st-0ther-flow' })).token;
    add(linkCase({
      id: 'link-req-hash-mismatch',
      description: 'A link answering another request of the same relying party (same nonce): req_hash is not the hash of the request this flow sent.',
      requirements: ['SHO-BIND-3', 'SHO-LINK-4'],
      base: 'link-es256-passkey',
      mutation: 'req_hash = hash of another request',
      token: await linkAt('link/req-hash', ISSUED, { request: otherRequest }),
      expected: late('binding', 'REQUEST_MISMATCH'),
    }));
  }
  add(linkCase({
    id: 'link-action-mismatch',
    description: 'A link for payout_destination_change answering an account_link request.',
    requirements: ['SHO-LINK-5'],
    base: 'link-es256-passkey',
    mutation: 'action = payout_destination_change (hash recomputed)',
    token: await linkAt('link/action', ISSUED, { action: 'payout_destination_change' }),
    expected: late('binding', 'REQUEST_MISMATCH'),
  }));
  add(linkCase({
    id: 'link-account-mismatch',
    description: 'A link for the attacker\'s account while the customer entered theirs.',
    requirements: ['SHO-LINK-7', 'SHO-BIND-6', 'SHO-ACCT-4'],
    base: 'link-es256-passkey',
    mutation: 'account = attacker account (hash recomputed)',
    token: await linkAt('link/account', ISSUED, { account: ATTACKER_ACCOUNT }),
    expected: late('binding', 'ACCOUNT_MISMATCH'),
  }));
  add(linkCase({
    id: 'link-transaction-hash-mismatch',
    description: 'A bank-signed link whose transaction_hash is the hash of {action, attacker account}, not of its own claims.',
    requirements: ['SHO-LINK-8', 'SHO-BIND-2', 'SHO-BIND-5'],
    base: 'link-es256-passkey',
    mutation: 'transaction_hash = hash of {account_link, attacker account}',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, transaction_hash: await linkHash('account_link', ATTACKER_ACCOUNT) }),
    expected: late('binding', 'TRANSACTION_MISMATCH'),
  }));

  // replay
  add(linkCase({
    id: 'link-replay',
    description: 'The legitimate link presented twice to the same verifier.',
    requirements: ['SHO-REPLAY-1', 'SHO-BIND-10'],
    token: linkToken,
    expected: late('replay', 'REPLAYED'),
    sequence: [{ expected: allow() }, { expected: late('replay', 'REPLAYED') }],
  }));
  add(linkCase({
    id: 'link-replay-high-s-twin',
    description: 'The legitimate link, then its high-S twin (same claims, other signature spelling): the jti is spent.',
    requirements: ['SHO-REPLAY-1', 'SHO-JWS-13'],
    token: linkToken,
    expected: late('replay', 'REPLAYED'),
    sequence: [{ expected: allow() }, { token: highS(linkToken), expected: late('replay', 'REPLAYED') }],
  }));
  add(linkCase({
    id: 'link-rejected-not-spent',
    description: 'Presented first with the wrong expected account (denied, jti not spent), then correctly (allowed), then again (replayed).',
    requirements: ['SHO-VER-6', 'SHO-REPLAY-1'],
    token: linkToken,
    expected: late('replay', 'REPLAYED'),
    sequence: [
      { expectations: { account: ATTACKER_ACCOUNT }, expected: late('binding', 'ACCOUNT_MISMATCH') },
      { expected: allow() },
      { expected: late('replay', 'REPLAYED') },
    ],
  }));

  // the 2020 patterns and the default policy
  const pinLink = await signRaw('bank-es256', 'shomei-link+jwt', {
    ...payloadOf(await linkAt('link/2020-pin-base', ISSUED)),
    ...PIN_BIRTHDATE,
    amr: [...PIN_BIRTHDATE.amr],
    acr: undefined,
  });
  add(linkCase({
    id: 'link-2020-cashcard-pin-birthdate',
    description: 'The 2020 pattern: the bank "authenticated" the customer with the cash-card PIN and birthdate and calls it aal2. Neither counts as a factor, nor resists phishing.',
    requirements: ['SHO-AUTH-8', 'SHO-POL-10', 'SHO-POL-11', 'SHO-POL-12'],
    base: 'link-es256-passkey',
    mutation: 'amr = [x-jp-cashcard-pin, x-jp-birthdate], aal2 claimed, phishing_resistant false, no acr',
    token: pinLink,
    expected: late('policy', 'FACTOR_NOT_COUNTED', 'PHISHING_RESISTANCE_REQUIRED'),
    notes: 'A conforming shomei issuer refuses to sign this (SHO-AUTH-5); a verifier must still deny it.',
  }));
  add(linkCase({
    id: 'link-2020-cashcard-pin-birthdate-no-policy',
    description: 'The same 2020 link verified with no policy: every protocol check passes, so the decision is allow — the policy is what stops it.',
    requirements: ['SHO-VER-1', 'SHO-POL-2'],
    base: 'link-2020-cashcard-pin-birthdate',
    mutation: 'policy: none',
    token: pinLink,
    verifier: verifierFor('securities', BANK_TRUST(), 'none'),
    expected: allow(),
  }));
  add(linkCase({
    id: 'link-policy-deny-still-spent',
    description: 'The 2020 link twice: a token that passed every check up to replay is spent even though policy denied it.',
    requirements: ['SHO-VER-6'],
    base: 'link-2020-cashcard-pin-birthdate',
    token: pinLink,
    expected: late('replay', 'REPLAYED'),
    sequence: [{ expected: late('policy', 'FACTOR_NOT_COUNTED', 'PHISHING_RESISTANCE_REQUIRED') }, { expected: late('replay', 'REPLAYED') }],
  }));
  const changeInput = { ...linkInput, nonce: NONCE_CHANGE, request: changeRequest, action: 'payout_destination_change' as const };
  const changeExpect: VectorExpectations = { issuer: PARTIES.bank, nonce: NONCE_CHANGE, request: changeRequest, account: CUSTOMER_ACCOUNT, action: 'payout_destination_change' };
  const changeLink = async (label: string, extra: Record<string, unknown>): Promise<string> =>
    (await issuerOf('bank-es256', label).link({ ...changeInput, ...extra } as LinkInput)).token;
  add(linkCase({
    id: 'link-destination-change-passkey',
    description: 'A legitimate payout-destination change: ヘ KYC, synced passkey, all identity attributes match.',
    requirements: ['SHO-LINK-2', 'SHO-POL-16'],
    token: await changeLink('link/change', {}),
    expectations: changeExpect,
    expected: allow(),
  }));
  add(linkCase({
    id: 'link-2020-ho-three-days-old',
    description: 'The 2020 pattern: a payout destination at an account opened three days ago with ホ (photo of an ID + selfie, reported ial1). ホ is accepted only once 30 days old, and only at ial2 or above.',
    requirements: ['SHO-POL-7', 'SHO-POL-5', 'SHO-POL-16', 'SHO-KYC-19'],
    base: 'link-destination-change-passkey',
    mutation: 'verified_claims: procedure jp_aml.r6_1_1.ho, assurance_level ial1, time now − 3 days',
    token: await changeLink('link/ho-3-days', { verified_claims: kycHo(NOW - 3 * DAY) }),
    expectations: changeExpect,
    expected: late('policy', 'IAL_TOO_LOW', 'PROOFING_METHOD_NOT_ALLOWED'),
  }));
  {
    const after2027 = Date.UTC(2027, 3, 2, 3, 0, 0) / 1000; // 2027-04-02 12:00 JST
    const token = (await issuerOf('bank-es256', 'link/ho-2027', after2027 - 5).link({
      ...changeInput,
      verified_claims: kycHo(NOW - 60 * DAY),
      auth_time: after2027 - 35,
    })).token;
    add(linkCase({
      id: 'link-ho-after-2027-03-31',
      description: 'A ホ KYC performed in August 2026 (60 days before the usual clock), presented on 2027-04-02: the default policy stops relying on ホ after 2027-03-31.',
      requirements: ['SHO-POL-7', 'SHO-POL-16'],
      base: 'link-2020-ho-three-days-old',
      mutation: 'now = 2027-04-02T12:00:00+09:00; ホ KYC 60 days before 2026-10-26',
      now: after2027,
      token,
      expectations: changeExpect,
      expected: late('policy', 'IAL_TOO_LOW', 'PROOFING_METHOD_NOT_ALLOWED'),
    }));
  }
  add(linkCase({
    id: 'link-2020-birthdate-no-match',
    description: 'The 2020 pattern: the account holder\'s name matches (a same-name account) but the birthdate does not.',
    requirements: ['SHO-POL-14', 'SHO-MATCH-17', 'SHO-MATCH-20'],
    base: 'link-destination-change-passkey',
    mutation: 'identity_match.birthdate = no_match',
    token: await changeLink('link/birthdate', { identity_match: { ...ALL_MATCH, birthdate: 'no_match' } }),
    expectations: changeExpect,
    expected: late('policy', 'IDENTITY_NO_MATCH'),
  }));
  add(linkCase({
    id: 'link-name-kana-close-match',
    description: 'The kana reading matches only closely (for example ヅ/ズ): the default policy sends it to review.',
    requirements: ['SHO-POL-14', 'SHO-VER-7', 'SHO-ERR-2'],
    base: 'link-es256-passkey',
    mutation: 'identity_match.name_kana = close_match',
    token: await linkAt('link/close-match', ISSUED, { identity_match: { ...ALL_MATCH, name_kana: 'close_match' } }),
    expected: late('policy', 'IDENTITY_CLOSE_MATCH'),
  }));
  add(linkCase({
    id: 'link-identity-match-missing',
    description: 'No birthdate result although the request sent a birthdate and the policy requires a result for it.',
    requirements: ['SHO-POL-14'],
    base: 'link-es256-passkey',
    mutation: 'identity_match without birthdate',
    token: await signRaw('bank-es256', 'shomei-link+jwt', { ...linkClaims, identity_match: { name: 'match', name_kana: 'match' } }),
    notes: 'A conforming shomei issuer answers every attribute the request sent (SHO-LINK-10) and refuses to sign this; a verifier must still deny it.',
    expected: late('policy', 'IDENTITY_MATCH_MISSING'),
  }));
  add(linkCase({
    id: 'link-sms-otp',
    description: 'Password + SMS OTP (a genuine aal2, but phishable): the JSDA 2025 rule requires phishing resistance for linking.',
    requirements: ['SHO-POL-12', 'SHO-AUTH-7'],
    base: 'link-es256-passkey',
    mutation: 'amr = [pwd, sms, otp], no acr, phishing_resistant false',
    token: await linkAt('link/sms', ISSUED, { ...SMS_OTP, amr: [...SMS_OTP.amr], acr: undefined, auth_time: AUTHENTICATED }),
    expected: late('policy', 'PHISHING_RESISTANCE_REQUIRED'),
  }));
  add(linkCase({
    id: 'link-auth-too-old',
    description: 'A passkey authentication ten minutes old; the default policy accepts five.',
    requirements: ['SHO-POL-13'],
    base: 'link-es256-passkey',
    mutation: 'auth_time = now − 600',
    token: await linkAt('link/auth-old', ISSUED, { auth_time: NOW - 600 }),
    expected: late('policy', 'AUTH_TOO_OLD'),
  }));

  add(linkCase({
    id: 'link-kyc-too-old',
    description: 'The legitimate link (KYC of 2024-04-01) under a policy that accepts KYC of at most 365 days.',
    requirements: ['SHO-POL-8', 'SHO-POL-1'],
    base: 'link-es256-passkey',
    mutation: 'policy: account_link { max_kyc_age_days: 365 }',
    token: linkToken,
    verifier: verifierFor('securities', BANK_TRUST(), {
      policy_id: 'vectors-kyc-age',
      version: '1.0.0',
      description: 'Test policy: KYC at most one year old.',
      rules: { account_link: { max_kyc_age_days: 365 } },
    }),
    expected: late('policy', 'KYC_TOO_OLD'),
  }));
  add(linkCase({
    id: 'link-policy-without-rule',
    description: 'The legitimate link under a policy with no rule for account_link: an action a policy forgot is denied.',
    requirements: ['SHO-POL-3'],
    base: 'link-es256-passkey',
    mutation: 'policy: payout rule only',
    token: linkToken,
    verifier: verifierFor('securities', BANK_TRUST(), PAYOUT_THRESHOLD_POLICY),
    expected: late('policy', 'POLICY_NOT_FOUND'),
  }));

  // trust configuration (library only: the CLI trusts one party with fixed ceilings)
  add(linkCase({
    id: 'link-issuer-suspended',
    description: 'The legitimate link from a bank the verifier has suspended.',
    requirements: ['SHO-TRUST-4'],
    base: 'link-es256-passkey',
    mutation: 'trust: status suspended',
    token: linkToken,
    verifier: verifierFor('securities', BANK_TRUST({ status: 'suspended' })),
    expected: late('issuer', 'ISSUER_SUSPENDED'),
  }));
  add(linkCase({
    id: 'link-kind-not-allowed',
    description: 'The legitimate link from a bank trusted for transaction assertions only.',
    requirements: ['SHO-TRUST-5'],
    base: 'link-es256-passkey',
    mutation: 'trust: kinds = [transaction]',
    token: linkToken,
    verifier: verifierFor('securities', BANK_TRUST({ kinds: ['transaction'] })),
    expected: late('issuer', 'KIND_NOT_ALLOWED'),
  }));
  add(linkCase({
    id: 'link-ial-ceiling',
    description: 'The legitimate link (ial2) from a bank whose IAL the verifier caps at ial1.',
    requirements: ['SHO-TRUST-6', 'SHO-KYC-12', 'SHO-POL-5'],
    base: 'link-es256-passkey',
    mutation: 'trust: max_ial = ial1',
    token: linkToken,
    verifier: verifierFor('securities', BANK_TRUST({ max_ial: 'ial1' })),
    expected: late('policy', 'IAL_TOO_LOW'),
  }));
  add(linkCase({
    id: 'link-aal-ceiling',
    description: 'The legitimate link (aal2) from a bank whose AAL the verifier caps at aal1.',
    requirements: ['SHO-TRUST-6', 'SHO-POL-10'],
    base: 'link-es256-passkey',
    mutation: 'trust: max_aal = aal1',
    token: linkToken,
    verifier: verifierFor('securities', BANK_TRUST({ max_aal: 'aal1' })),
    expected: late('policy', 'AAL_TOO_LOW'),
  }));
  add(linkCase({
    id: 'link-eddsa-not-allowed-for-party',
    description: 'The legitimate Ed25519 link from a bank the verifier allows ES256 only.',
    requirements: ['SHO-JWS-22', 'SHO-TRUST-2'],
    base: 'link-eddsa-passkey',
    mutation: 'trust: algs = [ES256]',
    token: eddsaLink.token,
    verifier: verifierFor('securities', BANK_TRUST({ algs: ['ES256'] })),
    expected: early('key', 'ALG_NOT_ALLOWED'),
  }));

  // ----- transaction assertions (payout) ----------------------------------------------------------
  const txnInput = { aud: PARTIES.securities, sub: SUB, nonce: NONCE_PAYOUT, request: payoutRequest, transaction: PAYOUT, ...PASSKEY, amr: [...PASSKEY.amr] };
  const txn = await issuerOf('bank-es256', 'transaction/passkey').transaction(txnInput);
  const txnClaims = txn.claims as unknown as Record<string, unknown>;
  const txnExpect: VectorExpectations = { issuer: PARTIES.bank, nonce: NONCE_PAYOUT, request: payoutRequest, transaction: PAYOUT };
  const txnCase = (draft: Omit<Draft, 'kind' | 'verifier' | 'expectations'> & Partial<Pick<Draft, 'verifier' | 'expectations'>>): Draft => ({
    kind: 'transaction',
    verifier: linkVerifier,
    expectations: txnExpect,
    ...draft,
  });
  const txnWith = async (label: string, extra: Record<string, unknown>, key: KeyName = 'bank-es256'): Promise<string> =>
    (await issuerOf(key, label).transaction({ ...txnInput, ...extra } as TransactionInput)).token;
  add(txnCase({
    id: 'transaction-es256-payout',
    description: 'A legitimate JPY 150,000 payout authorised with a synced passkey.',
    requirements: ['SHO-TXN-2', 'SHO-TXN-3', 'SHO-TXN-4', 'SHO-BIND-1', 'SHO-POL-12'],
    token: txn.token,
    expected: allow(),
  }));
  add(txnCase({
    id: 'transaction-eddsa-payout',
    description: 'The legitimate payout signed with the bank\'s Ed25519 key.',
    requirements: ['SHO-TXN-2', 'SHO-JWS-16'],
    token: await txnWith('transaction/eddsa', {}, 'bank-eddsa'),
    expected: allow(),
  }));
  add(txnCase({
    id: 'transaction-typ-link',
    description: 'Transaction claims under the link kind\'s typ, presented as a transaction.',
    requirements: ['SHO-KIND-2'],
    base: 'transaction-es256-payout',
    mutation: 'typ = shomei-link+jwt',
    token: await signRaw('bank-es256', 'shomei-link+jwt', txnClaims),
    expected: early('header', 'TYP_MISMATCH'),
  }));
  add(linkCase({
    id: 'link-typ-with-transaction-claims',
    description: 'Transaction claims signed under the link typ and presented as a link: the claims of one kind never satisfy another kind\'s schema.',
    requirements: ['SHO-KIND-4'],
    base: 'transaction-es256-payout',
    mutation: 'typ = shomei-link+jwt',
    token: await signRaw('bank-es256', 'shomei-link+jwt', txnClaims),
    expectations: { issuer: PARTIES.bank, nonce: NONCE_PAYOUT, request: payoutRequest, account: CUSTOMER_ACCOUNT, action: 'account_link' },
    expected: late('claims', 'CLAIMS_INVALID'),
  }));
  add(txnCase({
    id: 'transaction-lifetime-exceeded',
    description: 'A payout assertion with exp − iat = 121 s, above the 120 s maximum of the transaction kind (a link may live 300 s).',
    requirements: ['SHO-KIND-3', 'SHO-TXN-10'],
    base: 'transaction-es256-payout',
    mutation: 'exp = iat + 121',
    token: await signRaw('bank-es256', 'shomei-txn+jwt', { ...txnClaims, exp: ISSUED + 121 }),
    expected: late('time', 'LIFETIME_EXCEEDED'),
  }));
  add(txnCase({
    id: 'transaction-nonce-mismatch',
    description: 'A payout assertion whose nonce is not the request\'s.',
    requirements: ['SHO-BIND-4'],
    base: 'transaction-es256-payout',
    mutation: `nonce = ${NONCE_OTHER}`,
    token: await txnWith('transaction/nonce', { nonce: NONCE_OTHER }),
    expected: late('nonce', 'NONCE_MISMATCH'),
  }));
  add(txnCase({
    id: 'transaction-amount-changed',
    description: 'The relying party is about to pay JPY 1,500,000; the customer authorised JPY 150,000.',
    requirements: ['SHO-TXN-3', 'SHO-BIND-6'],
    base: 'transaction-es256-payout',
    mutation: 'expected amount 1500000',
    token: txn.token,
    expectations: { ...txnExpect, transaction: payout('1500000') },
    expected: late('binding', 'TRANSACTION_MISMATCH'),
  }));
  add(txnCase({
    id: 'transaction-currency-changed',
    description: 'The relying party is about to pay USD 150,000; the customer authorised JPY 150,000.',
    requirements: ['SHO-TXN-3', 'SHO-BIND-6'],
    base: 'transaction-es256-payout',
    mutation: 'expected currency USD',
    token: txn.token,
    expectations: { ...txnExpect, transaction: payout('150000', CUSTOMER_ACCOUNT, 'USD') },
    expected: late('binding', 'TRANSACTION_MISMATCH'),
  }));
  add(txnCase({
    id: 'transaction-payee-changed',
    description: 'The relying party is about to pay the attacker\'s account; the customer authorised a payout to their own.',
    requirements: ['SHO-TXN-3', 'SHO-BIND-6'],
    base: 'transaction-es256-payout',
    mutation: 'expected payee = attacker account',
    token: txn.token,
    expectations: { ...txnExpect, transaction: payout('150000', ATTACKER_ACCOUNT) },
    expected: late('binding', 'TRANSACTION_MISMATCH'),
  }));
  add(txnCase({
    id: 'transaction-hash-inconsistent',
    description: 'A bank-signed payout whose transaction says JPY 1,500,000 while transaction_hash is the hash of JPY 150,000.',
    requirements: ['SHO-TXN-4', 'SHO-BIND-5'],
    base: 'transaction-es256-payout',
    mutation: 'transaction.amount.value = 1500000, transaction_hash kept',
    token: await signRaw('bank-es256', 'shomei-txn+jwt', { ...txnClaims, transaction: payout('1500000') }),
    expected: late('binding', 'TRANSACTION_MISMATCH'),
  }));
  add(txnCase({
    id: 'transaction-sub-mismatch',
    description: 'A payout authorised by another customer of the bank than the holder whose link the relying party stored.',
    requirements: ['SHO-TXN-9'],
    base: 'transaction-es256-payout',
    mutation: 'expected subject = another sub',
    token: txn.token,
    expectations: { ...txnExpect, subject: OTHER_SUB },
    expected: late('binding', 'ACCOUNT_MISMATCH'),
  }));
  add(txnCase({
    id: 'transaction-replay',
    description: 'The same payout assertion presented twice: one payout only.',
    requirements: ['SHO-TXN-10', 'SHO-REPLAY-1'],
    token: txn.token,
    expected: late('replay', 'REPLAYED'),
    sequence: [{ expected: allow() }, { expected: late('replay', 'REPLAYED') }],
  }));
  {
    const big = payout('20000000');
    const request = (await issuerOf('securities-es256', 'request/payout-big', REQUESTED).request({ ...payoutRequestInput, transaction: big })).token;
    add(txnCase({
      id: 'transaction-amount-limit',
      description: 'A JPY 20,000,000 payout, above the default policy limit of JPY 10,000,000.',
      requirements: ['SHO-POL-15'],
      token: await txnWith('transaction/big', { transaction: big, request }),
      expectations: { ...txnExpect, request, transaction: big },
      expected: late('policy', 'AMOUNT_LIMIT_EXCEEDED'),
    }));
  }
  for (const [value, id, expected, description] of [
    ['50000', 'transaction-sms-below-threshold', allow(), 'A JPY 50,000 payout with password + SMS OTP under a policy that requires phishing resistance only above JPY 100,000.'],
    ['150000', 'transaction-sms-above-threshold', late('policy', 'PHISHING_RESISTANCE_REQUIRED'), 'A JPY 150,000 payout with password + SMS OTP under the same policy: above the threshold.'],
  ] as const) {
    const details = payout(value);
    const request = (await issuerOf('securities-es256', `request/${id}`, REQUESTED).request({ ...payoutRequestInput, transaction: details })).token;
    add(txnCase({
      id,
      description,
      requirements: ['SHO-POL-12', 'SHO-POL-1'],
      token: await txnWith(`transaction/${id}`, { ...SMS_OTP, amr: [...SMS_OTP.amr], acr: undefined, transaction: details, request }),
      verifier: verifierFor('securities', BANK_TRUST(), PAYOUT_THRESHOLD_POLICY),
      expectations: { ...txnExpect, request, transaction: details },
      expected,
    }));
  }

  // ----- identity assertions (wallet → bank, reverse flow) ---------------------------------------
  const identityInput = {
    aud: PARTIES.bank,
    sub: WALLET_SUB,
    nonce: NONCE_DEBIT,
    action: 'direct_debit_registration' as const,
    account: DEBIT_ACCOUNT,
    verified_claims: KYC_HE,
    ...PASSKEY,
    amr: [...PASSKEY.amr],
  };
  const identityVerifier = verifierFor('bank', party('wallet', ['identity']));
  const identityExpect: VectorExpectations = { issuer: PARTIES.wallet, nonce: NONCE_DEBIT, account: DEBIT_ACCOUNT, action: 'direct_debit_registration' };
  const identityCase = (draft: Omit<Draft, 'kind' | 'verifier' | 'expectations'> & Partial<Pick<Draft, 'verifier' | 'expectations'>>): Draft => ({
    kind: 'identity',
    verifier: identityVerifier,
    expectations: identityExpect,
    ...draft,
  });
  const identityWith = async (label: string, extra: Record<string, unknown>, key: KeyName = 'wallet-eddsa'): Promise<string> =>
    (await issuerOf(key, label).identity({ ...identityInput, ...extra } as IdentityInput)).token;
  const identityToken = await identityWith('identity/passkey', {});
  add(identityCase({
    id: 'identity-eddsa-direct-debit',
    description: 'A wallet\'s identity assertion for a direct-debit registration: ヘ KYC at ial2, synced passkey.',
    requirements: ['SHO-IDA-1', 'SHO-IDA-2', 'SHO-IDA-5', 'SHO-BIND-2'],
    token: identityToken,
    expected: allow(),
  }));
  add(identityCase({
    id: 'identity-es256-direct-debit',
    description: 'The same identity assertion signed with the wallet\'s P-256 key.',
    requirements: ['SHO-IDA-1', 'SHO-JWS-6'],
    token: await identityWith('identity/es256', {}, 'wallet-es256'),
    expected: allow(),
  }));
  add(identityCase({
    id: 'identity-typ-uppercase',
    description: 'typ in upper case: compared byte for byte, not case-insensitively.',
    requirements: ['SHO-KIND-2'],
    base: 'identity-eddsa-direct-debit',
    mutation: 'typ = SHOMEI-IDENTITY+JWT',
    token: await signRaw('wallet-eddsa', 'SHOMEI-IDENTITY+JWT', payloadOf(identityToken)),
    expected: early('header', 'TYP_MISMATCH'),
  }));
  add(identityCase({
    id: 'identity-kyc-none',
    description: 'The 2020 wallet pattern: the wallet did no KYC and says so (kyc_status none); the default policy requires KYC for a direct debit.',
    requirements: ['SHO-IDA-7', 'SHO-POL-4'],
    base: 'identity-eddsa-direct-debit',
    mutation: 'verified_claims removed, kyc_status = none',
    token: await identityWith('identity/kyc-none', { verified_claims: undefined, kyc_status: 'none' }),
    expected: late('policy', 'KYC_MISSING'),
  }));
  add(identityCase({
    id: 'identity-trust-framework-eidas',
    description: 'A wallet whose customer was proofed under eIDAS (level substantial): the default policy allows jp_aml and jp_mpiupa for a direct debit, and credits no IAL to a level off the ial1–ial3 scale.',
    requirements: ['SHO-POL-6', 'SHO-POL-5', 'SHO-KYC-12'],
    base: 'identity-eddsa-direct-debit',
    mutation: 'verification: trust_framework eidas, assurance_level substantial, no procedure',
    token: await identityWith('identity/eidas', {
      verified_claims: { verification: { trust_framework: 'eidas', assurance_level: 'substantial', time: '2025-06-01T10:00:00+02:00' }, claims: PERSON },
    }),
    expected: late('policy', 'IAL_TOO_LOW', 'TRUST_FRAMEWORK_NOT_ALLOWED'),
  }));
  add(identityCase({
    id: 'identity-account-mismatch',
    description: 'An identity assertion for another account than the one pushed with the registration.',
    requirements: ['SHO-IDA-6', 'SHO-BIND-6'],
    base: 'identity-eddsa-direct-debit',
    mutation: 'account = another Yucho account (hash recomputed)',
    token: await identityWith('identity/account', { account: OTHER_DEBIT_ACCOUNT }),
    expected: late('binding', 'ACCOUNT_MISMATCH'),
  }));
  add(identityCase({
    id: 'identity-nonce-mismatch',
    description: 'An identity assertion with a nonce the bank did not issue for this flow.',
    requirements: ['SHO-IDA-3'],
    base: 'identity-eddsa-direct-debit',
    mutation: `nonce = ${NONCE_OTHER}`,
    token: await identityWith('identity/nonce', { nonce: NONCE_OTHER }),
    expected: late('nonce', 'NONCE_MISMATCH'),
  }));
  add(identityCase({
    id: 'identity-aud-other-bank',
    description: 'An identity assertion addressed to another bank.',
    requirements: ['SHO-CLM-2', 'SHO-IDA-1'],
    base: 'identity-eddsa-direct-debit',
    mutation: 'aud = https://other-bank.example',
    token: await identityWith('identity/aud', { aud: 'https://other-bank.example' }),
    expected: late('audience', 'AUDIENCE_MISMATCH'),
  }));

  // ----- finish ------------------------------------------------------------------------------------
  const vectors = drafts.map((draft) => finish(draft, options.requirementIds));
  const seen = new Set<string>();
  for (const vector of vectors) {
    if (seen.has(vector.id)) throw new Error(`duplicate vector id ${vector.id}`);
    seen.add(vector.id);
  }
  const files = new Map<string, string>();
  const render = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  for (const name of Object.keys(PARTIES) as PartyName[]) files.set(JWKS_FILE[name], render(partyJwks(keys, name)));
  for (const vector of vectors) files.set(`cases/${vector.id}.json`, render(vector));
  files.set('vectors.json', render(indexOf(vectors, keys)));
  return { vectors, files, freshPs256 };
}

function finish(draft: Draft, requirementIds: ReadonlySet<string>): VectorCase {
  for (const id of draft.requirements) {
    if (!requirementIds.has(id)) throw new Error(`${draft.id}: ${id} is not defined in spec/`);
  }
  const expectations = [draft.expected, ...(draft.sequence ?? []).map((p) => p.expected)];
  for (const expected of expectations) {
    for (const code of expected.codes) if (!(ERROR_CODES as readonly string[]).includes(code)) throw new Error(`${draft.id}: unknown code ${code}`);
    if ((expected.outcome === 'allow') !== (expected.codes.length === 0)) throw new Error(`${draft.id}: allow means no codes`);
  }
  if (draft.sequence !== undefined && JSON.stringify(draft.sequence.at(-1)?.expected) !== JSON.stringify(draft.expected)) {
    throw new Error(`${draft.id}: expected must be the last presentation's`);
  }
  const tokens = [draft.token, ...(draft.sequence ?? []).map((p) => p.token ?? draft.token)];
  const alg = algOf(draft.token);
  const vector: VectorCase = {
    id: draft.id,
    description: draft.description,
    requirements: draft.requirements,
    kind: draft.kind,
    alg,
    reproducible: tokens.every((token) => algOf(token) !== 'PS256'),
    ...(draft.base !== undefined ? { base: draft.base } : {}),
    ...(draft.mutation !== undefined ? { mutation: draft.mutation } : {}),
    token: draft.token,
    now: draft.now ?? VECTOR_NOW,
    verifier: draft.verifier,
    expectations: draft.expectations,
    expected: draft.expected,
    ...(draft.sequence !== undefined ? { sequence: draft.sequence } : {}),
    // `shomei verify --trust` takes the whole trust configuration, so every vector runs through the CLI too.
    interfaces: ['library', 'cli'],
    ...(draft.notes !== undefined ? { notes: draft.notes } : {}),
  };
  return vector;
}

function indexOf(vectors: VectorCase[], keys: VectorKeys): Record<string, unknown> {
  return {
    format: VECTOR_FORMAT,
    warning: 'TEST VECTORS. The private keys in keys/ are published test keys: never use them, or anything signed with them, outside tests.',
    generated_by: 'spec/scripts/generate-vectors.ts (npm run vectors)',
    now: VECTOR_NOW,
    clock_tolerance: VECTOR_TOLERANCE,
    default_policy: '../default-policy.json',
    parties: Object.fromEntries(
      (Object.keys(PARTIES) as PartyName[]).map((name) => [
        PARTIES[name],
        {
          jwks: JWKS_FILE[name],
          keys: KEY_SPECS.filter((spec) => spec.party === name).map((spec) => ({ file: `keys/${spec.name}.json`, alg: spec.alg, kid: keys[spec.name].kid })),
        },
      ]),
    ),
    hash_examples: [
      { what: 'JCS({action: account_link, account: 0005/123/1/0123456})', transaction_hash: 'BPLqQ4G8lhlrFdpJNdNa6M9fa-qDt5yzWFBKB1XtIGw' },
      { what: 'JCS(payout JPY 150000 to 0005/123/1/0123456, reference ｼｮｳﾒｲ ｼｭｯｷﾝ 0001)', transaction_hash: 'xJJjX2O8dxVjdIPkOZ3JMMJRMBif-2u6S449suah5og' },
      { what: 'JCS({action: direct_debit_registration, account: 9900/238/1/1234567})', transaction_hash: 'qE45xdup5kArBLnK2p1B0TsXph-2W6IrmjUCa3Pv7j4' },
    ],
    vectors: vectors.map((vector): IndexEntry => ({
      id: vector.id,
      file: `cases/${vector.id}.json`,
      kind: vector.kind,
      alg: vector.alg,
      outcome: vector.expected.outcome,
      codes: vector.expected.codes,
      codes_match: vector.expected.codes_match,
      step: vector.expected.step,
      requirements: vector.requirements,
      reproducible: vector.reproducible,
      interfaces: vector.interfaces,
    })),
  };
}

/** The requirement IDs defined in spec/requirements.json. */
export function definedRequirementIds(specDir: string): Set<string> {
  const parsed = JSON.parse(readFileSync(`${specDir}/requirements.json`, 'utf8')) as unknown;
  const list = (Array.isArray(parsed) ? parsed : (parsed as { requirements: unknown[] }).requirements) as Array<{ id: string }>;
  return new Set(list.map((entry) => entry.id));
}

// ---------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------

export const SPEC_DIR = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const VECTORS_DIR = `${SPEC_DIR}/vectors`;

async function main(args: string[]): Promise<void> {
  const regenerate = args.includes('--regenerate-ps256');
  const unknown = args.filter((arg) => arg !== '--regenerate-ps256');
  if (unknown.length > 0) throw new Error(`unknown arguments: ${unknown.join(' ')} (only --regenerate-ps256)`);
  const keysDir = `${VECTORS_DIR}/keys`;
  mkdirSync(keysDir, { recursive: true });
  const { keys, created } = await loadVectorKeys(keysDir, { create: true });
  for (const name of created) writeFileSync(`${keysDir}/${name}.json`, `${JSON.stringify(keys[name].privateJwk, null, 2)}\n`);
  const pins = regenerate ? new Map<string, string>() : await collectPs256Pins(`${VECTORS_DIR}/cases`, keys);
  const { vectors, files, freshPs256 } = await generateVectors({ keys, pins, ps256: 'sign-missing', requirementIds: definedRequirementIds(SPEC_DIR) });
  mkdirSync(`${VECTORS_DIR}/cases`, { recursive: true });
  mkdirSync(`${VECTORS_DIR}/jwks`, { recursive: true });
  const current = new Set([...files.keys()].filter((path) => path.startsWith('cases/')).map((path) => path.slice('cases/'.length)));
  for (const file of readdirSync(`${VECTORS_DIR}/cases`)) {
    if (!current.has(file)) rmSync(`${VECTORS_DIR}/cases/${file}`);
  }
  for (const [path, text] of files) writeFileSync(`${VECTORS_DIR}/${path}`, text);
  const byOutcome = vectors.reduce<Record<string, number>>((counts, vector) => ({ ...counts, [vector.expected.outcome]: (counts[vector.expected.outcome] ?? 0) + 1 }), {});
  process.stdout.write(
    `spec/vectors: ${vectors.length} vectors (${Object.entries(byOutcome).map(([outcome, count]) => `${count} ${outcome}`).join(', ')})` +
      `${created.length > 0 ? `; created keys ${created.join(', ')}` : ''}` +
      `${freshPs256.length > 0 ? `; ${freshPs256.length} PS256 signature(s) made anew` : ''}\n`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`generate-vectors: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
