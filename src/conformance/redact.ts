import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBase64url } from '../encoding/base64url.js';
import { encodeUtf8 } from '../encoding/utf8.js';

/**
 * Runs of base64url characters and dots: candidates for a compact JWS. A single character class keeps
 * the match linear, whatever a hostile partner sends.
 */
const CANDIDATE = /[A-Za-z0-9_=.-]+/g;

/** Three or five segments whose first one encodes a JSON object (base64url of `{` starts with `e`). */
function looksLikeJws(run: string): boolean {
  const parts = run.split('.');
  return (parts.length === 3 || parts.length === 5) && (parts[0] as string).length >= 8 && (parts[0] as string).startsWith('e');
}

/**
 * Members whose values are personal data or secrets that let someone act in a flow: replaced as a
 * whole (STYLE.md rule 3, SHO-ERR-3). `verified_claims`, `identity` and `account` are objects of
 * personal data; `code`, `nonce`, `state`, `request_uri` are one-time secrets of a flow; `sub` is a
 * customer identifier; `d` and friends are private key members.
 */
const SECRET_MEMBERS: ReadonlySet<string> = new Set([
  'verified_claims', 'claims', 'identity', 'account', 'payee', 'sub', 'name', 'given_name', 'family_name',
  'family_name#ja-Kana-JP', 'given_name#ja-Kana-JP', 'name_kana', 'birthdate', 'address', 'number',
  'code', 'nonce', 'state', 'request_uri', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'customers',
]);

/** `sha256:<base64url>` of a token: identifies it in a log without revealing it (SHO-LOG-2 style). */
export function tokenHash(token: string): string {
  return `sha256:${encodeBase64url(sha256(encodeUtf8(token)))}`;
}

/** Replaces every compact JWS in `text` by its hash. */
export function redactText(text: string): string {
  return text.replace(CANDIDATE, (run) => (looksLikeJws(run) ? `<jws ${tokenHash(run)}>` : run));
}

/**
 * A copy of a JSON value fit for a shared log: tokens replaced by their hash, personal data and flow
 * secrets replaced by `[redacted]`, long strings shortened. Depth and size are bounded so that a
 * hostile partner body cannot blow up a report.
 *
 * @example redact({ assertion: 'eyJ…', kind: 'link' }) // { assertion: '<jws sha256:…>', kind: 'link' }
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') {
    // A redirect location carries the flow's code and state in its query.
    const text = /^https?:\/\/[^\s]*\?/.test(value) ? redactUrl(value) : redactText(value);
    return text.length > 300 ? `${text.slice(0, 120)}… (${text.length} characters)` : text;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((item) => redact(item, depth + 1));
    return value.length > 20 ? [...items, `… (${value.length} items)`] : items;
  }
  const out: Record<string, unknown> = {};
  let count = 0;
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    if (++count > 40) {
      out['…'] = 'more members';
      break;
    }
    out[key] = SECRET_MEMBERS.has(key) ? '[redacted]' : redact(member, depth + 1);
  }
  return out;
}

/**
 * A URL for a log: query parameters that carry flow secrets (`code`, `state`, `request_uri`, `nonce`)
 * are replaced; everything else is kept.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url);
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_MEMBERS.has(name)) parsed.searchParams.set(name, 'REDACTED');
  }
  return redactText(parsed.href);
}
