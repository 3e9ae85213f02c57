/**
 * The baseline every negative test mutates (spec/13-verification.md SHO-VER-1, SHO-VER-8): each kind,
 * issued honestly and verified with the expectations of its verifier, is allowed — through `verify` and
 * through `verifyOrThrow`.
 */
import { describe, expect, it } from 'vitest';
import type { Kind } from '../../src/kinds/kind.js';
import { createWorld, expectAllowed, type Flow, type Harness } from '../helpers/world.js';

const w = await createWorld();

const cases: Record<Kind, () => Promise<{ flow: Flow<Kind>; harness: () => Harness }>> = {
  request: async () => {
    const request = await w.request();
    return { flow: { token: request.token, claims: request.claims, expect: { kind: 'request', issuer: w.rp.issuer, action: 'account_link' } }, harness: () => w.bankVerifier() };
  },
  link: async () => ({ flow: (await w.link()) as Flow<Kind>, harness: () => w.rpVerifier() }),
  transaction: async () => ({ flow: (await w.transaction()) as Flow<Kind>, harness: () => w.rpVerifier() }),
  identity: async () => ({ flow: (await w.identity()) as Flow<Kind>, harness: () => w.bankVerifier() }),
};

describe('happy path of every kind', () => {
  for (const kind of ['request', 'link', 'transaction', 'identity'] as const) {
    it(`SHO-VER-1: an honest ${kind} is allowed with its claims, kid, jti and token hash`, async () => {
      const { flow, harness } = await cases[kind]();
      const decision = await harness().verify(flow.token, flow.expect);
      expectAllowed(decision);
      expect(decision.kind).toBe(kind);
      expect(decision.claims).toEqual(flow.claims);
      expect(decision.jti).toBe(flow.claims.jti);
      expect(decision.tokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(decision.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it(`SHO-VER-10: verifyOrThrow returns an honest ${kind} with its claims`, async () => {
      const { flow, harness } = await cases[kind]();
      const decision = await harness().verifier.verifyOrThrow(flow.token, flow.expect);
      expect(decision.outcome).toBe('allow');
      expect(decision.claims.jti).toBe(flow.claims.jti);
    });
  }

  it('SHO-VER-8: assertions are decided by the default policy and name it; a request is not', async () => {
    const link = await cases.link();
    expect((await link.harness().verify(link.flow.token, link.flow.expect)).policy?.id).toBe('shomei-default-jp');
    const request = await cases.request();
    expect((await request.harness().verify(request.flow.token, request.flow.expect)).policy).toBeUndefined();
  });
});
