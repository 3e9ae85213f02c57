import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUER_PLAN, TOOL_VERSION, VERIFIER_PLAN } from 'shomei/conformance';
import { renderConformanceReadme } from '../../spec/scripts/conformance-readme.js';
import { REPO_ROOT } from '../helpers/packed-package.js';

/** Requirement IDs defined in spec/*.md (a definition line starts with the bold ID). */
function definedIds(): Map<string, string> {
  const ids = new Map<string, string>();
  for (const file of readdirSync(join(REPO_ROOT, 'spec')).filter((name) => name.endsWith('.md'))) {
    for (const line of readFileSync(join(REPO_ROOT, 'spec', file), 'utf8').split('\n')) {
      const match = /^\*\*(SHO-[A-Z]+-\d+)\*\* \((MUST|SHOULD|MAY)\)/.exec(line);
      if (match !== null) ids.set(match[1] as string, match[2] as string);
    }
  }
  return ids;
}

describe('conformance module data', () => {
  const modules = [...VERIFIER_PLAN, ...ISSUER_PLAN];

  it('SHO-CONF-14: conformance/README.md is generated from the current module data', () => {
    const path = join(REPO_ROOT, 'conformance', 'README.md');
    expect(existsSync(path), 'run npx tsx spec/scripts/conformance-readme.ts').toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(renderConformanceReadme());
  });

  it('SHO-CONF-16: reports name the package version', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(TOOL_VERSION).toBe(pkg.version);
  });

  it('SHO-CONF-14: module ids are unique and stable in form', () => {
    const ids = modules.map((module) => module.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const module of VERIFIER_PLAN) expect(module.id).toMatch(/^verifier-[a-z0-9-]+$/);
    for (const module of ISSUER_PLAN) expect(module.id).toMatch(/^issuer-[a-z0-9-]+$/);
  });

  it('SHO-CONF-14: every module names requirements that spec/ defines, at the level the module claims', () => {
    const defined = definedIds();
    for (const module of modules) {
      expect(module.requirements.length, module.id).toBeGreaterThan(0);
      for (const id of module.requirements) expect(defined.has(id), `${module.id} cites ${id}`).toBe(true);
      // A MUST module breaks at least one MUST rule (a SHOULD rule's failure is only a WARNING).
      if (module.level === 'MUST') expect(module.requirements.some((id) => defined.get(id) === 'MUST'), module.id).toBe(true);
    }
  });

  it('SHO-CONF-14: negative modules name the expected error code where the protocol returns one', () => {
    const rejectedWithoutCode = modules.filter((module) => module.expected.result === 'rejected' && module.expected.code === undefined).map((module) => module.id);
    // Only answers without an error code: a refused method (405), and authorization pages that must not redirect.
    expect(rejectedWithoutCode.sort()).toEqual(['issuer-authorize-client-id-mismatch', 'issuer-authorize-request-uri-reused', 'issuer-authorize-unknown-request-uri', 'issuer-push-wrong-method']);
  });

  it('the verifier plan covers every case issue 4 lists', () => {
    const ids = new Set(VERIFIER_PLAN.map((module) => module.id));
    for (const id of [
      'verifier-happy-account-link', 'verifier-happy-payout', 'verifier-alg-none', 'verifier-alg-none-capitalised', 'verifier-alg-hs256-public-key',
      'verifier-ecdsa-zero-signature', 'verifier-ecdsa-high-s', 'verifier-signature-truncated', 'verifier-signature-extra-octet', 'verifier-signature-der',
      'verifier-jwks-off-curve', 'verifier-header-jwk-attacker', 'verifier-header-jku-attacker', 'verifier-header-x5u-attacker', 'verifier-crit-unknown',
      'verifier-crit-b64-false', 'verifier-kind-transaction-as-link', 'verifier-kind-link-as-transaction', 'verifier-kind-request-as-link', 'verifier-kind-identity-as-link',
      'verifier-aud-wrong', 'verifier-aud-missing', 'verifier-aud-array', 'verifier-iss-wrong', 'verifier-exp-passed', 'verifier-nbf-future', 'verifier-iat-future',
      'verifier-lifetime-too-long', 'verifier-exp-string', 'verifier-exp-float', 'verifier-nonce-mismatch', 'verifier-jti-replayed', 'verifier-txn-amount-changed',
      'verifier-txn-currency-changed', 'verifier-txn-payee-changed', 'verifier-account-mismatch', 'verifier-policy-ial-too-low', 'verifier-policy-proofing-method',
      'verifier-policy-kyc-too-old', 'verifier-policy-aal-too-low', 'verifier-policy-phishing-resistance', 'verifier-policy-auth-too-old', 'verifier-identity-no-match',
      'verifier-identity-close-match', 'verifier-kid-unknown', 'verifier-key-rotation', 'verifier-jwks-down', 'verifier-jwks-slow', 'verifier-jwks-oversized',
      'verifier-jwks-html', 'verifier-token-oversized', 'verifier-json-duplicate-claim', 'verifier-base64url-non-canonical',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });
});
