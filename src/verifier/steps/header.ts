import type { Alg } from '../../jws/algorithms.js';
import { KIND_DEFINITIONS, kindOfTyp, type Kind } from '../../kinds/kind.js';
import type { Reason } from '../result.js';

/**
 * Checks the protected header before any key is touched (spec/13-verification.md, SHO-VER step 2):
 * `alg` is on the allow-list (RFC 8725 §3.1; `none`, `HS256` and every other value fail here), `typ`
 * names the expected kind and no other (RFC 8725 §3.11), `kid` is present, and nothing is critical
 * (RFC 7515 §4.1.11: we understand no extension, so `crit` — and with it `b64: false` — is refused).
 * `jwk`, `jku`, `x5u`, `x5c` are not read at all.
 */
export function checkHeader(
  header: Record<string, unknown>,
  expected: Kind,
  allowedAlgs: readonly Alg[],
): { ok: true; alg: Alg; kid: string } | { ok: false; reason: Reason } {
  // alg first: `none`, `HS256` and the like are ALG_NOT_ALLOWED whatever else the header says (SHO-JWS-6),
  // the answer an attacker probing for algorithm confusion gets from every JOSE library.
  if (typeof header.alg !== 'string' || !(allowedAlgs as readonly string[]).includes(header.alg)) {
    return fail('ALG_NOT_ALLOWED', 'SHO-JWS-6', 'alg', `alg is not one of ${allowedAlgs.join(', ')}`);
  }
  const typKind = kindOfTyp(header.typ);
  if (typKind !== expected) {
    return fail('TYP_MISMATCH', 'SHO-KIND-2', 'typ', typKind === undefined
      ? `typ is missing or not a shomei kind; expected ${KIND_DEFINITIONS[expected].typ}`
      : `typ names the ${typKind} kind; expected ${KIND_DEFINITIONS[expected].typ}`);
  }
  if ('crit' in header || 'b64' in header) {
    return fail('CRIT_UNSUPPORTED', 'SHO-JWS-9', 'crit', 'the header declares an extension (crit or b64) this verifier does not implement');
  }
  if ('cty' in header) {
    return fail('MALFORMED_TOKEN', 'SHO-JWS-21', 'cty', 'cty is present: shomei tokens are never nested');
  }
  if (typeof header.kid !== 'string' || header.kid.length === 0) {
    return fail('KID_MISSING', 'SHO-JWS-7', 'kid', 'kid is missing or not a string');
  }
  // Present but longer than any kid a trusted set may hold: not looked up, nor carried further.
  if (header.kid.length > 256) return fail('KEY_NOT_FOUND', 'SHO-JWS-7', 'kid', "no trusted key has the token's kid");
  return { ok: true, alg: header.alg as Alg, kid: header.kid };
}

function fail(code: Reason['code'], requirement: string, claim: string, message: string): { ok: false; reason: Reason } {
  return { ok: false, reason: { code, requirement, claim, message } };
}
