// NODE-ONLY (benchmark): the shomei the benchmark measures. By default the published build (dist/, made
// by `npm run build`, which `npm run bench` runs first), so the figures are those of the package users
// install; BENCH_SOURCE=src measures the TypeScript sources through tsx instead (slower: esbuild's
// keepNames wraps every closure created per call in a __name() call, which tsup's build does not).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BENCH_SOURCE = process.env.BENCH_SOURCE === 'src' ? 'src' : 'dist';

async function entry<T>(name: string): Promise<T> {
  if (BENCH_SOURCE === 'src') return (await import(`../src/${name}.ts`)) as T;
  const built = new URL(`../dist/${name}.js`, import.meta.url);
  if (!existsSync(fileURLToPath(built))) throw new Error(`bench: ${fileURLToPath(built)} is missing; run npm run build (or set BENCH_SOURCE=src)`);
  return (await import(built.href)) as T;
}

export const issuerEntry = await entry<typeof import('../src/issuer.js')>('issuer');
export const verifierEntry = await entry<typeof import('../src/verifier.js')>('verifier');
export const nodeEntry = await entry<typeof import('../src/node.js')>('node');
