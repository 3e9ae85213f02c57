import { claimIssues } from '../claims/issues.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
import { toPublicJwk } from '../keys/jwks.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { PublicJwk } from '../keys/types.js';
import { PartyMetadata } from '../transport/metadata.js';

/** A Web-standard handler: drops into Hono, Next.js route handlers, Deno, Bun, or node:http via an adapter. */
export type Handler = (request: Request) => Promise<Response>;

export interface PublicationOptions {
  /** Seconds caches may keep the document (SHO-KEY: 300 by default). Rotation timing depends on it. */
  maxAge?: number;
}

/**
 * Serves the JWKS (spec/11-keys.md, SHO-KEY): public members only — a private member can never leave
 * through this handler, even if a private JWK was handed in — with `Cache-Control: public, max-age`,
 * a strong ETag and `304 Not Modified` for revalidation.
 *
 * @example
 * ```ts
 * app.get('/.well-known/jwks.json', (c) => jwksHandler(c.req.raw));
 * const jwksHandler = createJwksHandler(keyRing);
 * ```
 */
export function createJwksHandler(keys: KeyRing | (() => { keys: readonly PublicJwk[] }), options: PublicationOptions = {}): Handler {
  const source = typeof keys === 'function' ? keys : () => keys.publicJwks();
  if (typeof source !== 'function') throw invalidArgument('keys must be a KeyRing or a function returning a JWKS');
  const maxAge = checkedMaxAge(options.maxAge);
  return async (request) => {
    const keys = source().keys;
    // Publishing a private key is a configuration mistake that must be loud, not silently repaired (SHO-KEY-6).
    if (keys.some((jwk) => PRIVATE_MEMBERS.some((member) => member in jwk))) {
      throw new ShomeiError('KEY_INVALID', 'refusing to publish a JWK with a private member', { requirement: 'SHO-KEY-6', reason: 'private_member' });
    }
    const jwks = { keys: keys.map((jwk) => toPublicJwk(jwk)) };
    return publish(request, JSON.stringify(jwks), 'application/jwk-set+json', maxAge);
  };
}

/**
 * Serves the metadata document at `/.well-known/shomei` (spec/11-keys.md, SHO-KEY), validated once,
 * when the handler is created.
 */
export function createMetadataHandler(metadata: PartyMetadata, options: PublicationOptions = {}): Handler {
  const parsed = PartyMetadata.safeParse(metadata);
  if (!parsed.success) {
    const [first] = claimIssues(parsed.error);
    throw invalidArgument(`metadata is invalid: ${first?.claim}: ${first?.message}`);
  }
  const body = JSON.stringify(parsed.data);
  const maxAge = checkedMaxAge(options.maxAge);
  return async (request) => publish(request, body, 'application/json', maxAge);
}

async function publish(request: Request, body: string, contentType: string, maxAge: number): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { allow: 'GET, HEAD', 'cache-control': 'no-store' } });
  }
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
  const etag = `"${Array.from(digest.subarray(0, 12), (byte) => byte.toString(16).padStart(2, '0')).join('')}"`;
  const headers = {
    'content-type': contentType,
    'cache-control': `public, max-age=${maxAge}`,
    etag,
    'x-content-type-options': 'nosniff',
    'access-control-allow-origin': '*',
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}

function checkedMaxAge(maxAge = 300): number {
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86_400) throw invalidArgument('maxAge must be a whole number of seconds from 0 to 86400');
  return maxAge;
}
