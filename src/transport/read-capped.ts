/**
 * The one bounded reader of HTTP bodies that come from partners (spec/11-keys.md SHO-FETCH-5,
 * spec/12-transport.md SHO-FLOW-1 and SHO-FLOW-7): the key-set fetch, partner flow calls, the bank's
 * flow endpoints and the conformance suite all read through it, so the cap is written once.
 *
 * The cap counts bytes as they arrive (never UTF-16 code units of decoded text, never a
 * `Content-Length` taken on trust), refuses at the first chunk that crosses it instead of keeping a
 * truncated prefix, and cancels the stream so the sender stops. A `Content-Length` that already
 * announces more than the cap is refused before a byte is read.
 *
 * Web APIs only. Each caller keeps its own refusal (`tooLarge`): a flow endpoint answers
 * `TOKEN_TOO_LARGE`, a client of a partner fails with `FETCH_FAILED` (reason `too_large`).
 */
import { parseJsonObject } from '../encoding/json.js';
import { decodeUtf8Strict } from '../encoding/utf8.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';

/** Options of {@link readCapped}. */
export interface ReadCappedOptions {
  /**
   * The `Content-Length` header as received (`headers.get('content-length')`). A decimal above the cap
   * is refused before reading; anything else is ignored, since the count while reading decides anyway.
   */
  contentLength?: string | null;
  /**
   * Builds the refusal, so that each caller keeps its own code and reason. Default: `ShomeiError`
   * `TOKEN_TOO_LARGE`, reason `too_large`.
   */
  tooLarge?: (maxBytes: number) => ShomeiError;
  /**
   * Stops reading when aborted: the stream is cancelled and the promise rejects with `signal.reason`
   * (a deadline of the caller), also when the stream itself does not honour the signal.
   */
  signal?: AbortSignal;
}

/** Options of {@link readCappedJson}. */
export interface ReadCappedJsonOptions extends ReadCappedOptions {
  /** Deepest nesting accepted by the strict JSON parser (default 32, SHO-JWS-4). */
  maxDepth?: number;
}

const DECIMAL = /^\d+$/;

/**
 * Whether a `Content-Length` header value announces more than `maxBytes` (SHO-FETCH-5). For callers
 * that must refuse on it before other checks; {@link readCapped} applies it itself.
 *
 * @example contentLengthExceeds(request.headers.get('content-length'), 65536)
 * @see spec/11-keys.md SHO-FETCH-5, spec/12-transport.md SHO-FLOW-7
 */
export function contentLengthExceeds(contentLength: string | null | undefined, maxBytes: number): boolean {
  const declared = contentLength?.trim();
  return declared !== undefined && DECIMAL.test(declared) && Number(declared) > maxBytes;
}

/**
 * Reads a whole body of at most `maxBytes` bytes.
 *
 * A `null` body reads as zero bytes. A body over the cap (announced or counted) rejects with the
 * refusal of `options.tooLarge` after cancelling the stream; a stream that errors rejects with its own
 * error (after cancelling), which the caller maps to its code.
 *
 * @throws ShomeiError the refusal (default `TOKEN_TOO_LARGE`, reason `too_large`).
 * @throws TypeError (`ERR_INVALID_ARG_VALUE`) for a bad `maxBytes` or a body that is not a byte stream.
 * @example const bytes = await readCapped(response.body, 65536, { contentLength: response.headers.get('content-length') });
 * @see spec/11-keys.md SHO-FETCH-5, spec/12-transport.md SHO-FLOW-1, SHO-FLOW-7
 */
export async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number, options: ReadCappedOptions = {}): Promise<Uint8Array> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw invalidArgument('readCapped: maxBytes must be a whole number of bytes');
  if (body !== null && typeof (body as { getReader?: unknown } | undefined)?.getReader !== 'function') {
    throw invalidArgument('readCapped: body must be a ReadableStream or null');
  }
  const refusal = (): ShomeiError => options.tooLarge?.(maxBytes) ?? defaultTooLarge(maxBytes);
  const { signal } = options;
  // A function, not a narrowed property read: the signal can be aborted between two reads.
  const abortedNow = (): boolean => signal?.aborted === true;

  if (contentLengthExceeds(options.contentLength, maxBytes)) {
    // Refused before reading: a sender that announces 10 MB gets no chance to send them.
    const error = refusal();
    if (body !== null) void body.cancel(error).catch(() => undefined);
    throw error;
  }
  if (body === null) return new Uint8Array(0);
  if (signal !== undefined && abortedNow()) {
    void body.cancel(signal.reason).catch(() => undefined);
    throw signal.reason;
  }

  const reader = body.getReader();
  let onAbort: (() => void) | undefined;
  const aborted =
    signal === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
        });
  // Settled only while a read is raced against it; never left as an unhandled rejection.
  aborted?.catch(() => undefined);

  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await (aborted === undefined ? reader.read() : Promise.race([reader.read(), aborted]));
      } catch (error) {
        void reader.cancel(error).catch(() => undefined);
        // Aborting may error the pending read before our own listener runs: the caller's reason wins.
        if (signal !== undefined && abortedNow()) throw signal.reason;
        throw error;
      }
      if (next.done) break;
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) {
        void reader.cancel().catch(() => undefined);
        throw invalidArgument('readCapped: body must be a stream of Uint8Array chunks');
      }
      total += chunk.byteLength;
      // Counted as it arrives: a lying or absent Content-Length does not get past the cap, and the
      // chunk that crosses it is refused whole, never kept as a truncated prefix.
      if (total > maxBytes) {
        const error = refusal();
        void reader.cancel(error).catch(() => undefined);
        throw error;
      }
      chunks.push(chunk);
    }
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }

  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * {@link readCapped}, then strict UTF-8 decoding (SHO-JWS-4): invalid sequences and a leading BOM are
 * refused, never replaced.
 *
 * @throws ShomeiError the refusal of {@link readCapped}, or `MALFORMED_TOKEN` (reason `invalid_utf8`).
 * @example const text = await readCappedText(response.body, 65536, { contentLength: response.headers.get('content-length') });
 * @see spec/12-transport.md SHO-FLOW-1
 */
export async function readCappedText(body: ReadableStream<Uint8Array> | null, maxBytes: number, options: ReadCappedOptions = {}): Promise<string> {
  return decodeUtf8Strict(await readCapped(body, maxBytes, options));
}

/**
 * {@link readCappedText}, then the strict JSON object parser (duplicate members, depth; SHO-JWS-4,
 * SHO-JWS-5): the body of every flow request and response (SHO-FLOW-1).
 *
 * @throws ShomeiError the refusal of {@link readCapped}, or `MALFORMED_TOKEN` for text that is not a
 *   strict UTF-8 JSON object.
 * @example const body = await readCappedJson(request.body, 65536, { contentLength: request.headers.get('content-length') });
 * @see spec/12-transport.md SHO-FLOW-1, SHO-FLOW-7
 */
export async function readCappedJson(body: ReadableStream<Uint8Array> | null, maxBytes: number, options: ReadCappedJsonOptions = {}): Promise<Record<string, unknown>> {
  const text = await readCappedText(body, maxBytes, options);
  return parseJsonObject(text, options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth });
}

function defaultTooLarge(maxBytes: number): ShomeiError {
  return new ShomeiError('TOKEN_TOO_LARGE', `the body is larger than ${maxBytes} bytes`, { reason: 'too_large', requirement: 'SHO-FLOW-7' });
}
