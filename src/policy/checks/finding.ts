import type { ErrorCode } from '../../errors/codes.js';

/** One broken policy rule, before the decision is assembled. `severity` decides the outcome it leads to. */
export interface Finding {
  code: ErrorCode;
  requirement: string;
  message: string;
  severity: 'deny' | 'review';
}

/** A finding that makes the decision `deny`. */
export function deny(code: ErrorCode, requirement: string, message: string): Finding {
  return { code, requirement, message, severity: 'deny' };
}

const SAFE_TOKEN = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * A vocabulary value taken from an assertion (a trust framework, a procedure, a currency), fit for a message.
 * The schema lets issuers send framework-defined strings; anything that does not look like a vocabulary code is
 * replaced, so a hostile or careless issuer cannot route personal data into decision logs through our messages.
 */
export function quoteCode(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return SAFE_TOKEN.test(value) ? value : '(unlisted value)';
}
