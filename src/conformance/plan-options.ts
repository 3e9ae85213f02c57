import type { SelectionOptions } from './runner.js';
import type { Serve } from './server.js';

/** Options both plans take: the partner's test interface, and where the suite's own party listens. */
export interface PlanOptions extends SelectionOptions {
  /** The partner's conformance test interface (spec/17-conformance-interface.md). */
  target: string;
  /** Bearer secret of the test interface, when the partner protects it (SHO-CONF-5). */
  bearerToken?: string;
  /** Where the suite's own party (its relying party or its bank) listens (default 127.0.0.1, any free port). */
  host?: string;
  port?: number;
  /** The suite party's identifier when it is reached through another address (a tunnel, a proxy). */
  publicUrl?: string;
  /** How to listen; node:http by default. */
  serve?: Serve;
  fetch?: typeof fetch;
}
