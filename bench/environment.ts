// NODE-ONLY (benchmark): what the figures were measured on.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { createRequire } from 'node:module';

export interface Environment {
  node: string;
  openssl: string;
  v8: string;
  uvThreadpoolSize: number;
  cpu: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  packages: Record<string, string>;
}

const PACKAGES = ['jose', 'fast-jwt', 'tinybench', 'zod', 'redis', 'undici', 'tsx'] as const;

export function environment(): Environment {
  const require = createRequire(import.meta.url);
  const packages: Record<string, string> = {};
  const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  packages[own.name] = own.version;
  for (const name of PACKAGES) {
    try {
      const path = require.resolve(`${name}/package.json`);
      packages[name] = (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    } catch {
      packages[name] = versionFromEntry(require, name) ?? 'not installed';
    }
  }
  return {
    node: process.versions.node,
    openssl: process.versions.openssl ?? 'unknown',
    v8: process.versions.v8,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${process.platform} ${process.arch}`,
    packages,
  };
}

/** For packages whose `exports` hide package.json: walk up from the resolved entry. */
function versionFromEntry(require: NodeJS.Require, name: string): string | undefined {
  try {
    let dir = require.resolve(name);
    for (let i = 0; i < 6; i++) {
      dir = dir.slice(0, dir.lastIndexOf('/'));
      try {
        const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name?: string; version?: string };
        if (manifest.name === name) return manifest.version;
      } catch {
        // not this directory
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
