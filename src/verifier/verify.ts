import type { z } from 'zod';
import { digestFor } from '../canonical/digest.js';
import type { Account } from '../claims/account.js';
import { claimIssues } from '../claims/issues.js';
import type { TransactionDetails } from '../claims/transaction-details.js';
import type { CryptoBackend } from '../crypto/backend.js';
import { webCryptoBackend } from '../crypto/webcrypto.js';
import type { DecisionEntry, DecisionLog } from '../decision-log/decision-log.js';
import { createMemoryDecisionLog } from '../decision-log/memory-decision-log.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { ALGORITHMS, type Alg } from '../jws/algorithms.js';
import { decodePayload, MAX_CONFIGURABLE_TOKEN_BYTES, MAX_TOKEN_BYTES, parseCompact, peekPayload, type ParsedJws } from '../jws/compact.js';
import type { KeyResolver } from '../keyset/key-resolver.js';
import { createLocalKeySet } from '../keyset/local-key-set.js';
import { createRemoteKeySet, type RemoteKeySetOptions } from '../keyset/remote-key-set.js';
import { KIND_DEFINITIONS, KINDS, type ClaimsOf, type Kind } from '../kinds/kind.js';
import { recordRequestOrigin } from '../kinds/request-origin.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { loadPolicy } from '../policy/load.js';
import type { Policy } from '../policy/schema.js';
import { createMemoryReplayStore } from '../replay/memory-replay-store.js';
import type { ReplayStore } from '../replay/replay-store.js';
import type { Action } from '../vocabulary/actions.js';
import { VerificationError, type Decision, type Reason } from './result.js';
import { checkBinding } from './steps/binding.js';
import { checkHeader } from './steps/header.js';
import { checkNonce, checkParties } from './steps/parties.js';
import { policyFacts } from './steps/policy-facts.js';
import { checkTime } from './steps/time.js';
import { loadTrustConfig, type TrustConfigInput, type TrustedParty } from './trust.js';

export interface VerifierOptions {
  /** This verifier's own identifier: the only `aud` it accepts. */
  audience: string;
  /** The parties it trusts, validated now (CONFIG_INVALID at start-up). */
  trust: TrustConfigInput;
  /** The policy for assertions; the documented default when absent; `false` to decide on checks alone. */
  policy?: Policy | false;
  /** Where used `jti`s are remembered; a bounded in-memory store by default (one process only). */
  replayStore?: ReplayStore;
  /** Where every decision is recorded; an in-memory log by default. */
  decisionLog?: DecisionLog;
  /**
   * Signature verification, and a synchronous SHA-256 and base64url decoder where the backend has them;
   * WebCrypto by default, `nodeCryptoBackend` from `shomei/node` is faster on Node.
   */
  crypto?: CryptoBackend;
  /** Options for the key sets fetched from `jwks_uri`s (timeouts, cache bounds, a `fetch` for tests). */
  keySet?: Omit<RemoteKeySetOptions, 'crypto' | 'clock'>;
  /** Current time in milliseconds. */
  clock?: () => number;
  /** Allowed clock skew in seconds, 0–60 (default 10): FAPI 2.0 accepts up to 10 s of future `iat`. */
  clockTolerance?: number;
  /** Largest token accepted, in bytes (default 16384). */
  maxTokenBytes?: number;
  /** Algorithms this verifier accepts at all; each trusted party narrows them further. */
  algorithms?: readonly Alg[];
}

/** What the verifying party itself knows, to which the token must be bound (spec/10-binding.md). */
export interface Expectations<K extends Kind = Kind> {
  kind: K;
  /** The party expected to have signed; its trust entry selects the keys — never the token (SHO-VER). */
  issuer: string;
  /** The nonce this party sent (required for link, transaction and identity kinds). */
  nonce?: string;
  /** The compact request JWS the assertion answers (required for link and transaction kinds). */
  request?: string;
  /** The transaction this party will execute (required for the transaction kind). */
  transaction?: TransactionDetails;
  /** The account the customer entered (link and identity kinds). */
  account?: Account;
  /** The action this party asked for. */
  action?: Action;
  /** For a transaction assertion: the `sub` stored from the customer's link assertion (SHO-TXN-9). */
  subject?: string;
}

