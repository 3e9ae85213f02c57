import type { z } from 'zod';
import { canonicalize, isWellFormed } from '../canonical/jcs.js';
import { digestFor, sha256Base64url, type Sha256, type Sha256Base64url } from '../canonical/digest.js';
import { authenticationProblems } from '../claims/authentication-rules.js';
import { claimIssues } from '../claims/issues.js';
import { encodeBase64url } from '../encoding/base64url.js';
import { MAX_CONFIGURABLE_TOKEN_BYTES, MAX_TOKEN_BYTES, peekPayload } from '../jws/compact.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { signCompact } from '../jws/sign.js';
import { KeyRing } from '../keys/key-ring.js';
import { assertSigner, type Signer } from '../keys/signer.js';
import type { IdentityClaims } from '../kinds/identity.js';
import { KIND_DEFINITIONS, type ClaimsOf, type Kind } from '../kinds/kind.js';
import type { LinkClaims } from '../kinds/link.js';
import type { RequestClaims } from '../kinds/request.js';
import { recordRequestOrigin, recordedRequestClaims } from '../kinds/request-origin.js';
import type { TransactionClaims } from '../kinds/transaction.js';

type Generated = 'iss' | 'iat' | 'exp' | 'nbf' | 'jti';

/** What a caller gives to sign a request; `nonce` is generated when absent. */
export type RequestInput = Omit<RequestClaims, Generated | 'nonce'> & { nonce?: string };
/**
 * The request an assertion answers, as the bank verified it (SHO-REQ-13): `token` is the compact JWS
 * exactly as pushed, `claims` what the verifier returned for it (`decision.claims` of a `request`
 * verification, or `PushedRequestRecord.claims`). `req_hash` is computed from `token`; the checks that the
 * assertion answers the request (audience, nonce, action, account, transaction, identity_match) read the
 * claims. Claims that this package returned with that very token are recognized without decoding the
 * token again (the checks read a copy kept when they were returned); any other claims — read back from a
 * store, copied, or of another request — are compared with what a `request` verification returns for the
 * decoded token, the checks then read the decoded claims, and a pair that does not belong together is
 * refused (`ISSUANCE_REFUSED`, reason `claims_not_of_token`).
 *
 * @see spec/10-binding.md SHO-BIND-3, SHO-BIND-11
 */
export interface VerifiedRequest {
  token: string;
  claims: RequestClaims;
}

/**
 * The request a link or transaction assertion answers: the compact JWS as pushed (decoded here to check
 * that the assertion answers it), or, faster, the {@link VerifiedRequest} the bank holds after verifying it.
 */
export type AnsweredRequest = string | VerifiedRequest;

/** What a bank gives to sign a link assertion; `req_hash` and `transaction_hash` are computed. */
export type LinkInput = Omit<LinkClaims, Generated | 'req_hash' | 'transaction_hash'> & { request: AnsweredRequest };
/** What a bank gives to sign a transaction assertion; `req_hash` and `transaction_hash` are computed. */
export type TransactionInput = Omit<TransactionClaims, Generated | 'req_hash' | 'transaction_hash'> & { request: AnsweredRequest };
/** What a wallet gives to sign an identity assertion; `transaction_hash` is computed. */
export type IdentityInput = Omit<IdentityClaims, Generated | 'transaction_hash'>;

export interface IssueOptions {
  /** exp − iat in seconds; at most the kind's maximum (SHO-KIND). Defaults to the kind's default. */
  lifetime?: number;
}

/** A signed token and the exact claims inside it. */
export interface Issued<K extends Kind> {
  kind: K;
  token: string;
  claims: ClaimsOf[K];
}

export interface IssuerOptions {
  /** This party's identifier, the `iss` of everything it signs (an https URL). */
  issuer: string;
  /** The signing key: one {@link Signer} (HSM, KMS or local) or a {@link KeyRing} whose active key signs. */
  signer: Signer | KeyRing;
  /** Current time in milliseconds; injectable for tests and vectors. */
  clock?: () => number;
  /**
   * TESTING ONLY: sign link and transaction assertions that do not answer their request (another nonce,
   * audience, action, account or transaction). Conformance suites and tests use it to play a
   * misbehaving bank whose assertions a verifier must deny; a real bank never sets it.
   */
  allowUnansweredRequests?: boolean;
  /** Source of `jti`, `nonce` and `sub` values; 128 random bits by default. */
  randomId?: () => string;
  /**
   * Where `req_hash` and `transaction_hash` are computed: a backend with a synchronous `sha256` or
   * `sha256Base64url` (`nodeCryptoBackend` from `shomei/node` has both) saves a WebCrypto thread-pool round
   * trip on each. Default: WebCrypto.
   */
  crypto?: { readonly sha256?: Sha256; readonly sha256Base64url?: Sha256Base64url };
}

