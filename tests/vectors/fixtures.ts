/**
 * Loads spec/vectors/ for the vector tests and turns a vector's verifier inputs into library options,
 * exactly as spec/vectors/README.md tells a partner to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Expected, IndexEntry, Presentation, VectorCase } from '../../spec/scripts/generate-vectors.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { Expectations, VerifierOptions } from '../../src/verifier/verify.js';
import type { TrustConfigInput } from '../../src/verifier/trust.js';

export const VECTORS_DIR = fileURLToPath(new URL('../../spec/vectors/', import.meta.url));
export const SPEC_DIR = fileURLToPath(new URL('../../spec/', import.meta.url));

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export interface VectorIndex {
  format: string;
  now: number;
  clock_tolerance: number;
  vectors: IndexEntry[];
}

export const INDEX = readJson<VectorIndex>(`${VECTORS_DIR}vectors.json`);

/** Every vector, in index order; the case files and the index must list the same ids. */
export const VECTORS: VectorCase[] = INDEX.vectors.map((entry) => readJson<VectorCase>(`${VECTORS_DIR}${entry.file}`));

/** The case files present on disk (to catch a stale file the index does not list). */
export const CASE_FILES: string[] = readdirSync(`${VECTORS_DIR}cases`).filter((name) => name.endsWith('.json')).sort();

/**
 * Vectors whose expected result follows the spec while the library, today, decides otherwise. Their
 * library and CLI tests run as `it.fails`: they turn red the day the library is fixed, so that the entry
 * is removed. Each reason names the rule, the file to change and the change.
 */
export const KNOWN_DIVERGENCES: Readonly<Record<string, string>> = {};

/** The presentations of a vector: its sequence, or the token once. */
export function presentationsOf(vector: VectorCase): Presentation[] {
  return vector.sequence ?? [{ expected: vector.expected }];
}

export function jwksFile(path: string): { keys: Record<string, unknown>[] } {
  return readJson(`${VECTORS_DIR}${path}`);
}

export function policyFile(): unknown {
  return readJson(`${SPEC_DIR}default-policy.json`);
}

/** Library options for a vector: its trust configuration with the JWKS files read in, its policy, its clock. */
export function verifierOptions(vector: VectorCase): VerifierOptions {
  const trust: TrustConfigInput = {
    parties: vector.verifier.trust.parties.map((party) => ({ ...party, keys: { jwks: jwksFile(party.keys.jwks) } })),
  };
  const policy = vector.verifier.policy;
  return {
    audience: vector.verifier.audience,
    trust,
    policy: policy === 'none' ? false : loadPolicy(policy === 'default' ? policyFile() : policy),
    clock: () => vector.now * 1000,
    clockTolerance: vector.verifier.clock_tolerance,
    maxTokenBytes: vector.verifier.max_token_bytes,
  };
}

/** The library expectations of one presentation. */
export function expectationsOf(vector: VectorCase, presentation: Presentation): Expectations {
  return { kind: vector.kind, ...vector.expectations, ...presentation.expectations } as Expectations;
}

/**
 * How a decision differs from the expected result (empty when it conforms): same outcome; with
 * `codes_match: exact` the same codes, no more; with `includes` at least these codes.
 */
export function mismatches(actual: { outcome: string; codes: readonly string[] }, expected: Expected): string[] {
  const problems: string[] = [];
  if (actual.outcome !== expected.outcome) problems.push(`outcome ${actual.outcome}, expected ${expected.outcome}`);
  const missing = expected.codes.filter((code) => !actual.codes.includes(code));
  if (missing.length > 0) problems.push(`missing codes ${missing.join(', ')} (got ${actual.codes.join(', ') || 'none'})`);
  if (expected.codes_match === 'exact') {
    const sorted = (codes: readonly string[]): string => [...codes].sort().join(',');
    if (sorted(actual.codes) !== sorted(expected.codes)) problems.push(`codes ${actual.codes.join(', ') || 'none'}, expected exactly ${expected.codes.join(', ') || 'none'}`);
  }
  return problems;
}
