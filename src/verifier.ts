/**
 * `shomei/verifier` — the checking side: trust configuration, key retrieval, verification of every kind
 * in a fixed order, the declarative policy engine with its documented default, replay protection and
 * the decision log.
 */
export { createVerifier } from './verifier/verify.js';
export type { Verifier, VerifierOptions, Expectations } from './verifier/verify.js';
export { VerificationError } from './verifier/result.js';
export type { Decision, Outcome, Reason } from './verifier/result.js';
export { TrustConfig, TrustedParty, loadTrustConfig } from './verifier/trust.js';
export type { TrustConfigInput, TrustedPartyInput } from './verifier/trust.js';

export { DEFAULT_POLICY } from './policy/default-policy.js';
export { evaluatePolicy } from './policy/evaluate.js';
export type { PolicyDecision, PolicyReason } from './policy/evaluate.js';
export { loadPolicy } from './policy/load.js';
export { policySchema } from './policy/schema.js';
export type { Policy, ActionRule } from './policy/schema.js';
export type { PolicyFacts, KycFact } from './policy/facts.js';

export { createMemoryReplayStore } from './replay/memory-replay-store.js';
export type { ReplayStore, ConsumeResult } from './replay/replay-store.js';
export { createMemoryDecisionLog } from './decision-log/memory-decision-log.js';
export type { DecisionLog, DecisionEntry } from './decision-log/decision-log.js';

export { createRemoteKeySet } from './keyset/remote-key-set.js';
export type { RemoteKeySet, RemoteKeySetOptions } from './keyset/remote-key-set.js';
export { createLocalKeySet } from './keyset/local-key-set.js';
export type { KeyResolver, KeySetState, ResolvedKey } from './keyset/key-resolver.js';
export { webCryptoBackend } from './crypto/webcrypto.js';
export type { CryptoBackend, PublicKeyHandle } from './crypto/backend.js';
export { parseCompact, decodePayload } from './jws/compact.js';
export type { DecodePayloadOptions, ParsedJws } from './jws/compact.js';

export { createRelyingPartyClient } from './transport/relying-party-client.js';
export type { RelyingPartyClient, RelyingPartyClientOptions, PushedRequest, RequestToPush, CallbackResult, ExchangedAssertion, RedeemExpectations } from './transport/relying-party-client.js';
export { fetchPartyMetadata } from './transport/fetch-metadata.js';
export { PartnerError } from './transport/partner-error.js';
export type { PartnerHttpOptions, FetchLike } from './transport/partner-http.js';
