import { jsonResponse } from '../../transport/error-response.js';
import type { ForgeKey } from '../forge/keys.js';
import type { WebHandler } from '../server.js';
import { suiteMetadataResponse } from '../suite-metadata.js';

/** The relying party the suite plays in the issuer plan: metadata, JWKS, and a callback for assisted runs. */
export interface SuiteRelyingParty {
  readonly handler: WebHandler;
  id(): string;
  setOrigin(origin: string): void;
  callbackUrl(): string;
  /** Resolves with the query of the next browser visit to the callback with this `state` (assisted mode). */
  waitForCallback(state: string, timeoutMs: number): Promise<URLSearchParams | undefined>;
  /** How often the bank fetched the suite's key set. */
  jwksFetches(): number;
}

/**
 * Creates the suite's relying party. Its keys are test keys generated for the run (SHO-CONF-1); the
 * partner bank trusts it through the registration of its sandbox (SHO-CONF-7) or by configuration.
 */
export function createSuiteRelyingParty(keys: { rp: ForgeKey; extra: () => readonly ForgeKey[] }): SuiteRelyingParty {
  let origin = '';
  let fetches = 0;
  const waiting = new Map<string, (params: URLSearchParams) => void>();

  const handler: WebHandler = async (request) => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/.well-known/shomei':
        return suiteMetadataResponse(request, origin, {
          roles: ['relying_party'],
          kinds_supported: ['request', 'identity'],
          redirect_uris: [`${origin}/callback`],
          organization_name: 'shomei conformance suite (relying-party role)',
        });
      case '/jwks':
        fetches += 1;
        return new Response(JSON.stringify({ keys: [keys.rp.publicJwk, ...keys.extra().map((key) => key.publicJwk)] }), {
          headers: { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' },
        });
      case '/callback': {
        const resolve = waiting.get(url.searchParams.get('state') ?? '');
        resolve?.(url.searchParams);
        return new Response(
          `<!doctype html><meta charset="utf-8"><title>shomei conformance</title><p>${resolve === undefined ? 'This flow is not awaited by the suite.' : 'The conformance suite received the redirect. You can close this window.'}</p>`,
          { status: resolve === undefined ? 400 : 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
        );
      }
      default:
        return jsonResponse(404, { error: 'REQUEST_MISMATCH', error_description: 'not found' });
    }
  };

  return {
    handler,
    id: () => origin,
    setOrigin(value) {
      origin = value.replace(/\/+$/, '');
    },
    callbackUrl: () => `${origin}/callback`,
    waitForCallback(state, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(state);
          resolve(undefined);
        }, timeoutMs);
        waiting.set(state, (params) => {
          clearTimeout(timer);
          waiting.delete(state);
          resolve(params);
        });
      });
    },
    jwksFetches: () => fetches,
  };
}