export interface Verifier {
  /**
   * Verifies `token` as `expectations.kind` and decides. Never throws for anything in the token or from
   * a partner: every failure becomes a reason with a stable code (fail closed).
   */
  verify<K extends Kind>(token: string, expectations: Expectations<K>): Promise<Decision<K>>;
  /** As {@link Verifier.verify}, but throws {@link VerificationError} unless the outcome is `allow`. */
  verifyOrThrow<K extends Kind>(token: string, expectations: Expectations<K>): Promise<Decision<K> & { claims: ClaimsOf[K] }>;
  /** Key-set state per trusted party, for health checks and benchmarks. */
  keySetStates(): Record<string, ReturnType<NonNullable<KeyResolver['state']>> | undefined>;
  /** Releases the replay store's connections. */
  close(): Promise<void>;
}

interface CompiledParty {
  party: TrustedParty;
  keys: KeyResolver;
  algs: readonly Alg[];
}

/**
 * Creates a verifier (spec/13-verification.md). Checks run in a fixed order — parse, header, key,
 * signature, claims schema, time, audience, issuer, nonce, binding, replay, policy — and no claim is
 * read before the signature over it has been verified. Up to the signature the first failure ends the
 * verification; after it, every failure is collected.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ audience: 'https://broker.example', trust: { parties: [bank] } });
 * const decision = await verifier.verify(assertion, { kind: 'link', issuer: bank.id, nonce, request, account });
 * if (decision.outcome === 'allow') linkAccount(decision.claims);
 * ```
 */
