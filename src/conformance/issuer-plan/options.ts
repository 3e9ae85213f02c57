import type { SelectionOptions } from '../runner.js';
import type { Serve } from '../server.js';

/** Options of `runIssuerPlan`. */
export interface IssuerPlanOptions extends SelectionOptions {
  /** The bank's conformance test interface (spec/17-conformance-interface.md). */
  target: string;
  bearerToken?: string;
  /** Where the suite's relying party listens (default 127.0.0.1, any free port). */
  host?: string;
  port?: number;
  /** The suite relying party's party identifier when reached through another address. */
  publicUrl?: string;
  serve?: Serve;
  fetch?: typeof fetch;
  /**
   * Assisted mode: instead of the bank's test-login hook, a person completes each authorization in a
   * browser; the suite prints the URL through `onPrompt` and waits for the redirect to its callback.
   */
  assisted?: boolean;
  onPrompt?: (prompt: { module: string; url: string; instruction: string }) => void;
  /** How long to wait for the person in assisted mode, per authorization (default 300000 ms). */
  assistedTimeoutMs?: number;
}

