import { z } from 'zod';
import { PartyId } from '../claims/common.js';
import { ALGORITHMS } from '../jws/algorithms.js';
import { KINDS } from '../kinds/kind.js';

/** Where a party publishes its metadata document, relative to its identifier (spec/11-keys.md, SHO-KEY). */
export const METADATA_PATH = '/.well-known/shomei';

/**
 * A party's metadata document (spec/11-keys.md, SHO-KEY), in the manner of RFC 8414: its identifier,
 * where its keys are, which roles and kinds it serves, and the endpoints of the flows it offers
 * (spec/12-transport.md). Endpoints are absolute URLs.
 */
export const PartyMetadata = z.object({
  issuer: PartyId,
  jwks_uri: PartyId,
  roles: z.array(z.enum(['issuer', 'relying_party'])).min(1),
  kinds_supported: z.array(z.enum(KINDS)).min(1),
  algs_supported: z.array(z.enum(ALGORITHMS)).min(1),
  request_endpoint: PartyId.optional(),
  authorization_endpoint: PartyId.optional(),
  assertion_endpoint: PartyId.optional(),
  nonce_endpoint: PartyId.optional(),
  redirect_uris: z.array(PartyId).optional(),
  trust_frameworks_supported: z.array(z.string()).optional(),
  evidence_supported: z.array(z.string()).optional(),
  documents_supported: z.array(z.string()).optional(),
  organization_name: z.string().max(256).optional(),
  spec_version: z.string().optional(),
});
export type PartyMetadata = z.infer<typeof PartyMetadata>;
