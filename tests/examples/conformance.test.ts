/**
 * Both conformance plans against the examples in their sandbox mode, in-process over real HTTP on
 * loopback (issue 4 point 4, issue 5 point 4): the reference examples pass every module — the issuer plan
 * against the bank, the verifier plan against the securities backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIssuerPlan, runVerifierPlan, type PlanReport } from 'shomei/conformance';
import { startSandbox, type Sandbox } from '../../examples/demo/sandbox.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ conformance: true, passkeys: false });
});

afterAll(async () => {
  await sandbox?.close();
});

/** "id (REQ, …): detail" for every FAILED module, so that a red run names what broke. */
function failures(report: PlanReport): string[] {
  return report.modules
    .filter((module) => module.status === 'FAILED')
    .map((module) => `${module.id} (${module.requirements.join(', ')}): ${module.summary ?? ''}`);
}

describe('conformance plans against the examples', () => {
  it('SHO-CONF-4: the examples mount the test interface only in sandbox mode', async () => {
    const plain = await startSandbox({ conformance: false, passkeys: false });
    try {
      expect((await fetch(`${plain.bank.issuer}/conformance`)).status).toBe(404);
      expect((await fetch(`${plain.securities.issuer}/conformance`)).status).toBe(404);
    } finally {
      await plain.close();
    }
    const info = await fetch(`${sandbox.securities.issuer}/conformance`);
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ interface: 'shomei-conformance/1', role: 'relying_party', party: sandbox.securities.issuer, actions: ['account_link', 'payout'] });
  });

  it('SHO-CONF-14: the verifier plan passes every module against the securities backend', async () => {
    const report = await runVerifierPlan({ target: `${sandbox.securities.issuer}/conformance` });
    expect(failures(report), `FAILED modules:\n${failures(report).join('\n')}`).toEqual([]);
    expect(report.counts.FAILED).toBe(0);
    expect(report.counts.PASSED).toBeGreaterThan(80);
  }, 120_000);

  it('SHO-CONF-14: the issuer plan passes every module against the bank', async () => {
    const report = await runIssuerPlan({ target: `${sandbox.bank.issuer}/conformance` });
    expect(failures(report), `FAILED modules:\n${failures(report).join('\n')}`).toEqual([]);
    expect(report.counts.FAILED).toBe(0);
    expect(report.counts.PASSED).toBeGreaterThan(40);
  }, 120_000);
});
