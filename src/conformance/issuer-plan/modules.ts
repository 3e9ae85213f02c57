import { compact, segment, signHs256 } from '../forge/jws.js';
import { spkiPem } from '../forge/keys.js';
import { withClaims, withHeader, withOtherAccount } from '../mutations.js';
import type { BankInfo } from '../interface/schemas.js';
import type { PartyMetadata } from '../../transport/metadata.js';
import type { ErrorCode } from '../../errors/codes.js';
import type { Expected } from '../types.js';
import type { IssuerModule, IssuerScenario } from './module.js';

/*
 * The issuer plan (issue 4 point 1): the suite plays a relying party (and, for the reverse flow, a
 * wallet) against the partner's bank. The list is the single source of conformance/README.md.
 */

function offers(action: string) {
  return (info: BankInfo): string | undefined => (info.actions.includes(action as never) ? undefined : `the bank does not offer ${action}`);
}

function reverseFlow(info: BankInfo, metadata: PartyMetadata): string | undefined {
  if (!info.actions.includes('direct_debit_registration')) return 'the bank does not offer direct_debit_registration (reverse flow)';
  if (metadata.nonce_endpoint === undefined) return 'the bank metadata names no nonce_endpoint';
  return undefined;
}

/** A module that pushes the happy request with one mutation (or none) and judges the answer. */
function push(module: Omit<IssuerModule, 'level' | 'kind' | 'scenario'>): IssuerModule {
  return { level: 'MUST', kind: 'push', scenario: 'push', ...module };
}

/** A reverse-flow module: the identity assertion pushed with one mutation (or none), where the bank offers it. */
function reverse(module: Omit<IssuerModule, 'level' | 'kind' | 'scenario' | 'applies'>): IssuerModule {
  return { level: 'MUST', kind: 'reverse', scenario: 'reverse', applies: reverseFlow, ...module };
}

