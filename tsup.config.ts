import { isBuiltin } from 'node:module';
import type { Metafile, Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * Build of the `shomei` package (issue 2, point 1; STYLE.md rule 9).
 *
 * Two builds:
 * - the library: one entry per role, ESM + CJS, declarations for each (`.d.ts` beside `.js`,
 *   `.d.cts` beside `.cjs`), code shared between entries split into chunks so that every entry sees
 *   the same `ShomeiError` class (an `instanceof` across `shomei` and `shomei/verifier` must hold);
 * - the CLI: one ESM file, `dist/cli/main.js`, with the shebang of src/cli/main.ts (tsup keeps it and
 *   marks the file executable). It needs no declarations and no CJS twin.
 *
 * Dependencies stay external (tsup externalises `dependencies` and `peerDependencies`), so users get
 * one copy of jose, zod and @noble/* and their security updates without a new shomei release. `redis`
 * is neither: only the Redis replay store loads it, from the user's own install, so it is marked
 * external by name (tests/package/packed.test.ts fails if it is bundled).
 *
 * jose 6 and @noble/curves 2 / @noble/hashes 2 are ESM-only. The CJS output still `require()`s them:
 * Node ≥ 20.19 loads ES modules through `require()` without a flag (none of them uses top-level
 * await, which is the one case where that fails). That is why `engines.node` is `>=20.19.0`, and why
 * tests/package/packed.test.ts loads every entry with `require()` from the packed tarball. Bundling
 * @noble/* into the CJS files would have been the fallback for older Node releases; it is not needed.
 */

/** Entries that must run on any runtime with Web APIs (browsers, Deno, Bun, edge workers). */
const CORE_ENTRIES = ['index', 'issuer', 'verifier', 'conformance'] as const;
/** Entries that may use Node built-ins and Node-only packages. */
const NODE_ENTRIES = ['node'] as const;

/**
 * Imports that tie code to Node: built-in modules, and Node-only packages. undici is not listed: PLAN.md
 * lets the remote key set use it (it should reach it through a dynamic `import()`, which this guard
 * allows, so that the verifier entry still loads where undici does not).
 */
function isNodeOnly(specifier: string): boolean {
  return isBuiltin(specifier) || /^(?:redis|@redis\/[^/]+)(?:\/|$)/.test(specifier);
}

/**
 * Fails the build when a core entry statically reaches a Node-only import, directly or through a
 * shared chunk (DESIGN.md: "the core uses Web APIs; Node-only pieces sit behind their own entry point").
 * The check runs on esbuild's metafile, so it sees exactly what ends up in each output file.
 */
function coreStaysPortable(): Plugin {
  return {
    name: 'shomei-core-stays-portable',
    setup(build) {
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (result.metafile === undefined) return;
        const problems = findNodeOnlyImports(result.metafile);
        // Throwing is what makes esbuild (and so tsup) fail; errors pushed onto `result` are ignored.
        if (problems.length > 0) throw new Error(problems.join('\n'));
      });
    },
  };
}

function findNodeOnlyImports(metafile: Metafile): string[] {
  const problems: string[] = [];
  const coreSources = new Set(CORE_ENTRIES.map((name) => `src/${name}.ts`));
  for (const [outputPath, output] of Object.entries(metafile.outputs)) {
    if (output.entryPoint === undefined || !coreSources.has(output.entryPoint)) continue;
    const seen = new Set<string>();
    const pending = [outputPath];
    while (pending.length > 0) {
      const current = pending.pop() as string;
      if (seen.has(current)) continue;
      seen.add(current);
      for (const imported of metafile.outputs[current]?.imports ?? []) {
        // A dynamic import() is loaded only when the code path runs, so it may target Node-only code.
        if (imported.kind === 'dynamic-import') continue;
        if (imported.external === true) {
          if (isNodeOnly(imported.path)) {
            problems.push(
              `${output.entryPoint} (a core entry) imports the Node-only module '${imported.path}'` +
                ` through ${current}; move that code behind src/node.ts or use a dynamic import().`,
            );
          }
        } else {
          pending.push(imported.path);
        }
      }
    }
  }
  return problems;
}

export default defineConfig([
  {
    name: 'library',
    entry: Object.fromEntries(
      [...CORE_ENTRIES, ...NODE_ENTRIES].map((name) => [name, `src/${name}.ts`]),
    ),
    outDir: 'dist',
    format: ['esm', 'cjs'],
    // tsup writes index.d.ts for the ESM build and index.d.cts for the CJS build (attw checks both).
    dts: true,
    // Split shared code in the CJS build too (tsup's cjs splitting), so both module systems have one
    // copy of each class per package, not one per entry.
    splitting: true,
    // One build for all entries, so chunks are shared between the core and the Node entry. esbuild's
    // 'neutral' platform cannot be set per entry; portability of the core entries is enforced by
    // coreStaysPortable() on the finished module graph instead.
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // Keep dist/cli, which the CLI build below owns and writes at the same time.
    clean: ['!cli/**'],
    esbuildPlugins: [coreStaysPortable()],
    // Not a dependency (the Redis replay store loads it when given a url, from the user's own install):
    // tsup would otherwise bundle it from devDependencies.
    external: ['redis'],
  },
  {
    name: 'cli',
    entry: { main: 'src/cli/main.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    dts: false,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    clean: true,
  },
]);
