/**
 * Writes spec/requirements.json from the requirement lines of spec/*.md (`npm run requirements`).
 * tests/spec/requirements.test.ts fails when the index and the Markdown disagree.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const directory = join(import.meta.dirname, '..');
const LINE = /^\*\*(SHO-[A-Z]+-\d+)\*\*\s*(?:\((MUST|SHOULD|MAY)\)|\*?\(withdrawn\)\*?)\s*(.*)$/;
const index: Array<{ id: string; level: string; file: string; title: string }> = [];
const seen = new Set<string>();
for (const file of readdirSync(directory).filter((name) => /^\d\d-.*\.md$/.test(name)).sort()) {
  for (const line of readFileSync(join(directory, file), 'utf8').split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const [, id, level, text] = match as unknown as [string, string, string | undefined, string];
    if (seen.has(id)) throw new Error(`${id} is defined twice`);
    seen.add(id);
    index.push({ id, level: level ?? 'withdrawn', file, title: text.replaceAll('`', '').replaceAll('**', '').trim() });
  }
}
writeFileSync(join(directory, 'requirements.json'), `${JSON.stringify(index, null, 2)}\n`);
console.log(`spec/requirements.json: ${index.length} requirements`);
