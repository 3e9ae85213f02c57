import { z } from 'zod';
import { KIND_DEFINITIONS, KINDS } from '../kinds/kind.js';
import { policySchema } from '../policy/schema.js';
import { PartyMetadata } from '../transport/metadata.js';
import { TrustConfig } from '../verifier/trust.js';
import { VerifiedClaims } from './verified-claims.js';

const BASE = 'urn:shomei:schema:';

/**
 * The JSON Schemas published in spec/schemas/, generated from the zod schemas the code uses (so they
 * cannot drift: a test regenerates them and compares). Cross-field rules that JSON Schema cannot say
 * (for example "a payout request names its transaction") are in spec/ and enforced by the SDK.
 */
export function jsonSchemas(): Record<string, object> {
  const schemas: Record<string, object> = {};
  for (const kind of KINDS) {
    const definition = KIND_DEFINITIONS[kind];
    schemas[`${kind}.claims.schema.json`] = generate(definition.schema, `${kind}.claims`, `Claims of a ${definition.typ} token`);
  }
  schemas['verified-claims.schema.json'] = generate(VerifiedClaims, 'verified-claims', 'OpenID Identity Assurance verified_claims as shomei accepts it');
  schemas['policy.schema.json'] = generate(policySchema, 'policy', 'A shomei policy document');
  schemas['trust-config.schema.json'] = generate(TrustConfig, 'trust-config', "A verifier's trust configuration", 'input');
  schemas['metadata.schema.json'] = generate(PartyMetadata, 'metadata', 'A party metadata document (/.well-known/shomei)');
  return schemas;
}

function generate(schema: z.ZodType, id: string, title: string, io: 'input' | 'output' = 'output'): object {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...generated, $id: `${BASE}${id}`, title };
}
