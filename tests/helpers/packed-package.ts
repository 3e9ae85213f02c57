import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Packs the repository as `npm publish` would and installs the tarball into a scratch project outside
 * the repository, so that tests load `shomei` exactly as a user gets it (STYLE.md rule 9).
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The build outputs whose presence and age decide whether dist/ must be rebuilt. */
const BUILD_OUTPUTS = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/cli/main.js'];
/** Inputs of the build besides src/. */
const BUILD_INPUTS = ['package.json', 'tsup.config.ts', 'tsconfig.json'];

/**
 * The environment for child `npm` and `node` processes. When the suite runs under `npm test`, npm
 * exports its own configuration, and `npm_config_local_prefix` would make a nested `npm install`
 * write into the repository instead of the scratch project. User-level settings (cache, registry,
 * certificates, config files) are kept.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set([
    'npm_config_cache',
    'npm_config_userconfig',
    'npm_config_globalconfig',
    'npm_config_cafile',
    'npm_config_registry',
  ]);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.toLowerCase().startsWith('npm_') && !keep.has(name.toLowerCase())) continue;
    env[name] = value;
  }
  env['NO_UPDATE_NOTIFIER'] = '1';
  return env;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether dist/ is missing an output or is older than any source or build setting. */
export function buildIsStale(root = REPO_ROOT): boolean {
  const outputs = BUILD_OUTPUTS.map((file) => join(root, file));
  if (!outputs.every((file) => existsSync(file))) return true;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const newestInput = Math.max(
    newestMtime(join(root, 'src')),
    ...BUILD_INPUTS.map((file) => join(root, file)).filter((file) => existsSync(file)).map(newestMtime),
  );
  return newestInput > oldestOutput;
}

/** Runs `npm run build` when dist/ is missing or stale. */
export function ensureBuild(root = REPO_ROOT): void {
  if (!buildIsStale(root)) return;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: root, env: childEnv(), stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    // tsup reports compile errors on stdout and stderr; keep the end of both, where the errors are.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}\n${stderr}`.split('\n').filter((line) => line.trim() !== '').slice(-40);
    throw new Error(`npm run build failed:\n${tail.join('\n')}`, { cause: error });
  }
}

export interface PackedFile {
  path: string;
  size: number;
}

export interface PackResult {
  /** Absolute path of the tarball. */
  tarball: string;
  /** Files in the tarball, relative to the package root. */
  files: PackedFile[];
}

/**
 * `npm pack` into `destination`. `--ignore-scripts` keeps npm from running `prepare` (a second
 * build): {@link ensureBuild} has already produced dist/.
 */
export function pack(destination: string, root = REPO_ROOT): PackResult {
  const json = execFileSync(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    { cwd: root, env: childEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const [result] = JSON.parse(json) as Array<{ filename: string; files: PackedFile[] }>;
  if (result === undefined) throw new Error('npm pack reported no package');
  return { tarball: join(destination, result.filename), files: result.files };
}

export type InstallMethod = 'npm-offline' | 'linked';

export interface ScratchProject {
  dir: string;
  method: InstallMethod;
}

/**
 * Creates a project in `parent` and installs the tarball into it.
 *
 * First choice: `npm install --offline`, the way a user installs the package, with its dependencies
 * from the npm cache. On a fresh CI clone the cache holds the dependency tarballs that `npm ci`
 * fetched but not the registry metadata npm needs to resolve version ranges, so that can fail with
 * ENOTCACHED; then the tarball is unpacked into node_modules/shomei and each runtime dependency is
 * linked from the repository's node_modules (which `npm ci` installed from the lockfile). Either way
 * the package under test is the packed tarball, not the working tree.
 *
 * `SHOMEI_PACKED_INSTALL=linked` skips the first choice, to exercise the fallback.
 */
export function installScratchProject(parent: string, tarball: string): ScratchProject {
  const dir = join(parent, 'project');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'shomei-scratch', version: '0.0.0', private: true }, null, 2)}\n`,
  );
  if (process.env['SHOMEI_PACKED_INSTALL'] !== 'linked') {
    try {
      execFileSync(
      'npm',
        ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', tarball],
        { cwd: dir, env: childEnv(), stdio: 'pipe', timeout: 60_000 },
      );
      return { dir, method: 'npm-offline' };
    } catch {
      // Fall through to the linked install; a half-finished npm install must not be mixed with it.
      rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    }
  }
  linkInstall(dir, tarball);
  return { dir, method: 'linked' };
}

function linkInstall(dir: string, tarball: string): void {
  const modules = join(dir, 'node_modules');
  const target = join(modules, 'shomei');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { stdio: 'pipe' });
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    bin?: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    const source = join(REPO_ROOT, 'node_modules', name);
    if (!existsSync(source)) throw new Error(`dependency ${name} is not installed in the repository`);
    const link = join(modules, name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(source, link, 'dir');
  }
  const bin = join(modules, '.bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, file] of Object.entries(manifest.bin ?? {})) {
    symlinkSync(relative(bin, join(target, file)), join(bin, name));
  }
}

/** A fresh directory under the OS temporary directory. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'shomei-packed-'));
}
