/**
 * The conformance suite's body caps, all read through src/transport/read-capped.ts. Each "formerly"
 * test failed with the copy it replaced: the HTTP client truncated at the cap, the test interface
 * counted UTF-16 code units, the suite's bank read request bodies without any cap, and the Node server
 * dropped the chunk that crossed its limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createForgeKey } from '../../src/conformance/forge/keys.js';
import { suiteCall } from '../../src/conformance/http-client.js';
import { readJson } from '../../src/conformance/interface/http.js';
import { ModuleLog } from '../../src/conformance/log.js';
import { serveNode } from '../../src/conformance/node-server.js';
import type { RunningServer } from '../../src/conformance/server.js';
import { createSuiteBank } from '../../src/conformance/verifier-plan/suite-bank.js';

const MIB = 1_048_576;
const KIB64 = 65_536;
const PARTNER = 'https://partner.example/endpoint';

/** `{"ok":true}` padded with JSON whitespace to `length` bytes. */
function paddedObject(length: number): string {
  const object = '{"ok":true}';
  return object + ' '.repeat(length - object.length);
}

/**
 * A fetch double that answers every call with `body` — followed, when `endless`, by `X` bytes that
 * never stop, so that only a cancel ends it — and records whether the body was cancelled.
 */
function answering(body: string, headers: Record<string, string> = {}, endless = false) {
  const seen = { cancelled: false };
  const bytes = new TextEncoder().encode(body);
  const fetchFn = (async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) {
          if (endless) controller.enqueue(new Uint8Array(1024).fill(0x58));
          else controller.close();
          return;
        }
        sent = true;
        controller.enqueue(bytes);
      },
      cancel() {
        seen.cancelled = true;
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'application/json', ...headers } });
  }) as typeof fetch;
  return { fetchFn, seen };
}

describe('suite HTTP client (src/conformance/http-client.ts)', () => {
  it('SHO-FLOW-1: an answer of exactly 1 MiB is read and parsed', async () => {
    const { fetchFn } = answering(paddedObject(MIB));
    const response = await suiteCall(undefined, { method: 'GET', url: PARTNER }, fetchFn);
    expect(response?.status).toBe(200);
    expect(response?.json).toEqual({ ok: true });
    expect(response?.text.length).toBe(MIB);
  });

  it('SHO-FLOW-1: an answer of 1 MiB + 1 byte is refused, not truncated (formerly the 1 MiB prefix parsed as {"ok":true})', async () => {
    const { fetchFn, seen } = answering(paddedObject(MIB), {}, true);
    const log = new ModuleLog();
    expect(await suiteCall(log, { method: 'GET', url: PARTNER }, fetchFn)).toBeUndefined();
    expect(seen.cancelled).toBe(true);
    expect(log.entries.at(-1)).toMatchObject({ type: 'http', response: 'no response (too_large)' });
  });

  it('SHO-FLOW-1: an answer that announces more than 1 MiB is refused before reading', async () => {
    const { fetchFn } = answering('{}', { 'content-length': String(MIB + 1) });
    expect(await suiteCall(undefined, { method: 'GET', url: PARTNER }, fetchFn)).toBeUndefined();
  });
});

describe('conformance test interface readJson (src/conformance/interface/http.ts)', () => {
  const post = (body: string) => new Request('http://127.0.0.1:8080/conformance/flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('SHO-CONF-3: a JSON body of exactly 64 KiB of multi-byte UTF-8 is accepted', async () => {
    // 21842 × '証' (3 bytes) + 2 × 'x' = 65528 bytes of string, plus 8 bytes of `{"a":""}`.
    const value = `${'証'.repeat(21_842)}xx`;
    const body = `{"a":"${value}"}`;
    expect(new TextEncoder().encode(body).byteLength).toBe(KIB64);
    expect(await readJson(post(body))).toEqual({ a: value });
  });

  it('SHO-CONF-3: 64 KiB + 1 byte is MALFORMED_TOKEN, counted in bytes (formerly in UTF-16 units, which passed it)', async () => {
    // 21842 × '証' + 3 × 'x' = 65529 bytes of string, plus 8: exactly 65537 bytes in 21853 UTF-16 code units.
    const body = `{"a":"${'証'.repeat(21_842)}xxx"}`;
    expect(new TextEncoder().encode(body).byteLength).toBe(KIB64 + 1);
    expect(body.length).toBeLessThan(KIB64);
    const response = await readJson(post(body));
    expect(response).toBeInstanceOf(Response);
    expect((response as Response).status).toBe(400);
    expect(await (response as Response).json()).toEqual({ error: 'MALFORMED_TOKEN', error_description: 'the body could not be read or is too large' });
  });

  it('SHO-CONF-3: a body that is not a JSON object keeps its own answer', async () => {
    const response = (await readJson(post('[1]'))) as Response;
    expect(await response.json()).toEqual({ error: 'MALFORMED_TOKEN', error_description: 'the body is not a JSON object' });
  });
});

