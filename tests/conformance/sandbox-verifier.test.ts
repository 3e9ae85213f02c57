import { describe, expect, it } from 'vitest';
import { createSandboxVerifier } from 'shomei/conformance';
import { createIssuer, createLocalSigner, generateKey } from 'shomei/issuer';

const BANK = 'https://bank.example';
const RP = 'https://rp.example';

async function relyingParty() {
  const key = await generateKey('ES256');
  const issuer = createIssuer({ issuer: RP, signer: await createLocalSigner(key.privateJwk, { alg: 'ES256' }) });
  const entry = { id: RP, keys: { jwks: { keys: [key.publicJwk as unknown as Record<string, unknown>] } }, kinds: ['request' as const], max_ial: 'ial2' as const, max_aal: 'aal2' as const, status: 'active' as const, redirect_uris: [`${RP}/cb`] };
  const { token } = await issuer.request({ aud: BANK, action: 'account_link', redirect_uri: `${RP}/cb`, state: 'st', account: { bank_code: '0999', branch_code: '001', type: '1', number: '1234567' } });
  return { entry, token };
}

describe('sandbox verifier (trust registration)', () => {
  it('SHO-CONF-7: before registration every token is refused with ISSUER_UNKNOWN', async () => {
    const { token } = await relyingParty();
    const verifier = createSandboxVerifier({ audience: BANK });
    const decision = await verifier.verify(token, { kind: 'request', issuer: RP });
    expect(decision.outcome).toBe('deny');
    expect(decision.reasons.map((reason) => reason.code)).toEqual(['ISSUER_UNKNOWN']);
  });

  it('SHO-CONF-7: a registered party is trusted; used jti stay used across later registrations', async () => {
    const { entry, token } = await relyingParty();
    const verifier = createSandboxVerifier({ audience: BANK });
    verifier.register(entry);
    expect((await verifier.verify(token, { kind: 'request', issuer: RP })).outcome).toBe('allow');
    verifier.register({ ...entry, id: 'https://other-rp.example' });
    expect(verifier.parties()).toEqual([RP, 'https://other-rp.example']);
    const again = await verifier.verify(token, { kind: 'request', issuer: RP });
    expect(again.reasons.map((reason) => reason.code)).toEqual(['REPLAYED']);
  });
});
