import type { z } from 'zod';
import { canonicalize } from '../canonical/jcs.js';
import { hashCanonical, sha256Base64url, type Sha256 } from '../canonical/digest.js';
import { authenticationProblems } from '../claims/authentication-rules.js';
import { claimIssues } from '../claims/issues.js';
import { encodeBase64url } from '../encoding/base64url.js';
import { decodePayload, MAX_TOKEN_BYTES, parseCompact } from '../jws/compact.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { signCompact } from '../jws/sign.js';
import { KeyRing } from '../keys/key-ring.js';
import { assertSigner, type Signer } from '../keys/signer.js';
import type { IdentityClaims } from '../kinds/identity.js';
import { KIND_DEFINITIONS, type ClaimsOf, type Kind } from '../kinds/kind.js';
import type { LinkClaims } from '../kinds/link.js';
import type { RequestClaims } from '../kinds/request.js';
import type { TransactionClaims } from '../kinds/transaction.js';

type Generated = 'iss' | 'iat' | 'exp' | 'nbf' | 'jti';

/** What a caller gives to sign a request; `nonce` is generated when absent. */
export type RequestInput = Omit<RequestClaims, Generated | 'nonce'> & { nonce?: string };
/** What a bank gives to sign a link assertion; `req_hash` and `transaction_hash` are computed. */
export type LinkInput = Omit<LinkClaims, Generated | 'req_hash' | 'transaction_hash'> & { request: string };
/** What a bank gives to sign a transaction assertion; `req_hash` and `transaction_hash` are computed. */
export type TransactionInput = Omit<TransactionClaims, Generated | 'req_hash' | 'transaction_hash'> & { request: string };
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
   * Where `req_hash` and `transaction_hash` are computed: a backend with a synchronous `sha256`
   * (`nodeCryptoBackend` from `shomei/node`) saves a WebCrypto thread-pool round trip on each. Default:
   * WebCrypto.
   */
  crypto?: { readonly sha256?: Sha256 };
}

export interface Issuer {
  readonly issuer: string;
  /** Signs a relying party's request (spec/03-request.md). */
  request(input: RequestInput, options?: IssueOptions): Promise<Issued<'request'>>;
  /** Signs an account-link assertion (spec/04-link.md). */
  link(input: LinkInput, options?: IssueOptions): Promise<Issued<'link'>>;
  /** Signs a transaction assertion (spec/05-transaction.md). */
  transaction(input: TransactionInput, options?: IssueOptions): Promise<Issued<'transaction'>>;
  /** Signs an identity assertion for the reverse flow (spec/06-identity.md). */
  identity(input: IdentityInput, options?: IssueOptions): Promise<Issued<'identity'>>;
}

/** 128 random bits, base64url (22 characters): enough for `jti` and `nonce` (SHO-CLM). */
export function randomId(): string {
  return encodeBase64url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

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
  const hash: Sha256 | undefined = typeof options.crypto?.sha256 === 'function' ? options.crypto.sha256.bind(options.crypto) : undefined;
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
    for (const name of ['iss', 'iat', 'exp', 'nbf', 'jti']) {
      if (name in body) throw invalidArgument(`${name} is set by the issuer, not by the caller`);
    }
    const candidate = { ...body, iss: options.issuer, iat: now, exp: now + lifetime, jti: newId() };
    const parsed = (definition.schema as z.ZodType).safeParse(candidate);
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
      return sign('request', { ...input, nonce: input.nonce ?? newId() }, issueOptions);
    },
    async link(input, issueOptions) {
      requireObject(input);
      const { request, ...rest } = input;
      const asked = answeredRequest(request);
      if (options.allowUnansweredRequests !== true) refuseUnanswered('link', asked, rest);
      refuseUnaskedMatches(asked, rest.identity_match);
      return sign(
        'link',
        { ...rest, req_hash: await requestHash(request, hash), transaction_hash: await linkHash(rest.action, rest.account, hash) },
        issueOptions,
      );
    },
    async transaction(input, issueOptions) {
      requireObject(input);
      const { request, ...rest } = input;
      requireObject(rest.transaction, 'transaction');
      if (options.allowUnansweredRequests !== true) refuseUnanswered('transaction', answeredRequest(request), rest);
      return sign('transaction', { ...rest, req_hash: await requestHash(request, hash), transaction_hash: await hashCanonical(rest.transaction, hash) }, issueOptions);
    },
    async identity(input, issueOptions) {
      requireObject(input);
      return sign('identity', { ...input, transaction_hash: await linkHash(input.action, input.account, hash) }, issueOptions);
    },
  };
}

