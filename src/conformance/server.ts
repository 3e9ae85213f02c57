/** A Web-standard handler. */
export type WebHandler = (request: Request) => Promise<Response>;

/** Where the suite listens. */
export interface ServeOptions {
  /** Default `127.0.0.1` (loopback: the suite's test keys are never exposed further unless asked). */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
}

/** A listening server. */
export interface RunningServer {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a server for the suite's role; a runtime without one passes its own `serve`. */
export type Serve = (handler: WebHandler, options: ServeOptions) => Promise<RunningServer>;

/**
 * The default {@link Serve}: node:http, loaded only when called, so that `shomei/conformance` stays
 * importable where there is no node:http (the plans accept any other `serve`).
 */
export const serveDefault: Serve = async (handler, options) => {
  const { serveNode } = await import('./node-server.js');
  return serveNode(handler, options);
};
