/**
 * The shared world of the issuer and verifier suites: a bank, a securities firm (the relying party, RP),
 * a wallet and an attacker, each with its own key; trust configurations for the RP (trusting the bank)
 * and for the bank (trusting the RP's requests and the wallet's identity assertions); verifiers with a
 * fixed clock; builders for valid request / link / transaction / identity inputs; and `forge`, which
 * signs arbitrary header and payload bytes for the mutations the issuer refuses to produce.
 *
 * Every verification made through a {@link Harness} is checked by {@link expectCleanDecision}: no
 * reason message (nor the thrown error of `verifyOrThrow`) contains the fixture's name, kana, birthdate,
 * account number, the nonce or the token itself (SHO-ERR-3, SHO-VER-9), and every reason carries a code
 * of the closed list and a requirement defined in spec/.
 */
import { createHmac, createPrivateKey, constants, sign as nodeSign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { z } from 'zod';
import { sha256Base64url } from '../../src/canonical/digest.js';
import type { VerifiedClaimsElement as VerifiedClaimsElementSchema } from '../../src/claims/verified-claims.js';
import type { DecisionEntry } from '../../src/decision-log/decision-log.js';
import { createMemoryDecisionLog, type MemoryDecisionLog } from '../../src/decision-log/memory-decision-log.js';
import { decodeBase64url, encodeBase64url } from '../../src/encoding/base64url.js';
import { ERROR_CODES } from '../../src/errors/codes.js';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import {
  createIssuer,
  type IdentityInput,
  type Issued,
  type Issuer,
  type LinkInput,
  type RequestInput,
  type TransactionInput,
} from '../../src/issuer/issue.js';
import type { Alg } from '../../src/jws/algorithms.js';
import { generateKey } from '../../src/keys/generate.js';
import { createLocalSigner, type Signer } from '../../src/keys/signer.js';
import type { PrivateJwk, PublicJwk } from '../../src/keys/types.js';
import type { Kind } from '../../src/kinds/kind.js';
import type { Decision } from '../../src/verifier/result.js';
import type { TrustConfigInput, TrustedPartyInput } from '../../src/verifier/trust.js';
import { createVerifier, type Expectations, type Verifier, type VerifierOptions } from '../../src/verifier/verify.js';

// ---------------------------------------------------------------------------------------------------
// Time, parties, personal data
// ---------------------------------------------------------------------------------------------------

/** 2026-06-01 12:00 JST: before the 2027-04-01 end of method ホ, so its rules can be exercised both ways. */
export const NOW_MS = Date.UTC(2026, 5, 1, 3, 0, 0);
/** {@link NOW_MS} in epoch seconds. */
export const NOW = NOW_MS / 1000;
export const DAY = 86_400;
/** The verifier's default clock tolerance (SHO-CLM-7). */
export const TOLERANCE = 10;

export const BANK = 'https://bank.example';
export const RP = 'https://sec.example';
export const WALLET = 'https://wallet.example';
export const ATTACKER = 'https://attacker.example';
export const RP_CALLBACK = 'https://sec.example/shomei/callback';

/** The customer: personal data that must never appear in a message, a reason or a log entry. */
export const PERSON = {
  familyName: '山田',
  givenName: '太郎',
  name: '山田 太郎',
  familyKana: 'ヤマダ',
  givenKana: 'タロウ',
  kana: 'ヤマダ タロウ',
  birthdate: '1985-04-01',
  accountNumber: '1234567',
} as const;

/** Every string of {@link PERSON}: scanned for in messages, reasons and logs. */
export const PERSONAL_DATA: readonly string[] = Object.values(PERSON);

/** The customer's account at the bank (Zengin form), as the customer typed it at the RP. */
export const ACCOUNT = { bank_code: '0005', branch_code: '123', type: '1', number: PERSON.accountNumber } as const;
/** An account of somebody else (an attacker's same-name account at the same bank). */
export const OTHER_ACCOUNT = { bank_code: '0005', branch_code: '123', type: '1', number: '7654321' } as const;

/** The customer's pairwise identifier at the bank, for the RP. */
export const SUB = 'sub-Qm9vazEyMzQ1Njc4OTA';

/** The payout the RP asks the bank to authorise: JPY 150,000 to the customer's own account. */
export const TXN = { type: 'payout', amount: { currency: 'JPY', value: '150000' }, payee: { ...ACCOUNT } } as const;

/** RFC 3339 date-time in JST of an epoch second, as banks write `verification.time`. */
export function jstDateTime(epochSeconds: number): string {
  const shifted = new Date((epochSeconds + 9 * 3600) * 1000).toISOString().slice(0, 19);
  return `${shifted}+09:00`;
}

/** One OpenID IDA `verified_claims` element. */
export type VerifiedClaimsElement = z.infer<typeof VerifiedClaimsElementSchema>;

/** Bank KYC by JPKI signature certificate (ワ), ial2, done long ago: what the default policy accepts. */
export function verifiedClaims(overrides: { procedure?: string; time?: string; level?: string } = {}): VerifiedClaimsElement {
  return {
    verification: {
      trust_framework: 'jp_aml',
      assurance_level: overrides.level ?? 'ial2',
      assurance_process: { procedure: overrides.procedure ?? 'jp_aml.r6_1_1.wa' },
      time: overrides.time ?? jstDateTime(NOW - 400 * DAY),
      evidence: [{ type: 'electronic_signature' as const, signature_type: 'jp_jpki_sign', issuer: 'J-LIS', serial_number: '0001' }],
    },
    claims: {
      family_name: PERSON.familyName,
      given_name: PERSON.givenName,
      'family_name#ja-Kana-JP': PERSON.familyKana,
      'given_name#ja-Kana-JP': PERSON.givenKana,
      birthdate: PERSON.birthdate,
    },
  };
}

/** A device-bound passkey: phishing-resistant, two factor classes, aal2 asserted. */
export function passkeyAuthentication(authTime = NOW - 30) {
  return {
    acr: 'phr',
    amr: ['x-passkey-devicebound'] as LinkInput['amr'],
    auth_time: authTime,
    aal: 'aal2' as const,
    phishing_resistant: true,
  };
}

// ---------------------------------------------------------------------------------------------------
// Keys and forging
// ---------------------------------------------------------------------------------------------------

/** A key pair with its signer (for the SDK) and a node:crypto KeyObject (for {@link forge}). */
export interface TestKey {
  alg: Alg;
  kid: string;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  signer: Signer;
  keyObject: KeyObject;
}

/** Generates a key pair for `alg` with the SDK (kid = RFC 7638 thumbprint). */
export async function testKey(alg: Alg = 'ES256'): Promise<TestKey> {
  const pair = await generateKey(alg);
  const signer = await createLocalSigner(pair.privateJwk, { alg });
  const { kid: _kid, alg: _alg, use: _use, ...material } = pair.privateJwk as unknown as Record<string, string>;
  const keyObject = createPrivateKey({ key: material, format: 'jwk' });
  return { alg, kid: pair.kid, privateJwk: pair.privateJwk, publicJwk: pair.publicJwk, signer, keyObject };
}

/** base64url of a string's UTF-8 bytes, or of bytes. */
export function b64u(data: string | Uint8Array): string {
  return encodeBase64url(typeof data === 'string' ? new TextEncoder().encode(data) : data);
}

function segment(part: Record<string, unknown> | string | Uint8Array): string {
  if (part instanceof Uint8Array) return b64u(part);
  return b64u(typeof part === 'string' ? part : JSON.stringify(part));
}

/** A signing key for {@link forge}: a {@link TestKey}, or HMAC bytes for `alg` confusion attacks. */
export type ForgeKey = TestKey | { hmac: Uint8Array };

/** Signs `signingInput` with `key` using its own algorithm (never the header's): ES256 as r || s. */
export function rawSign(signingInput: string, key: ForgeKey): Uint8Array {
  const data = Buffer.from(signingInput, 'ascii');
  if ('hmac' in key) return new Uint8Array(createHmac('sha256', key.hmac).update(data).digest());
  switch (key.alg) {
    case 'ES256':
      return new Uint8Array(nodeSign('sha256', data, { key: key.keyObject, dsaEncoding: 'ieee-p1363' }));
    case 'EdDSA':
      return new Uint8Array(nodeSign(null, data, key.keyObject));
    case 'PS256':
      return new Uint8Array(
        nodeSign('sha256', data, { key: key.keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
      );
  }
}

/**
 * A compact JWS over arbitrary header and payload: an object is JSON-serialised, a string is taken as
 * the JSON text itself (for duplicate members, odd numbers, broken JSON), bytes as they are (invalid
 * UTF-8, a BOM). Signed with `key` whatever the header says, so every header mutation is validly signed
 * and only the mutation can make the verifier refuse it.
 */
export function forge(input: {
  header: Record<string, unknown> | string | Uint8Array;
  payload: Record<string, unknown> | string | Uint8Array;
  key: ForgeKey;
}): string {
  const signingInput = `${segment(input.header)}.${segment(input.payload)}`;
  return `${signingInput}.${b64u(rawSign(signingInput, input.key))}`;
}

/** Signs already-encoded segments (for non-canonical or padded base64url that stays validly signed). */
export function forgeSegments(headerB64: string, payloadB64: string, key: ForgeKey): string {
  const signingInput = `${headerB64}.${payloadB64}`;
  return `${signingInput}.${b64u(rawSign(signingInput, key))}`;
}

/** The three segments of a compact JWS. */
export function parts(token: string): [string, string, string] {
  const [header, payload, signature] = token.split('.');
  return [header!, payload!, signature!];
}

/** Header and payload of a token, decoded without any check (test inspection only). */
export function decode(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: Uint8Array } {
  const [header, payload, signature] = parts(token);
  const text = (b64: string) => new TextDecoder().decode(decodeBase64url(b64));
  return { header: JSON.parse(text(header)), payload: JSON.parse(text(payload)), signature: decodeBase64url(signature) };
}

/** The same token with `signature` in place of its own. */
export function withSignature(token: string, signature: Uint8Array | string): string {
  const [header, payload] = parts(token);
  return `${header}.${payload}.${typeof signature === 'string' ? signature : b64u(signature)}`;
}

/**
 * Re-signs a token after mutating its decoded header and/or payload (the mutation functions return the
 * new object; they may mutate and return their argument).
 */
export function resign(
  token: string,
  options: {
    key: ForgeKey;
    header?: (header: Record<string, unknown>) => Record<string, unknown> | string;
    payload?: (payload: Record<string, unknown>) => Record<string, unknown> | string;
  },
): string {
  const decoded = decode(token);
  return forge({
    header: options.header ? options.header(decoded.header) : decoded.header,
    payload: options.payload ? options.payload(decoded.payload) : decoded.payload,
    key: options.key,
  });
}

/** The header an honest issuer with `key` emits for `typ`. */
export function headerFor(key: TestKey, typ: string): Record<string, unknown> {
  return { alg: key.alg, kid: key.kid, typ };
}

// ---------------------------------------------------------------------------------------------------
// Shared assertions
// ---------------------------------------------------------------------------------------------------

const SPEC_REQUIREMENTS: ReadonlySet<string> = new Set(
  (JSON.parse(readFileSync(fileURLToPath(new URL('../../spec/requirements.json', import.meta.url)), 'utf8')) as Array<{ id: string }>).map(
    (requirement) => requirement.id,
  ),
);

/** Whether `id` is a requirement defined in spec/ (spec/requirements.json). */
export function isSpecRequirement(id: unknown): boolean {
  return typeof id === 'string' && SPEC_REQUIREMENTS.has(id);
}

/** Asserts that none of `texts` holds personal data of the fixture or any of `secrets`. */
export function expectNoPersonalData(texts: readonly string[], secrets: readonly string[] = []): void {
  for (const text of texts) {
    for (const secret of [...PERSONAL_DATA, ...secrets]) {
      if (secret.length > 0 && text.includes(secret)) {
        throw new Error(`personal data or token content leaked into a message: ${JSON.stringify(text.slice(0, 200))}`);
      }
    }
  }
}

/**
 * The shared assertion of SHO-VER-9 and SHO-ERR-3, run on every decision of the suites: every reason
 * has a code of the closed list, a requirement defined in spec/, and a message and claim name free of
 * personal data, of the token and of `secrets` (nonces, subs).
 */
export function expectCleanDecision(decision: Decision, token: unknown, secrets: readonly string[] = []): void {
  const tokenSecrets = typeof token === 'string' && token.length >= 16 ? [token, ...token.split('.').filter((part) => part.length >= 16)] : [];
  for (const reason of decision.reasons) {
    expect(ERROR_CODES, `unknown code ${reason.code}`).toContain(reason.code);
    expect(isSpecRequirement(reason.requirement), `${reason.code} cites ${reason.requirement}, not defined in spec/`).toBe(true);
    expect(typeof reason.message).toBe('string');
  }
  expectNoPersonalData(
    decision.reasons.flatMap((reason) => [reason.message, reason.claim ?? '']),
    [...tokenSecrets, ...secrets],
  );
}

/** Decision-log members allowed by SHO-LOG-2 (identifiers and hashes only). */
export const LOG_MEMBERS: ReadonlySet<string> = new Set([
  'time', 'kind', 'action', 'issuer', 'audience', 'kid', 'jti', 'transaction_hash', 'request_hash', 'token_hash', 'policy', 'outcome', 'reasons',
]);

/** Asserts that log entries hold identifiers and hashes only: no personal data, token, sub or nonce. */
export function expectCleanLog(entries: readonly DecisionEntry[], secrets: readonly string[] = []): void {
  for (const entry of entries) {
    for (const member of Object.keys(entry)) expect(LOG_MEMBERS, `log member ${member}`).toContain(member);
    expectNoPersonalData([JSON.stringify(entry)], [SUB, ...secrets]);
  }
}

/** The codes of a decision, in order. */
export function codes(decision: { reasons: ReadonlyArray<{ code: string }> }): string[] {
  return decision.reasons.map((reason) => reason.code);
}

/** Asserts a deny whose reasons include `code` (with `claim`, when given). */
export function expectDenied(decision: Decision, code: string, claim?: string): void {
  expect(decision.outcome, `expected deny with ${code}, got ${decision.outcome} ${codes(decision).join(',')}`).toBe('deny');
  expect(decision.reasons).toContainEqual(expect.objectContaining(claim === undefined ? { code } : { code, claim }));
}

/** Asserts a deny before the signature step: exactly one reason, `code`, no claims (SHO-VER-4). */
export function expectDeniedEarly(decision: Decision, code: string): void {
  expect(decision.outcome).toBe('deny');
  expect(codes(decision)).toEqual([code]);
  expect(decision.claims).toBeUndefined();
}

/** Asserts an allow with no reasons and the claims present. */
export function expectAllowed(decision: Decision): void {
  expect({ outcome: decision.outcome, codes: codes(decision) }).toEqual({ outcome: 'allow', codes: [] });
  expect(decision.claims).toBeDefined();
}

/** Awaits an issuer call expected to be refused: fails when the issuer signed; returns the `ISSUANCE_REFUSED` error. */
export async function issuanceRefusal(promise: Promise<unknown>): Promise<ShomeiError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) throw new Error('the issuer signed; expected ISSUANCE_REFUSED');
  expect(outcome).toBeInstanceOf(ShomeiError);
  expect((outcome as ShomeiError).code).toBe('ISSUANCE_REFUSED');
  return outcome as ShomeiError;
}

// ---------------------------------------------------------------------------------------------------
// Trust configurations and verifiers
// ---------------------------------------------------------------------------------------------------

/** A verifier, its in-memory decision log, and `verify` wrapped in the shared assertions. */
export interface Harness {
  verifier: Verifier;
  log: MemoryDecisionLog;
  /** `verifier.verify` followed by {@link expectCleanDecision} (with the expected nonce as a secret). */
  verify<K extends Kind>(token: unknown, expectations: Expectations<K>): Promise<Decision<K>>;
}

/** Options of a harness: any verifier option; `trust` replaces the default trust configuration. */
export type HarnessOptions = Partial<VerifierOptions>;

function harness(audience: string, trust: TrustConfigInput, options: HarnessOptions): Harness {
  const log = createMemoryDecisionLog();
  const verifier = createVerifier({ audience, trust, clock: () => NOW_MS, decisionLog: log, ...options });
  return {
    verifier,
    log,
    async verify(token, expectations) {
      const decision = await verifier.verify(token as string, expectations);
      expectCleanDecision(decision, token, [expectations.nonce ?? '', SUB]);
      return decision;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------------

export interface World {
  keys: { bank: TestKey; bankEd: TestKey; rp: TestKey; wallet: TestKey; attacker: TestKey };
  /** The bank: signs link and transaction assertions. */
  bank: Issuer;
  /** The securities firm: signs requests. */
  rp: Issuer;
  /** The wallet: signs identity assertions (reverse flow). */
  wallet: Issuer;
  /** Somebody signing as the bank (iss = BANK) with a key of its own. */
  impostor: Issuer;
  /** The RP's trust in the bank (link, transaction; ceilings ial2 / aal2), with `bank` merged into the entry. */
  rpTrust(bank?: Partial<TrustedPartyInput>, extra?: TrustedPartyInput[]): TrustConfigInput;
  /** The bank's trust in the RP (request, with its redirect URI) and the wallet (identity). */
  bankTrust(rp?: Partial<TrustedPartyInput>, wallet?: Partial<TrustedPartyInput>): TrustConfigInput;
  /** A verifier at the RP (audience RP), default policy, clock {@link NOW_MS}. */
  rpVerifier(options?: HarnessOptions): Harness;
  /** A verifier at the bank (audience BANK), default policy, clock {@link NOW_MS}. */
  bankVerifier(options?: HarnessOptions): Harness;
  /** The trusted party entry of the bank in {@link World.rpTrust}, e.g. to trust a second party alike. */
  partyEntry(id: string, key: TestKey | TestKey[], kinds: Kind[]): TrustedPartyInput;
  /** A valid request of the RP (account_link by default). */
  request(overrides?: Partial<RequestInput>, lifetime?: number): Promise<Issued<'request'>>;
  /** A payout request with {@link TXN}. */
  payoutRequest(overrides?: Partial<RequestInput>): Promise<Issued<'request'>>;
  /** A legitimate link assertion (passkey, ワ KYC, full identity match) with its request and expectations. */
  link(overrides?: Partial<LinkInput>, options?: { request?: Partial<RequestInput>; lifetime?: number; issuer?: Issuer }): Promise<Flow<'link'>>;
  /** A legitimate transaction assertion for {@link TXN}, with its request and expectations. */
  transaction(overrides?: Partial<TransactionInput>, options?: { lifetime?: number; issuer?: Issuer }): Promise<Flow<'transaction'>>;
  /** A legitimate identity assertion of the wallet, with its expectations at the bank. */
  identity(overrides?: Partial<IdentityInput>, options?: { lifetime?: number }): Promise<Flow<'identity'>>;
}

/** A token with the claims it carries, the request it answers (if any) and what its verifier expects. */
export interface Flow<K extends Kind> {
  token: string;
  claims: Issued<K>['claims'];
  request?: Issued<'request'>;
  expect: Expectations<K>;
}

/** A valid RequestInput for `action` (account_link by default). */
export function requestInput(overrides: Partial<RequestInput> = {}): RequestInput {
  const action = overrides.action ?? 'account_link';
  return {
    aud: BANK,
    action,
    redirect_uri: RP_CALLBACK,
    state: 'af0ifjsldkj',
    client_name: 'Example Securities',
    ...(action === 'payout' ? { transaction: structuredClone(TXN) as RequestInput['transaction'] } : {}),
    account: { ...ACCOUNT },
    identity: { name: PERSON.name, name_kana: PERSON.kana, birthdate: PERSON.birthdate },
    ...overrides,
  } as RequestInput;
}

/** A valid LinkInput answering `request` (a compact JWS) with `nonce`. */
export function linkInput(request: string, nonce: string, overrides: Partial<LinkInput> = {}): LinkInput {
  return {
    aud: RP,
    sub: SUB,
    nonce,
    request,
    action: 'account_link',
    account: { ...ACCOUNT },
    verified_claims: verifiedClaims(),
    ...passkeyAuthentication(),
    identity_match: { name: 'match', name_kana: 'match', birthdate: 'match' },
    txn: 'bank-audit-0001',
    ...overrides,
  } as LinkInput;
}

/** A valid TransactionInput answering the payout `request` with `nonce`. */
export function transactionInput(request: string, nonce: string, overrides: Partial<TransactionInput> = {}): TransactionInput {
  return {
    aud: RP,
    sub: SUB,
    nonce,
    request,
    transaction: structuredClone(TXN) as TransactionInput['transaction'],
    ...passkeyAuthentication(),
    ...overrides,
  } as TransactionInput;
}

/** The nonce the bank's nonce endpoint gave the wallet (reverse flow). */
export const BANK_NONCE = 'bank-nonce-7Hx2Lq9Pz4Wm';

/** A valid IdentityInput of the wallet for a direct-debit registration at the bank. */
export function identityInput(overrides: Partial<IdentityInput> = {}): IdentityInput {
  return {
    aud: BANK,
    sub: 'wallet-user-0000000001',
    nonce: BANK_NONCE,
    action: 'direct_debit_registration',
    account: { ...ACCOUNT },
    verified_claims: verifiedClaims({ procedure: 'jp_aml.r6_1_1.he' }),
    acr: 'phr',
    amr: ['x-passkey-synced'],
    auth_time: NOW - 20,
    aal: 'aal2',
    phishing_resistant: true,
    ...overrides,
  } as IdentityInput;
}

/** Builds the world: fresh keys, issuers with the fixed clock, trust configurations and flows. */
export async function createWorld(): Promise<World> {
  const [bankKey, bankEd, rpKey, walletKey, attacker] = await Promise.all([
    testKey('ES256'),
    testKey('EdDSA'),
    testKey('ES256'),
    testKey('ES256'),
    testKey('ES256'),
  ]);
  const clock = () => NOW_MS;
  // The tests' bank may answer a request wrongly, so that the verifier's binding checks can be broken.
  const bank = createIssuer({ issuer: BANK, signer: bankKey.signer, clock, allowUnansweredRequests: true });
  const rp = createIssuer({ issuer: RP, signer: rpKey.signer, clock });
  const wallet = createIssuer({ issuer: WALLET, signer: walletKey.signer, clock });
  const impostor = createIssuer({ issuer: BANK, signer: attacker.signer, clock, allowUnansweredRequests: true });

  const partyEntry = (id: string, key: TestKey | TestKey[], kinds: Kind[]): TrustedPartyInput => ({
    id,
    keys: { jwks: { keys: (Array.isArray(key) ? key : [key]).map((k) => ({ ...k.publicJwk })) } },
    kinds,
    max_ial: 'ial2',
    max_aal: 'aal2',
    algs: ['ES256'],
    status: 'active',
  });
  const rpTrust = (patch: Partial<TrustedPartyInput> = {}, extra: TrustedPartyInput[] = []): TrustConfigInput => ({
    // The bank publishes an Ed25519 key too; the RP allows it ES256 only.
    parties: [{ ...partyEntry(BANK, [bankKey, bankEd], ['link', 'transaction']), ...patch }, ...extra],
  });
  const bankTrust = (rpPatch: Partial<TrustedPartyInput> = {}, walletPatch: Partial<TrustedPartyInput> = {}): TrustConfigInput => ({
    parties: [
      { ...partyEntry(RP, rpKey, ['request']), max_ial: 'ial1', max_aal: 'aal1', redirect_uris: [RP_CALLBACK], ...rpPatch },
      { ...partyEntry(WALLET, walletKey, ['identity']), ...walletPatch },
    ],
  });

  const world: World = {
    keys: { bank: bankKey, bankEd, rp: rpKey, wallet: walletKey, attacker },
    bank,
    rp,
    wallet,
    impostor,
    rpTrust,
    bankTrust,
    partyEntry,
    rpVerifier: (options = {}) => harness(RP, options.trust ?? rpTrust(), options),
    bankVerifier: (options = {}) => harness(BANK, options.trust ?? bankTrust(), options),
    request: (overrides = {}, lifetime) => rp.request(requestInput(overrides), lifetime === undefined ? {} : { lifetime }),
    payoutRequest: (overrides = {}) => rp.request(requestInput({ action: 'payout', ...overrides })),
    async link(overrides = {}, options = {}) {
      const request = await world.request(options.request);
      const issued = await (options.issuer ?? bank).link(
        linkInput(request.token, request.claims.nonce, overrides),
        options.lifetime === undefined ? {} : { lifetime: options.lifetime },
      );
      return {
        token: issued.token,
        claims: issued.claims,
        request,
        expect: { kind: 'link', issuer: BANK, nonce: request.claims.nonce, request: request.token, account: { ...ACCOUNT }, action: 'account_link' },
      };
    },
    async transaction(overrides = {}, options = {}) {
      const request = await world.payoutRequest();
      const issued = await (options.issuer ?? bank).transaction(
        transactionInput(request.token, request.claims.nonce, overrides),
        options.lifetime === undefined ? {} : { lifetime: options.lifetime },
      );
      return {
        token: issued.token,
        claims: issued.claims,
        request,
        expect: {
          kind: 'transaction',
          issuer: BANK,
          nonce: request.claims.nonce,
          request: request.token,
          transaction: structuredClone(TXN) as TransactionInput['transaction'],
          subject: SUB,
        },
      };
    },
    async identity(overrides = {}, options = {}) {
      const issued = await wallet.identity(identityInput(overrides), options.lifetime === undefined ? {} : { lifetime: options.lifetime });
      return {
        token: issued.token,
        claims: issued.claims,
        expect: { kind: 'identity', issuer: WALLET, nonce: issued.claims.nonce, account: { ...ACCOUNT }, action: 'direct_debit_registration' },
      };
    },
  };
  return world;
}

/** `req_hash` of a request token, as the RP recomputes it. */
export function requestHashOf(request: string): Promise<string> {
  return sha256Base64url(request);
}
