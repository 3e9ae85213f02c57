import { hashCanonical, sha256Base64url } from '../../canonical/digest.js';
import { canonicalize } from '../../canonical/jcs.js';
import { authenticationProblems } from '../../claims/authentication-rules.js';
import { isAlg } from '../../jws/algorithms.js';
import { isHighS } from '../../jws/ecdsa.js';
import { decodePayload, parseCompact } from '../../jws/compact.js';
import { KIND_DEFINITIONS } from '../../kinds/kind.js';
import type { RequestClaims } from '../../kinds/request.js';
import type { PartyMetadata } from '../../transport/metadata.js';
import { createVerifier } from '../../verifier/verify.js';
import { checkEqual, checkThat } from '../checks.js';
import type { ModuleLog } from '../log.js';

/** What the suite knows to check an assertion against: its own request, the bank, its own identity. */
export interface AssertionContext {
  assertion: string;
  kind: 'link' | 'transaction';
  request: { token: string; claims: RequestClaims };
  bank: PartyMetadata;
  rpId: string;
}

/**
 * Checks an assertion the partner bank issued against the spec (issue 4: typ, alg, kid, lifetime ≤ max,
 * nonce echo, req_hash, transaction_hash, schema, auth consistency) — each as its own logged check with
 * its requirement — and finally verifies it end to end with the package's verifier (signature with the
 * bank's published key, every binding, no policy: policy is the relying party's business).
 */
