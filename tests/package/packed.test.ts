import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors/codes.js';
import {
  childEnv,
  ensureBuild,
  installScratchProject,
  pack,
  REPO_ROOT,
  scratchDir,
  type PackResult,
  type ScratchProject,
} from '../helpers/packed-package.js';

/**
 * The package as users get it (issue 2, point 1; STYLE.md rule 9): `npm pack`, install the tarball into
 * a project outside the repository, then load every entry point with `import` and with `require` in
 * fresh Node processes. publint and attw check the same tarball's layout and types in `lint:package`.
 */

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
/** 'shomei', 'shomei/issuer', … from package.json `exports` (all but ./package.json). */
const ENTRY_POINTS = Object.keys(manifest.exports)
  .filter((key) => key !== './package.json')
  .map((key) => (key === '.' ? 'shomei' : `shomei/${key.slice(2)}`));

interface EntryReport {
  names: string[];
  /** Names exported by both this entry and 'shomei' whose values are not the same object. */
  notShared: string[];
}

interface LoadReport {
  entries: Record<string, EntryReport>;
  errorCodes: unknown;
  shomeiError: { isClass: boolean; instanceOfError: boolean; code: unknown; name: unknown };
}

/**
 * The body of the probe, written once for both module systems; `load` is `import()` or `require()`.
 * Identity of shared exports matters: an error thrown by 'shomei/verifier' must be `instanceof` the
 * `ShomeiError` that the user imported from 'shomei', which holds only if the build shares chunks.
 */
const PROBE_BODY = `
const entries = ${JSON.stringify(ENTRY_POINTS)};
const root = await load('shomei');
const report = { entries: {}, errorCodes: root.ERROR_CODES, shomeiError: {} };
for (const entry of entries) {
  const mod = await load(entry);
  const names = Object.keys(mod).filter((name) => name !== 'default' && name !== '__esModule').sort();
  const notShared = names.filter((name) => name in root && mod[name] !== root[name]);
  report.entries[entry] = { names, notShared };
}
const Err = root.ShomeiError;
const error = typeof Err === 'function' ? new Err('REPLAYED', 'probe') : undefined;
report.shomeiError = {
  isClass: typeof Err === 'function',
  instanceOfError: error instanceof Error,
  code: error?.code,
  name: error?.name,
};
process.stdout.write(JSON.stringify(report));
`;

const ESM_PROBE = `const load = (specifier) => import(specifier);\n${PROBE_BODY}`;
// require() is synchronous; the async wrapper only lets both probes share one body.
const CJS_PROBE = `const load = async (specifier) => require(specifier);\n(async () => {\n${PROBE_BODY}\n})().catch((error) => { console.error(error); process.exit(1); });`;

let workDir: string;
let packed: PackResult;
let project: ScratchProject;

