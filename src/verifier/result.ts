import type { ErrorCode } from '../errors/codes.js';
import { ShomeiError } from '../errors/shomei-error.js';
import type { ClaimsOf, Kind } from '../kinds/kind.js';

/** The three outcomes of a decision (spec/13-verification.md, SHO-VER). */
export type Outcome = 'allow' | 'deny' | 'review';

/** Why a decision is not `allow`: a stable code, the requirement it enforces, and a message free of personal data. */
export interface Reason {
  code: ErrorCode;
  requirement: string;
  message: string;
  /** The claim or header member concerned, by name. */
  claim?: string;
}

/**
 * What a verification decided (SHO-VER). `claims` is present only when the signature was verified and
 * the claims passed their schema; every failure found after the signature check is listed in `reasons`.
 */
export interface Decision<K extends Kind = Kind> {
  outcome: Outcome;
  kind: K;
  reasons: Reason[];
  issuer?: string;
  kid?: string;
  jti?: string;
  /** The policy that decided, when one was applied. */
  policy?: { id: string; version: string };
  /** `transaction_hash` of the assertion, when it has one. */
  transactionHash?: string;
  /** SHA-256 of the token (base64url): an identifier for logs that reveals nothing of its contents. */
  tokenHash?: string;
  claims?: ClaimsOf[K];
}

/**
 * Thrown by `verifyOrThrow` for a decision other than `allow`: `code` is that of the first reason, and
 * the whole decision (without claims) is attached.
 */
export class VerificationError extends ShomeiError {
  readonly decision: Decision;

  constructor(decision: Decision) {
    const first = decision.reasons[0];
    super(first?.code ?? 'CLAIMS_INVALID', `${decision.outcome}: ${decision.reasons.map((reason) => reason.code).join(', ')}`, {
      requirement: first?.requirement ?? 'SHO-VER-1',
      ...(first?.claim !== undefined ? { claim: first.claim } : {}),
    });
    this.name = 'VerificationError';
    const { claims: _claims, ...withoutClaims } = decision;
    this.decision = withoutClaims;
  }
}
