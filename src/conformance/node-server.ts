// NODE-ONLY: loaded with a dynamic import() from src/conformance/server.ts and statically by the CLI.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningServer, ServeOptions, WebHandler } from './server.js';

const MAX_BODY = 1_048_576;

async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? 'GET';
  let body: Uint8Array | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    let kept = 0;
    for await (const chunk of incoming) {
      // Keep reading (so the socket stays usable) but keep exactly the first MAX_BODY + 1 bytes: the
      // handler then sees a body over the limit and refuses it. Dropping the whole chunk that crosses
      // the limit would hand it a truncated body that fits.
      const room = MAX_BODY + 1 - kept;
      if (room > 0) {
        const piece = (chunk as Buffer).length > room ? (chunk as Buffer).subarray(0, room) : (chunk as Buffer);
        chunks.push(piece);
        kept += piece.length;
      }
    }
    body = new Uint8Array(Buffer.concat(chunks));
  }
  return new Request(new URL(incoming.url ?? '/', origin), { method, headers, ...(body !== undefined ? { body: body as BufferSource } : {}) });
}

async function send(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  outgoing.writeHead(response.status, headers);
  if (response.body === null) {
    outgoing.end();
    return;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  outgoing.end(bytes);
}

/**
 * Serves a Web-standard handler with node:http (the suite's own bank or relying party, and test
 * fixtures). A handler that throws answers 500 without details.
 */
export async function serveNode(handler: WebHandler, options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      try {
        const response = await handler(await toRequest(incoming, origin));
        await send(response, outgoing);
      } catch {
        if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        outgoing.end('{"error":"CONFIG_INVALID","error_description":"internal error"}');
      }
    })();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${hostname}:${address.port}`;
  return {
    url: origin,
    port: address.port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
