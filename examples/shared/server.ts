import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

/** A Web-standard request handler, as `Hono#fetch` is. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** A service listening on a free loopback port, whose handler is set once its own URL is known. */
export interface LoopbackServer {
  port: number;
  /** Installs the handler; until then every request is answered 503. */
  setHandler(handler: FetchHandler): void;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 with port 0 (the OS picks a free port). The handler is installed afterwards,
 * because the parties' configurations name each other's URLs, which exist only once every port is known.
 */
export async function listenOnLoopback(): Promise<LoopbackServer> {
  let handler: FetchHandler | undefined;
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    server = serve(
      {
        fetch: (request) => (handler === undefined ? new Response('starting', { status: 503 }) : handler(request)),
        hostname: '127.0.0.1',
        port: 0,
        // Keep Node's own Request/Response: the package, undici and the tests share them.
        overrideGlobalObjects: false,
      },
      (info: AddressInfo) => resolve(info.port),
    );
    server.once('error', reject);
  });
  return {
    port,
    setHandler(next) {
      handler = next;
    },
    close() {
      return new Promise((resolve) => {
        if (server === undefined) return resolve();
        // Keep-alive sockets of fetch clients would hold close() open.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}
