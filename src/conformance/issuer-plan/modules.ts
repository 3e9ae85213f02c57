import { compact, segment, signHs256 } from '../forge/jws.js';
import { spkiPem } from '../forge/keys.js';
import type { BankInfo } from '../interface/schemas.js';
import type { PartyMetadata } from '../../transport/metadata.js';
import type { IssuerModule } from './module.js';
import type { TokenMutation } from './requests.js';

/*
 * The issuer plan (issue 4 point 1): the suite plays a relying party (and, for the reverse flow, a
 * wallet) against the partner's bank. The list is the single source of conformance/README.md.
 */

function withClaims(m: TokenMutation, change: (claims: Record<string, unknown>) => void): string {
  change(m.claims);
  return m.sign();
}

function withHeader(m: TokenMutation, change: (header: Record<string, unknown>) => void, key = m.keys.rp): string {
  change(m.header);
  return m.sign(m.header, m.claims, key);
}

function offers(action: string) {
  return (info: BankInfo): string | undefined => (info.actions.includes(action as never) ? undefined : `the bank does not offer ${action}`);
}

function reverseFlow(info: BankInfo, metadata: PartyMetadata): string | undefined {
  if (!info.actions.includes('direct_debit_registration')) return 'the bank does not offer direct_debit_registration (reverse flow)';
  if (metadata.nonce_endpoint === undefined) return 'the bank metadata names no nonce_endpoint';
  return undefined;
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
  {
    id: 'issuer-push-happy',
    title: 'A conformant request is accepted with a single-use request_uri',
    requirements: ['SHO-FLOW-5', 'SHO-FLOW-6', 'SHO-FLOW-2', 'SHO-REQ-13'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'accepted' },
  },
  {
    id: 'issuer-push-payout-happy',
    title: 'A conformant payout request is accepted',
    requirements: ['SHO-FLOW-5', 'SHO-REQ-8'],
    level: 'MUST', kind: 'push', scenario: 'push', action: 'payout', expected: { result: 'accepted' }, applies: offers('payout'),
  },
  {
    id: 'issuer-push-signature-invalid',
    title: "A request signed by another key under the relying party's kid is refused",
    requirements: ['SHO-REQ-13', 'SHO-JWS-20', 'SHO-FLOW-4'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => m.sign(m.header, m.claims, m.keys.attacker),
  },
  {
    id: 'issuer-push-alg-none',
    title: 'A request with alg none is refused',
    requirements: ['SHO-JWS-6', 'SHO-REQ-13'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED', alternatives: ['MALFORMED_TOKEN'] },
    mutation: (m) => compact(segment({ ...m.header, alg: 'none' }), segment(m.claims), ''),
  },
  {
    id: 'issuer-push-alg-hs256',
    title: "A request HMAC-signed with the relying party's public key is refused",
    requirements: ['SHO-JWS-6', 'SHO-REQ-13'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED' },
    mutation: async (m) => {
      const h = segment({ ...m.header, alg: 'HS256' });
      const p = segment(m.claims);
      return compact(h, p, await signHs256(`${h}.${p}`, new TextEncoder().encode(spkiPem(m.keys.rp))));
    },
  },
  {
    id: 'issuer-push-typ-wrong',
    title: 'A request typed as a link assertion is refused',
    requirements: ['SHO-KIND-2', 'SHO-REQ-1'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'TYP_MISMATCH' },
    mutation: (m) => withHeader(m, (h) => { h.typ = 'shomei-link+jwt'; }),
  },
  {
    id: 'issuer-push-crit',
    title: 'A request with a critical header extension is refused',
    requirements: ['SHO-JWS-9'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'CRIT_UNSUPPORTED' },
    mutation: (m) => withHeader(m, (h) => { h.crit = ['x-shomei-test']; h['x-shomei-test'] = true; }),
  },
  {
    id: 'issuer-push-kid-unknown',
    title: 'A request signed with a key the relying party does not publish is refused',
    requirements: ['SHO-JWS-7', 'SHO-FETCH-9'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'KEY_NOT_FOUND', alternatives: ['KEYS_UNAVAILABLE'] },
    mutation: (m) => withHeader(m, (h) => { h.kid = m.keys.fresh.kid; }, m.keys.fresh),
  },
  {
    id: 'issuer-push-aud-wrong',
    title: 'A request addressed to another bank is refused',
    requirements: ['SHO-CLM-2', 'SHO-REQ-1'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'AUDIENCE_MISMATCH' },
    mutation: (m) => withClaims(m, (c) => { c.aud = 'https://other-bank.example'; }),
  },
  {
    id: 'issuer-push-aud-array',
    title: 'A request with a multi-valued aud is refused',
    requirements: ['SHO-CLM-2'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'CLAIMS_INVALID', alternatives: ['AUDIENCE_MISMATCH'] },
    mutation: (m) => withClaims(m, (c) => { c.aud = [c.aud, 'https://other-bank.example']; }),
  },
  {
    id: 'issuer-push-iss-unknown',
    title: 'A request from a party the bank does not trust is refused',
    requirements: ['SHO-ROLE-7', 'SHO-VER-3'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'ISSUER_UNKNOWN' },
    mutation: (m) => withClaims(m, (c) => { c.iss = 'https://unknown-rp.example'; }),
  },
  {
    id: 'issuer-push-expired',
    title: 'An expired request is refused',
    requirements: ['SHO-CLM-4', 'SHO-REQ-13'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'TOKEN_EXPIRED' },
    mutation: (m) => withClaims(m, (c) => { c.iat = m.now - 400; c.exp = m.now - 100; }),
  },
  {
    id: 'issuer-push-lifetime-too-long',
    title: 'A request living 601 s (maximum 600 s) is refused',
    requirements: ['SHO-KIND-3'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'LIFETIME_EXCEEDED' },
    mutation: (m) => withClaims(m, (c) => { c.exp = (c.iat as number) + 601; }),
  },
  {
    id: 'issuer-push-replayed',
    title: 'The same request pushed twice is refused the second time',
    requirements: ['SHO-REQ-14', 'SHO-REPLAY-5'],
    level: 'MUST', kind: 'push', scenario: 'push-twice', expected: { result: 'rejected', code: 'REPLAYED' },
  },
  {
    id: 'issuer-push-redirect-uri-unregistered',
    title: 'A request naming a redirect_uri not registered for the relying party is refused',
    requirements: ['SHO-REQ-5'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { c.redirect_uri = `${m.rpId}/elsewhere`; }),
  },
  {
    id: 'issuer-push-state-missing',
    title: 'A request without state is refused',
    requirements: ['SHO-REQ-2', 'SHO-REQ-6'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { delete c.state; }),
  },
  {
    id: 'issuer-push-payout-without-transaction',
    title: 'A payout request without its transaction is refused',
    requirements: ['SHO-REQ-8'],
    level: 'MUST', kind: 'push', scenario: 'push', action: 'payout', expected: { result: 'rejected', code: 'CLAIMS_INVALID' }, applies: offers('payout'),
    mutation: (m) => withClaims(m, (c) => { delete c.transaction; }),
  },
  {
    id: 'issuer-push-duplicate-member',
    title: 'A request payload with a duplicate member is refused',
    requirements: ['SHO-JWS-5'],
    level: 'MUST', kind: 'push', scenario: 'push', expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
    mutation: (m) => m.sign(m.header, `{"redirect_uri":"https://attacker.example/cb",${JSON.stringify(m.claims).slice(1)}`),
  },
  {
    id: 'issuer-push-not-json',
    title: 'A push body that is not JSON is refused with 400',
    requirements: ['SHO-FLOW-7'],
    level: 'MUST', kind: 'push', scenario: 'push-raw', raw: { method: 'POST', contentType: 'application/json', body: 'not-json' },
    expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
  },
  {
    id: 'issuer-push-no-request-member',
    title: 'A push body without the request member is refused with 400',
    requirements: ['SHO-FLOW-7'],
    level: 'MUST', kind: 'push', scenario: 'push-raw', raw: { method: 'POST', contentType: 'application/json', body: 'no-request' },
    expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
  },
  {
    id: 'issuer-push-too-large',
    title: 'A push body over 64 KiB is refused with 413',
    requirements: ['SHO-FLOW-7'],
    level: 'MUST', kind: 'push', scenario: 'push-raw', raw: { method: 'POST', contentType: 'application/json', body: 'too-large' },
    expected: { result: 'rejected', code: 'TOKEN_TOO_LARGE' },
  },
  {
    id: 'issuer-push-wrong-method',
    title: 'A GET on the request endpoint is refused with 405 and Allow',
    requirements: ['SHO-FLOW-7'],
    level: 'MUST', kind: 'push', scenario: 'push-raw', raw: { method: 'GET' },
    expected: { result: 'rejected' },
  },

  // ── authorization endpoint ─────────────────────────────────────────────────────────────────────
  {
    id: 'issuer-authorize-unknown-request-uri',
    title: 'An unknown request_uri is refused without a redirect',
    requirements: ['SHO-FLOW-8'],
    level: 'MUST', kind: 'flow', scenario: 'authorize-unknown', expected: { result: 'rejected' },
  },
  {
    id: 'issuer-authorize-client-id-mismatch',
    title: "A client_id other than the request's iss is refused without a redirect",
    requirements: ['SHO-FLOW-8', 'SHO-ROLE-2'],
    level: 'MUST', kind: 'flow', scenario: 'authorize-client-mismatch', expected: { result: 'rejected' },
  },
  {
    id: 'issuer-authorize-request-uri-reused',
    title: 'A request_uri used once is refused the second time, without a redirect',
    requirements: ['SHO-FLOW-8', 'SHO-FLOW-6'],
    level: 'MUST', kind: 'flow', scenario: 'authorize-reused', expected: { result: 'rejected' },
  },

  // ── the flow ───────────────────────────────────────────────────────────────────────────────────
  {
    id: 'issuer-flow-redirect',
    title: 'After the customer consents, the bank redirects with code, state and iss',
    requirements: ['SHO-FLOW-9'],
    level: 'MUST', kind: 'flow', scenario: 'redirect', expected: { result: 'accepted' },
  },
  {
    id: 'issuer-flow-exchange',
    title: 'The code is exchanged for the assertion of the kind the request implies',
    requirements: ['SHO-FLOW-14', 'SHO-FLOW-2'],
    level: 'MUST', kind: 'flow', scenario: 'exchange', expected: { result: 'accepted' },
  },
  {
    id: 'issuer-flow-code-reused',
    title: 'A code exchanged once is refused the second time',
    requirements: ['SHO-FLOW-14', 'SHO-REPLAY-5'],
    level: 'MUST', kind: 'flow', scenario: 'code-reused', expected: { result: 'rejected', code: 'REPLAYED' },
  },
  {
    id: 'issuer-flow-code-unknown',
    title: 'An unknown code is refused',
    requirements: ['SHO-FLOW-14'],
    level: 'MUST', kind: 'flow', scenario: 'code-unknown', expected: { result: 'rejected', code: 'REQUEST_MISMATCH' },
  },
  {
    id: 'issuer-flow-customer-cancels',
    title: 'A customer who cancels ends the flow with error=ISSUANCE_REFUSED',
    requirements: ['SHO-FLOW-10'],
    level: 'MUST', kind: 'flow', scenario: 'customer-cancels', expected: { result: 'rejected', code: 'ISSUANCE_REFUSED' },
  },
  {
    id: 'issuer-flow-account-not-held',
    title: 'A link for an account the customer does not hold ends with ISSUANCE_REFUSED, no assertion',
    requirements: ['SHO-LINK-6', 'SHO-FLOW-10'],
    level: 'MUST', kind: 'flow', scenario: 'account-not-held', expected: { result: 'rejected', code: 'ISSUANCE_REFUSED' },
  },
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
  {
    id: 'issuer-reverse-happy',
    title: "A direct-debit request with the wallet's identity assertion is accepted",
    requirements: ['SHO-FLOW-13', 'SHO-IDA-1', 'SHO-IDA-2'],
    level: 'MUST', kind: 'reverse', scenario: 'reverse', expected: { result: 'accepted' }, applies: reverseFlow,
  },
  {
    id: 'issuer-reverse-nonce-reused',
    title: 'An identity assertion with a nonce already used is refused',
    requirements: ['SHO-IDA-3'],
    level: 'MUST', kind: 'reverse', scenario: 'reverse', nonce: 'used', expected: { result: 'rejected', code: 'NONCE_MISMATCH' }, applies: reverseFlow,
  },
  {
    id: 'issuer-reverse-nonce-unknown',
    title: 'An identity assertion with a nonce the bank never issued is refused',
    requirements: ['SHO-IDA-3'],
    level: 'MUST', kind: 'reverse', scenario: 'reverse', nonce: 'unknown', expected: { result: 'rejected', code: 'NONCE_MISMATCH' }, applies: reverseFlow,
  },
  {
    id: 'issuer-reverse-account-mismatch',
    title: 'An identity assertion for another account than the request is refused',
    requirements: ['SHO-IDA-6', 'SHO-FLOW-13'],
    level: 'MUST', kind: 'reverse', scenario: 'reverse', expected: { result: 'rejected', code: 'ACCOUNT_MISMATCH' }, applies: reverseFlow,
    identityMutation: async (m) => {
      const account = { ...(m.claims.account as Record<string, string>) };
      account.number = account.number === '7654321' ? '1234567' : '7654321';
      m.claims.account = account;
      m.claims.transaction_hash = await m.hash({ action: m.claims.action, account });
      return m.sign();
    },
  },
  {
    id: 'issuer-reverse-kyc-none',
    title: 'An identity assertion declaring no KYC is refused by policy (the 2020 wallet pattern)',
    requirements: ['SHO-IDA-7', 'SHO-POL-4'],
    level: 'MUST', kind: 'reverse', scenario: 'reverse', expected: { result: 'rejected', code: 'KYC_MISSING' }, applies: reverseFlow,
    identityMutation: (m) => withClaims(m, (c) => { delete c.verified_claims; c.kyc_status = 'none'; }),
  },
  {
    id: 'issuer-reverse-identity-alg-none',
    title: 'An unsigned identity assertion (alg none) is refused',
    requirements: ['SHO-JWS-6', 'SHO-FLOW-13'],
    level: 'MUST', kind: 'reverse', scenario: 'reverse', expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED', alternatives: ['MALFORMED_TOKEN'] }, applies: reverseFlow,
    identityMutation: (m) => compact(segment({ ...m.header, alg: 'none' }), segment(m.claims), ''),
  },
  {
    id: 'issuer-reverse-identity-signature-invalid',
    title: 'An identity assertion signed by another key is refused',
    requirements: ['SHO-JWS-20', 'SHO-FLOW-13'],
    level: 'MUST', kind: 'reverse', scenario: 'reverse', expected: { result: 'rejected', code: 'SIGNATURE_INVALID' }, applies: reverseFlow,
    identityMutation: (m) => m.sign(m.header, m.claims, m.keys.attacker),
  },
];
