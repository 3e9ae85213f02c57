import { createMetadataHandler } from '../issuer/handlers.js';

/**
 * The metadata document (`/.well-known/shomei`) of one of the suite's own parties — its relying party in
 * the issuer plan, its bank in the verifier plan: JWKS at `{origin}/jwks`, ES256 only, served by the
 * package's own metadata handler (validated, cacheable, with an ETag).
 *
 * @see spec/11-keys.md SHO-KEY-1, SHO-KEY-2
 */
export function suiteMetadataResponse(
  request: Request,
  origin: string,
  document: { roles: string[]; kinds_supported: string[]; organization_name: string } & Record<string, unknown>,
): Promise<Response> {
  const metadata = { issuer: origin, jwks_uri: `${origin}/jwks`, algs_supported: ['ES256'], spec_version: '1', ...document };
  return createMetadataHandler(metadata as Parameters<typeof createMetadataHandler>[0])(request);
}
