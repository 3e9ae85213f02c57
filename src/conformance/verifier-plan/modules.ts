import { encodeBase64url } from '../../encoding/base64url.js';
import { joseToDer, P256_ORDER } from '../../jws/ecdsa.js';
import { compact, nonCanonical, padded, scalarSignature, segment, signEs256, signHs256, toHighS } from '../forge/jws.js';
import { spkiPem } from '../forge/keys.js';
import type { RelyingPartyInfo } from '../interface/schemas.js';
import { withClaims, withHeader, withOtherAccount } from '../mutations.js';
import type { VerifierModule } from './module.js';
import { verification, withUnusedBits, type Mutation } from './mutation.js';

/*
 * The verifier plan (issue 4 point 2): the suite plays the bank, the partner's relying party verifies.
 * Every module is the happy path plus one mutation, with the requirement it checks and the result the
 * spec expects. The list is the single source of conformance/README.md (spec/scripts/conformance-readme.ts).
 */

const LINK = 'account_link' as const;
const PAYOUT = 'payout' as const;

function rule(info: RelyingPartyInfo, action: string) {
  return info.policy.rules[action as keyof RelyingPartyInfo['policy']['rules']];
}

function needsRule(member: string, check: (info: RelyingPartyInfo) => boolean) {
  return (info: RelyingPartyInfo): string | undefined => (check(info) ? undefined : `the partner's account_link policy rule has no ${member}`);
}

/** Signs with a header changed by `change`. */
/** A correct ES256 signature over the happy segments, then `transform` applied to its bytes. */
function withSignature(m: Mutation, transform: (signature: Uint8Array) => Uint8Array | string): string {
  const h = segment(m.header);
  const p = segment(m.claims);
  return compact(h, p, transform(signEs256(`${h}.${p}`, m.keys.bank)));
}

/** Changes one part of the payout's transaction; `staleHash` keeps the hash of the requested one. */
async function changeTransaction(m: Mutation, change: (transaction: Record<string, unknown>) => void, staleHash: boolean): Promise<string> {
  const transaction = m.claims.transaction as Record<string, unknown>;
  change(transaction);
  if (!staleHash) m.claims.transaction_hash = await m.hash(transaction);
  return m.sign();
}

function firstAttribute(m: Mutation): string {
  const match = m.claims.identity_match as Record<string, string> | undefined;
  const attribute = match === undefined ? undefined : Object.keys(match)[0];
  if (attribute === undefined) m.skip('the relying party sends no identity data to match (SHO-REQ-9), so there is no identity_match to change');
  return attribute;
}

const JP_AML_CODES = ['ro', 'ha', 'ni', 'ri', 'i', 'wa', 'ka', 'he', 'to_1'] as const;

