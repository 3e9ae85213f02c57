import type { ErrorCode } from './codes.js';

/** Details a {@link ShomeiError} may carry; none of them may hold personal data or a token. */
export interface ShomeiErrorOptions {
  /** The requirement of spec/ that the failure breaks, for example `SHO-TXN-3`. */
  requirement?: string;
  /** The claim or header member concerned, by name only (never its value). */
  claim?: string;
  /** A short machine-readable reason, for example `in_future` or `missing`. */
  reason?: string;
  cause?: unknown;
}

/**
 * The one error class of the package for a partner's bad data, an unavailable dependency or a refused
 * operation. `code` is from the closed list in spec/16-errors.md (SHO-ERR-1); messages are written for
 * engineers and never contain a token, a name, a birthdate, an address or an account number (SHO-ERR-3).
 *
 * A caller's own mistake (a wrong argument type) throws `TypeError` instead.
 */
export class ShomeiError extends Error {
  readonly code: ErrorCode;
  readonly requirement?: string;
  readonly claim?: string;
  readonly reason?: string;

  constructor(code: ErrorCode, message: string, options: ShomeiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShomeiError';
    this.code = code;
    if (options.requirement !== undefined) this.requirement = options.requirement;
    if (options.claim !== undefined) this.claim = options.claim;
    if (options.reason !== undefined) this.reason = options.reason;
  }
}

/** A caller's mistake: thrown as `TypeError` with `code = 'ERR_INVALID_ARG_VALUE'` (as Node and oauth4webapi do). */
export function invalidArgument(message: string): TypeError {
  const error = new TypeError(message) as TypeError & { code: string };
  error.code = 'ERR_INVALID_ARG_VALUE';
  return error;
}
