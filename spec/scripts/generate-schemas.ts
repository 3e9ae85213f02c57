/** Writes spec/schemas/*.json from the zod schemas: `npm run schema`. A test fails when they drift. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../../src/claims/json-schemas.js';

const directory = join(import.meta.dirname, '..', 'schemas');
mkdirSync(directory, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(directory, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote spec/schemas/${name}`);
}
