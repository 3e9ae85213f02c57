import type { ErrorCode } from '../errors/codes.js';
import { ShomeiError } from '../errors/shomei-error.js';

/**
 * A partner answered a flow call with a protocol error response (SHO-FLOW-3): the call failed
 * (`code` `FETCH_FAILED`, `reason` `refused`), and `partnerError` holds the code the partner gave, when
 * it is one of the closed list — for example `KYC_MISSING` when a bank refused a wallet's push.
 *
 * The partner's `error_description` is not kept: it is partner text, and partner text is not trusted
 * to be free of personal data.
 *
 * @example
 * try { await client.pushRequest(bank, input); }
 * catch (error) { if (error instanceof PartnerError) console.log(error.status, error.partnerError); }
 * @see spec/12-transport.md SHO-FLOW-3, SHO-FLOW-4
 */
export class PartnerError extends ShomeiError {
  /** The HTTP status the partner answered with. */
  readonly status: number;
  /** The partner's `error` code, when it is a known one. */
  readonly partnerError?: ErrorCode;

  constructor(status: number, partnerError: ErrorCode | undefined, origin: string) {
    super('FETCH_FAILED', `${origin} refused the call with status ${status}${partnerError !== undefined ? ` and error ${partnerError}` : ''}`, {
      reason: 'refused',
      requirement: 'SHO-FLOW-3',
    });
    this.name = 'PartnerError';
    this.status = status;
    if (partnerError !== undefined) this.partnerError = partnerError;
  }
}
