/**
 * Trust configuration (spec/13-verification.md SHO-TRUST, SHO-VER-3, SHO-BIND-7, SHO-KIND-6): only
 * configured parties, for configured kinds, up to configured ceilings; a bad configuration fails when
 * the verifier is built, a bad call throws TypeError.
 */
import { describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { Expectations } from '../../src/verifier/verify.js';
import { createVerifier } from '../../src/verifier/verify.js';
import {
  ATTACKER,
  BANK,
  codes,
  createWorld,
  expectAllowed,
  expectDenied,
  expectDeniedEarly,
  identityInput,
  NOW_MS,
  RP,
  verifiedClaims,
} from '../helpers/world.js';

const w = await createWorld();

function configError(build: () => unknown): ShomeiError {
  let thrown: unknown;
  try {
    build();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected CONFIG_INVALID at construction').toBeInstanceOf(ShomeiError);
  expect((thrown as ShomeiError).code).toBe('CONFIG_INVALID');
  return thrown as ShomeiError;
}

describe('trusted parties (SHO-VER-3, SHO-TRUST-4, SHO-TRUST-5)', () => {
  it('SHO-ROLE-7: a token expected from an issuer that is not configured is ISSUER_UNKNOWN', async () => {
    const flow = await w.link();
    expectDeniedEarly(await w.rpVerifier().verify(flow.token, { ...flow.expect, issuer: ATTACKER }), 'ISSUER_UNKNOWN');
  });

  it('SHO-TRUST-4: a validly signed token of a suspended bank is ISSUER_SUSPENDED', async () => {
    const flow = await w.link();
    expectDeniedEarly(await w.rpVerifier({ trust: w.rpTrust({ status: 'suspended' }) }).verify(flow.token, flow.expect), 'ISSUER_SUSPENDED');
  });

  it('SHO-TRUST-5: a transaction assertion from a bank trusted for link only is KIND_NOT_ALLOWED', async () => {
    const flow = await w.transaction();
    expectDeniedEarly(await w.rpVerifier({ trust: w.rpTrust({ kinds: ['link'] }) }).verify(flow.token, flow.expect), 'KIND_NOT_ALLOWED');
  });

  it('SHO-ROLE-3: an identity assertion from the RP (trusted for requests only) is KIND_NOT_ALLOWED at the bank', async () => {
    const flow = await w.identity();
    const { token } = await w.rp.identity(identityInput());
    expectDeniedEarly(await w.bankVerifier().verify(token, { ...flow.expect, issuer: RP }), 'KIND_NOT_ALLOWED');
  });

  it('SHO-TRUST-3: the expected issuer is compared exactly (trailing slash) — ISSUER_UNKNOWN', async () => {
    const flow = await w.link();
    expectDeniedEarly(await w.rpVerifier().verify(flow.token, { ...flow.expect, issuer: `${BANK}/` }), 'ISSUER_UNKNOWN');
  });
});

describe('trust ceilings (SHO-TRUST-6)', () => {
  // A firm's own stricter policy: IAL3 and AAL3 for account links.
  const strict = loadPolicy({ policy_id: 'strict-ceiling-test', version: '1.0.0', rules: { account_link: { min_ial: 'ial3', min_aal: 'aal3' } } });
  const overclaim = () =>
    w.link({ verified_claims: verifiedClaims({ level: 'ial3' }), amr: ['x-passkey-devicebound'], acr: 'phrh', aal: 'aal3', phishing_resistant: true });

  it('SHO-TRUST-6: a bank claiming ial3 with max_ial ial2 is credited ial2 — IAL_TOO_LOW under an ial3 policy', async () => {
    const flow = await overclaim();
    const decision = await w.rpVerifier({ policy: strict, trust: w.rpTrust({ max_ial: 'ial2', max_aal: 'aal3' }) }).verify(flow.token, flow.expect);
    expect(codes(decision)).toEqual(['IAL_TOO_LOW']);
  });

  it('SHO-TRUST-6: a bank claiming aal3 with max_aal aal2 is credited aal2 — AAL_TOO_LOW under an aal3 policy', async () => {
    const flow = await overclaim();
    const decision = await w.rpVerifier({ policy: strict, trust: w.rpTrust({ max_ial: 'ial3', max_aal: 'aal2' }) }).verify(flow.token, flow.expect);
    expect(codes(decision)).toEqual(['AAL_TOO_LOW']);
  });

  it('SHO-TRUST-6: with both ceilings at ial2 / aal2 both rules deny', async () => {
    const flow = await overclaim();
    const decision = await w.rpVerifier({ policy: strict, trust: w.rpTrust({ max_ial: 'ial2', max_aal: 'aal2' }) }).verify(flow.token, flow.expect);
    expect(decision.outcome).toBe('deny');
    expect(codes(decision).sort()).toEqual(['AAL_TOO_LOW', 'IAL_TOO_LOW']);
  });

  it('SHO-TRUST-6: the same assertion is allowed when the verifier trusts the bank up to ial3 / aal3', async () => {
    const flow = await overclaim();
    expectAllowed(await w.rpVerifier({ policy: strict, trust: w.rpTrust({ max_ial: 'ial3', max_aal: 'aal3' }) }).verify(flow.token, flow.expect));
  });
});

describe('configuration validated at start-up (SHO-TRUST-1, SHO-TRUST-2, SHO-TRUST-7, SHO-CLM-7)', () => {
  const build = (trust: unknown, extra: Record<string, unknown> = {}) => () =>
    createVerifier({ audience: RP, trust: trust as never, clock: () => NOW_MS, ...extra });

  it('SHO-TRUST-1: a party with max_ial ial9 fails with CONFIG_INVALID naming parties.0.max_ial', () => {
    const trust = w.rpTrust();
    (trust.parties[0] as Record<string, unknown>).max_ial = 'ial9';
    expect(configError(build(trust)).message).toContain('parties.0.max_ial');
  });

  it('SHO-TRUST-1: every offending path is named', () => {
    const trust = w.rpTrust();
    Object.assign(trust.parties[0] as Record<string, unknown>, { max_ial: 'ial9', status: 'paused' });
    const message = configError(build(trust)).message;
    expect(message).toContain('parties.0.max_ial');
    expect(message).toContain('parties.0.status');
  });

  it('SHO-TRUST-2: an unknown member in a party is CONFIG_INVALID', () => {
    const trust = w.rpTrust();
    (trust.parties[0] as Record<string, unknown>).trust_everything = true;
    expect(configError(build(trust)).message).toContain('trust_everything');
  });

  it('SHO-TRUST-2: keys with both jwks_uri and jwks is CONFIG_INVALID', () => {
    const trust = w.rpTrust({ keys: { jwks_uri: 'https://bank.example/jwks', jwks: { keys: [w.keys.bank.publicJwk] } } as never });
    configError(build(trust));
  });

  it('SHO-TRUST-2: an empty kinds list is CONFIG_INVALID', () => {
    configError(build(w.rpTrust({ kinds: [] })));
  });

  it('SHO-TRUST-2: an algorithm outside ES256 / EdDSA / PS256 is CONFIG_INVALID', () => {
    configError(build(w.rpTrust({ algs: ['RS256'] as never })));
  });

  it('SHO-TRUST-3: the same party listed twice is CONFIG_INVALID', () => {
    const trust = w.rpTrust();
    configError(build({ parties: [trust.parties[0], trust.parties[0]] }));
  });

  it('SHO-TRUST-1: an empty parties list is CONFIG_INVALID', () => {
    configError(build({ parties: [] }));
  });

  it('SHO-FETCH-1: a jwks_uri over plain http on a public host is CONFIG_INVALID', () => {
    configError(build(w.rpTrust({ keys: { jwks_uri: 'http://bank.example/jwks' } })));
  });

  it('SHO-TRUST-7: an inline JWKS with a private member is CONFIG_INVALID', () => {
    configError(build(w.rpTrust({ keys: { jwks: { keys: [{ ...w.keys.bank.privateJwk }] } } })));
  });

  it('SHO-TRUST-7: an inline JWKS with an off-curve EC point is CONFIG_INVALID', () => {
    const jwk = { ...w.keys.bank.publicJwk, y: w.keys.attacker.publicJwk.y };
    configError(build(w.rpTrust({ keys: { jwks: { keys: [jwk] } } })));
  });

  it('SHO-TRUST-1: CONFIG_INVALID does not echo configured values', () => {
    const trust = w.rpTrust({ name: 'x'.repeat(200) });
    expect(configError(build(trust)).message).not.toContain('x'.repeat(50));
  });

  it('SHO-CLM-7: a clock tolerance of 61 s is CONFIG_INVALID', () => {
    configError(build(w.rpTrust(), { clockTolerance: 61 }));
  });

  it('SHO-CLM-7: a clock tolerance of 60 s is accepted', () => {
    expect(build(w.rpTrust(), { clockTolerance: 60 })).not.toThrow();
  });

  it('SHO-POL-1: an invalid policy document is CONFIG_INVALID at start-up', () => {
    configError(build(w.rpTrust(), { policy: { policy_id: 'p', version: '1.0.0', rules: { account_link: { min_aa: 'aal2' } } } }));
  });
});

describe('caller mistakes (SHO-BIND-7, SHO-KIND-6)', () => {
  async function typeError(promise: Promise<unknown>): Promise<void> {
    const thrown = await promise.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
  }

  it('SHO-BIND-7: verifying a link without the expected nonce throws TypeError', async () => {
    const flow = await w.link();
    const { nonce: _dropped, ...expectations } = flow.expect;
    await typeError(w.rpVerifier().verifier.verify(flow.token, expectations as Expectations<'link'>));
  });

  it('SHO-BIND-7: verifying a link without the request throws TypeError', async () => {
    const flow = await w.link();
    const { request: _dropped, ...expectations } = flow.expect;
    await typeError(w.rpVerifier().verifier.verify(flow.token, expectations as Expectations<'link'>));
  });

  it('SHO-BIND-7: verifying a transaction without the expected transaction throws TypeError', async () => {
    const flow = await w.transaction();
    const { transaction: _dropped, ...expectations } = flow.expect;
    await typeError(w.rpVerifier().verifier.verify(flow.token, expectations as Expectations<'transaction'>));
  });

  it('SHO-BIND-7: verifying an identity assertion without the nonce throws TypeError', async () => {
    const flow = await w.identity();
    const { nonce: _dropped, ...expectations } = flow.expect;
    await typeError(w.bankVerifier().verifier.verify(flow.token, expectations as Expectations<'identity'>));
  });

  it('SHO-KIND-6: verifying without a kind throws TypeError', async () => {
    const flow = await w.link();
    const { kind: _dropped, ...expectations } = flow.expect;
    await typeError(w.rpVerifier().verifier.verify(flow.token, expectations as unknown as Expectations));
  });

  it('SHO-KIND-6: verifying as an unknown kind throws TypeError', async () => {
    const flow = await w.link();
    await typeError(w.rpVerifier().verifier.verify(flow.token, { ...flow.expect, kind: 'id_token' } as unknown as Expectations));
  });

  it('SHO-VER-15: verifying without the expected issuer throws TypeError', async () => {
    const flow = await w.link();
    const { issuer: _dropped, ...expectations } = flow.expect;
    await typeError(w.rpVerifier().verifier.verify(flow.token, expectations as unknown as Expectations));
  });

  it('SHO-ERR-5: createVerifier without an audience throws TypeError', () => {
    expect(() => createVerifier({ audience: '', trust: w.rpTrust() })).toThrow(TypeError);
  });

  it('SHO-ERR-5: a replay store without consume() is refused at construction (TypeError)', () => {
    expect(() => createVerifier({ audience: RP, trust: w.rpTrust(), replayStore: {} as never })).toThrow(TypeError);
  });

  it('SHO-ERR-5: a decision log without append() is refused at construction (TypeError)', () => {
    expect(() => createVerifier({ audience: RP, trust: w.rpTrust(), decisionLog: {} as never })).toThrow(TypeError);
  });

  it('SHO-VER-11: the denied expectations check happens before any verification is logged', async () => {
    const flow = await w.link();
    const harness = w.rpVerifier();
    const { nonce: _dropped, ...expectations } = flow.expect;
    await typeError(harness.verifier.verify(flow.token, expectations as Expectations<'link'>));
    expect(harness.log.entries()).toHaveLength(0);
    expectDenied(await harness.verify(flow.token, { ...flow.expect, nonce: 'wrong-nonce-000000000001' }), 'NONCE_MISMATCH');
  });
});