export interface Issuer {
  readonly issuer: string;
  /** Signs a relying party's request (spec/03-request.md). */
  request(input: RequestInput, options?: IssueOptions): Promise<Issued<'request'>>;
  /**
   * Signs an account-link assertion (spec/04-link.md). `input.request` is the request it answers, as a
   * compact JWS or as the {@link VerifiedRequest} the bank already verified (no second decode).
   */
  link(input: LinkInput, options?: IssueOptions): Promise<Issued<'link'>>;
  /** Signs a transaction assertion (spec/05-transaction.md); `input.request` as for {@link Issuer.link}. */
  transaction(input: TransactionInput, options?: IssueOptions): Promise<Issued<'transaction'>>;
  /** Signs an identity assertion for the reverse flow (spec/06-identity.md). */
  identity(input: IdentityInput, options?: IssueOptions): Promise<Issued<'identity'>>;
}

// Random bytes drawn ahead, 16 a call: one getRandomValues per 256 identifiers instead of one per
// identifier (each call costs a few µs on Node), as node:crypto's randomUUID does. Every byte is used once.
const RANDOM_POOL_SIZE = 16 * 256;
const randomPool = new Uint8Array(RANDOM_POOL_SIZE);
let randomOffset = RANDOM_POOL_SIZE;

/**
 * 128 random bits, base64url (22 characters): enough for `jti` and `nonce` (SHO-CLM-9).
 *
 * Like node:crypto's `randomUUID`, it draws random bytes 4 KiB at a time and hands each out once. A
 * process restored from a memory snapshot taken after a call (a serverless snapshot, a V8 startup
 * snapshot) would hand out the same bytes as its twin: there, give the issuer `randomId` of its own
 * that asks the random source on every call.
 *
 * @example randomId() // 'hV3x7bZ0q1n9c2kQmW8y4A'
 */
export function randomId(): string {
  if (randomOffset === RANDOM_POOL_SIZE) {
    globalThis.crypto.getRandomValues(randomPool);
    randomOffset = 0;
  }
  const id = encodeBase64url(randomPool.subarray(randomOffset, randomOffset + 16));
  // Zeroed once used: an identifier's bytes stay in memory no longer than its text does.
  randomPool.fill(0, randomOffset, randomOffset + 16);
  randomOffset += 16;
  return id;
}

const GENERATED_CLAIMS = ['iss', 'iat', 'exp', 'nbf', 'jti'] as const;

/**
 * Creates the signing side of a party: a bank (link and transaction assertions), a relying party
 * (requests) or a wallet (identity assertions) — every party can be both (SHO-ROLE).
 *
 * The issuer refuses, with `ShomeiError` code `ISSUANCE_REFUSED` naming the claim, to sign anything a
 * conforming verifier would reject: a schema violation, a lifetime above the kind's maximum,
 * `auth_time` in the future, an `aal` or `phishing_resistant` that `amr` does not support.
 *
 * @example
 * ```ts
 * const bank = createIssuer({ issuer: 'https://bank.example', signer: keyRing });
 * const { token } = await bank.link({ aud: 'https://broker.example', sub, nonce, request, action: 'account_link',
 *   account, verified_claims, amr: ['x-passkey-synced'], acr: 'phr', auth_time, aal: 'aal2', phishing_resistant: true });
 * ```
 */