function runNode(file: string): { report: LoadReport; stderr: string } {
  const result = spawnSync(process.execPath, [file], {
    cwd: project.dir,
    env: childEnv(),
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.status !== 0) {
    throw new Error(`node ${file} exited with ${String(result.status)}:\n${result.stderr}`);
  }
  return { report: JSON.parse(result.stdout) as LoadReport, stderr: result.stderr };
}

beforeAll(() => {
  ensureBuild();
  workDir = scratchDir();
  packed = pack(workDir);
  project = installScratchProject(workDir, packed.tarball);
  writeFileSync(join(project.dir, 'probe.mjs'), ESM_PROBE);
  writeFileSync(join(project.dir, 'probe.cjs'), CJS_PROBE);
}, 180_000);

afterAll(() => {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

describe('packed package', () => {
  it('ships the build, the spec and the README, and no sources or tests', () => {
    const paths = packed.files.map((file) => file.path);
    for (const entry of ['index', 'issuer', 'verifier', 'node', 'conformance']) {
      for (const extension of ['.js', '.cjs', '.d.ts', '.d.cts']) {
        expect(paths).toContain(`dist/${entry}${extension}`);
      }
    }
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('package.json');
    expect(paths.some((path) => /^(?:src|tests|examples|bench|conformance|\.ci)\//.test(path))).toBe(false);
    expect(paths.some((path) => path.endsWith('.tgz'))).toBe(false);
  });

  it('exports every entry point with types, import and require', () => {
    expect(ENTRY_POINTS).toEqual(
      expect.arrayContaining(['shomei', 'shomei/issuer', 'shomei/verifier', 'shomei/node', 'shomei/conformance']),
    );
  });

  it('loads every entry point with import()', () => {
    const { report, stderr } = runNode('probe.mjs');
    expect(stderr).toBe('');
    expect(report.errorCodes).toEqual([...ERROR_CODES]);
    expect(report.shomeiError).toEqual({ isClass: true, instanceOfError: true, code: 'REPLAYED', name: 'ShomeiError' });
    for (const entry of ENTRY_POINTS) {
      expect(report.entries[entry]?.names.length, `${entry} exports nothing`).toBeGreaterThan(0);
      expect(report.entries[entry]?.notShared, `${entry} duplicates exports of 'shomei'`).toEqual([]);
    }
  });

  it('loads every entry point with require(), ESM-only dependencies included, without warnings', () => {
    const { report, stderr } = runNode('probe.cjs');
    // require() of jose and @noble/* (ESM-only) must work without a flag or an ExperimentalWarning.
    expect(stderr).toBe('');
    expect(report.errorCodes).toEqual([...ERROR_CODES]);
    expect(report.shomeiError).toEqual({ isClass: true, instanceOfError: true, code: 'REPLAYED', name: 'ShomeiError' });
    for (const entry of ENTRY_POINTS) {
      expect(report.entries[entry]?.notShared, `${entry} duplicates exports of 'shomei'`).toEqual([]);
    }
  });

  it('has the same named exports under require() as under import()', () => {
    const esm = runNode('probe.mjs').report;
    const cjs = runNode('probe.cjs').report;
    for (const entry of ENTRY_POINTS) {
      expect(cjs.entries[entry]?.names, entry).toEqual(esm.entries[entry]?.names);
    }
  });

  it('installs without redis (neither a dependency nor a peer); the Redis store given a url then refuses clearly (CONFIG_INVALID)', () => {
    expect(manifest.dependencies).not.toHaveProperty('redis');
    expect(manifest.peerDependencies ?? {}).not.toHaveProperty('redis');
    const probe = `import { createRedisReplayStore } from 'shomei/node';
try {
  await createRedisReplayStore({ url: 'redis://127.0.0.1:1' });
  console.log(JSON.stringify({ created: true }));
} catch (error) {
  console.log(JSON.stringify({ code: error.code, reason: error.reason }));
}`;
    writeFileSync(join(project.dir, 'redis-probe.mjs'), probe);
    const result = spawnSync(process.execPath, ['redis-probe.mjs'], { cwd: project.dir, env: childEnv(), encoding: 'utf8', timeout: 20_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ code: 'CONFIG_INVALID', reason: 'missing_dependency' });
    // The refusal must come from the package being absent, not from a copy bundled into the build.
    for (const file of packed.files.map((entry) => entry.path).filter((name) => /\.c?js$/.test(name))) {
      expect(readFileSync(join(project.dir, 'node_modules', 'shomei', file), 'utf8'), file).not.toContain('@redis/client');
    }
  });

  it("loads the user's own redis when it is installed (the Redis store given a url starts)", () => {
    const modules = join(project.dir, 'node_modules');
    mkdirSync(join(modules, '@redis'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', 'redis'), join(modules, 'redis'), 'dir');
    for (const name of readdirSync(join(REPO_ROOT, 'node_modules', '@redis'))) {
      symlinkSync(join(REPO_ROOT, 'node_modules', '@redis', name), join(modules, '@redis', name), 'dir');
    }
    try {
      const probe = `import { createRedisReplayStore } from 'shomei/node';
const store = await createRedisReplayStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 100 });
await store.close();
console.log(JSON.stringify({ created: true }));`;
      writeFileSync(join(project.dir, 'redis-installed-probe.mjs'), probe);
      const result = spawnSync(process.execPath, ['redis-installed-probe.mjs'], { cwd: project.dir, env: childEnv(), encoding: 'utf8', timeout: 20_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ created: true });
    } finally {
      rmSync(join(modules, 'redis'), { force: true });
      rmSync(join(modules, '@redis'), { recursive: true, force: true });
    }
  });

  it('installs a working `shomei` bin', () => {
    expect(Object.keys(manifest.bin)).toEqual(['shomei']);
    const output = execFileSync('npx', ['--no', '--', 'shomei', '--help'], {
      cwd: project.dir,
      env: childEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
    expect(output).toMatch(/shomei/i);
  });
});