export function createVerifier(options: VerifierOptions): Verifier {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  if (typeof options.audience !== 'string' || options.audience.length === 0) throw invalidArgument('options.audience must be a non-empty string');
  const trust = loadTrustConfig(options.trust);
  const policy = options.policy === false ? undefined : loadPolicy(options.policy ?? DEFAULT_POLICY);
  const crypto = options.crypto ?? webCryptoBackend;
  // The hashes of every verification (token, req_hash, transaction_hash) go through the backend's own
  // synchronous SHA-256 when it has one: three WebCrypto round trips cost more than the signature check.
  const digest = digestFor(crypto);
  const decodeOptions = typeof crypto.decodeBase64url === 'function' ? { decodeBase64url: crypto.decodeBase64url.bind(crypto) } : {};
  const clock = options.clock ?? Date.now;
  const tolerance = options.clockTolerance ?? 10;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 60) {
    throw new ShomeiError('CONFIG_INVALID', 'clockTolerance must be a whole number of seconds from 0 to 60', { requirement: 'SHO-CLM-7' });
  }
  const maxTokenBytes = options.maxTokenBytes ?? MAX_TOKEN_BYTES;
  if (!Number.isInteger(maxTokenBytes) || maxTokenBytes < 256 || maxTokenBytes > MAX_CONFIGURABLE_TOKEN_BYTES) {
    throw invalidArgument(`options.maxTokenBytes must be from 256 to ${MAX_CONFIGURABLE_TOKEN_BYTES}`);
  }
  const algorithms = options.algorithms ?? ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.some((alg) => !(ALGORITHMS as readonly string[]).includes(alg))) {
    throw invalidArgument(`options.algorithms may hold only ${ALGORITHMS.join(', ')}`);
  }
  const replayStore = options.replayStore ?? createMemoryReplayStore({ clock });
  if (typeof replayStore?.consume !== 'function') throw invalidArgument('options.replayStore must implement consume()');
  const decisionLog = options.decisionLog ?? createMemoryDecisionLog();
  if (typeof decisionLog?.append !== 'function') throw invalidArgument('options.decisionLog must implement append()');

  const parties = new Map<string, CompiledParty>();
  for (const party of trust.parties) {
    let keys: KeyResolver;
    try {
      keys = 'jwks_uri' in party.keys
        ? createRemoteKeySet(party.keys.jwks_uri, { ...options.keySet, crypto, clock })
        : createLocalKeySet(party.keys.jwks, { crypto });
    } catch (cause) {
      throw new ShomeiError('CONFIG_INVALID', `trust configuration: the keys of ${party.id} are invalid: ${(cause as Error).message}`, { requirement: 'SHO-TRUST-1', cause });
    }
    parties.set(party.id, { party, keys, algs: party.algs.filter((alg) => algorithms.includes(alg)) });
  }

  async function decide<K extends Kind>(token: string, expectations: Expectations<K>, instant: number): Promise<Decision<K>> {
    const kind = expectations.kind;
    const definition = KIND_DEFINITIONS[kind];
    const now = Math.floor(instant / 1000);
    const deny = (reason: Reason, extra: Partial<Decision<K>> = {}): Decision<K> => ({ outcome: 'deny', kind, reasons: [reason], ...extra });

    // 1. parse
    let parsed: ParsedJws;
    try {
      parsed = parseCompact(token, { maxLength: maxTokenBytes });
    } catch (error) {
      return deny(reasonFrom(error, 'MALFORMED_TOKEN', 'SHO-JWS-1'));
    }
    const tokenDigest = digest(parsed.bytes);
    const tokenHash = typeof tokenDigest === 'string' ? tokenDigest : await tokenDigest;
    const base: Partial<Decision<K>> = { tokenHash };

    // 2. header
    const compiled = parties.get(expectations.issuer);
    const header = checkHeader(parsed.header, kind, compiled?.algs ?? algorithms);
    if (!header.ok) return deny(header.reason, base);
    base.kid = header.kid;

    // 3. key: from the trust entry of the expected issuer, never from jwk / jku / x5u / x5c headers
    if (compiled === undefined) {
      return deny({ code: 'ISSUER_UNKNOWN', requirement: 'SHO-VER-15', message: 'the expected issuer is not in the trust configuration' }, base);
    }
    if (compiled.party.status !== 'active') {
      return deny({ code: 'ISSUER_SUSPENDED', requirement: 'SHO-TRUST-4', message: 'the issuer is suspended in the trust configuration' }, base);
    }
    if (!compiled.party.kinds.includes(kind)) {
      return deny({ code: 'KIND_NOT_ALLOWED', requirement: 'SHO-TRUST-5', message: `the issuer is not trusted for ${kind} tokens` }, base);
    }
    let key;
    try {
      key = await compiled.keys.resolve(header.kid, header.alg);
    } catch (error) {
      return deny(reasonFrom(error, 'KEYS_UNAVAILABLE', 'SHO-FETCH-1'), base);
    }

    // 4. signature
    let valid = false;
    try {
      valid = await crypto.verify(header.alg, key.handle, parsed.signingInput, parsed.signature);
    } catch {
      valid = false;
    }
    if (!valid) return deny({ code: 'SIGNATURE_INVALID', requirement: 'SHO-JWS-20', message: 'the signature does not verify with the issuer key named by kid' }, base);

    // 5. claims schema — only now is the payload read (SHO-VER-2); failures from here on are collected
    base.issuer = expectations.issuer;
    let payload: Record<string, unknown>;
    try {
      payload = decodePayload(parsed, decodeOptions);
    } catch (error) {
      return deny(reasonFrom(error, 'MALFORMED_TOKEN', 'SHO-JWS-3'), base);
    }
    const reasons: Reason[] = [];
    const checked = (definition.check as (value: unknown) => z.ZodSafeParseResult<ClaimsOf[K]>)(payload);
    if (!checked.success) {
      for (const issue of claimIssues(checked.error)) {
        reasons.push({ code: 'CLAIMS_INVALID', requirement: 'SHO-KIND-2', claim: issue.claim, message: `${issue.claim}: ${issue.message}` });
      }
    }
    if (typeof payload.jti === 'string' && payload.jti.length <= 128) base.jti = payload.jti;

    // 6–9. time, audience, issuer, nonce — on raw values of the right type, so all failures are listed
    reasons.push(...checkTime(payload, now, tolerance, definition.maxLifetime));
    reasons.push(...checkParties(payload, options.audience, expectations.issuer));
    reasons.push(...checkNonce(payload, expectations.nonce));
    if (!checked.success) return { outcome: 'deny', kind, reasons, ...base };
    const claims = checked.data;
    if ('transaction_hash' in (claims as object)) base.transactionHash = (claims as { transaction_hash: string }).transaction_hash;

    // 10. binding: recomputed from what this party expects
    reasons.push(
      ...(await checkBinding(kind, claims, {
        request: expectations.request,
        transaction: expectations.transaction,
        account: expectations.account,
        action: expectations.action,
        subject: expectations.subject,
        redirectUris: compiled.party.redirect_uris,
      }, digest)),
    );

    // 11. replay: only a token that passed every other check is consumed
    if (reasons.length === 0) {
      const jti = (claims as { jti: string }).jti;
      try {
        // join() builds one flat string; a template literal leaves a tree of cons strings that the memory store
        // would keep for every live key (about 160 instead of 64 bytes a key, bench/replay-memory.ts).
        const seen = await replayStore.consume([kind, expectations.issuer, jti].join('|'), (claims as { exp: number }).exp + tolerance);
        if (seen === 'replayed') reasons.push({ code: 'REPLAYED', requirement: 'SHO-REPLAY-1', claim: 'jti', message: 'this token has been presented before' });
        else if (seen !== 'fresh') reasons.push({ code: 'REPLAY_STORE_UNAVAILABLE', requirement: 'SHO-REPLAY-4', message: 'the replay store gave no usable answer' });
      } catch (error) {
        reasons.push(reasonFrom(error, 'REPLAY_STORE_UNAVAILABLE', 'SHO-REPLAY-4'));
      }
    }

    if (reasons.length > 0) return { outcome: 'deny', kind, reasons, ...base };

    // 12. policy (assertions only; a request is the bank's own business)
    if (kind !== 'request' && policy !== undefined) {
      const facts = policyFacts(kind as Exclude<Kind, 'request'>, claims as ClaimsOf['link'], compiled.party, now);
      const decision = evaluatePolicy(policy, facts);
      return {
        outcome: decision.outcome,
        kind,
        reasons: decision.reasons.map((reason) => ({ code: reason.code, requirement: reason.requirement, message: reason.message })),
        ...base,
        policy: decision.policy,
        claims,
      };
    }
    // A request the bank verified may be given back to its issuer as { token, claims } (SHO-BIND-11).
    if (kind === 'request') recordRequestOrigin(claims as ClaimsOf['request'], token);
    return { outcome: 'allow', kind, reasons: [], ...base, claims };
  }

  async function verify<K extends Kind>(token: string, expectations: Expectations<K>): Promise<Decision<K>> {
    checkExpectations(expectations);
    if (typeof token !== 'string') throw invalidArgument('token must be the compact JWS string (SHO-VER-11)');
    expectations = withRequestDefaults(expectations);
    // The clock is read once: the decision and its log entry share one instant (SHO-VER-13).
    const instant = clock();
    let decision: Decision<K>;
    try {
      decision = await decide(token, expectations, instant);
    } catch (error) {
      // A defect of ours or of a plug-in must not turn into an accept, nor crash the caller.
      decision = { outcome: 'deny', kind: expectations.kind, reasons: [reasonFrom(error, 'CLAIMS_INVALID', 'SHO-VER-1')] };
    }
    try {
      await decisionLog.append(logEntry(decision, new Date(instant).toISOString(), options.audience));
    } catch (error) {
      const { claims: _dropped, ...rest } = decision;
      return { ...rest, outcome: 'deny', reasons: [...decision.reasons, reasonFrom(error, 'DECISION_LOG_UNAVAILABLE', 'SHO-LOG-1')] };
    }
    return decision;
  }

  return {
    verify,
    async verifyOrThrow(token, expectations) {
      const decision = await verify(token, expectations);
      if (decision.outcome !== 'allow' || decision.claims === undefined) throw new VerificationError(decision);
      return decision as Decision<typeof expectations.kind> & { claims: ClaimsOf[typeof expectations.kind] };
    },
    keySetStates() {
      return Object.fromEntries([...parties].map(([id, compiled]) => [id, compiled.keys.state?.()]));
    },
    async close() {
      await replayStore.close?.();
    },
  };
}