export function createIssuer(options: IssuerOptions): Issuer {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  if (typeof options.issuer !== 'string' || options.issuer.length === 0) throw invalidArgument('options.issuer must be a non-empty string');
  if (!(options.signer instanceof KeyRing)) assertSigner(options.signer);
  if (options.clock !== undefined && typeof options.clock !== 'function') throw invalidArgument('options.clock must be a function');
  const clock = options.clock ?? Date.now;
  const newId = options.randomId ?? randomId;
  // req_hash and transaction_hash: natively to base64url, else a synchronous hash, else WebCrypto.
  const digest = digestFor(options.crypto);
  const currentSigner = (): Signer => (options.signer instanceof KeyRing ? options.signer.activeSigner() : (options.signer as Signer));

  async function sign<K extends Kind>(kind: K, body: Record<string, unknown>, issueOptions: IssueOptions = {}): Promise<Issued<K>> {
    const definition = KIND_DEFINITIONS[kind];
    const lifetime = issueOptions.lifetime ?? definition.defaultLifetime;
    if (!Number.isInteger(lifetime) || lifetime <= 0 || lifetime > definition.maxLifetime) {
      throw new ShomeiError('ISSUANCE_REFUSED', `lifetime must be a whole number of seconds from 1 to ${definition.maxLifetime} for ${kind}`, {
        claim: 'exp',
        reason: 'lifetime_exceeded',
        requirement: 'SHO-KIND-3',
      });
    }
    const now = Math.floor(clock() / 1000);
    for (const name of GENERATED_CLAIMS) {
      if (name in body) throw invalidArgument(`${name} is set by the issuer, not by the caller`);
    }
    // `body` is this issuer's own copy of the input (never the caller's object), completed in place.
    const candidate = body;
    candidate.iss = options.issuer;
    candidate.iat = now;
    candidate.exp = now + lifetime;
    candidate.jti = newId();
    const parsed = (definition.check as (value: unknown) => z.ZodSafeParseResult<unknown>)(candidate);
    if (!parsed.success) {
      const [first, ...rest] = claimIssues(parsed.error);
      throw new ShomeiError('ISSUANCE_REFUSED', `${first?.claim}: ${first?.message}${rest.length > 0 ? ` (and ${rest.length} more)` : ''}`, {
        claim: first?.claim ?? '(claims)',
        reason: 'invalid',
        requirement: 'SHO-KIND-2',
        cause: parsed.error.issues.map((issue) => ({ path: issue.path, code: issue.code })),
      });
    }
    const claims = parsed.data as ClaimsOf[K] & Record<string, unknown>;
    if ('auth_time' in claims) {
      refuseInconsistentAuthentication(claims as unknown as Parameters<typeof authenticationProblems>[0] & { auth_time: number }, now);
    }
    const token = await signCompact({ typ: definition.typ }, claims, currentSigner());
    if (token.length > MAX_TOKEN_BYTES) {
      throw new ShomeiError('ISSUANCE_REFUSED', `the token would be ${token.length} octets, above the ${MAX_TOKEN_BYTES} a verifier accepts by default`, {
        claim: '(claims)',
        reason: 'too_large',
        requirement: 'SHO-JWS-2',
      });
    }
    return { kind, token, claims };
  }

  return {
    issuer: options.issuer,
    async request(input, issueOptions) {
      requireObject(input);
      const issued = await sign('request', { ...input, nonce: input.nonce ?? newId() }, issueOptions);
      recordRequestOrigin(issued.claims, issued.token);
      return issued;
    },
    async link(input, issueOptions) {
      requireObject(input);
      const { request, ...rest } = input as LinkInput & Record<string, unknown>;
      const asked = answeredRequest(request);
      if (options.allowUnansweredRequests !== true) refuseUnanswered('link', asked.claims, rest);
      refuseUnaskedMatches(asked.claims, rest.identity_match);
      // The values of requestHash and linkHash; with a synchronous hash, without two promise round trips.
      const requestDigest = digest(requestToken(asked.token));
      rest.req_hash = typeof requestDigest === 'string' ? requestDigest : await requestDigest;
      const linkDigest = digest(linkText(rest.action, rest.account));
      rest.transaction_hash = typeof linkDigest === 'string' ? linkDigest : await linkDigest;
      return sign('link', rest, issueOptions);
    },
    async transaction(input, issueOptions) {
      requireObject(input);
      const { request, ...rest } = input as TransactionInput & Record<string, unknown>;
      requireObject(rest.transaction, 'transaction');
      const asked = answeredRequest(request);
      const canonical = options.allowUnansweredRequests !== true ? refuseUnanswered('transaction', asked.claims, rest) : undefined;
      rest.req_hash = await digest(requestToken(asked.token));
      // The JCS text of the transaction, when the answer check made it already, is what is hashed.
      rest.transaction_hash = await digest(canonical ?? canonicalize(rest.transaction));
      return sign('transaction', rest, issueOptions);
    },
    async identity(input, issueOptions) {
      requireObject(input);
      return sign('identity', { ...input, transaction_hash: await digest(linkText(input.action, input.account)) }, issueOptions);
    },
  };
}

/**
 * The hash that binds a link or identity assertion to what it links (spec/10-binding.md): SHA-256 of
 * the RFC 8785 form of `{ action, account }`, base64url.
 */
