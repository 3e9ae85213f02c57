import type { Account } from '../../claims/account.js';
import type { AuthenticationClaims } from '../../claims/authentication.js';
import type { IdentityMatch } from '../../claims/identity-match.js';
import { createIssuer, randomId } from '../../issuer/issue.js';
import { KIND_DEFINITIONS, type Kind } from '../../kinds/kind.js';
import type { RequestClaims } from '../../kinds/request.js';
import type { ActionRule } from '../../policy/schema.js';
import { jpAmlMethod } from '../../vocabulary/jp-aml.js';
import type { ForgeKey } from '../forge/keys.js';

/** A token before signing: the protected header and the claims, both plain JSON. */
export interface Draft {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** What the suite's bank knows when it answers a pushed request. */
export interface AnswerContext {
  bankId: string;
  bank: ForgeKey;
  /** The suite bank's pairwise `sub` for the partner's test customer (stable for the run, SHO-TXN-9). */
  sub: string;
  /** Seconds since the epoch. */
  now: number;
  /** The partner's policy rule for the request's action, if it has one. */
  rule: ActionRule | undefined;
  request: { token: string; claims: RequestClaims };
}

const DAY = 86_400;

/** The synthetic person the suite's bank proofed (SHO-CONF-2: no real personal data). */
const PERSON = {
  family_name: '試験',
  given_name: '花子',
  'family_name#ja-Kana-JP': 'シケン',
  'given_name#ja-Kana-JP': 'ハナコ',
  birthdate: '1990-04-01',
};

/** Authentication that satisfies any policy: a device-bound passkey with PIN (AAL3, phishing-resistant). */
export function strongAuthentication(now: number): AuthenticationClaims {
  return { acr: 'phrh', amr: ['hwk', 'pin', 'mfa', 'x-passkey-devicebound'], auth_time: now - 30, aal: 'aal3', phishing_resistant: true };
}

/**
 * A proofing method the rule allows today (SHO-POL-7), preferring one without a minimum KYC age; the
 * IC-chip method `he` with a cryptographic check when the rule says nothing.
 */
function allowedProcedure(rule: ActionRule | undefined, now: number): { procedure: string; checkMethod: string; minAgeDays: number } {
  const today = new Date(now * 1000).toISOString().slice(0, 10);
  const usable = (rule?.proofing_methods ?? []).filter((method) => {
    const known = jpAmlMethod(method.procedure);
    if (known === undefined) return false;
    if (method.not_before !== undefined && method.not_before > today) return false;
    if (method.not_after !== undefined && method.not_after < today) return false;
    return known.effectiveTo === undefined || known.effectiveTo > today;
  });
  const chosen = usable.find((method) => (method.min_age_days ?? 0) === 0) ?? usable[0];
  if (chosen === undefined) return { procedure: 'jp_aml.r6_1_1.he', checkMethod: 'vcrypt', minAgeDays: 0 };
  return { procedure: chosen.procedure, checkMethod: chosen.check_methods?.[0] ?? 'vcrypt', minAgeDays: chosen.min_age_days ?? 0 };
}

/**
 * `verified_claims` that satisfy `rule` (SHO-KYC, SHO-POL-4 to SHO-POL-9): jp_aml, the rule's IAL (at
 * least ial2), an allowed procedure, verified long enough ago for its minimum age and recently enough
 * for the maximum KYC age.
 */
export function passingKyc(rule: ActionRule | undefined, now: number): Record<string, unknown> {
  const { procedure, checkMethod, minAgeDays } = allowedProcedure(rule, now);
  const maxAge = rule?.max_kyc_age_days;
  let ageDays = Math.max(400, minAgeDays + 30);
  if (maxAge !== undefined && ageDays >= maxAge) ageDays = Math.max(minAgeDays + 1, Math.floor(maxAge / 2));
  return {
    verification: {
      trust_framework: 'jp_aml',
      assurance_level: rule?.min_ial === 'ial3' ? 'ial3' : 'ial2',
      assurance_process: { procedure },
      time: new Date((now - ageDays * DAY) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      evidence: [{ type: 'document', check_details: [{ check_method: checkMethod }], document_details: { type: 'jp_individual_number_card' } }],
    },
    claims: { ...PERSON },
  };
}

/** One `match` per attribute the request sent, and none for the others (SHO-LINK-10, SHO-MATCH-15). */
export function fullMatch(identity: RequestClaims['identity']): IdentityMatch | undefined {
  if (identity === undefined) return undefined;
  const result: IdentityMatch = {};
  for (const attribute of ['name', 'name_kana', 'birthdate', 'address'] as const) {
    if (identity[attribute] !== undefined) result[attribute] = 'match';
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

function header(kind: Kind, bank: ForgeKey): Record<string, unknown> {
  return { alg: 'ES256', kid: bank.kid, typ: KIND_DEFINITIONS[kind].typ };
}

/** The account an answer is about: the request's, or for a payout without one the payee. */
function accountOf(request: RequestClaims): Account {
  return request.account ?? (request.transaction?.payee as Account);
}

/**
 * The assertion a conformant bank returns for the pushed request: a link assertion for a link action,
 * a transaction assertion for a payout — built with the package's own issuer, so that it passes every
 * rule the issuer enforces (schema, lifetime, authentication consistency).
 */
export async function happyAssertion(context: AnswerContext): Promise<Draft> {
  return genuine(context, context.request.claims.action === 'payout' ? 'transaction' : 'link');
}

/**
 * A genuine token of `kind` answering the request (for the kind-confusion modules, SHO-KIND-2 and
 * SHO-KIND-4): valid in every respect for its own kind, addressed to the relying party, bound to its
 * nonce.
 */
export async function genuine(context: AnswerContext, kind: Kind): Promise<Draft> {
  const { request, now } = context;
  const issuer = createIssuer({ issuer: context.bankId, signer: context.bank.signer, clock: () => now * 1000, allowUnansweredRequests: true });
  const claims = request.claims;
  const base = { aud: claims.iss, sub: context.sub, nonce: claims.nonce };
  switch (kind) {
    case 'link': {
      const action = claims.action === 'payout' || claims.action === 'direct_debit_registration' ? 'account_link' : claims.action;
      const match = fullMatch(claims.identity);
      const issued = await issuer.link({
        ...base,
        request: request.token,
        action,
        account: accountOf(claims),
        verified_claims: passingKyc(context.rule, now) as never,
        ...strongAuthentication(now),
        ...(match !== undefined ? { identity_match: match } : {}),
      });
      return { header: header('link', context.bank), claims: { ...issued.claims } };
    }
    case 'transaction': {
      const transaction = claims.transaction ?? { type: 'payout' as const, amount: { currency: 'JPY', value: '1000' }, payee: accountOf(claims) };
      const issued = await issuer.transaction({ ...base, request: request.token, transaction, ...strongAuthentication(now) });
      return { header: header('transaction', context.bank), claims: { ...issued.claims } };
    }
    case 'identity': {
      const issued = await issuer.identity({
        ...base,
        action: 'direct_debit_registration',
        account: accountOf(claims),
        verified_claims: passingKyc(context.rule, now) as never,
        ...strongAuthentication(now),
      });
      return { header: header('identity', context.bank), claims: { ...issued.claims } };
    }
    case 'request': {
      const issued = await issuer.request({
        aud: claims.iss,
        action: claims.action,
        redirect_uri: claims.redirect_uri,
        state: claims.state,
        nonce: claims.nonce,
        ...(claims.account !== undefined ? { account: claims.account } : {}),
        ...(claims.transaction !== undefined ? { transaction: claims.transaction } : {}),
      });
      return { header: header('request', context.bank), claims: { ...issued.claims } };
    }
  }
}

/** A fresh pairwise subject for the run. */
export function newSubject(): string {
  return randomId();
}
