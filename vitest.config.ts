import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './tests/helpers/summary-reporter.js';

/**
 * Tests run against the TypeScript sources, never against dist/: every public entry point the package
 * exports is aliased to its source file, so a test or an example that imports 'shomei/verifier' checks
 * the code in the working tree, not a stale build. The built package itself is tested as users get it
 * by tests/package/packed.test.ts. tsconfig.json maps the same specifiers with `paths` for tsc and tsx.
 */
const ENTRY_POINTS: Readonly<Record<string, string>> = {
  shomei: 'src/index.ts',
  'shomei/issuer': 'src/issuer.ts',
  'shomei/verifier': 'src/verifier.ts',
  'shomei/node': 'src/node.ts',
  'shomei/conformance': 'src/conformance.ts',
};

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Anchored patterns: 'shomei' must not also capture 'shomei/issuer' or 'shomei-something'.
    alias: Object.entries(ENTRY_POINTS).map(([specifier, source]) => ({
      find: new RegExp(`^${specifier.replace('/', '\\/')}$`),
      replacement: fromRoot(source),
    })),
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Child processes isolate tests that start servers, touch process-wide state or load native
    // modules better than worker threads do.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', new SummaryReporter()],
  },
});
