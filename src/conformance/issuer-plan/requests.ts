import { hashCanonical } from '../../canonical/digest.js';
import type { Account } from '../../claims/account.js';
import { createIssuer, randomId } from '../../issuer/issue.js';
import { KIND_DEFINITIONS } from '../../kinds/kind.js';
import type { Action } from '../../vocabulary/actions.js';
import { forge, type JsonPart } from '../forge/jws.js';
import type { ForgeKey } from '../forge/keys.js';
import type { TestCustomer } from '../interface/schemas.js';
import { passingKyc, strongAuthentication, type Draft } from '../verifier-plan/assertions.js';

/** What the suite's relying party knows when it builds a request. */
export interface RequestContext {
  rpId: string;
  rp: ForgeKey;
  bankId: string;
  callback: string;
  customer: TestCustomer;
  /** Seconds since the epoch. */
  now: number;
}

/** A request as a conformant relying party sends it (spec/03-request.md), built with the package's issuer. */
export async function happyRequest(context: RequestContext, action: Action, account: Account = firstAccount(context.customer)): Promise<Draft> {
  const issuer = createIssuer({ issuer: context.rpId, signer: context.rp.signer, clock: () => context.now * 1000 });
  const identity = context.customer.identity;
  const issued = await issuer.request({
    aud: context.bankId,
    action,
    redirect_uri: context.callback,
    state: randomId(),
    client_name: 'shomei conformance suite',
    account,
    ...(action === 'payout' ? { transaction: { type: 'payout' as const, amount: { currency: 'JPY', value: '1000' }, payee: account, reference: 'SHOMEI CONFORMANCE' } } : {}),
    ...(action !== 'payout' && action !== 'direct_debit_registration' && identity !== undefined ? { identity } : {}),
  });
  return { header: { alg: 'ES256', kid: context.rp.kid, typ: KIND_DEFINITIONS.request.typ }, claims: { ...issued.claims } };
}

/**
 * The wallet's identity assertion for the reverse flow (spec/06-identity.md): the bank's test customer,
 * proofed by the wallet with an IC chip, authenticated with a device-bound passkey.
 */
export async function happyIdentity(context: RequestContext, nonce: string, account: Account = firstAccount(context.customer)): Promise<Draft> {
  const issuer = createIssuer({ issuer: context.rpId, signer: context.rp.signer, clock: () => context.now * 1000 });
  const kyc = passingKyc(undefined, context.now) as { verification: unknown; claims: Record<string, unknown> };
  const identity = context.customer.identity;
  if (identity?.name !== undefined) {
    const [family, ...given] = identity.name.trim().split(/[\s\u3000]+/);
    kyc.claims = { family_name: family, given_name: given.join(' ') || family };
    if (identity.name_kana !== undefined) {
      const [familyKana, ...givenKana] = identity.name_kana.trim().split(/[\s\u3000]+/);
      kyc.claims['family_name#ja-Kana-JP'] = familyKana;
      kyc.claims['given_name#ja-Kana-JP'] = givenKana.join(' ') || familyKana;
    }
  }
  if (identity?.birthdate !== undefined) kyc.claims.birthdate = identity.birthdate;
  const issued = await issuer.identity({
    aud: context.bankId,
    sub: randomId(),
    nonce,
    action: 'direct_debit_registration',
    account,
    verified_claims: kyc as never,
    ...strongAuthentication(context.now),
  });
  return { header: { alg: 'ES256', kid: context.rp.kid, typ: KIND_DEFINITIONS.identity.typ }, claims: { ...issued.claims } };
}

/** The customer's first account. */
export function firstAccount(customer: TestCustomer): Account {
  return customer.accounts[0] as Account;
}

/** An account of the same bank that the customer does not hold (the number changed). */
export function foreignAccount(customer: TestCustomer): Account {
  const own = new Set(customer.accounts.map((account) => `${account.branch_code}/${account.number}`));
  const base = firstAccount(customer);
  for (let n = 1; n < 100; n++) {
    const number = String((Number(base.number) + n * 1_000_003) % 10_000_000).padStart(7, '0');
    if (!own.has(`${base.branch_code}/${number}`)) return { ...base, number };
  }
  return { ...base, number: '9999999' };
}

/** What a request or identity mutation works on: the happy token's parts and the keys. */
export interface TokenMutation {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  keys: { rp: ForgeKey; attacker: ForgeKey; fresh: ForgeKey };
  /** ES256 with `key` (default: the suite relying party's published key). */
  sign(header?: JsonPart, claims?: JsonPart, key?: ForgeKey): string;
  now: number;
  bankId: string;
  rpId: string;
  customer: TestCustomer;
  hash(value: unknown): Promise<string>;
}

/** Builds the {@link TokenMutation} of a happy draft. */
export function createTokenMutation(draft: Draft, input: Omit<TokenMutation, 'header' | 'claims' | 'sign' | 'hash'>): TokenMutation {
  const header = structuredClone(draft.header);
  const claims = structuredClone(draft.claims);
  return {
    ...input,
    header,
    claims,
    sign: (h = header, c = claims, key = input.keys.rp) => forge({ header: h, payload: c, key }),
    hash: hashCanonical,
  };
}
