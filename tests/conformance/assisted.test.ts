import { describe, expect, it } from 'vitest';
import { runIssuerPlan } from 'shomei/conformance';
import { FIXTURE_CUSTOMER, startFixtureBank } from '../../conformance/fixtures/bank.js';

/**
 * Assisted mode (issue 4 point 1): the suite prints the bank URL for a person and waits for the
 * redirect to its own callback. Here the "person" is simulated: it completes the consent through the
 * fixture bank's hook and follows the redirect with a plain GET, as a browser would.
 */
describe('issuer plan, assisted mode', () => {
  it('SHO-CONF-14: the person completes each consent; the consent screen is left for REVIEW', async () => {
    const bank = await startFixtureBank();
    const prompts: string[] = [];
    try {
      const report = await runIssuerPlan({
        target: bank.interfaceUrl,
        assisted: true,
        only: ['issuer-flow-redirect', 'issuer-flow-customer-cancels', 'issuer-assertion-link', 'issuer-consent-screen'],
        onPrompt: ({ module, url, instruction }) => {
          prompts.push(module);
          const params = new URL(url).searchParams;
          void (async () => {
            const answer = await fetch(`${bank.interfaceUrl}/authorize`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ client_id: params.get('client_id'), request_uri: params.get('request_uri'), customer: FIXTURE_CUSTOMER.id, approve: !instruction.includes('cancel') }),
            });
            const { location } = (await answer.json()) as { location: string };
            await fetch(location);
          })();
        },
      });
      expect(prompts).toEqual(['issuer-flow-redirect', 'issuer-flow-customer-cancels', 'issuer-assertion-link']);
      const statuses = Object.fromEntries(report.modules.map((module) => [module.id, module.status]));
      expect(statuses).toEqual({
        'issuer-test-interface': 'PASSED',
        'issuer-flow-redirect': 'PASSED',
        'issuer-flow-customer-cancels': 'PASSED',
        'issuer-assertion-link': 'PASSED',
        'issuer-consent-screen': 'REVIEW',
      });
      expect(report.result).toBe('REVIEW');
    } finally {
      await bank.close();
    }
  }, 60_000);

  it('SHO-CONF-14: nobody completing the consent in time fails the module, it does not pass', async () => {
    const bank = await startFixtureBank();
    try {
      const report = await runIssuerPlan({ target: bank.interfaceUrl, assisted: true, assistedTimeoutMs: 200, only: ['issuer-flow-redirect'], onPrompt: () => undefined });
      expect(report.modules.find((module) => module.id === 'issuer-flow-redirect')?.status).toBe('FAILED');
    } finally {
      await bank.close();
    }
  }, 60_000);
});
