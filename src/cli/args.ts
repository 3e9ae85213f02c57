import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the CLI was called: exit code 3 (spec/13-verification.md, CLI exit codes). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { allow: 0, deny: 1, review: 2, usage: 3 } as const;

/** Parses options strictly; unknown options and missing values are usage errors, not crashes. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The one value of a required option. */
export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`--${name} is required`);
  return value;
}

/** Writes a line to stdout. */
export function out(text: string): void {
  process.stdout.write(`${text}\n`);
}
