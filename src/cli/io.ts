import { once } from 'node:events';
import { createReadStream, type ReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
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

/**
 * Largest token input read, in bytes: the largest `maxTokenBytes` a verifier can be given (1 MiB). A
 * longer stdin or file is refused before it is held in memory, not read to its end.
 */
export const MAX_TOKEN_INPUT_BYTES = 1_048_576;

/** A token given directly, as `-` (stdin) or as `@file`. */
export async function readToken(argument: string | undefined): Promise<string> {
  if (argument === undefined) throw new UsageError('a token is required (the token itself, @file, or - for stdin)');
  if (argument === '-') return (await readCappedStream(process.stdin, 'the token on stdin')).trim();
  if (argument.startsWith('@')) {
    const path = argument.slice(1);
    let stream: ReadStream;
    try {
      stream = createReadStream(path);
      await once(stream, 'open');
    } catch {
      throw new UsageError(`cannot read token file ${path}`);
    }
    return (await readCappedStream(stream, `token file ${path}`)).trim();
  }
  return argument.trim();
}

/** Reads `stream` to its end as UTF-8, refusing (and destroying the stream) past {@link MAX_TOKEN_INPUT_BYTES}. */
async function readCappedStream(stream: Readable, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
      length += bytes.length;
      // Two bytes of slack: a token of the largest size followed by a CRLF, as `cat` or an editor leaves it.
      if (length > MAX_TOKEN_INPUT_BYTES + 2) {
        stream.destroy();
        throw new UsageError(`${what} is larger than ${MAX_TOKEN_INPUT_BYTES} bytes`);
      }
      chunks.push(bytes);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
