import { hashCanonical } from '../../canonical/digest.js';
import { authenticationProblems } from '../../claims/authentication-rules.js';
import { claimIssues } from '../../claims/issues.js';
import { decodeBase64url } from '../../encoding/base64url.js';
import { parseJsonObject } from '../../encoding/json.js';
import { decodeUtf8Strict } from '../../encoding/utf8.js';
import { decodePayload, MAX_CONFIGURABLE_TOKEN_BYTES, parseCompact } from '../../jws/compact.js';
import { ALGORITHMS } from '../../jws/algorithms.js';
import { KIND_DEFINITIONS, kindOfTyp } from '../../kinds/kind.js';
import { out, parse } from '../args.js';
import { readToken } from '../io.js';

export const INSPECT_USAGE = `shomei inspect <token|@file|-> [--json] [--reveal]
  Decodes a token WITHOUT verifying its signature, explains every claim and lints it against spec/.
  Personal data (names, birthdates, addresses, account numbers) is masked unless --reveal is given.`;

const EXPLAIN: Record<string, string> = {
  iss: 'issuer: who signed (RFC 7519 §4.1.1)',
  aud: 'audience: the one party that may accept it (RFC 7519 §4.1.3)',
  iat: 'issued at (RFC 7519 §4.1.6)',
  exp: 'expires at (RFC 7519 §4.1.4)',
  nbf: 'not before (RFC 7519 §4.1.5)',
  jti: 'token id, accepted once (RFC 7519 §4.1.7)',
  nonce: "the relying party's nonce, echoed (spec/10-binding.md)",
  sub: "the customer's pairwise identifier at the issuer",
  action: 'the operation authorised (spec/03-request.md)',
  redirect_uri: 'where the bank sends the customer back (spec/12-transport.md)',
  state: "the relying party's opaque state",
  client_name: 'display name of the relying party',
  account: 'Zengin account: bank, branch, type, number (spec/09-account.md)',
  transaction: 'transaction details shown to and approved by the customer (spec/05-transaction.md)',
  identity: "the relying party's data about the customer, for matching",
  requirements: 'the minimum assurance the relying party asks for',
  req_hash: 'SHA-256 of the request JWS this answers (spec/10-binding.md)',
  transaction_hash: 'SHA-256 of the RFC 8785 form of what is authorised (spec/10-binding.md)',
  verified_claims: 'OpenID Identity Assurance: how the customer was proofed (spec/07-kyc.md)',
  kyc_status: "'none': the issuer did no identity proofing",
  acr: 'authentication context class (OpenID Connect Core §2)',
  amr: 'authentication methods (RFC 8176 and spec/08-authentication.md)',
  auth_time: 'when the customer authenticated (OpenID Connect Core §2)',
  aal: 'authenticator assurance level (NIST SP 800-63B)',
  phishing_resistant: 'whether the authentication resisted phishing',
  identity_match: "the issuer's comparison of the relying party's data with its record (spec/09-account.md)",
  txn: "the issuer's audit identifier (RFC 8417 §2.2)",
};

const PERSONAL = new Set(['account', 'identity', 'verified_claims', 'transaction']);