/**
 * The hash that binds a link or identity assertion to what it links (spec/10-binding.md): SHA-256 of
 * the RFC 8785 form of `{ action, account }`, base64url.
 */
export async function linkHash(action: unknown, account: unknown, hash?: Sha256): Promise<string> {
  requireObject(account, 'account');
  return hashCanonical({ action, account }, hash);
}

/** `req_hash`: SHA-256 of the ASCII bytes of the request's compact JWS, base64url (spec/10-binding.md). */
export async function requestHash(request: unknown, hash?: Sha256): Promise<string> {
  if (typeof request !== 'string' || request.length === 0) {
    throw new ShomeiError('ISSUANCE_REFUSED', 'request: the relying party request (compact JWS) this assertion answers is required', {
      claim: 'req_hash',
      reason: 'missing',
      requirement: 'SHO-BIND-3',
    });
  }
  return sha256Base64url(request, hash);
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
 * The claims of the request an assertion answers. The request is the bank's own, already verified
 * (SHO-REQ-13); it is decoded here only to refuse an assertion that does not answer it.
 */
function answeredRequest(request: unknown): Record<string, unknown> | undefined {
  if (typeof request !== 'string') return undefined; // requestHash refuses it with a precise message
  try {
    return decodePayload(parseCompact(request));
  } catch {
    throw new ShomeiError('ISSUANCE_REFUSED', 'request is not a compact JWS', { claim: 'req_hash', reason: 'malformed', requirement: 'SHO-BIND-3' });
  }
}

/**
 * An assertion answers its request: addressed to the party that asked (SHO-LINK-3), with its nonce
 * (SHO-LINK-4), for the action it asked (SHO-LINK-5), the account it named and, for a payout, exactly
 * the transaction it named (SHO-TXN-1, SHO-TXN-3). Dynamic linking holds on the signing side too.
 */
function refuseUnanswered(kind: 'link' | 'transaction', request: Record<string, unknown> | undefined, input: Record<string, unknown>): void {
  if (request === undefined) return;
  const refuse = (claim: string, requirement: string, message: string): never => {
    throw new ShomeiError('ISSUANCE_REFUSED', message, { claim, reason: 'does_not_answer_request', requirement });
  };
  if (input.aud !== request.iss) refuse('aud', kind === 'link' ? 'SHO-LINK-3' : 'SHO-TXN-1', 'aud is not the party that sent the request');
  if (input.nonce !== request.nonce) refuse('nonce', 'SHO-BIND-4', 'nonce is not the nonce of the request');
  if (kind === 'link') {
    if (input.action !== request.action) refuse('action', 'SHO-LINK-5', 'action is not the action of the request');
    if (request.account !== undefined && canonicalize(input.account) !== canonicalize(request.account)) {
      refuse('account', 'SHO-LINK-6', 'account is not the account the request named');
    }
    return;
  }
  if (request.action !== 'payout') refuse('transaction', 'SHO-TXN-1', 'a transaction assertion answers a payout request only');
  if (canonicalize(input.transaction) !== canonicalize(request.transaction)) {
    refuse('transaction', 'SHO-TXN-3', 'transaction differs from the transaction of the request (amount, currency, payee or reference)');
  }
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
