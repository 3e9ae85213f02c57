import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/claims/json-schemas.js';

const directory = join(import.meta.dirname, '..', '..', 'spec', 'schemas');

describe('spec/schemas: JSON Schema generated from the zod schemas', () => {
  const generated = jsonSchemas();

  it.each(Object.keys(generated))('%s is committed exactly as generated (run `npm run schema` after changing a schema)', (name) => {
    const committed = JSON.parse(readFileSync(join(directory, name), 'utf8'));
    expect(committed).toEqual(generated[name]);
  });

  it('holds no schema that the code no longer generates', () => {
    const committed = readdirSync(directory).filter((name) => name.endsWith('.json'));
    expect(committed.sort()).toEqual(Object.keys(generated).sort());
  });
});