export async function checkAssertion(log: ModuleLog, context: AssertionContext): Promise<void> {
  const { assertion, kind, request } = context;
  const definition = KIND_DEFINITIONS[kind];
  log.record(checkThat('assertion size', 'SHO-JWS-2', assertion.length <= 16_384, 'at most 16384 octets', `${assertion.length} octets`));
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  let signature: Uint8Array;
  try {
    const parsed = parseCompact(assertion, { maxLength: 65_536 });
    header = parsed.header;
    signature = parsed.signature;
    claims = decodePayload(parsed);
  } catch (error) {
    log.record(checkThat('assertion form', 'SHO-JWS-1', false, 'a compact JWS with JSON header and payload', (error as { code?: string }).code ?? 'unparseable'));
    return;
  }
  const members = Object.keys(header).sort().join(',');
  log.record(checkThat('header members', 'SHO-JWS-18', members === 'alg,kid,typ', 'exactly alg, kid, typ', members));
  log.record(checkEqual('typ', kind === 'link' ? 'SHO-LINK-1' : 'SHO-TXN-1', definition.typ, header.typ));
  log.record(checkThat('alg', 'SHO-JWS-6', isAlg(header.alg), 'ES256, EdDSA or PS256', String(header.alg)));
  log.record(checkThat('kid is an RFC 7638 thumbprint', 'SHO-JWS-19', typeof header.kid === 'string' && /^[A-Za-z0-9_-]{43}$/.test(header.kid), '43 base64url characters', typeof header.kid === 'string' ? `${header.kid.length} characters` : 'absent'));
  if (header.alg === 'ES256' && signature.length === 64) {
    log.record(checkThat('low-S signature', 'SHO-JWS-14', !isHighS(signature), 's ≤ n/2', isHighS(signature) ? 'high S' : 'low S'), 'SHOULD');
  }

  const schema = definition.schema.safeParse(claims);
  log.record(checkThat('claims schema', kind === 'link' ? 'SHO-LINK-2' : 'SHO-TXN-2', schema.success, `the ${kind} claims of spec/0${kind === 'link' ? 4 : 5}`, schema.success ? 'valid' : `invalid at ${schema.error.issues.map((issue) => issue.path.join('.')).slice(0, 5).join(', ')}`));
  log.record(checkEqual('iss', 'SHO-CLM-1', context.bank.issuer, claims.iss));
  log.record(checkEqual('aud is the relying party', kind === 'link' ? 'SHO-LINK-3' : 'SHO-CLM-2', context.rpId, claims.aud));
  log.record(checkThat('nonce echoes the request', 'SHO-BIND-4', claims.nonce === request.claims.nonce, "the request's nonce", claims.nonce === request.claims.nonce ? 'equal' : claims.nonce === undefined ? 'absent' : 'another value'));
  const requestHash = await sha256Base64url(request.token);
  log.record(checkThat('req_hash', 'SHO-BIND-3', claims.req_hash === requestHash, 'SHA-256 of the pushed request', claims.req_hash === requestHash ? 'equal' : claims.req_hash === undefined ? 'absent' : 'another value'));
  const iat = claims.iat as number;
  const exp = claims.exp as number;
  const lifetime = exp - iat;
  log.record(checkThat('lifetime', 'SHO-KIND-3', Number.isInteger(lifetime) && lifetime > 0 && lifetime <= definition.maxLifetime, `1 to ${definition.maxLifetime} s`, `${lifetime} s`));
  const now = Math.floor(Date.now() / 1000);
  log.record(checkThat('iat is now', 'SHO-CLM-6', typeof iat === 'number' && Math.abs(iat - now) <= 60, 'within 60 s of the suite clock', `${typeof iat === 'number' ? iat - now : 'no'} s off`));
  log.record(checkThat('jti carries at least 128 bits', 'SHO-CLM-9', typeof claims.jti === 'string' && claims.jti.length >= 22, 'at least 22 base64url characters', typeof claims.jti === 'string' ? `${claims.jti.length} characters` : 'absent'));
  const account = request.claims.account;
  log.record(checkThat('sub is a pairwise identifier, not an account number', 'SHO-CLM-12', typeof claims.sub === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(claims.sub) && !(account !== undefined && claims.sub.includes(account.number)), '16–128 base64url characters, no account number', typeof claims.sub === 'string' ? `${claims.sub.length} characters` : 'absent'));

  if (Array.isArray(claims.amr) && typeof claims.aal === 'string' && typeof claims.phishing_resistant === 'boolean') {
    const problems = authenticationProblems(claims as never);
    log.record(checkThat('aal and phishing_resistant follow from amr', 'SHO-AUTH-6', problems.length === 0, 'consistent', problems.map((problem) => problem.reason).join(', ') || 'consistent'));
  }
  log.record(checkThat('auth_time not after iat', 'SHO-AUTH-3', typeof claims.auth_time === 'number' && claims.auth_time <= iat + 10, 'auth_time ≤ iat', typeof claims.auth_time === 'number' ? `${claims.auth_time - iat} s after iat` : 'absent'));

  if (kind === 'link') {
    log.record(checkEqual('action', 'SHO-LINK-5', request.claims.action, claims.action));
    const sameAccount = account !== undefined && canonicalize(account) === canonicalize(claims.account);
    log.record(checkThat('account is the requested one', 'SHO-LINK-7', sameAccount, 'equal to the request account', sameAccount ? 'equal' : 'different'));
    const linkHash = await hashCanonical({ action: claims.action, account: claims.account });
    log.record(checkThat('transaction_hash of action and account', 'SHO-BIND-2', claims.transaction_hash === linkHash, 'JCS SHA-256 of { action, account }', claims.transaction_hash === linkHash ? 'equal' : 'another value'));
    const sent = Object.keys(request.claims.identity ?? {}).sort().join(',');
    const got = Object.keys((claims.identity_match as object | undefined) ?? {}).sort().join(',');
    log.record(checkThat('identity_match covers exactly the attributes sent', 'SHO-LINK-10', sent === got, sent || '(absent)', got || '(absent)'));
    const verified = claims.verified_claims as { claims?: Record<string, unknown> } | Array<{ claims?: Record<string, unknown> }> | undefined;
    const person = (Array.isArray(verified) ? verified[0] : verified)?.claims ?? {};
    const kana = 'family_name#ja-Kana-JP' in person && 'given_name#ja-Kana-JP' in person;
    log.record(checkThat('verified kana reading present', 'SHO-KYC-9', kana, 'family_name#ja-Kana-JP and given_name#ja-Kana-JP', kana ? 'present' : 'absent'), 'SHOULD');
  } else {
    const expected = request.claims.transaction;
    const sameTransaction = expected !== undefined && canonicalize(expected) === canonicalize(claims.transaction);
    log.record(checkThat('transaction is the requested one', 'SHO-TXN-3', sameTransaction, 'equal (JCS) to the request transaction', sameTransaction ? 'equal' : 'different'));
    const ownHash = claims.transaction === undefined ? undefined : await hashCanonical(claims.transaction);
    log.record(checkThat('transaction_hash', 'SHO-TXN-4', claims.transaction_hash === ownHash, 'JCS SHA-256 of transaction', claims.transaction_hash === ownHash ? 'equal' : 'another value'));
  }

  const verifier = createVerifier({
    audience: context.rpId,
    trust: { parties: [{ id: context.bank.issuer, keys: { jwks_uri: context.bank.jwks_uri }, kinds: ['link', 'transaction'], max_ial: 'ial3', max_aal: 'aal3', algs: context.bank.algs_supported, status: 'active' }] },
    policy: false,
  });
  try {
    const decision =
      kind === 'link'
        ? await verifier.verify(assertion, { kind: 'link', issuer: context.bank.issuer, nonce: request.claims.nonce, request: request.token, action: request.claims.action, ...(account !== undefined ? { account } : {}) })
        : await verifier.verify(assertion, { kind: 'transaction', issuer: context.bank.issuer, nonce: request.claims.nonce, request: request.token, transaction: request.claims.transaction as never });
    const codes = decision.reasons.map((reason) => reason.code);
    log.record(checkThat("verifies with the bank's published key and every binding", 'SHO-VER-1', decision.outcome === 'allow', 'allow', codes.length === 0 ? decision.outcome : `${decision.outcome} (${codes.join(', ')})`));
  } finally {
    await verifier.close();
  }
}
