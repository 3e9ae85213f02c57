/**
 * Issue 5, "done when": the examples import only the package's public entry points — never its
 * sources — so that they show what a user of the published package can write.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/packed-package.js';

const EXAMPLES = join(REPO_ROOT, 'examples');
const PUBLIC_ENTRIES = new Set(['shomei', 'shomei/issuer', 'shomei/verifier', 'shomei/node', 'shomei/conformance']);
/** Third-party packages the examples are built on (devDependencies). */
const EXAMPLE_DEPENDENCIES = /^(hono(\/[a-z-]+)?|@hono\/node-server|@simplewebauthn\/server|otpauth)$/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function specifiers(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1] as string);
}

describe('example imports', () => {
  it('issue 5: every example module imports public entry points, its own files, node: built-ins or its framework', () => {
    const offending: string[] = [];
    for (const file of sources(EXAMPLES)) {
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        const ownFile = specifier.startsWith('.') && !join(file, '..', specifier).startsWith(join(REPO_ROOT, 'src'));
        const allowed = ownFile || PUBLIC_ENTRIES.has(specifier) || specifier.startsWith('node:') || EXAMPLE_DEPENDENCIES.test(specifier);
        if (!allowed) offending.push(`${relative(REPO_ROOT, file)}: ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