/** Printable ASCII only: `kid` and `jti` come from the token and must not break or smuggle into the log. */
const LOGGABLE = /^[\x21-\x7e]{1,256}$/;

function logEntry(decision: Decision, time: string, audience: string): DecisionEntry {
  // Members are added one by one, in the log's order, absent ones left out: no intermediate objects.
  const entry = { time, kind: decision.kind } as DecisionEntry;
  const claims = decision.claims as { action?: unknown } | undefined;
  if (claims !== undefined && 'action' in claims) entry.action = String(claims.action);
  else if (decision.kind === 'transaction') entry.action = 'payout';
  if (decision.issuer !== undefined) entry.issuer = decision.issuer;
  entry.audience = audience;
  if (decision.kid !== undefined && LOGGABLE.test(decision.kid)) entry.kid = decision.kid;
  if (decision.jti !== undefined && LOGGABLE.test(decision.jti)) entry.jti = decision.jti;
  if (decision.transactionHash !== undefined) entry.transaction_hash = decision.transactionHash;
  if (decision.tokenHash !== undefined) entry.token_hash = decision.tokenHash;
  if (decision.policy !== undefined) entry.policy = decision.policy;
  entry.outcome = decision.outcome;
  entry.reasons = distinctCodes(decision.reasons);
  return entry;
}