export async function linkHash(action: unknown, account: unknown, hash?: Sha256): Promise<string> {
  return sha256Base64url(linkText(action, account), hash);
}

/** The RFC 8785 text {@link linkHash} hashes; refuses to issue without an account object. */
function linkText(action: unknown, account: unknown): string {
  requireObject(account, 'account');
  return canonicalize({ action, account });
}

/** `req_hash`: SHA-256 of the ASCII bytes of the request's compact JWS, base64url (spec/10-binding.md). */
export async function requestHash(request: unknown, hash?: Sha256): Promise<string> {
  return sha256Base64url(requestToken(request), hash);
}

/** The request token to hash; refuses to issue without one (SHO-BIND-3). */
function requestToken(request: unknown): string {
  if (typeof request !== 'string' || request.length === 0) {
    throw new ShomeiError('ISSUANCE_REFUSED', 'request: the relying party request (compact JWS) this assertion answers is required', {
      claim: 'req_hash',
      reason: 'missing',
      requirement: 'SHO-BIND-3',
    });
  }
  return request;
}

function refuseInconsistentAuthentication(claims: Parameters<typeof authenticationProblems>[0] & { auth_time: number }, now: number): void {
  if (claims.auth_time > now) {
    throw new ShomeiError('ISSUANCE_REFUSED', 'auth_time is in the future', { claim: 'auth_time', reason: 'in_future', requirement: 'SHO-AUTH-3' });
  }
  const [problem] = authenticationProblems(claims);
  if (problem !== undefined) {
    throw new ShomeiError('ISSUANCE_REFUSED', problem.message, { claim: problem.claim, reason: problem.reason, requirement: problem.requirement });
  }
}

function requireObject(value: unknown, name = 'input'): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (name === 'input') throw invalidArgument('the input must be an object');
    throw new ShomeiError('ISSUANCE_REFUSED', `${name} must be an object`, { claim: name, reason: 'missing', requirement: 'SHO-KIND-2' });
  }
}

/**
 * The token (for `req_hash`) and the claims (for the answer checks) of the request an assertion answers.
 * The request is the bank's own, already verified (SHO-REQ-13). Given as a string it is decoded, only to
 * refuse an assertion that does not answer it. Given as a {@link VerifiedRequest}, the claims must be
 * those of the token (SHO-BIND-11): claims this package returned with that very token (its verifier, or
 * `Issuer.request`) are recognized without decoding, and the checks read the copy kept when they were
 * returned; any other claims (from a store, a copy, another request) are compared with the decoded token.
 */
function answeredRequest(request: unknown): { token: unknown; claims: Record<string, unknown> | undefined } {
  if (typeof request === 'string') return { token: request, claims: decodedRequest(request) };
  if (typeof request === 'object' && request !== null && !Array.isArray(request)) {
    const { token, claims } = request as Partial<VerifiedRequest>;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw invalidArgument('request must be the compact JWS or { token, claims } with the claims the verifier returned for it');
    }
    const checkedToken = requestToken(token);
    const recorded = recordedRequestClaims(claims, checkedToken);
    if (recorded !== undefined) return { token: checkedToken, claims: recorded as unknown as Record<string, unknown> };
    return { token: checkedToken, claims: claimsOfToken(checkedToken, claims) };
  }
  return { token: request, claims: undefined }; // requestHash refuses it with a precise message
}

function decodedRequest(token: string): Record<string, unknown> {
  // The bank's own request, verified already: as large as any verifier may be configured to accept.
  const claims = peekPayload(token, MAX_CONFIGURABLE_TOKEN_BYTES);
  if (claims === undefined) throw new ShomeiError('ISSUANCE_REFUSED', 'request is not a compact JWS', { claim: 'req_hash', reason: 'malformed', requirement: 'SHO-BIND-3' });
  return claims;
}

/**
 * The request claims of `token` as a `request` verification returns them (the request schema's output),
 * provided `given` holds exactly those as JSON data (compared in RFC 8785 form, so member order and
 * members set to `undefined` do not matter); else the pair is refused: the answer checks would read
 * another request than the one `req_hash` binds (SHO-BIND-11). The checks then read the decoded claims,
 * never `given` again.
 */