describe('suite bank request bodies (src/conformance/verifier-plan/suite-bank.ts)', () => {
  async function bank() {
    const suiteBank = createSuiteBank({ bank: await createForgeKey(), attacker: await createForgeKey() });
    suiteBank.setOrigin('http://127.0.0.1:9090');
    return suiteBank;
  }
  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    new Request(`http://127.0.0.1:9090${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

  it('SHO-FLOW-7: a push body over 64 KiB is 413 TOKEN_TOO_LARGE (formerly read without a cap)', async () => {
    const suiteBank = await bank();
    const body = JSON.stringify({ request: 'x'.repeat(KIB64 - 13) }); // `{"request":""}` is 14 bytes
    expect(new TextEncoder().encode(body).byteLength).toBe(KIB64 + 1);
    const response = await suiteBank.handler(post('/push', body));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe('TOKEN_TOO_LARGE');
  });

  it('SHO-FLOW-7: a push body of exactly 64 KiB is read (and judged on its content)', async () => {
    const suiteBank = await bank();
    const body = JSON.stringify({ request: 'x'.repeat(KIB64 - 14) });
    expect(body.length).toBe(KIB64);
    const response = await suiteBank.handler(post('/push', body));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('MALFORMED_TOKEN');
  });

  it('SHO-FLOW-7: an exchange body over 64 KiB is 413 TOKEN_TOO_LARGE, and the stream is cancelled', async () => {
    const suiteBank = await bank();
    let cancelled = false;
    let pulls = 0;
    // 40 × 16 KiB, bounded so that a regression to an uncapped read fails instead of exhausting memory.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls > 40) controller.close();
        else controller.enqueue(new Uint8Array(16_384).fill(0x20));
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = await suiteBank.handler(post('/assertion', endless));
    expect(response.status).toBe(413);
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(10);
  });

  it('SHO-FLOW-7: a Content-Length over 64 KiB is refused before reading', async () => {
    const suiteBank = await bank();
    const response = await suiteBank.handler(post('/push', '{}', { 'content-length': String(KIB64 + 1) }));
    expect(response.status).toBe(413);
  });
});

describe('Node server of the suite (src/conformance/node-server.ts)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('SHO-FLOW-7: a body over 1 MiB reaches the handler as MiB + 1 bytes, never as a fitting prefix', async () => {
    let seen = -1;
    server = await serveNode(async (request) => {
      seen = (await request.arrayBuffer()).byteLength;
      return new Response(null, { status: 204 });
    });
    // Chunks of 100000 bytes: the chunk that crosses 1 MiB was formerly dropped whole (1000000 bytes kept).
    const chunk = new Uint8Array(100_000).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 12) controller.close();
        else {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(`${server.url}/push`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(204);
    expect(seen).toBe(MIB + 1);
  });

  it('SHO-FLOW-7: a body under 1 MiB reaches the handler whole', async () => {
    let seen = -1;
    server = await serveNode(async (request) => {
      seen = (await request.arrayBuffer()).byteLength;
      return new Response(null, { status: 204 });
    });
    const response = await fetch(`${server.url}/push`, { method: 'POST', body: new Uint8Array(300_000) });
    expect(response.status).toBe(204);
    expect(seen).toBe(300_000);
  });
});
