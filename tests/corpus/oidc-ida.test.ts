import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VerifiedClaims } from '../../src/claims/verified-claims.js';

// The OpenID eKYC & IDA working group's own examples, read in place (../shared/corpora/oidc-ida).
const corpus = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpora', 'oidc-ida');

/** Every `verified_claims` in a payload: top level, and inside aggregated-claims JWTs under `_claim_sources`. */
function verifiedClaimsIn(payload: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  if ('verified_claims' in payload) found.push(payload.verified_claims);
  const sources = payload._claim_sources as Record<string, { JWT?: string }> | undefined;
  for (const source of Object.values(sources ?? {})) {
    if (typeof source.JWT !== 'string') continue;
    const body = source.JWT.split('.')[1];
    if (body === undefined) continue;
    found.push(...verifiedClaimsIn(JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))));
  }
  return found;
}

function read(folder: string): Array<[string, Record<string, unknown>]> {
  return readdirSync(join(corpus, folder))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => [name, JSON.parse(readFileSync(join(corpus, folder, name), 'utf8'))]);
}

describe('SHO-KYC-1: verified_claims follows OpenID Identity Assurance (working-group corpus)', () => {
  const responses = read('response');
  const all = responses.flatMap(([name, payload]) => verifiedClaimsIn(payload).map((claims, index) => [`${name}#${index}`, claims] as const));

  it('reads the 30 verified_claims the corpus README counts', () => {
    const elements = all.reduce((count, [, claims]) => count + (Array.isArray(claims) ? claims.length : 1), 0);
    expect(elements).toBe(30);
  });

  it.each(all)('accepts response/%s', (_name, claims) => {
    const result = VerifiedClaims.safeParse(claims);
    expect(result.success, result.success ? '' : JSON.stringify(result.error.issues.map((issue) => issue.path))).toBe(true);
  });

  it.each(read('fail_cases'))('rejects fail_cases/%s', (_name, payload) => {
    expect(VerifiedClaims.safeParse(payload.verified_claims).success).toBe(false);
  });
});