function claimsOfToken(token: string, given: object): Record<string, unknown> {
  const checked = KIND_DEFINITIONS.request.check(decodedRequest(token));
  if (!checked.success) {
    throw new ShomeiError('ISSUANCE_REFUSED', 'request: the token does not hold valid request claims', {
      claim: 'req_hash',
      reason: 'invalid_request',
      requirement: 'SHO-BIND-11',
    });
  }
  let same = false;
  try {
    // Read through JSON once: what a store would keep (no undefined members, no functions).
    same = canonicalize(JSON.parse(JSON.stringify(given)) as unknown) === canonicalize(checked.data);
  } catch {
    same = false; // `given` is not JSON data at all
  }
  if (!same) {
    throw new ShomeiError('ISSUANCE_REFUSED', 'request: the claims given are not the claims of the request token', {
      claim: 'req_hash',
      reason: 'claims_not_of_token',
      requirement: 'SHO-BIND-11',
    });
  }
  return checked.data as unknown as Record<string, unknown>;
}

/**
 * An assertion answers its request: addressed to the party that asked (SHO-LINK-3), with its nonce
 * (SHO-LINK-4), for the action it asked (SHO-LINK-5), the account it named and, for a payout, exactly
 * the transaction it named (SHO-TXN-1, SHO-TXN-3). Dynamic linking holds on the signing side too.
 */
function refuseUnanswered(kind: 'link' | 'transaction', request: Record<string, unknown> | undefined, input: Record<string, unknown>): string | undefined {
  if (request === undefined) return undefined;
  const refuse = (claim: string, requirement: string, message: string): never => {
    throw new ShomeiError('ISSUANCE_REFUSED', message, { claim, reason: 'does_not_answer_request', requirement });
  };
  if (input.aud !== request.iss) refuse('aud', kind === 'link' ? 'SHO-LINK-3' : 'SHO-TXN-1', 'aud is not the party that sent the request');
  if (input.nonce !== request.nonce) refuse('nonce', 'SHO-BIND-4', 'nonce is not the nonce of the request');
  if (kind === 'link') {
    if (input.action !== request.action) refuse('action', 'SHO-LINK-5', 'action is not the action of the request');
    if (request.account !== undefined && !sameFlatStrings(input.account, request.account) && canonicalize(input.account) !== canonicalize(request.account)) {
      refuse('account', 'SHO-LINK-6', 'account is not the account the request named');
    }
    return undefined;
  }
  if (request.action !== 'payout') refuse('transaction', 'SHO-TXN-1', 'a transaction assertion answers a payout request only');
  const canonical = canonicalize(input.transaction);
  if (canonical !== canonicalize(request.transaction)) {
    refuse('transaction', 'SHO-TXN-3', 'transaction differs from the transaction of the request (amount, currency, payee or reference)');
  }
  return canonical;
}

const hasEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * Whether two plain objects whose members are all strings (an Account) are the same member by member:
 * then, and only then, their RFC 8785 forms are equal too. Anything else (nested values, a lone
 * surrogate, a difference) answers false and is left to the canonical comparison, so that a mismatch or
 * a value that is not JSON is reported exactly as before.
 */
function sameFlatStrings(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  const protoA = Object.getPrototypeOf(a) as unknown;
  const protoB = Object.getPrototypeOf(b) as unknown;
  if ((protoA !== Object.prototype && protoA !== null) || (protoB !== Object.prototype && protoB !== null)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!hasEnumerable.call(b, key) || !isWellFormed(key)) return false;
    const value = (a as Record<string, unknown>)[key];
    if (typeof value !== 'string' || value !== (b as Record<string, unknown>)[key] || !isWellFormed(value)) return false;
  }
  return true;
}


/**
 * `identity_match` answers exactly the attributes the request's `identity` carried (SHO-LINK-10,
 * SHO-MATCH-15). The request is the bank's own, already verified; only its member names are read here.
 */
function refuseUnaskedMatches(request: Record<string, unknown> | undefined, identityMatch: unknown): void {
  if (request === undefined) return; // requestHash refuses it with a precise message
  const identity = request.identity;
  const asked = typeof identity === 'object' && identity !== null ? Object.keys(identity) : [];
  const answered = typeof identityMatch === 'object' && identityMatch !== null ? Object.keys(identityMatch) : [];
  const missing = asked.filter((name) => !answered.includes(name));
  const extra = answered.filter((name) => !asked.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new ShomeiError(
      'ISSUANCE_REFUSED',
      `identity_match must answer exactly the attributes the request sent${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}${extra.length > 0 ? `; not asked ${extra.join(', ')}` : ''}`,
      { claim: 'identity_match', reason: missing.length > 0 ? 'missing' : 'not_asked', requirement: 'SHO-LINK-10' },
    );
  }
}
