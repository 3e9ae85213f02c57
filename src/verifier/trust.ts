import { z } from 'zod';
import { PartyId } from '../claims/common.js';
import { claimIssues } from '../claims/issues.js';
import { ShomeiError } from '../errors/shomei-error.js';
import { ALGORITHMS } from '../jws/algorithms.js';
import { KINDS } from '../kinds/kind.js';
import { AAL_LEVELS, IAL_LEVELS } from '../vocabulary/trust-frameworks.js';

/**
 * One party this verifier trusts (spec/13-verification.md, SHO-TRUST): who it is, where its keys are,
 * what it may assert, and how much of its word counts. A bank's own "ial3" counts for no more than
 * `max_ial`; its "aal3" for no more than `max_aal`.
 */
export const TrustedParty = z.strictObject({
  /** The party's identifier, equal to the `iss` of what it signs. */
  id: PartyId,
  /** A display name for logs and consent screens. */
  name: z.string().min(1).max(128).optional(),
  /** Its keys: a `jwks_uri` fetched over HTTPS, or a JWKS configured inline. */
  keys: z.union([
    z.strictObject({ jwks_uri: PartyId }),
    z.strictObject({ jwks: z.object({ keys: z.array(z.custom<object>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'a JWK object')).min(1) }) }),
  ]),
  /** Which kinds it may issue to this verifier; a kind not listed is refused (KIND_NOT_ALLOWED). */
  kinds: z.array(z.enum(KINDS)).min(1),
  /** The highest identity assurance level accepted from it; claims above are capped. */
  max_ial: z.enum(IAL_LEVELS),
  /** The highest authentication assurance level accepted from it; claims above are capped. */
  max_aal: z.enum(AAL_LEVELS),
  /** Algorithms it may sign with; ES256 only unless configured. */
  algs: z.array(z.enum(ALGORITHMS)).min(1).default(['ES256']),
  /** `suspended` refuses everything it signs (ISSUER_SUSPENDED) without removing the entry. */
  status: z.enum(['active', 'suspended']),
  /** For a relying party: the redirect URIs its requests may name (SHO-FLOW); any other is refused. */
  redirect_uris: z.array(PartyId).min(1).optional(),
});
export type TrustedParty = z.output<typeof TrustedParty>;
export type TrustedPartyInput = z.input<typeof TrustedParty>;

/** The verifier's trust configuration: the named parties it trusts, nobody else (SHO-TRUST). */
export const TrustConfig = z
  .strictObject({ parties: z.array(TrustedParty).min(1) })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.parties.forEach((party, index) => {
      if (seen.has(party.id)) context.addIssue({ code: 'custom', message: 'a party is listed twice', path: ['parties', index, 'id'] });
      seen.add(party.id);
    });
  });
export type TrustConfig = z.output<typeof TrustConfig>;
export type TrustConfigInput = z.input<typeof TrustConfig>;

/**
 * Validates a trust configuration when the verifier is built: a bad one fails at start-up with
 * `CONFIG_INVALID` naming every offending path (SHO-TRUST), never on the first request.
 */
export function loadTrustConfig(input: unknown): TrustConfig {
  const parsed = TrustConfig.safeParse(input);
  if (!parsed.success) {
    const issues = claimIssues(parsed.error).map((issue) => `${issue.claim}: ${issue.message}`);
    throw new ShomeiError('CONFIG_INVALID', `trust configuration is invalid — ${issues.join('; ')}`, { requirement: 'SHO-TRUST-1' });
  }
  return parsed.data;
}
