import { webCryptoBackend } from '../../crypto/webcrypto.js';
import { invalidArgument, ShomeiError } from '../../errors/shomei-error.js';
import { isAlg } from '../../jws/algorithms.js';
import { decodePayload, parseCompact } from '../../jws/compact.js';
import { signCompact } from '../../jws/sign.js';
import type { Signer } from '../../keys/signer.js';
import type { PublicJwk } from '../../keys/types.js';
import type { PlanReport } from '../types.js';

/** `typ` of a signed report: not one of the four token kinds, so no verifier mistakes it for one. */
export const REPORT_TYP = 'shomei-conformance-report+jws';

/** The JSON report (issue 4 point 3): tool version, plan, target, time, every module with its log. */
export function toJsonReport(report: PlanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Signs the report as a compact JWS with the tester's key, so that a partner can prove what was run
 * against it and with which result (OpenID conformance suite: signed exports). The payload is the report
 * itself; the header names the key by `kid` (its RFC 7638 thumbprint).
 *
 * @example const jws = await signReport(report, await createLocalSigner(privateJwk, { alg: 'ES256' }));
 */
export async function signReport(report: PlanReport, signer: Signer): Promise<string> {
  if (typeof report !== 'object' || report === null) throw invalidArgument('report must be a PlanReport');
  return signCompact({ typ: REPORT_TYP }, report as unknown as Record<string, unknown>, signer);
}

/**
 * Verifies a signed report against the tester's public key and returns the report.
 *
 * @throws ShomeiError `MALFORMED_TOKEN`, `TYP_MISMATCH`, `ALG_NOT_ALLOWED`, `KEY_INVALID` or `SIGNATURE_INVALID`.
 */
export async function verifySignedReport(jws: string, publicJwk: PublicJwk): Promise<PlanReport> {
  const parsed = parseCompact(jws, { maxLength: 64 * 1024 * 1024 });
  if (parsed.header.typ !== REPORT_TYP) throw new ShomeiError('TYP_MISMATCH', `a signed report has typ ${REPORT_TYP}`);
  const alg = parsed.header.alg;
  if (!isAlg(alg)) throw new ShomeiError('ALG_NOT_ALLOWED', 'the report is not signed with ES256, EdDSA or PS256');
  if (publicJwk.kid !== undefined && parsed.header.kid !== publicJwk.kid) throw new ShomeiError('SIGNATURE_INVALID', 'the report was signed with another key');
  const key = await webCryptoBackend.importPublicKey(publicJwk, alg);
  if (!(await webCryptoBackend.verify(alg, key, parsed.signingInput, parsed.signature))) {
    throw new ShomeiError('SIGNATURE_INVALID', 'the report signature does not verify');
  }
  return decodePayload(parsed) as unknown as PlanReport;
}
