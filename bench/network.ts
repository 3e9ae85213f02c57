// NODE-ONLY (benchmark): verification against a remote key set makes no request once the cache is warm.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, BANK, BROKER, bankParty, type BenchKeys, type LinkContext } from './fixtures.js';
import { nodeEntry, verifierEntry } from './shomei.js';

const { createNodeCryptoBackend } = nodeEntry;
const { createVerifier } = verifierEntry;

export interface WarmCacheReport {
  /** Requests the JWKS server received while the first token was verified (the cold fetch). */
  warmupRequests: number;
  verified: number;
  /** Requests the JWKS server received while `verified` tokens were verified afterwards: must be 0. */
  requestsAfterWarmup: number;
  /** `keySetStates()[issuer].fetchCount` before and after those verifications. */
  fetchCountBefore: number;
  fetchCountAfter: number;
  pass: boolean;
}

/**
 * Serves the bank's JWKS on 127.0.0.1 (Cache-Control: max-age=300, as shomei's handler does), verifies
 * one token to warm the cache, then `tokens.length - 1` more, counting requests on both sides: at the
 * server, and with the verifier's own `keySetStates()` counter.
 */
export async function warmCacheRequests(keys: BenchKeys, context: LinkContext, tokens: readonly string[]): Promise<WarmCacheReport> {
  let requests = 0;
  const body = JSON.stringify({ keys: [keys.publicJwk] });
  const server: Server = createServer((request, response) => {
    requests++;
    response.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'public, max-age=300' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const verifier = createVerifier({
    audience: BROKER,
    trust: { parties: [bankParty(keys, `http://127.0.0.1:${port}/jwks`)] },
    crypto: createNodeCryptoBackend(),
  });
  const expectations = { kind: 'link', issuer: BANK, nonce: context.nonce, request: context.request, account: { ...ACCOUNT }, action: 'account_link' } as const;
  const check = async (token: string): Promise<void> => {
    const decision = await verifier.verify(token, expectations);
    if (decision.outcome !== 'allow') throw new Error(`warm-cache check: ${decision.outcome} ${decision.reasons.map((r) => r.code).join(',')}`);
  };
  try {
    await check(tokens[0]!);
    const warmupRequests = requests;
    const fetchCountBefore = verifier.keySetStates()[BANK]?.fetchCount ?? -1;
    for (const token of tokens.slice(1)) await check(token);
    const fetchCountAfter = verifier.keySetStates()[BANK]?.fetchCount ?? -1;
    const requestsAfterWarmup = requests - warmupRequests;
    return {
      warmupRequests,
      verified: tokens.length - 1,
      requestsAfterWarmup,
      fetchCountBefore,
      fetchCountAfter,
      pass: requestsAfterWarmup === 0 && fetchCountAfter === fetchCountBefore,
    };
  } finally {
    await verifier.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
