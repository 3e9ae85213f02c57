/**
 * Writes spec/default-policy.json from DEFAULT_POLICY (spec/14-policy.md, SHO-POL-16).
 * Run: npx tsx spec/scripts/write-default-policy.ts — tests/policy/default-policy.test.ts fails until the
 * committed file equals this output.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_POLICY } from '../../src/policy/default-policy.js';

/** The exact text of spec/default-policy.json. */
export function renderDefaultPolicy(): string {
  return `${JSON.stringify(DEFAULT_POLICY, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../default-policy.json', import.meta.url), renderDefaultPolicy());
}
