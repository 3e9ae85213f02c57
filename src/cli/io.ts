import { readFile } from 'node:fs/promises';
import { parseJsonObject } from '../encoding/json.js';
import { UsageError } from './args.js';

/** Reads a JSON file given on the command line; a missing or broken file is a usage error. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} file ${path}`);
  }
  try {
    // Strict: a configuration with a duplicate member would otherwise keep its last value silently.
    return parseJsonObject(text);
  } catch {
    throw new UsageError(`${what} file ${path} is not a JSON object without duplicate members`);
  }
}

/** A token given directly, as `-` (stdin) or as `@file`. */
export async function readToken(argument: string | undefined): Promise<string> {
  if (argument === undefined) throw new UsageError('a token is required (the token itself, @file, or - for stdin)');
  if (argument === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  if (argument.startsWith('@')) {
    try {
      return (await readFile(argument.slice(1), 'utf8')).trim();
    } catch {
      throw new UsageError(`cannot read token file ${argument.slice(1)}`);
    }
  }
  return argument.trim();
}
