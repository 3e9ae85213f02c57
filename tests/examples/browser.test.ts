/**
 * The redirect flow in a real headless browser (issue 5.5): relying party → bank consent page → login
 * with password and a passkey (Chromium's virtual authenticator, over the DevTools protocol) → back to
 * the relying party → decision shown. A screenshot of the consent page is kept in test-results/.
 */
import { mkdirSync } from 'node:fs';
import { Secret, TOTP } from 'otpauth';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../examples/demo/sandbox.js';
import { SoftwareAuthenticator } from '../../examples/shared/software-authenticator.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let sandbox: Sandbox;
let browser: Browser;
let passkey: SoftwareAuthenticator;

beforeAll(async () => {
  sandbox = await startSandbox({ passkeys: false });
  passkey = await SoftwareAuthenticator.create('c-0001');
  sandbox.bank.authenticator.enrollPasskey('c-0001', await passkey.enrolled());
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

/** A page whose browser holds the customer's passkey, as a phone's platform authenticator would. */
async function pageWithPasskey(): Promise<Page> {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 900, height: 1100 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await cdp.send('WebAuthn.addCredential', {
    authenticatorId,
    credential: {
      credentialId: Buffer.from(passkey.credentialId).toString('base64'),
      isResidentCredential: true,
      rpId: new URL(sandbox.bank.issuer).hostname,
      privateKey: await passkey.pkcs8Base64(),
      userHandle: Buffer.from(passkey.userHandle).toString('base64'),
      signCount: 0,
    },
  });
  return page;
}

async function startLink(page: Page): Promise<void> {
  await page.goto(`${sandbox.securities.issuer}/`);
  await page.selectOption('#customer_id', 's-0001');
  await Promise.all([page.waitForURL(`${sandbox.bank.issuer}/shomei/authorize?**`), page.click('#link-button')]);
}

describe('browser flow', () => {
  it('SHO-REQ-16: the consent page names the relying party, the action and the masked account before login', async () => {
    const page = await pageWithPasskey();
    await startLink(page);
    const text = await page.textContent('main');
    expect(text).toContain('証明証券');
    expect(text).toContain('出金先口座としての登録');
    expect(text).toContain('****567');
    expect(text).not.toContain('1234567');
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/consent.png', fullPage: true });
    await page.context().close();
  });

  it('SHO-FLOW-9: password + passkey at the bank leads back to the relying party, which shows an allowed link', async () => {
    const page = await pageWithPasskey();
    await startLink(page);
    await page.fill('#login_id', 'yamada');
    await page.fill('#password', 'yamada-sandbox-password');
    await Promise.all([page.waitForURL(`${sandbox.securities.issuer}/flows/**`), page.click('#passkey-button')]);
    const outcome = page.locator('#outcome');
    expect(await outcome.getAttribute('data-outcome')).toBe('allow');
    expect(sandbox.securities.linkedAccount('s-0001')?.account.number).toBe('1234567');
    await page.context().close();
  });

  it('SHO-REQ-10: a TOTP code is refused when the relying party requires phishing-resistant authentication', async () => {
    const page = await pageWithPasskey();
    await startLink(page);
    const customer = sandbox.bankCustomers.find((candidate) => candidate.id === 'c-0001');
    const code = new TOTP({ secret: Secret.fromBase32(customer?.totp_secret ?? '') }).generate();
    await page.fill('#login_id', 'yamada');
    await page.fill('#password', 'yamada-sandbox-password');
    await page.fill('#totp_code', code);
    await Promise.all([page.waitForLoadState('load'), page.click('button[value="totp"]')]);
    expect(page.url()).toContain(`${sandbox.bank.issuer}/shomei/authorize`);
    expect(await page.textContent('[role="alert"]')).toContain('パスキー');
    await page.context().close();
  });
});
