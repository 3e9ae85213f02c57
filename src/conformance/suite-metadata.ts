/**
 * The metadata document (`/.well-known/shomei`) of one of the suite's own parties — its relying party in
 * the issuer plan, its bank in the verifier plan: JWKS at `{origin}/jwks`, ES256 only, cacheable.
 *
 * @see spec/11-keys.md SHO-KEY-1, SHO-KEY-2
 */
export function suiteMetadataResponse(
  origin: string,
  document: { roles: string[]; kinds_supported: string[]; organization_name: string } & Record<string, unknown>,
): Response {
  const { roles, kinds_supported, organization_name, ...endpoints } = document;
  return new Response(
    JSON.stringify({
      issuer: origin,
      jwks_uri: `${origin}/jwks`,
      roles,
      kinds_supported,
      algs_supported: ['ES256'],
      ...endpoints,
      organization_name,
      spec_version: '1',
    }),
    { headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' } },
  );
}
