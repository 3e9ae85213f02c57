import { once } from 'node:events';
import { createReadStream, type ReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ShomeiError } from '../errors/shomei-error.js';
import { readCapped } from '../transport/read-capped.js';
import { parseJsonObject } from '../encoding/json.js';
import { MAX_CONFIGURABLE_TOKEN_BYTES } from '../jws/compact.js';
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
const MAX_TOKEN_INPUT_BYTES = MAX_CONFIGURABLE_TOKEN_BYTES;

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

/**
 * Reads `stream` to its end as UTF-8 through the package's one capped reader, refusing past
 * {@link MAX_TOKEN_INPUT_BYTES} plus two bytes of slack (a token of the largest size followed by a CRLF,
 * as `cat` or an editor leaves it).
 */
async function readCappedStream(stream: Readable, what: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readCapped(Readable.toWeb(stream) as ReadableStream<Uint8Array>, MAX_TOKEN_INPUT_BYTES + 2);
  } catch (error) {
    if (error instanceof ShomeiError && error.code === 'TOKEN_TOO_LARGE') throw new UsageError(`${what} is larger than ${MAX_TOKEN_INPUT_BYTES} bytes`);
    throw new UsageError(`cannot read ${what}`);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
