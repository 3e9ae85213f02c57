import { parseCompact } from '../../jws/compact.js';
import { fetchPartyMetadata } from '../../transport/fetch-metadata.js';
import { createVerifier } from '../../verifier/verify.js';
import { checkEqual, checkThat } from '../checks.js';
import type { RelyingPartyInfo } from '../interface/schemas.js';
import type { ModuleLog } from '../log.js';
import type { PushedRecord } from './suite-bank.js';

/** The relying party's request, checked as a bank would (SHO-REQ-13) and for the flow's form. */
export async function checkPushedRequest(log: ModuleLog, input: { pushed: PushedRecord; authorizationUrl: string; info: RelyingPartyInfo; bankId: string }): Promise<void> {
  const { pushed, info } = input;
  const header = parseCompact(pushed.token, { maxLength: 65_536 }).header;
  const members = Object.keys(header).sort().join(',');
  log.record(checkThat('request header members', 'SHO-JWS-18', members === 'alg,kid,typ', 'exactly alg, kid, typ', members));
  log.record(checkEqual('request typ', 'SHO-REQ-1', 'shomei-request+jwt', header.typ));
  log.record(checkEqual('request iss is the relying party', 'SHO-REQ-1', info.party, pushed.claims.iss));
  const authorization = new URL(input.authorizationUrl);
  log.record(checkEqual('authorization URL client_id', 'SHO-FLOW-8', info.party, authorization.searchParams.get('client_id')));
  log.record(checkThat('request nonce carries at least 128 bits', 'SHO-CLM-11', pushed.claims.nonce.length >= 22, 'at least 22 base64url characters', `${pushed.claims.nonce.length} characters`));
  let jwksUri: string;
  let algs: Array<'ES256' | 'EdDSA' | 'PS256'>;
  try {
    const metadata = await fetchPartyMetadata(info.party);
    jwksUri = metadata.jwks_uri;
    algs = metadata.algs_supported;
  } catch (error) {
    log.record(checkThat('relying party metadata', 'SHO-KEY-1', false, `a metadata document at ${info.party}/.well-known/shomei`, (error as { code?: string }).code ?? 'unreachable'), 'SHOULD');
    return;
  }
  const verifier = createVerifier({
    audience: input.bankId,
    trust: { parties: [{ id: info.party, keys: { jwks_uri: jwksUri }, kinds: ['request'], max_ial: 'ial3', max_aal: 'aal3', algs, status: 'active' }] },
    policy: false,
  });
  try {
    const decision = await verifier.verify(pushed.token, { kind: 'request', issuer: info.party });
    const codes = decision.reasons.map((reason) => reason.code);
    log.record(checkThat('request verifies as a request token', 'SHO-REQ-13', decision.outcome === 'allow', 'allow', codes.length === 0 ? decision.outcome : `${decision.outcome} (${codes.join(', ')})`));
  } finally {
    await verifier.close();
  }
}
