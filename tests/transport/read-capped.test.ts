import { describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { contentLengthExceeds, readCapped, readCappedJson, readCappedText } from '../../src/transport/read-capped.js';

const encoder = new TextEncoder();

/** A byte stream that records how often it was pulled and why it was cancelled. */
function source(chunks: Uint8Array[]) {
  const seen = { pulls: 0, cancelled: false, reason: undefined as unknown };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulls += 1;
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel(reason) {
      seen.cancelled = true;
      seen.reason = reason;
    },
  }, { highWaterMark: 0 }); // pulled only when read, so `pulls` counts reads
  return { stream, seen };
}

/** A stream that never delivers a byte. */
function stalled() {
  const seen = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull: () => new Promise<void>(() => undefined),
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

const bytes = (length: number, fill = 0x61) => new Uint8Array(length).fill(fill);

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('readCapped: the byte cap (SHO-FETCH-5, SHO-FLOW-7)', () => {
  it('SHO-FETCH-5: a body of exactly maxBytes is accepted, whole', async () => {
    const { stream } = source([bytes(40), bytes(24, 0x62)]);
    const body = await readCapped(stream, 64);
    expect(body.byteLength).toBe(64);
    expect(body[39]).toBe(0x61);
    expect(body[40]).toBe(0x62);
  });

  it('SHO-FLOW-7: maxBytes + 1 is refused with TOKEN_TOO_LARGE (reason too_large) by default', async () => {
    const { stream } = source([bytes(65)]);
    expect(await failure(readCapped(stream, 64))).toMatchObject({ name: 'ShomeiError', code: 'TOKEN_TOO_LARGE', reason: 'too_large' });
  });

  it('SHO-FETCH-5: the refusal is the caller’s own (code and reason kept)', async () => {
    const { stream } = source([bytes(65)]);
    const tooLarge = (max: number) => new ShomeiError('FETCH_FAILED', `over ${max}`, { reason: 'too_large' });
    expect(await failure(readCapped(stream, 64, { tooLarge }))).toMatchObject({ code: 'FETCH_FAILED', reason: 'too_large', message: 'over 64' });
  });

  it('SHO-FETCH-5: a chunk that crosses the cap mid-chunk is refused, never kept as a truncated prefix', async () => {
    const { stream, seen } = source([bytes(40), bytes(40), bytes(40)]);
    expect(await failure(readCapped(stream, 64))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
    // Stopped at the crossing chunk: the third one was never asked for.
    expect(seen.pulls).toBe(2);
  });

  it('SHO-FETCH-5: many small chunks are summed (1-byte chunks up to cap + 1)', async () => {
    const ok = source(Array.from({ length: 64 }, () => bytes(1)));
    expect((await readCapped(ok.stream, 64)).byteLength).toBe(64);
    const over = source(Array.from({ length: 65 }, () => bytes(1)));
    expect(await failure(readCapped(over.stream, 64))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
  });

  it('SHO-FETCH-5: the stream is cancelled on refusal, with the refusal as reason', async () => {
    const { stream, seen } = source([bytes(65), bytes(10)]);
    const error = await failure(readCapped(stream, 64));
    expect(seen.cancelled).toBe(true);
    expect(seen.reason).toBe(error);
  });

  it('SHO-FETCH-5: a Content-Length above the cap is refused before a byte is read, and the stream cancelled', async () => {
    const { stream, seen } = source([bytes(10)]);
    expect(await failure(readCapped(stream, 64, { contentLength: '65' }))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
    expect(seen.pulls).toBe(0);
    expect(seen.cancelled).toBe(true);
  });

  it('SHO-FETCH-5: a Content-Length that lies (announces less) does not get past the count', async () => {
    const { stream } = source([bytes(50), bytes(50)]);
    expect(await failure(readCapped(stream, 64, { contentLength: '10' }))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
  });

  it('SHO-FETCH-5: a Content-Length equal to the cap is read and counted', async () => {
    const { stream } = source([bytes(64)]);
    expect((await readCapped(stream, 64, { contentLength: ' 64 ' })).byteLength).toBe(64);
  });

  it('SHO-FETCH-5: a Content-Length that is not a decimal is ignored; the count decides', async () => {
    for (const contentLength of ['abc', '-1', '1e9', '64, 64', '', null]) {
      const ok = source([bytes(64)]);
      expect((await readCapped(ok.stream, 64, { contentLength })).byteLength).toBe(64);
      const over = source([bytes(65)]);
      expect(await failure(readCapped(over.stream, 64, { contentLength }))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
    }
  });

  it('SHO-FETCH-5: contentLengthExceeds is true only for a decimal above the cap', () => {
    expect(contentLengthExceeds('65', 64)).toBe(true);
    expect(contentLengthExceeds('99999999999999999999999', 64)).toBe(true);
    expect(contentLengthExceeds('64', 64)).toBe(false);
    expect(contentLengthExceeds('0x100', 64)).toBe(false);
    expect(contentLengthExceeds(null, 64)).toBe(false);
    expect(contentLengthExceeds(undefined, 64)).toBe(false);
  });

  it('SHO-FLOW-1: a null body reads as zero bytes', async () => {
    expect((await readCapped(null, 64)).byteLength).toBe(0);
    expect(await readCappedText(null, 64)).toBe('');
  });

  it('SHO-FLOW-1: a null body that announces more than the cap is still refused', async () => {
    expect(await failure(readCapped(null, 64, { contentLength: '65' }))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
  });

  it('SHO-FETCH-5: a Response body is read through the same cap', async () => {
    expect((await readCapped(new Response(bytes(64)).body, 64)).byteLength).toBe(64);
    expect(await failure(readCapped(new Response(bytes(65)).body, 64))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
  });
});

describe('readCapped: stopping and failures', () => {
  it('SHO-FETCH-6: an abort stops a stalled read with the signal’s reason and cancels the stream', async () => {
    const { stream, seen } = stalled();
    const controller = new AbortController();
    const deadline = new ShomeiError('FETCH_FAILED', 'deadline', { reason: 'timeout' });
    const pending = failure(readCapped(stream, 64, { signal: controller.signal }));
    setTimeout(() => controller.abort(deadline), 10);
    expect(await pending).toBe(deadline);
    expect(seen.cancelled).toBe(true);
  });

  it('SHO-FETCH-6: an already aborted signal reads nothing', async () => {
    const { stream, seen } = source([bytes(1)]);
    const controller = new AbortController();
    controller.abort(new ShomeiError('FETCH_FAILED', 'deadline', { reason: 'timeout' }));
    expect(await failure(readCapped(stream, 64, { signal: controller.signal }))).toMatchObject({ reason: 'timeout' });
    expect(seen.cancelled).toBe(true);
  });

  it('SHO-FETCH-5: a stream that errors rejects with its own error (the caller maps it)', async () => {
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const error = await failure(readCapped(broken, 64));
    expect(error).not.toBeInstanceOf(ShomeiError);
    expect((error as Error).message).toBe('connection reset');
  });

  it('SHO-ERR-5: a bad maxBytes is a TypeError (ERR_INVALID_ARG_VALUE)', async () => {
    for (const maxBytes of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(await failure(readCapped(null, maxBytes))).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    }
  });

  it('SHO-ERR-5: a body that is not a byte stream is a TypeError', async () => {
    expect(await failure(readCapped('text' as never, 64))).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    const strings = new ReadableStream({
      start(controller) {
        controller.enqueue('not bytes');
        controller.close();
      },
    });
    expect(await failure(readCapped(strings as never, 64))).toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  });
});

describe('readCappedText / readCappedJson (SHO-FLOW-1)', () => {
  // '証' is 1 UTF-16 code unit and 3 UTF-8 bytes: 21 of them are 63 bytes.
  const kanji = '証'.repeat(21);

  it('SHO-FETCH-5: multi-byte UTF-8 is counted in bytes, not characters', async () => {
    expect(await readCappedText(source([encoder.encode(kanji)]).stream, 63)).toBe(kanji);
    expect(await failure(readCappedText(source([encoder.encode(kanji)]).stream, 62))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
  });

  it('SHO-JWS-4: a character split across chunks decodes; invalid UTF-8 is MALFORMED_TOKEN (invalid_utf8)', async () => {
    const whole = encoder.encode('証明');
    expect(await readCappedText(source([whole.subarray(0, 2), whole.subarray(2)]).stream, 6)).toBe('証明');
    expect(await failure(readCappedText(source([new Uint8Array([0x7b, 0xff, 0x7d])]).stream, 64))).toMatchObject({ code: 'MALFORMED_TOKEN', reason: 'invalid_utf8' });
  });

  it('SHO-JWS-4: a leading BOM is not dropped (the JSON parser refuses it)', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('{}')]);
    expect(await failure(readCappedJson(source([withBom]).stream, 64))).toMatchObject({ code: 'MALFORMED_TOKEN' });
  });

  it('SHO-FLOW-1: a JSON object body at the cap is parsed', async () => {
    const text = `{"a":"${'x'.repeat(56)}"}`;
    expect(text.length).toBe(64);
    expect(await readCappedJson(source([encoder.encode(text)]).stream, 64)).toEqual({ a: 'x'.repeat(56) });
  });

  it('SHO-JWS-5: duplicate members are refused (MALFORMED_TOKEN, duplicate_member)', async () => {
    expect(await failure(readCappedJson(source([encoder.encode('{"a":1,"a":2}')]).stream, 64))).toMatchObject({ code: 'MALFORMED_TOKEN', reason: 'duplicate_member' });
  });

  it('SHO-FLOW-1: a body that is not an object, or empty, is MALFORMED_TOKEN', async () => {
    expect(await failure(readCappedJson(source([encoder.encode('[]')]).stream, 64))).toMatchObject({ code: 'MALFORMED_TOKEN' });
    expect(await failure(readCappedJson(null, 64))).toMatchObject({ code: 'MALFORMED_TOKEN' });
  });

  it('SHO-JWS-4: maxDepth is passed to the strict parser', async () => {
    const deep = encoder.encode('{"a":{"b":{}}}');
    expect(await readCappedJson(source([deep]).stream, 64, { maxDepth: 3 })).toEqual({ a: { b: {} } });
    expect(await failure(readCappedJson(source([deep]).stream, 64, { maxDepth: 2 }))).toMatchObject({ code: 'MALFORMED_TOKEN', reason: 'too_deep' });
  });

  it('SHO-FLOW-7: the cap is checked before decoding: an oversized invalid body is TOKEN_TOO_LARGE', async () => {
    expect(await failure(readCappedJson(source([bytes(65, 0xff)]).stream, 64))).toMatchObject({ code: 'TOKEN_TOO_LARGE' });
  });
});
