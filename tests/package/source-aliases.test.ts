import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors/codes.js';

/**
 * vitest.config.ts maps the package's own specifiers to src/, so that tests and the examples they
 * import exercise the working tree rather than whatever dist/ holds. The same module instance proves
 * it: a stale or missing build would give another array, or no module at all.
 */
describe('source aliases', () => {
  it.each(['shomei', 'shomei/issuer', 'shomei/verifier', 'shomei/node', 'shomei/conformance'])(
    '%s resolves to its TypeScript source',
    async (specifier) => {
      const loaded = (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
      expect(Object.keys(loaded).length).toBeGreaterThan(0);
      if (specifier === 'shomei') expect(loaded['ERROR_CODES']).toBe(ERROR_CODES);
    },
  );
});
