import { claimIssues } from '../claims/issues.js';
import { PartyId } from '../claims/common.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { METADATA_PATH, PartyMetadata } from './metadata.js';
import { createPartnerHttp, type PartnerHttpOptions } from './partner-http.js';

/**
 * Fetches and validates a partner's metadata document from `<party identifier>/.well-known/shomei`
 * (spec/11-keys.md SHO-KEY-1), treating the answer as hostile (exact 200, no redirect, JSON object,
 * size cap, deadline; SHO-FETCH-2–6). The document must pass {@link PartyMetadata} and name, as
 * `issuer`, exactly the identifier it was fetched for (SHO-KEY-2, RFC 8414 §3.3) — otherwise a
 * document could speak for another party.
 *
 * The metadata only tells where the partner's endpoints and keys are. Whether the partner is trusted,
 * for which kinds and up to which levels, is the verifier's trust configuration alone (SHO-ROLE-7).
 *
 * @throws TypeError when `party` is not a party identifier; ShomeiError `FETCH_FAILED` (reasons
 *   `network`, `timeout`, `redirect`, `status`, `content_type`, `too_large`, `not_json`,
 *   `invalid_metadata`, `issuer_mismatch`).
 * @example const bank = await fetchPartyMetadata('https://bank.example');
 *          const pushed = await client.pushRequest(bank, input);
 * @see spec/11-keys.md SHO-KEY-1, SHO-KEY-2; spec/12-transport.md
 */
export async function fetchPartyMetadata(party: string, options: PartnerHttpOptions = {}): Promise<PartyMetadata> {
  if (!PartyId.safeParse(party).success) throw invalidArgument('party must be a party identifier (an https URL, http only on loopback)');
  const call = createPartnerHttp(options);
  const url = `${party.replace(/\/+$/, '')}${METADATA_PATH}`;
  const body = await call({ method: 'GET', url, expectedStatus: 200 });
  const parsed = PartyMetadata.safeParse(body);
  if (!parsed.success) {
    const [first] = claimIssues(parsed.error);
    throw new ShomeiError('FETCH_FAILED', `the metadata of ${party} is invalid: ${first?.claim}: ${first?.message}`, {
      reason: 'invalid_metadata',
      requirement: 'SHO-KEY-1',
      ...(first !== undefined ? { claim: first.claim } : {}),
    });
  }
  if (parsed.data.issuer !== party) {
    throw new ShomeiError('FETCH_FAILED', `the metadata fetched for ${party} names another issuer`, {
      reason: 'issuer_mismatch',
      requirement: 'SHO-KEY-2',
      claim: 'issuer',
    });
  }
  return parsed.data;
}
