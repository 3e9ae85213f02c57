import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors/codes.js';
import { REPO_ROOT } from '../helpers/packed-package.js';

/**
 * Requirement IDs are the contract between spec/, the code, the tests and the conformance modules
 * (spec/README.md "Citing requirements"): every ID cited anywhere must be defined in spec/, exactly
 * once, in the file that owns its prefix.
 */

const SPEC_DIR = join(REPO_ROOT, 'spec');
/** Where IDs are cited (not defined). */
const CITING_DIRS = ['src', 'tests', 'conformance', 'examples', 'bench'];
const TEXT_FILE = /\.(?:[cm]?[jt]sx?|json|md|ya?ml|html|txt)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'reports', 'test-results', 'coverage']);
/** A requirement ID, as spec/README.md defines it. */
const ID_PATTERN = /\bSHO-[A-Z]+-\d+\b/g;
/**
 * A definition is a line that starts with the bold ID (spec/README.md "Conventions"); an ID in bold
 * elsewhere, or in an indented example, is not one.
 */
const DEFINITION_LINE = /^\*\*(SHO-[A-Z]+-\d+)\*\*(.*)$/;
const LEVEL = /^\s*(?:\((?:MUST|SHOULD|MAY)\)|\*?\(withdrawn\)\*?)/;

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (SKIPPED_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...listFiles(path));
    else if (TEXT_FILE.test(entry)) files.push(path);
  }
  return files;
}

/** ID → the files (relative to the repository) that cite it. */
function collectCitations(files: readonly string[]): Map<string, string[]> {
  const citations = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const id of new Set(text.match(ID_PATTERN) ?? [])) {
      const where = citations.get(id) ?? [];
      where.push(relative(REPO_ROOT, file));
      citations.set(id, where);
    }
  }
  return citations;
}

interface Definition {
  id: string;
  file: string;
  line: number;
  rest: string;
}

function collectDefinitions(): Definition[] {
  const definitions: Definition[] = [];
  const specFiles = existsSync(SPEC_DIR) ? readdirSync(SPEC_DIR).filter((name) => name.endsWith('.md')) : [];
  for (const name of specFiles.sort()) {
    const lines = readFileSync(join(SPEC_DIR, name), 'utf8').split('\n');
    lines.forEach((text, index) => {
      const match = DEFINITION_LINE.exec(text);
      if (match?.[1] !== undefined) definitions.push({ id: match[1], file: name, line: index + 1, rest: match[2] ?? '' });
    });
  }
  return definitions;
}

/** Prefix (`SHO-JWS`) → owning file, from the index table of spec/README.md. */
function prefixOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  const readme = join(SPEC_DIR, 'README.md');
  if (!existsSync(readme)) return owners;
  for (const line of readFileSync(readme, 'utf8').split('\n')) {
    const row = /^\|\s*\[([^\]]+\.md)\]\([^)]*\)\s*\|([^|]*)\|/.exec(line);
    if (row?.[1] === undefined || row[2] === undefined) continue;
    for (const prefix of row[2].match(/SHO-[A-Z]+/g) ?? []) owners.set(prefix, row[1]);
  }
  return owners;
}

const definitions = collectDefinitions();
const defined = new Set(definitions.map((definition) => definition.id));

function undefinedCitations(citations: Map<string, string[]>): string[] {
  return [...citations]
    .filter(([id]) => !defined.has(id))
    .map(([id, files]) => `${id} (cited in ${files.join(', ')})`)
    .sort();
}

describe('requirement IDs', () => {
  it('spec/ defines requirements', () => {
    expect(definitions.length).toBeGreaterThan(0);
  });

  it('every ID cited in src/, tests/, conformance/, examples/ and bench/ is defined in spec/', () => {
    const files = CITING_DIRS.flatMap((dir) => listFiles(join(REPO_ROOT, dir)));
    expect(undefinedCitations(collectCitations(files))).toEqual([]);
  });

  it('every ID that spec/ refers to is defined in spec/', () => {
    const files = listFiles(SPEC_DIR).filter((file) => !file.endsWith('requirements.json'));
    expect(undefinedCitations(collectCitations(files))).toEqual([]);
  });

  it('no ID is defined twice', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const { id, file, line } of definitions) {
      const first = seen.get(id);
      if (first === undefined) seen.set(id, `${file}:${line}`);
      else duplicates.push(`${id} at ${first} and ${file}:${line}`);
    }
    expect(duplicates).toEqual([]);
  });

  it('every definition states its level, (MUST), (SHOULD) or (MAY), or is marked withdrawn', () => {
    const bad = definitions
      .filter((definition) => !LEVEL.test(definition.rest))
      .map(({ id, file, line }) => `${id} at ${file}:${line}`);
    expect(bad).toEqual([]);
  });

  it('every ID is defined in the file that spec/README.md assigns to its prefix', () => {
    const owners = prefixOwners();
    const misplaced = definitions
      .filter(({ id, file }) => owners.get(id.replace(/-\d+$/, '')) !== file)
      .map(({ id, file, line }) => {
        const owner = owners.get(id.replace(/-\d+$/, ''));
        return `${id} at ${file}:${line} (${owner === undefined ? 'prefix not in the index' : `belongs in ${owner}`})`;
      });
    expect(misplaced).toEqual([]);
  });

  it('spec/requirements.json lists exactly the defined IDs, with their file and level', () => {
    const indexFile = join(SPEC_DIR, 'requirements.json');
    expect(existsSync(indexFile), 'spec/requirements.json is missing').toBe(true);
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as Array<{ id: string; level: string; file: string }>;
    const fromIndex = index.map(({ id, file, level }) => `${id} ${basename(file)} ${level}`).sort();
    const fromMarkdown = definitions
      .map(({ id, file, rest }) => {
        const level = /\((MUST|SHOULD|MAY)\)/.exec(rest)?.[1] ?? 'withdrawn';
        return `${id} ${file} ${level}`;
      })
      .sort();
    expect(fromIndex).toEqual(fromMarkdown);
  });
});

describe('error codes', () => {
  it('every code in ERROR_CODES is documented in spec/16-errors.md', () => {
    const file = join(SPEC_DIR, '16-errors.md');
    expect(existsSync(file), 'spec/16-errors.md is missing').toBe(true);
    const text = readFileSync(file, 'utf8');
    const missing = ERROR_CODES.filter((code) => !new RegExp(`(?<![A-Z0-9_])${code}(?![A-Z0-9_])`).test(text));
    expect(missing).toEqual([]);
  });
});
