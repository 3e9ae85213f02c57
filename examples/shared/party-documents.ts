import type { Hono } from 'hono';
import type { PartyMetadata } from 'shomei';
import { createJwksHandler, createMetadataHandler, type KeyRing } from 'shomei/issuer';

/** What differs between the example parties' metadata; the JWKS location, algorithm and spec version do not. */
export type PartyDescription = Omit<PartyMetadata, 'jwks_uri' | 'algs_supported' | 'spec_version'>;

/**
 * Publishes a party's metadata at `/.well-known/shomei` and its key ring at `/jwks.json` of `app`
 * (relative to its base path), with the package's handlers (spec/12).
 */
export function mountPartyDocuments(app: Hono, keyRing: KeyRing, description: PartyDescription): void {
  const { issuer, roles, kinds_supported, ...rest } = description;
  const metadata = createMetadataHandler({ issuer, jwks_uri: `${issuer}/jwks.json`, roles, kinds_supported, algs_supported: ['ES256'], ...rest, spec_version: '1' });
  const jwks = createJwksHandler(keyRing);
  app.get('/.well-known/shomei', (c) => metadata(c.req.raw));
  app.get('/jwks.json', (c) => jwks(c.req.raw));
}
