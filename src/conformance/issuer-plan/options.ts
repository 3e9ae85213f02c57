import type { PlanOptions } from '../plan-options.js';

/** Options of `runIssuerPlan`; `target` is the bank's test interface, the suite plays the relying party. */
export interface IssuerPlanOptions extends PlanOptions {
  /**
   * Assisted mode: instead of the bank's test-login hook, a person completes each authorization in a
   * browser; the suite prints the URL through `onPrompt` and waits for the redirect to its callback.
   */
  assisted?: boolean;
  onPrompt?: (prompt: { module: string; url: string; instruction: string }) => void;
  /** How long to wait for the person in assisted mode, per authorization (default 300000 ms). */
  assistedTimeoutMs?: number;
}