/** `shomei inspect`: explains and lints a token without trusting it. Exit 0 when the lint is clean, 1 otherwise. */
export async function inspectCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, reveal: { type: 'boolean' } });
  const token = await readToken(positionals[0]);
  const findings: string[] = [];
  let header: Record<string, unknown> = {};
  let payload: Record<string, unknown> = {};
  try {
    const parsed = parseCompact(token, { maxLength: MAX_CONFIGURABLE_TOKEN_BYTES });
    header = parsed.header;
    payload = decodePayload(parsed);
  } catch (error) {
    findings.push(`${(error as { code?: string }).code ?? 'MALFORMED_TOKEN'}: ${(error as Error).message}`);
    // Still lint the header when it decodes: an `alg: none` token has an empty signature part.
    try {
      header = parseJsonObject(decodeUtf8Strict(decodeBase64url(token.split('.')[0] ?? '')));
    } catch {
      header = {};
    }
  }
  const kind = kindOfTyp(header.typ);
  if (Object.keys(header).length > 0) {
    if (kind === undefined) findings.push('TYP_MISMATCH: typ is not a shomei kind');
    if (!(ALGORITHMS as readonly unknown[]).includes(header.alg)) findings.push(`ALG_NOT_ALLOWED: alg must be one of ${ALGORITHMS.join(', ')}`);
    if (typeof header.kid !== 'string') findings.push('KID_MISSING: kid is required');
    if ('crit' in header || 'b64' in header) findings.push('CRIT_UNSUPPORTED: crit / b64 are refused');
    for (const name of ['jwk', 'jku', 'x5u', 'x5c']) if (name in header) findings.push(`note: header ${name} is ignored by shomei verifiers`);
  }
  if (kind !== undefined && Object.keys(payload).length > 0) {
    const definition = KIND_DEFINITIONS[kind];
    const checked = (definition.schema as unknown as { safeParse(value: unknown): { success: boolean; error?: Parameters<typeof claimIssues>[0] } }).safeParse(payload);
    if (!checked.success && checked.error !== undefined) for (const issue of claimIssues(checked.error)) findings.push(`CLAIMS_INVALID: ${issue.claim}: ${issue.message}`);
    if (typeof payload.exp === 'number' && typeof payload.iat === 'number' && payload.exp - payload.iat > definition.maxLifetime) {
      findings.push(`LIFETIME_EXCEEDED: exp − iat is ${payload.exp - payload.iat} s, the maximum for ${kind} is ${definition.maxLifetime} s`);
    }
    if (checked.success && 'amr' in payload) {
      for (const problem of authenticationProblems(payload as unknown as Parameters<typeof authenticationProblems>[0])) findings.push(`${problem.requirement}: ${problem.message}`);
    }
    if (checked.success && kind === 'transaction' && (await hashCanonical(payload.transaction)) !== payload.transaction_hash) {
      findings.push('TRANSACTION_MISMATCH: transaction_hash is not the hash of transaction');
    }
    if (checked.success && (kind === 'link' || kind === 'identity') && (await hashCanonical({ action: payload.action, account: payload.account })) !== payload.transaction_hash) {
      findings.push('TRANSACTION_MISMATCH: transaction_hash is not the hash of action and account');
    }
  }
  const shown = values.reveal === true ? payload : mask(payload);
  if (values.json === true) {
    out(JSON.stringify({ verified: false, kind: kind ?? null, header, claims: shown, findings }, null, 2));
  } else {
    out('NOT VERIFIED — decoded only; do not trust these contents.');
    out(`kind:   ${kind ?? 'unknown'}`);
    out(`header: ${JSON.stringify(header)}`);
    for (const [name, value] of Object.entries(shown)) {
      const time = typeof value === 'number' && ['iat', 'exp', 'nbf', 'auth_time'].includes(name) ? ` (${new Date(value * 1000).toISOString()})` : '';
      out(`  ${name}: ${JSON.stringify(value)}${time}\n      ${EXPLAIN[name] ?? 'not defined by spec/ (ignored by verifiers)'}`);
    }
    out(findings.length === 0 ? 'lint: no findings' : `lint: ${findings.length} finding(s)`);
    for (const finding of findings) out(`  ✗ ${finding}`);
  }
  return findings.length === 0 ? 0 : 1;
}

/**
 * Replaces the strings inside personal-data claims with their length, keeping the structure visible.
 * A value is shown only when its full path describes the process, not the person (a nested `name` or
 * `organization` under a voucher stays masked).
 */
function mask(payload: Record<string, unknown>): Record<string, unknown> {
  const hide = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return KEEP.some((pattern) => pattern.test(path)) ? value : `[masked ${[...value].length} chars]`;
    if (Array.isArray(value)) return value.map((item, index) => hide(item, `${path}.${index}`));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, hide(inner, `${path}.${key}`)]));
    return value;
  };
  return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, PERSONAL.has(name) ? hide(value, name) : value]));
}

// Full paths inside personal-data claims that describe the process, not the person.
const KEEP: readonly RegExp[] = [
  /^verified_claims(\.\d+)?\.verification\.(trust_framework|assurance_level|time|verification_process)$/,
  /^verified_claims(\.\d+)?\.verification\.assurance_process\.(policy|procedure)$/,
  /^verified_claims(\.\d+)?\.verification\.evidence\.\d+\.(type|check_details\.\d+\.(check_method|organization|time))$/,
  /^transaction\.(type|amount\.currency|amount\.value)$/,
  /^(account|transaction\.payee)\.(bank_code|branch_code|type)$/,
];
