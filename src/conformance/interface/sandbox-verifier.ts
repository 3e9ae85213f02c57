import { createMemoryDecisionLog } from '../../decision-log/memory-decision-log.js';
import { invalidArgument } from '../../errors/shomei-error.js';
import { createMemoryReplayStore } from '../../replay/memory-replay-store.js';
import type { TrustedPartyInput } from '../../verifier/trust.js';
import { createVerifier, type Verifier, type VerifierOptions } from '../../verifier/verify.js';
import type { RegistrationRequest } from './schemas.js';

/** A verifier whose trust configuration a sandbox can extend at run time. */
export interface SandboxVerifier extends Verifier {
  /** Adds (or replaces) a trusted party — the suite's bank or relying party (SHO-CONF-7). */
  register(entry: RegistrationRequest | TrustedPartyInput): void;
  /** The party ids trusted now. */
  parties(): string[];
}

/**
 * A verifier for a sandbox that offers trust registration (spec/17-conformance-interface.md,
 * SHO-CONF-7): `register` adds a party and rebuilds the verifier with the same replay store and decision
 * log, so that used `jti`s and the decision chain survive. The trust configuration may start empty.
 *
 * Sandbox only (SHO-CONF-13): in production the trust configuration is fixed at start-up (SHO-TRUST-1).
 *
 * @example
 * const verifier = createSandboxVerifier({ audience: party, trust: { parties: [] } });
 * createRelyingPartyTestInterface({ …, registerParty: (entry) => verifier.register(entry) });
 */
export function createSandboxVerifier(options: Omit<VerifierOptions, 'trust'> & { trust?: { parties: TrustedPartyInput[] } }): SandboxVerifier {
  if (typeof options !== 'object' || options === null) throw invalidArgument('options must be an object');
  const parties: TrustedPartyInput[] = [...(options.trust?.parties ?? [])];
  const replayStore = options.replayStore ?? createMemoryReplayStore(options.clock !== undefined ? { clock: options.clock } : {});
  const decisionLog = options.decisionLog ?? createMemoryDecisionLog();
  const build = (): Verifier | undefined => (parties.length === 0 ? undefined : createVerifier({ ...options, trust: { parties }, replayStore, decisionLog }));
  let current = build();
  // Before any registration every token is refused by a verifier that trusts nobody usable, so that
  // the refusal is decided and logged like any other (ISSUER_UNKNOWN).
  let empty: Verifier | undefined;
  const noParty = (): Verifier =>
    (empty ??= createVerifier({ ...options, trust: { parties: [{ id: 'https://nobody.invalid', keys: { jwks: { keys: [{}] } }, kinds: ['request'], max_ial: 'ial1', max_aal: 'aal1', status: 'suspended' }] }, replayStore, decisionLog }));

  return {
    verify: (token, expectations) => (current ?? noParty()).verify(token, expectations),
    verifyOrThrow: (token, expectations) => (current ?? noParty()).verifyOrThrow(token, expectations),
    keySetStates: () => current?.keySetStates() ?? {},
    close: () => replayStore.close?.() ?? Promise.resolve(),
    register(entry) {
      const index = parties.findIndex((party) => party.id === entry.id);
      if (index >= 0) parties.splice(index, 1, entry as TrustedPartyInput);
      else parties.push(entry as TrustedPartyInput);
      current = build();
    },
    parties: () => parties.map((party) => party.id),
  };
}