export const ISSUER_MODULES: readonly IssuerModule[] = [
  // ── published documents ────────────────────────────────────────────────────────────────────────
  {
    id: 'issuer-metadata',
    title: 'The metadata document names the bank, its keys and its endpoints, and is cacheable',
    requirements: ['SHO-KEY-1', 'SHO-KEY-2', 'SHO-KEY-3'],
    level: 'MUST', kind: 'keys', scenario: 'metadata', expected: { result: 'accepted' },
  },
  {
    id: 'issuer-jwks',
    title: 'The JWKS holds public signing keys only, each kid its RFC 7638 thumbprint, and is cacheable',
    requirements: ['SHO-KEY-3', 'SHO-KEY-4', 'SHO-KEY-5', 'SHO-KEY-6', 'SHO-JWS-19'],
    level: 'MUST', kind: 'keys', scenario: 'jwks', expected: { result: 'accepted' },
  },

  // ── push ───────────────────────────────────────────────────────────────────────────────────────
  push({
    id: 'issuer-push-happy',
    title: 'A conformant request is accepted with a single-use request_uri',
    requirements: ['SHO-FLOW-5', 'SHO-FLOW-6', 'SHO-FLOW-2', 'SHO-REQ-13'],
    expected: { result: 'accepted' },
  }),
  push({
    id: 'issuer-push-payout-happy',
    title: 'A conformant payout request is accepted',
    requirements: ['SHO-FLOW-5', 'SHO-REQ-8'],
    action: 'payout', expected: { result: 'accepted' }, applies: offers('payout'),
  }),
  push({
    id: 'issuer-push-signature-invalid',
    title: "A request signed by another key under the relying party's kid is refused",
    requirements: ['SHO-REQ-13', 'SHO-JWS-20', 'SHO-FLOW-4'],
    expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => m.sign(m.header, m.claims, m.keys.attacker),
  }),
  push({
    id: 'issuer-push-alg-none',
    title: 'A request with alg none is refused',
    requirements: ['SHO-JWS-6', 'SHO-REQ-13'],
    expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED', alternatives: ['MALFORMED_TOKEN'] },
    mutation: (m) => compact(segment({ ...m.header, alg: 'none' }), segment(m.claims), ''),
  }),
  push({
    id: 'issuer-push-alg-hs256',
    title: "A request HMAC-signed with the relying party's public key is refused",
    requirements: ['SHO-JWS-6', 'SHO-REQ-13'],
    expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED' },
    mutation: async (m) => {
      const h = segment({ ...m.header, alg: 'HS256' });
      const p = segment(m.claims);
      return compact(h, p, await signHs256(`${h}.${p}`, new TextEncoder().encode(spkiPem(m.keys.rp))));
    },
  }),
  push({
    id: 'issuer-push-typ-wrong',
    title: 'A request typed as a link assertion is refused',
    requirements: ['SHO-KIND-2', 'SHO-REQ-1'],
    expected: { result: 'rejected', code: 'TYP_MISMATCH' },
    mutation: (m) => withHeader(m, (h) => { h.typ = 'shomei-link+jwt'; }),
  }),
  push({
    id: 'issuer-push-crit',
    title: 'A request with a critical header extension is refused',
    requirements: ['SHO-JWS-9'],
    expected: { result: 'rejected', code: 'CRIT_UNSUPPORTED' },
    mutation: (m) => withHeader(m, (h) => { h.crit = ['x-shomei-test']; h['x-shomei-test'] = true; }),
  }),
  push({
    id: 'issuer-push-kid-unknown',
    title: 'A request signed with a key the relying party does not publish is refused',
    requirements: ['SHO-JWS-7', 'SHO-FETCH-9'],
    expected: { result: 'rejected', code: 'KEY_NOT_FOUND', alternatives: ['KEYS_UNAVAILABLE'] },
    mutation: (m) => withHeader(m, (h) => { h.kid = m.keys.fresh.kid; }, m.keys.fresh),
  }),
  push({
    id: 'issuer-push-aud-wrong',
    title: 'A request addressed to another bank is refused',
    requirements: ['SHO-CLM-2', 'SHO-REQ-1'],
    expected: { result: 'rejected', code: 'AUDIENCE_MISMATCH' },
    mutation: (m) => withClaims(m, (c) => { c.aud = 'https://other-bank.example'; }),
  }),
  push({
    id: 'issuer-push-aud-array',
    title: 'A request with a multi-valued aud is refused',
    requirements: ['SHO-CLM-2'],
    expected: { result: 'rejected', code: 'CLAIMS_INVALID', alternatives: ['AUDIENCE_MISMATCH'] },
    mutation: (m) => withClaims(m, (c) => { c.aud = [c.aud, 'https://other-bank.example']; }),
  }),
  push({
    id: 'issuer-push-iss-unknown',
    title: 'A request from a party the bank does not trust is refused',
    requirements: ['SHO-ROLE-7', 'SHO-VER-3'],
    expected: { result: 'rejected', code: 'ISSUER_UNKNOWN' },
    mutation: (m) => withClaims(m, (c) => { c.iss = 'https://unknown-rp.example'; }),
  }),
  push({
    id: 'issuer-push-expired',
    title: 'An expired request is refused',
    requirements: ['SHO-CLM-4', 'SHO-REQ-13'],
    expected: { result: 'rejected', code: 'TOKEN_EXPIRED' },
    mutation: (m) => withClaims(m, (c) => { c.iat = m.now - 400; c.exp = m.now - 100; }),
  }),
  push({
    id: 'issuer-push-lifetime-too-long',
    title: 'A request living 601 s (maximum 600 s) is refused',
    requirements: ['SHO-KIND-3'],
    expected: { result: 'rejected', code: 'LIFETIME_EXCEEDED' },
    mutation: (m) => withClaims(m, (c) => { c.exp = (c.iat as number) + 601; }),
  }),
  {
    id: 'issuer-push-replayed',
    title: 'The same request pushed twice is refused the second time',
    requirements: ['SHO-REQ-14', 'SHO-REPLAY-5'],
    level: 'MUST', kind: 'push', scenario: 'push-twice', expected: { result: 'rejected', code: 'REPLAYED' },
  },
  push({
    id: 'issuer-push-redirect-uri-unregistered',
    title: 'A request naming a redirect_uri not registered for the relying party is refused',
    requirements: ['SHO-REQ-5'],
    expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { c.redirect_uri = `${m.rpId}/elsewhere`; }),
  }),
  push({
    id: 'issuer-push-state-missing',
    title: 'A request without state is refused',
    requirements: ['SHO-REQ-2', 'SHO-REQ-6'],
    expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { delete c.state; }),
  }),
  push({
    id: 'issuer-push-payout-without-transaction',
    title: 'A payout request without its transaction is refused',
    requirements: ['SHO-REQ-8'],
    action: 'payout', expected: { result: 'rejected', code: 'CLAIMS_INVALID' }, applies: offers('payout'),
    mutation: (m) => withClaims(m, (c) => { delete c.transaction; }),
  }),
  push({
    id: 'issuer-push-duplicate-member',
    title: 'A request payload with a duplicate member is refused',
    requirements: ['SHO-JWS-5'],
    expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
    mutation: (m) => m.sign(m.header, `{"redirect_uri":"https://attacker.example/cb",${JSON.stringify(m.claims).slice(1)}`),
  }),
  ...([
    ['issuer-push-not-json', 'A push body that is not JSON is refused with 400', { method: 'POST', contentType: 'application/json', body: 'not-json' }, 'MALFORMED_TOKEN'],
    ['issuer-push-no-request-member', 'A push body without the request member is refused with 400', { method: 'POST', contentType: 'application/json', body: 'no-request' }, 'MALFORMED_TOKEN'],
    ['issuer-push-too-large', 'A push body over 64 KiB is refused with 413', { method: 'POST', contentType: 'application/json', body: 'too-large' }, 'TOKEN_TOO_LARGE'],
    ['issuer-push-wrong-method', 'A GET on the request endpoint is refused with 405 and Allow', { method: 'GET' }, undefined],
  ] satisfies [string, string, NonNullable<IssuerModule['raw']>, ErrorCode | undefined][]).map(([id, title, raw, code]): IssuerModule => ({
    id, title, requirements: ['SHO-FLOW-7'], level: 'MUST', kind: 'push', scenario: 'push-raw', raw,
    expected: code === undefined ? { result: 'rejected' } : { result: 'rejected', code },
  })),

  // ── authorization endpoint (refused without a redirect, SHO-FLOW-8) and the flow ─────────────────
  ...([
    ['issuer-authorize-unknown-request-uri', 'authorize-unknown', 'An unknown request_uri is refused without a redirect', ['SHO-FLOW-8'], { result: 'rejected' }],
    ['issuer-authorize-client-id-mismatch', 'authorize-client-mismatch', "A client_id other than the request's iss is refused without a redirect", ['SHO-FLOW-8', 'SHO-ROLE-2'], { result: 'rejected' }],
    ['issuer-authorize-request-uri-reused', 'authorize-reused', 'A request_uri used once is refused the second time, without a redirect', ['SHO-FLOW-8', 'SHO-FLOW-6'], { result: 'rejected' }],
    ['issuer-flow-redirect', 'redirect', 'After the customer consents, the bank redirects with code, state and iss', ['SHO-FLOW-9'], { result: 'accepted' }],
    ['issuer-flow-exchange', 'exchange', 'The code is exchanged for the assertion of the kind the request implies', ['SHO-FLOW-14', 'SHO-FLOW-2'], { result: 'accepted' }],
    ['issuer-flow-code-reused', 'code-reused', 'A code exchanged once is refused the second time', ['SHO-FLOW-14', 'SHO-REPLAY-5'], { result: 'rejected', code: 'REPLAYED' }],
    ['issuer-flow-code-unknown', 'code-unknown', 'An unknown code is refused', ['SHO-FLOW-14'], { result: 'rejected', code: 'REQUEST_MISMATCH' }],
    ['issuer-flow-customer-cancels', 'customer-cancels', 'A customer who cancels ends the flow with error=ISSUANCE_REFUSED', ['SHO-FLOW-10'], { result: 'rejected', code: 'ISSUANCE_REFUSED' }],
    ['issuer-flow-account-not-held', 'account-not-held', 'A link for an account the customer does not hold ends with ISSUANCE_REFUSED, no assertion', ['SHO-LINK-6', 'SHO-FLOW-10'], { result: 'rejected', code: 'ISSUANCE_REFUSED' }],
  ] satisfies [string, IssuerScenario, string, string[], Expected][]).map(([id, scenario, title, requirements, expected]): IssuerModule => ({
    id, title, requirements, level: 'MUST', kind: 'flow', scenario, expected,
  })),
  {
    id: 'issuer-consent-screen',
    title: 'The bank showed the relying party, the action, the masked account (and amount and payee) before authentication',
    requirements: ['SHO-REQ-16'],
    level: 'MUST', kind: 'flow', scenario: 'consent-screen', expected: { result: 'accepted' },
  },

  // ── assertions ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'issuer-assertion-link',
    title: 'The link assertion is conformant: header, lifetime, bindings, schema, authentication',
    requirements: ['SHO-LINK-1', 'SHO-LINK-2', 'SHO-LINK-7', 'SHO-LINK-10', 'SHO-BIND-2', 'SHO-BIND-3', 'SHO-BIND-4', 'SHO-KIND-3', 'SHO-AUTH-6'],
    level: 'MUST', kind: 'assertion', scenario: 'assertion', action: 'account_link', expected: { result: 'accepted' },
  },
  {
    id: 'issuer-assertion-payout-destination-change',
    title: 'The link assertion for a payout-destination change is conformant',
    requirements: ['SHO-LINK-1', 'SHO-LINK-5'],
    level: 'MUST', kind: 'assertion', scenario: 'assertion', action: 'payout_destination_change', expected: { result: 'accepted' },
    applies: offers('payout_destination_change'),
  },
  {
    id: 'issuer-assertion-transaction',
    title: 'The transaction assertion is conformant: the requested amount and payee, hashed, short-lived',
    requirements: ['SHO-TXN-1', 'SHO-TXN-2', 'SHO-TXN-3', 'SHO-TXN-4', 'SHO-TXN-10', 'SHO-BIND-1'],
    level: 'MUST', kind: 'assertion', scenario: 'assertion', action: 'payout', expected: { result: 'accepted' }, applies: offers('payout'),
  },

  // ── reverse flow (direct-debit registration) ──────────────────────────────────────────────────
  {
    id: 'issuer-nonce-endpoint',
    title: 'The nonce endpoint issues fresh, single-use nonces',
    requirements: ['SHO-FLOW-12', 'SHO-CLM-10'],
    level: 'MUST', kind: 'reverse', scenario: 'nonce', expected: { result: 'accepted' }, applies: reverseFlow,
  },
  reverse({
    id: 'issuer-reverse-happy',
    title: "A direct-debit request with the wallet's identity assertion is accepted",
    requirements: ['SHO-FLOW-13', 'SHO-IDA-1', 'SHO-IDA-2'],
    expected: { result: 'accepted' },
  }),
  reverse({
    id: 'issuer-reverse-nonce-reused',
    title: 'An identity assertion with a nonce already used is refused',
    requirements: ['SHO-IDA-3'],
    nonce: 'used', expected: { result: 'rejected', code: 'NONCE_MISMATCH' },
  }),
  reverse({
    id: 'issuer-reverse-nonce-unknown',
    title: 'An identity assertion with a nonce the bank never issued is refused',
    requirements: ['SHO-IDA-3'],
    nonce: 'unknown', expected: { result: 'rejected', code: 'NONCE_MISMATCH' },
  }),
  reverse({
    id: 'issuer-reverse-account-mismatch',
    title: 'An identity assertion for another account than the request is refused',
    requirements: ['SHO-IDA-6', 'SHO-FLOW-13'],
    expected: { result: 'rejected', code: 'ACCOUNT_MISMATCH' },
    identityMutation: withOtherAccount,
  }),
  reverse({
    id: 'issuer-reverse-kyc-none',
    title: 'An identity assertion declaring no KYC is refused by policy (the 2020 wallet pattern)',
    requirements: ['SHO-IDA-7', 'SHO-POL-4'],
    expected: { result: 'rejected', code: 'KYC_MISSING' },
    identityMutation: (m) => withClaims(m, (c) => { delete c.verified_claims; c.kyc_status = 'none'; }),
  }),
  reverse({
    id: 'issuer-reverse-identity-alg-none',
    title: 'An unsigned identity assertion (alg none) is refused',
    requirements: ['SHO-JWS-6', 'SHO-FLOW-13'],
    expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED', alternatives: ['MALFORMED_TOKEN'] },
    identityMutation: (m) => compact(segment({ ...m.header, alg: 'none' }), segment(m.claims), ''),
  }),
  reverse({
    id: 'issuer-reverse-identity-signature-invalid',
    title: 'An identity assertion signed by another key is refused',
    requirements: ['SHO-JWS-20', 'SHO-FLOW-13'],
    expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    identityMutation: (m) => m.sign(m.header, m.claims, m.keys.attacker),
  }),
];