export const VERIFIER_MODULES: readonly VerifierModule[] = [
  // ── happy paths ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-happy-account-link',
    title: 'A conformant link assertion for an account link is accepted',
    requirements: ['SHO-LINK-1', 'SHO-LINK-2', 'SHO-VER-7'],
    level: 'MUST', kind: 'happy', action: LINK, expected: { result: 'accepted' },
  },
  {
    id: 'verifier-happy-payout',
    title: 'A conformant transaction assertion for a payout is accepted',
    requirements: ['SHO-TXN-1', 'SHO-TXN-2', 'SHO-VER-7'],
    level: 'MUST', kind: 'happy', action: PAYOUT, expected: { result: 'accepted' },
  },
  {
    id: 'verifier-happy-payout-destination-change',
    title: 'A conformant link assertion for a payout-destination change is accepted',
    requirements: ['SHO-LINK-1', 'SHO-LINK-2'],
    level: 'MUST', kind: 'happy', action: 'payout_destination_change', expected: { result: 'accepted' },
  },
  {
    id: 'verifier-request-conformant',
    title: "The relying party's pushed request is a conformant, verifiable request token",
    requirements: ['SHO-REQ-1', 'SHO-REQ-2', 'SHO-JWS-18', 'SHO-FLOW-5', 'SHO-FLOW-8'],
    level: 'MUST', kind: 'happy', action: LINK, expected: { result: 'accepted' }, checkRequest: true,
  },
  {
    id: 'verifier-jwks-cached',
    title: 'A second assertion from the same key does not fetch the key set again',
    requirements: ['SHO-FETCH-8'],
    level: 'MUST', kind: 'jwks', action: LINK, before: 1, expected: { result: 'accepted' }, observe: ['no-jwks-fetch'],
  },

  // ── header: alg ──────────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-alg-none',
    title: 'alg "none" with an empty signature is rejected',
    requirements: ['SHO-JWS-6', 'SHO-JWS-1'],
    level: 'MUST', kind: 'header', action: LINK,
    expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED', alternatives: ['MALFORMED_TOKEN'] },
    mutation: (m) => compact(segment({ ...m.header, alg: 'none' }), segment(m.claims), ''),
  },
  {
    id: 'verifier-alg-none-capitalised',
    title: 'alg "None" with a signature is rejected',
    requirements: ['SHO-JWS-6'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED' },
    mutation: (m) => withHeader(m, (h) => { h.alg = 'None'; }),
  },
  {
    id: 'verifier-alg-none-with-signature',
    title: 'alg "none" carrying a valid ES256 signature is rejected',
    requirements: ['SHO-JWS-6'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED' },
    mutation: (m) => withHeader(m, (h) => { h.alg = 'none'; }),
  },
  {
    id: 'verifier-alg-hs256-public-key',
    title: "HS256 keyed with the issuer's public key (algorithm confusion) is rejected",
    requirements: ['SHO-JWS-6', 'SHO-JWS-22'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED' },
    mutation: async (m) => {
      const h = segment({ ...m.header, alg: 'HS256' });
      const p = segment(m.claims);
      return compact(h, p, await signHs256(`${h}.${p}`, new TextEncoder().encode(spkiPem(m.keys.bank))));
    },
  },
  {
    id: 'verifier-alg-lowercase',
    title: 'alg "es256" (case changed) is rejected',
    requirements: ['SHO-JWS-6'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'ALG_NOT_ALLOWED' },
    mutation: (m) => withHeader(m, (h) => { h.alg = 'es256'; }),
  },

  // ── signature ───────────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-ecdsa-zero-signature',
    title: 'An ES256 signature with r = s = 0 is rejected',
    requirements: ['SHO-JWS-12'],
    level: 'MUST', kind: 'signature', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => withSignature(m, () => scalarSignature(0n)),
  },
  {
    id: 'verifier-ecdsa-scalars-equal-order',
    title: 'An ES256 signature with r = s = n (the group order) is rejected',
    requirements: ['SHO-JWS-12'],
    level: 'MUST', kind: 'signature', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => withSignature(m, () => scalarSignature(P256_ORDER)),
  },
  {
    id: 'verifier-ecdsa-high-s',
    title: 'A valid high-S ES256 signature is accepted',
    requirements: ['SHO-JWS-13'],
    level: 'MUST', kind: 'signature', action: LINK, expected: { result: 'accepted' },
    mutation: (m) => withSignature(m, toHighS),
  },
  {
    id: 'verifier-signature-truncated',
    title: 'An ES256 signature shortened to 63 octets is rejected',
    requirements: ['SHO-JWS-11'],
    level: 'MUST', kind: 'signature', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => withSignature(m, (signature) => signature.subarray(0, 63)),
  },
  {
    id: 'verifier-signature-extra-octet',
    title: 'An ES256 signature padded to 65 octets is rejected',
    requirements: ['SHO-JWS-11'],
    level: 'MUST', kind: 'signature', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => withSignature(m, (signature) => Uint8Array.from([...signature, 0])),
  },
  {
    id: 'verifier-signature-der',
    title: 'A valid ES256 signature in DER encoding is rejected',
    requirements: ['SHO-JWS-11'],
    level: 'MUST', kind: 'signature', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => withSignature(m, joseToDer),
  },
  {
    id: 'verifier-signature-base64-padding',
    title: 'A signature segment with "=" padding is rejected',
    requirements: ['SHO-JWS-3'],
    level: 'MUST', kind: 'encoding', action: LINK,
    expected: { result: 'rejected', code: 'MALFORMED_TOKEN', alternatives: ['SIGNATURE_INVALID'] },
    mutation: (m) => withSignature(m, (signature) => padded(encodeBase64url(signature))),
  },
  {
    id: 'verifier-signature-wrong-key',
    title: "A token signed by another key under the bank's kid is rejected",
    requirements: ['SHO-JWS-20'],
    level: 'MUST', kind: 'signature', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => m.sign(m.header, m.claims, m.keys.attacker),
  },
  {
    id: 'verifier-signature-payload-modified',
    title: 'A payload changed after signing is rejected',
    requirements: ['SHO-JWS-17', 'SHO-JWS-20'],
    level: 'MUST', kind: 'signature', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => {
      const signed = m.sign();
      const [h, , s] = signed.split('.');
      return compact(h as string, segment({ ...m.claims, aal: 'aal3', exp: (m.claims.exp as number) + 60 }), s as string);
    },
  },

  // ── header: keys named by the token ─────────────────────────────────────────────────────────────
  {
    id: 'verifier-header-jwk-attacker',
    title: 'An embedded "jwk" header naming an attacker key is not used',
    requirements: ['SHO-JWS-10', 'SHO-ROLE-7'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' },
    mutation: (m) => withHeader(m, (h) => { h.jwk = m.keys.attacker.publicJwk; }, m.keys.attacker),
  },
  {
    id: 'verifier-header-jku-attacker',
    title: 'A "jku" header pointing at an attacker key set is neither fetched nor used',
    requirements: ['SHO-JWS-10', 'SHO-ROLE-7'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' }, observe: ['no-attacker-fetch'],
    mutation: (m) => withHeader(m, (h) => { h.jku = m.urls.attackerJwks; }, m.keys.attacker),
  },
  {
    id: 'verifier-header-x5u-attacker',
    title: 'An "x5u" header pointing at an attacker certificate is neither fetched nor used',
    requirements: ['SHO-JWS-10', 'SHO-ROLE-7'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'SIGNATURE_INVALID' }, observe: ['no-attacker-fetch'],
    mutation: (m) => withHeader(m, (h) => { h.x5u = m.urls.x5u; }, m.keys.attacker),
  },
  {
    id: 'verifier-crit-unknown',
    title: 'A validly signed token with an unknown critical header is rejected',
    requirements: ['SHO-JWS-9'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'CRIT_UNSUPPORTED' },
    mutation: (m) => withHeader(m, (h) => { h.crit = ['x-shomei-test']; h['x-shomei-test'] = true; }),
  },
  {
    id: 'verifier-crit-b64-false',
    title: 'A validly signed token declaring b64: false (RFC 7797) is rejected',
    requirements: ['SHO-JWS-9'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'CRIT_UNSUPPORTED' },
    mutation: (m) => withHeader(m, (h) => { h.b64 = false; h.crit = ['b64']; }),
  },
  {
    id: 'verifier-header-cty',
    title: 'A token declaring nested content (cty) is rejected',
    requirements: ['SHO-JWS-21'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
    mutation: (m) => withHeader(m, (h) => { h.cty = 'JWT'; }),
  },
  {
    id: 'verifier-kid-missing',
    title: 'A token without kid is rejected',
    requirements: ['SHO-JWS-7'],
    level: 'MUST', kind: 'header', action: LINK, expected: { result: 'rejected', code: 'KID_MISSING' },
    mutation: (m) => withHeader(m, (h) => { delete h.kid; }),
  },
  {
    id: 'verifier-kid-unknown',
    title: 'A kid the bank does not publish is rejected after at most one key-set request',
    requirements: ['SHO-JWS-7', 'SHO-FETCH-9'],
    level: 'MUST', kind: 'jwks', action: LINK, jwks: 'unpublished', observe: ['at-most-one-jwks-fetch'],
    expected: { result: 'rejected', code: 'KEY_NOT_FOUND' },
    mutation: (m) => withHeader(m, (h) => { h.kid = m.keys.fresh.kid; }, m.keys.fresh),
  },

  // ── typ and kinds ───────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-typ-missing',
    title: 'A token without typ is rejected',
    requirements: ['SHO-JWS-8'],
    level: 'MUST', kind: 'typ', action: LINK, expected: { result: 'rejected', code: 'TYP_MISMATCH' },
    mutation: (m) => withHeader(m, (h) => { delete h.typ; }),
  },
  {
    id: 'verifier-typ-jwt',
    title: 'typ "JWT" is rejected',
    requirements: ['SHO-KIND-2'],
    level: 'MUST', kind: 'typ', action: LINK, expected: { result: 'rejected', code: 'TYP_MISMATCH' },
    mutation: (m) => withHeader(m, (h) => { h.typ = 'JWT'; }),
  },
  {
    id: 'verifier-typ-case-changed',
    title: 'typ in upper case is rejected',
    requirements: ['SHO-KIND-2'],
    level: 'MUST', kind: 'typ', action: LINK, expected: { result: 'rejected', code: 'TYP_MISMATCH' },
    mutation: (m) => withHeader(m, (h) => { h.typ = String(h.typ).toUpperCase(); }),
  },
  {
    id: 'verifier-typ-application-prefix',
    title: 'typ with an "application/" prefix is rejected',
    requirements: ['SHO-KIND-2'],
    level: 'MUST', kind: 'typ', action: LINK, expected: { result: 'rejected', code: 'TYP_MISMATCH' },
    mutation: (m) => withHeader(m, (h) => { h.typ = `application/${String(h.typ)}`; }),
  },
  ...(['transaction', 'request', 'identity'] as const).map((other): VerifierModule => ({
    id: `verifier-kind-${other}-as-link`,
    title: `A genuine ${other} token presented where a link assertion is expected is rejected`,
    requirements: ['SHO-KIND-2'],
    level: 'MUST', kind: 'typ', action: LINK, expected: { result: 'rejected', code: 'TYP_MISMATCH' },
    ...(other === 'transaction' ? { bank: { responseKind: 'transaction' as const } } : {}),
    mutation: async (m) => {
      const draft = await m.other(other);
      return m.sign(draft.header, draft.claims);
    },
  })),
  ...(['link', 'request', 'identity'] as const).map((other): VerifierModule => ({
    id: `verifier-kind-${other}-as-transaction`,
    title: `A genuine ${other} token presented where a transaction assertion is expected is rejected`,
    requirements: ['SHO-KIND-2'],
    level: 'MUST', kind: 'typ', action: PAYOUT, expected: { result: 'rejected', code: 'TYP_MISMATCH' },
    ...(other === 'link' ? { bank: { responseKind: 'link' as const } } : {}),
    mutation: async (m) => {
      const draft = await m.other(other);
      return m.sign(draft.header, draft.claims);
    },
  })),
  {
    id: 'verifier-kind-transaction-claims-as-link',
    title: 'Transaction claims under the link typ are rejected by the link schema',
    requirements: ['SHO-KIND-4'],
    level: 'MUST', kind: 'typ', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: async (m) => {
      const draft = await m.other('transaction');
      return m.sign(m.header, draft.claims);
    },
  },
  {
    id: 'verifier-kind-link-claims-as-transaction',
    title: 'Link claims under the transaction typ are rejected by the transaction schema',
    requirements: ['SHO-KIND-4'],
    level: 'MUST', kind: 'typ', action: PAYOUT, expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: async (m) => {
      const draft = await m.other('link');
      return m.sign(m.header, draft.claims);
    },
  },

  // ── audience and issuer ─────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-aud-wrong',
    title: 'An assertion for another relying party is rejected',
    requirements: ['SHO-CLM-2', 'SHO-LINK-3'],
    level: 'MUST', kind: 'claims', action: LINK, expected: { result: 'rejected', code: 'AUDIENCE_MISMATCH' },
    mutation: (m) => withClaims(m, (c) => { c.aud = 'https://other-rp.example'; }),
  },
  {
    id: 'verifier-aud-missing',
    title: 'An assertion without aud is rejected',
    requirements: ['SHO-CLM-2'],
    level: 'MUST', kind: 'claims', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID', alternatives: ['AUDIENCE_MISMATCH'] },
    mutation: (m) => withClaims(m, (c) => { delete c.aud; }),
  },
  {
    id: 'verifier-aud-array',
    title: 'A multi-valued aud that contains the relying party is rejected',
    requirements: ['SHO-CLM-2'],
    level: 'MUST', kind: 'claims', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID', alternatives: ['AUDIENCE_MISMATCH'] },
    mutation: (m) => withClaims(m, (c) => { c.aud = [c.aud, 'https://other-rp.example']; }),
  },
  {
    id: 'verifier-iss-wrong',
    title: "An assertion naming another issuer, signed with the bank's key, is rejected",
    requirements: ['SHO-VER-3', 'SHO-FETCH-13'],
    level: 'MUST', kind: 'claims', action: LINK, expected: { result: 'rejected', code: 'ISSUER_UNKNOWN', alternatives: ['ISSUER_MISMATCH'] },
    mutation: (m) => withClaims(m, (c) => { c.iss = 'https://other-bank.example'; }),
  },

  // ── time ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-exp-passed',
    title: 'An expired assertion is rejected',
    requirements: ['SHO-CLM-4'],
    level: 'MUST', kind: 'time', action: LINK, expected: { result: 'rejected', code: 'TOKEN_EXPIRED' },
    mutation: (m) => withClaims(m, (c) => { c.iat = m.now - 200; c.exp = m.now - 80; c.auth_time = m.now - 230; }),
  },
  {
    id: 'verifier-nbf-future',
    title: 'An assertion not valid before two minutes from now is rejected',
    requirements: ['SHO-CLM-5'],
    level: 'MUST', kind: 'time', action: LINK, expected: { result: 'rejected', code: 'TOKEN_NOT_YET_VALID' },
    mutation: (m) => withClaims(m, (c) => { c.nbf = m.now + 120; }),
  },
  {
    id: 'verifier-iat-future',
    title: 'An assertion issued two minutes in the future is rejected',
    requirements: ['SHO-CLM-6'],
    level: 'MUST', kind: 'time', action: LINK, expected: { result: 'rejected', code: 'IAT_IN_FUTURE' },
    mutation: (m) => withClaims(m, (c) => { c.iat = m.now + 120; c.exp = m.now + 240; }),
  },
  {
    id: 'verifier-lifetime-too-long',
    title: 'A link assertion living 301 s (maximum 300 s) is rejected',
    requirements: ['SHO-KIND-3', 'SHO-LINK-13'],
    level: 'MUST', kind: 'time', action: LINK, expected: { result: 'rejected', code: 'LIFETIME_EXCEEDED' },
    mutation: (m) => withClaims(m, (c) => { c.exp = (c.iat as number) + 301; }),
  },
  {
    id: 'verifier-lifetime-too-long-transaction',
    title: 'A transaction assertion living 121 s (maximum 120 s) is rejected',
    requirements: ['SHO-KIND-3', 'SHO-TXN-10'],
    level: 'MUST', kind: 'time', action: PAYOUT, expected: { result: 'rejected', code: 'LIFETIME_EXCEEDED' },
    mutation: (m) => withClaims(m, (c) => { c.exp = (c.iat as number) + 121; }),
  },
  {
    id: 'verifier-exp-string',
    title: 'exp written as a string is rejected',
    requirements: ['SHO-CLM-3'],
    level: 'MUST', kind: 'time', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { c.exp = String(c.exp); }),
  },
  {
    id: 'verifier-exp-float',
    title: 'exp with a fraction is rejected',
    requirements: ['SHO-CLM-3'],
    level: 'MUST', kind: 'time', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { c.exp = (c.exp as number) + 0.5; }),
  },
  {
    id: 'verifier-iat-string',
    title: 'iat written as a string is rejected',
    requirements: ['SHO-CLM-3'],
    level: 'MUST', kind: 'time', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { c.iat = String(c.iat); }),
  },
  {
    id: 'verifier-exp-missing',
    title: 'An assertion without exp is rejected',
    requirements: ['SHO-CLM-3'],
    level: 'MUST', kind: 'time', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { delete c.exp; }),
  },
  {
    id: 'verifier-jti-missing',
    title: 'An assertion without jti is rejected',
    requirements: ['SHO-CLM-8'],
    level: 'MUST', kind: 'claims', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID' },
    mutation: (m) => withClaims(m, (c) => { delete c.jti; }),
  },

  // ── binding ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-nonce-mismatch',
    title: "An assertion with another flow's nonce is rejected",
    requirements: ['SHO-BIND-4', 'SHO-LINK-4'],
    level: 'MUST', kind: 'binding', action: LINK, expected: { result: 'rejected', code: 'NONCE_MISMATCH' },
    mutation: (m) => withClaims(m, (c) => { c.nonce = 'Zm9yZ2VkLW5vbmNlLTAwMDAwMDA'; }),
  },
  {
    id: 'verifier-nonce-missing',
    title: 'An assertion without nonce is rejected',
    requirements: ['SHO-CLM-10', 'SHO-BIND-4'],
    level: 'MUST', kind: 'binding', action: LINK, expected: { result: 'rejected', code: 'CLAIMS_INVALID', alternatives: ['NONCE_MISMATCH'] },
    mutation: (m) => withClaims(m, (c) => { delete c.nonce; }),
  },
  {
    id: 'verifier-req-hash-mismatch',
    title: 'An assertion answering another request (req_hash) is rejected',
    requirements: ['SHO-BIND-3'],
    level: 'MUST', kind: 'binding', action: LINK, expected: { result: 'rejected', code: 'REQUEST_MISMATCH' },
    mutation: async (m) => {
      m.claims.req_hash = await m.hash('another request');
      return m.sign();
    },
  },
  {
    id: 'verifier-action-mismatch',
    title: 'A link assertion for another action than requested is rejected',
    requirements: ['SHO-LINK-5'],
    level: 'MUST', kind: 'binding', action: LINK, expected: { result: 'rejected', code: 'REQUEST_MISMATCH' },
    mutation: async (m) => {
      m.claims.action = 'payout_destination_change';
      m.claims.transaction_hash = await m.hash({ action: m.claims.action, account: m.claims.account });
      return m.sign();
    },
  },
  {
    id: 'verifier-account-mismatch',
    title: 'A link assertion for another account than the customer entered is rejected',
    requirements: ['SHO-LINK-7', 'SHO-BIND-6'],
    level: 'MUST', kind: 'binding', action: LINK, expected: { result: 'rejected', code: 'ACCOUNT_MISMATCH' },
    mutation: withOtherAccount,
  },
  {
    id: 'verifier-link-hash-mismatch',
    title: 'A link assertion whose transaction_hash is not the hash of its action and account is rejected',
    requirements: ['SHO-LINK-8', 'SHO-BIND-5'],
    level: 'MUST', kind: 'binding', action: LINK, expected: { result: 'rejected', code: 'TRANSACTION_MISMATCH' },
    mutation: async (m) => {
      m.claims.transaction_hash = await m.hash({ action: m.claims.action, account: { ...(m.claims.account as object), number: '0000001' } });
      return m.sign();
    },
  },
  ...([
    ['amount', 'the amount', (t: Record<string, unknown>) => { t.amount = { ...(t.amount as object), value: String(BigInt((t.amount as { value: string }).value) * 10n) }; }],
    ['currency', 'the currency', (t: Record<string, unknown>) => { t.amount = { ...(t.amount as object), currency: (t.amount as { currency: string }).currency === 'USD' ? 'EUR' : 'USD' }; }],
    ['payee', 'the payee', (t: Record<string, unknown>) => {
      const payee = { ...(t.payee as Record<string, string>) };
      payee.number = payee.number === '7654321' ? '1234567' : '7654321';
      t.payee = payee;
    }],
  ] as const).flatMap(([name, words, change]): VerifierModule[] => [
    {
      id: `verifier-txn-${name}-changed`,
      title: `A transaction assertion whose ${name} was changed after its transaction_hash was computed is rejected`,
      requirements: ['SHO-BIND-5', 'SHO-TXN-4'],
      level: 'MUST', kind: 'binding', action: PAYOUT, expected: { result: 'rejected', code: 'TRANSACTION_MISMATCH' },
      mutation: (m) => changeTransaction(m, change, true),
    },
    {
      id: `verifier-txn-${name}-differs`,
      title: `A consistent transaction assertion for ${words} the relying party did not request is rejected`,
      requirements: ['SHO-TXN-3', 'SHO-BIND-6'],
      level: 'MUST', kind: 'binding', action: PAYOUT, expected: { result: 'rejected', code: 'TRANSACTION_MISMATCH' },
      mutation: (m) => changeTransaction(m, change, false),
    },
  ]),

  // ── replay ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-jti-replayed',
    title: 'A second assertion reusing an accepted jti is rejected',
    requirements: ['SHO-REPLAY-1', 'SHO-BIND-10'],
    level: 'MUST', kind: 'replay', action: LINK, before: 1, expected: { result: 'rejected', code: 'REPLAYED' },
    mutation: (m) => withClaims(m, (c) => { c.jti = m.previous[0]?.jti; }),
  },

  // ── policy ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-policy-ial-too-low',
    title: "KYC below the policy's minimum IAL is denied",
    requirements: ['SHO-POL-5'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'IAL_TOO_LOW' },
    applies: needsRule('min_ial above ial1', (info) => ['ial2', 'ial3'].includes(rule(info, LINK)?.min_ial ?? '')),
    mutation: (m) => withClaims(m, (c) => { verification(c).assurance_level = m.rule?.min_ial === 'ial3' ? 'ial2' : 'ial1'; }),
  },
  {
    id: 'verifier-policy-proofing-method',
    title: 'KYC by a proofing method the policy does not allow is denied',
    requirements: ['SHO-POL-7'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'PROOFING_METHOD_NOT_ALLOWED' },
    applies: needsRule('proofing_methods', (info) => rule(info, LINK)?.proofing_methods !== undefined),
    mutation: (m) => withClaims(m, (c) => {
      const allowed = new Set(m.rule?.proofing_methods?.map((method) => method.procedure));
      const code = JP_AML_CODES.find((candidate) => !allowed.has(`jp_aml.r6_1_1.${candidate}`));
      if (code === undefined) return m.skip('the policy allows every proofing method the suite knows');
      (verification(c).assurance_process as Record<string, unknown>).procedure = `jp_aml.r6_1_1.${code}`;
    }),
  },
  {
    id: 'verifier-policy-kyc-too-old',
    title: "KYC older than the policy's maximum KYC age is denied",
    requirements: ['SHO-POL-8'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'KYC_TOO_OLD' },
    applies: needsRule('max_kyc_age_days', (info) => rule(info, LINK)?.max_kyc_age_days !== undefined),
    mutation: (m) => withClaims(m, (c) => {
      const days = (m.rule?.max_kyc_age_days ?? 0) + 30;
      verification(c).time = new Date((m.now - days * 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }),
  },
  {
    id: 'verifier-policy-kyc-too-recent',
    title: "KYC by a method younger than the policy's minimum age for it is denied",
    requirements: ['SHO-POL-7'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'PROOFING_METHOD_NOT_ALLOWED' },
    applies: needsRule('proofing method with min_age_days', (info) => (rule(info, LINK)?.proofing_methods ?? []).some((method) => (method.min_age_days ?? 0) > 0)),
    mutation: (m) => withClaims(m, (c) => {
      const method = m.rule?.proofing_methods?.find((candidate) => (candidate.min_age_days ?? 0) > 0);
      if (method === undefined) return m.skip('no proofing method with a minimum age');
      const v = verification(c);
      (v.assurance_process as Record<string, unknown>).procedure = method.procedure;
      v.time = new Date((m.now - 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const check = method.check_methods?.[0];
      if (check !== undefined) v.evidence = [{ type: 'document', check_details: [{ check_method: check }], document_details: { type: 'jp_drivers_license' } }];
    }),
  },
  {
    id: 'verifier-policy-aal-too-low',
    title: "Authentication below the policy's minimum AAL is denied",
    requirements: ['SHO-POL-10'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'AAL_TOO_LOW', alternatives: ['FACTOR_NOT_COUNTED'] },
    applies: needsRule('min_aal above aal1', (info) => ['aal2', 'aal3'].includes(rule(info, LINK)?.min_aal ?? '')),
    mutation: (m) => withClaims(m, (c) => { c.amr = ['hwk']; c.aal = 'aal1'; c.phishing_resistant = true; delete c.acr; }),
  },
  {
    id: 'verifier-policy-phishing-resistance',
    title: 'Authentication that is not phishing-resistant is denied where the policy requires it',
    requirements: ['SHO-POL-12'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'PHISHING_RESISTANCE_REQUIRED' },
    applies: needsRule('phishing_resistant: always', (info) => rule(info, LINK)?.phishing_resistant === 'always'),
    mutation: (m) => withClaims(m, (c) => { c.amr = ['pwd', 'otp']; c.aal = 'aal2'; c.phishing_resistant = false; delete c.acr; }),
  },
  {
    id: 'verifier-policy-auth-too-old',
    title: "Authentication older than the policy's maximum age is denied",
    requirements: ['SHO-POL-13'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'AUTH_TOO_OLD' },
    applies: needsRule('max_auth_age_seconds', (info) => rule(info, LINK)?.max_auth_age_seconds !== undefined),
    mutation: (m) => withClaims(m, (c) => { c.auth_time = m.now - (m.rule?.max_auth_age_seconds ?? 0) - 60; }),
  },
  {
    id: 'verifier-policy-cashcard-pin-not-a-factor',
    title: 'A cash-card PIN and a birthdate claimed as AAL2 are not counted (the 2020 direct-debit attacks)',
    requirements: ['SHO-AUTH-8', 'SHO-POL-11'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'FACTOR_NOT_COUNTED', alternatives: ['AAL_TOO_LOW', 'CLAIMS_INVALID'] },
    applies: needsRule('min_aal above aal1', (info) => ['aal2', 'aal3'].includes(rule(info, LINK)?.min_aal ?? '')),
    mutation: (m) => withClaims(m, (c) => { c.amr = ['x-jp-cashcard-pin', 'x-jp-birthdate']; c.aal = 'aal2'; c.phishing_resistant = false; delete c.acr; }),
  },
  {
    id: 'verifier-identity-no-match',
    title: 'An identity attribute reported as no_match is denied',
    requirements: ['SHO-POL-14', 'SHO-MATCH-20'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'rejected', code: 'IDENTITY_NO_MATCH' },
    applies: needsRule('identity_match', (info) => rule(info, LINK)?.identity_match !== undefined),
    mutation: (m) => {
      const attribute = firstAttribute(m);
      return withClaims(m, (c) => { (c.identity_match as Record<string, string>)[attribute] = 'no_match'; });
    },
  },
  {
    id: 'verifier-identity-close-match',
    title: 'An identity attribute reported as close_match goes to review',
    requirements: ['SHO-POL-14', 'SHO-ERR-2'],
    level: 'MUST', kind: 'policy', action: LINK, expected: { result: 'review', code: 'IDENTITY_CLOSE_MATCH' },
    applies: needsRule('identity_match with close_match: review', (info) => {
      const match = rule(info, LINK)?.identity_match;
      return match !== undefined && (match.close_match ?? 'review') === 'review';
    }),
    mutation: (m) => {
      const attribute = firstAttribute(m);
      return withClaims(m, (c) => { (c.identity_match as Record<string, string>)[attribute] = 'close_match'; });
    },
  },

  // ── key sets ───────────────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-key-rotation',
    title: "A new key that appears in the bank's key set is fetched once and accepted",
    requirements: ['SHO-FETCH-9', 'SHO-KEY-9'],
    level: 'MUST', kind: 'jwks', action: LINK, jwks: 'rotate', observe: ['one-jwks-fetch'], expected: { result: 'accepted' },
    mutation: (m) => withHeader(m, (h) => { h.kid = m.keys.fresh.kid; }, m.keys.fresh),
  },
  ...([
    ['down', 'the key-set endpoint answers 503', ['SHO-FETCH-3', 'SHO-FETCH-10']],
    ['slow', "the key-set endpoint answers after the partner's own timeout", ['SHO-FETCH-6', 'SHO-FETCH-10']],
    ['oversized', "the key set is larger than the partner's size limit", ['SHO-FETCH-5']],
    ['html', 'the key set is served as text/html', ['SHO-FETCH-4']],
    ['redirect', 'the key-set endpoint redirects to a copy elsewhere', ['SHO-FETCH-2']],
    ['private-member', 'the new key is published with its private member d', ['SHO-KEY-6', 'SHO-FETCH-7']],
  ] as const).map(([scenario, words, requirements]): VerifierModule => ({
    id: `verifier-jwks-${scenario}`,
    title: `A token from a new key is rejected when ${words}`,
    requirements,
    level: 'MUST', kind: 'jwks', action: LINK, jwks: scenario, observe: ['at-most-one-jwks-fetch'],
    expected: { result: 'rejected', code: 'KEYS_UNAVAILABLE', alternatives: ['FETCH_FAILED', 'JWKS_INVALID', 'KEY_NOT_FOUND'] },
    mutation: (m) => withHeader(m, (h) => { h.kid = m.keys.fresh.kid; }, m.keys.fresh),
  })),
  {
    id: 'verifier-jwks-off-curve',
    title: 'A key set containing an off-curve P-256 key is refused as a whole',
    requirements: ['SHO-FETCH-7'],
    level: 'MUST', kind: 'jwks', action: LINK, jwks: 'off-curve', observe: ['at-most-one-jwks-fetch'],
    expected: { result: 'rejected', code: 'JWKS_INVALID', alternatives: ['KEYS_UNAVAILABLE', 'KEY_INVALID'], strictCode: true },
    mutation: (m) => withHeader(m, (h) => { h.kid = m.keys.offCurve.kid; }, m.keys.fresh),
  },

  // ── size and encoding ──────────────────────────────────────────────────────────────────────────
  {
    id: 'verifier-token-oversized',
    title: "A validly signed token over the partner's size limit is rejected before parsing",
    requirements: ['SHO-JWS-2'],
    level: 'MUST', kind: 'encoding', action: LINK, expected: { result: 'rejected', code: 'TOKEN_TOO_LARGE' },
    mutation: (m) => withClaims(m, (c) => { c.x_padding = 'A'.repeat(m.info.max_token_bytes); }),
  },
  {
    id: 'verifier-json-duplicate-claim',
    title: 'A payload with a duplicate member (aud twice) is rejected',
    requirements: ['SHO-JWS-5'],
    level: 'MUST', kind: 'encoding', action: LINK, expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
    mutation: (m) => m.sign(m.header, `{"aud":"https://other-rp.example",${JSON.stringify(m.claims).slice(1)}`),
  },
  {
    id: 'verifier-json-duplicate-header',
    title: 'A header with a duplicate member (alg twice) is rejected',
    requirements: ['SHO-JWS-5'],
    level: 'MUST', kind: 'encoding', action: LINK, expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
    mutation: (m) => m.sign(`{"alg":"none",${JSON.stringify(m.header).slice(1)}`, m.claims),
  },
  {
    id: 'verifier-base64url-non-canonical',
    title: 'A payload segment in non-canonical base64url (non-zero unused bits), signed as sent, is rejected',
    requirements: ['SHO-JWS-3'],
    level: 'MUST', kind: 'encoding', action: LINK, expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
    mutation: (m) => {
      const claims = withUnusedBits(m.claims, segment);
      const h = segment(m.header);
      const p = nonCanonical(segment(claims)) as string;
      return compact(h, p, signEs256(`${h}.${p}`, m.keys.bank));
    },
  },
  {
    id: 'verifier-base64url-padding',
    title: 'A payload segment with "=" padding, signed as sent, is rejected',
    requirements: ['SHO-JWS-3'],
    level: 'MUST', kind: 'encoding', action: LINK, expected: { result: 'rejected', code: 'MALFORMED_TOKEN' },
    mutation: (m) => {
      const claims = withUnusedBits(m.claims, segment);
      const h = segment(m.header);
      const p = padded(segment(claims));
      return compact(h, p, signEs256(`${h}.${p}`, m.keys.bank));
    },
  },

  // ── the flow around the token ──────────────────────────────────────────────────────────────────
  {
    id: 'verifier-flow-state-mismatch',
    title: "A redirect with another flow's state is not exchanged",
    requirements: ['SHO-FLOW-11'],
    level: 'MUST', kind: 'flow', action: LINK, bank: { redirect: 'wrong-state' }, observe: ['no-exchange'], silentIsRejection: true,
    expected: { result: 'rejected', code: 'REQUEST_MISMATCH' },
  },
  {
    id: 'verifier-flow-iss-mismatch',
    title: 'A redirect naming another bank as iss is not exchanged',
    requirements: ['SHO-FLOW-11'],
    level: 'MUST', kind: 'flow', action: LINK, bank: { redirect: 'wrong-iss' }, observe: ['no-exchange'], silentIsRejection: true,
    expected: { result: 'rejected', code: 'REQUEST_MISMATCH' },
  },
  {
    id: 'verifier-flow-error-redirect',
    title: 'A redirect with error=ISSUANCE_REFUSED ends the flow as refused',
    requirements: ['SHO-FLOW-10'],
    level: 'MUST', kind: 'flow', action: LINK, bank: { redirect: 'error' }, observe: ['no-exchange'],
    expected: { result: 'rejected', code: 'ISSUANCE_REFUSED' },
  },
  {
    id: 'verifier-flow-kind-from-request',
    title: "The assertion is verified as the kind the request implies, whatever the exchange answer's kind says",
    requirements: ['SHO-FLOW-15'],
    level: 'MUST', kind: 'flow', action: LINK, bank: { responseKind: 'transaction' }, expected: { result: 'accepted' },
  },
];