/**
 * Each code once, in order of first appearance: the log's at most 64 (SHO-LOG-2) then always holds a
 * decision, which may list a reason per invalid claim (a token with 100 bad elements gives 100).
 */
function distinctCodes(reasons: readonly Reason[]): Reason['code'][] {
  const codes: Reason['code'][] = [];
  for (const reason of reasons) if (!codes.includes(reason.code)) codes.push(reason.code);
  return codes;
}

function reasonFrom(error: unknown, fallback: Reason['code'], requirement: string): Reason {
  if (error instanceof ShomeiError) {
    return { code: error.code, requirement: error.requirement ?? requirement, message: error.message, ...(error.claim !== undefined ? { claim: error.claim } : {}) };
  }
  // Unknown errors may carry anything in their message: report the code only.
  return { code: fallback, requirement, message: 'verification failed on an internal error' };
}

/**
 * A link assertion answers the relying party's own request: the action and account the caller does not
 * name are taken from that request, so a check is never skipped because an argument was left out
 * (SHO-LINK-5, SHO-LINK-7, SHO-BIND-7). What the caller names wins. (A transaction assertion's
 * expected transaction is a required argument: it is what the relying party is about to execute.) The
 * request is decoded only when something is missing, keeping the usual call off this extra work.
 */
function withRequestDefaults<K extends Kind>(expectations: Expectations<K>): Expectations<K> {
  if (expectations.kind !== 'link' || typeof expectations.request !== 'string') return expectations;
  if (expectations.action !== undefined && expectations.account !== undefined) return expectations;
  const request = peekPayload(expectations.request, MAX_CONFIGURABLE_TOKEN_BYTES);
  if (request === undefined) throw invalidArgument('expectations.request must be the compact request JWS this party sent');
  const own = KIND_DEFINITIONS.request.check(request);
  if (!own.success) throw invalidArgument('expectations.request does not hold valid request claims');
  return {
    ...expectations,
    ...(expectations.action === undefined ? { action: own.data.action } : {}),
    ...(expectations.account === undefined && own.data.account !== undefined ? { account: own.data.account } : {}),
  };
}

const REQUIRED_EXPECTATIONS: Record<Kind, readonly (keyof Expectations)[]> = {
  request: [],
  link: ['nonce', 'request'],
  transaction: ['nonce', 'request', 'transaction'],
  identity: ['nonce'],
};

function checkExpectations(expectations: Expectations): void {
  if (typeof expectations !== 'object' || expectations === null) throw invalidArgument('expectations must be an object');
  if (!(KINDS as readonly string[]).includes(expectations.kind)) throw invalidArgument(`expectations.kind must be one of ${KINDS.join(', ')}`);
  if (typeof expectations.issuer !== 'string') throw invalidArgument('expectations.issuer must be the expected issuer identifier');
  if (expectations.request !== undefined && typeof expectations.request !== 'string') {
    throw invalidArgument('expectations.request must be the compact request JWS this party sent, as a string');
  }
  for (const name of REQUIRED_EXPECTATIONS[expectations.kind]) {
    if (expectations[name] === undefined) throw invalidArgument(`expectations.${name} is required to verify a ${expectations.kind} token (spec/10-binding.md)`);
  }
}
