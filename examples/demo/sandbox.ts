/**
 * Starts the three example services on free loopback ports and wires their trust configurations:
 *
 * - bank-api on `http://localhost:<port>`: しょうめい銀行 at `/`, and レガシー銀行 (the insecure 2020
 *   pattern) at `/legacy`. The bank uses the host name `localhost`, not an IP address, because WebAuthn
 *   relying-party IDs are domain names.
 * - securities-backend on `http://127.0.0.1:<port>`: 証明証券.
 * - wallet on `http://127.0.0.1:<port>`: しょうめいペイ.
 *
 * Each party generates its key at start-up and publishes it; each fetches its partners' keys over HTTP
 * from the `jwks_uri` in its trust configuration.
 */
import type { FetchLike } from 'shomei/verifier';
import { createBankApp, type BankApp } from '../bank-api/app.js';
import { LEGACY_BANK_CODE, legacyBankCustomers, SHOMEI_BANK_CODE, shomeiBankCustomers, type SandboxCustomer } from '../bank-api/customers.js';
import { createSecuritiesApp, type SecuritiesApp, type SecuritiesCustomer } from '../securities-backend/app.js';
import { listenOnLoopback, type LoopbackServer } from '../shared/server.js';
import { SoftwareAuthenticator } from '../shared/software-authenticator.js';
import { createWalletApp, type WalletApp, type WalletCustomer } from '../wallet/app.js';

export interface Sandbox {
  bank: BankApp;
  legacyBank: BankApp;
  securities: SecuritiesApp;
  wallet: WalletApp;
  bankCustomers: SandboxCustomer[];
  legacyCustomers: SandboxCustomer[];
  securitiesCustomers: SecuritiesCustomer[];
  walletCustomers: WalletCustomer[];
  /** The passkey of each bank customer (by customer id), as their phone would hold it. */
  passkeys: Map<string, SoftwareAuthenticator>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** The securities backend's `fetch` to the banks (the demo taps it to show a replay). */
  securitiesFetch?: FetchLike;
  /** Skip creating software passkeys (the browser test loads its own into Chromium). */
  passkeys?: boolean;
  /**
   * SANDBOX ONLY: expose the conformance test interface (spec/17) on the bank and the securities backend
   * (the demo and CI set it; `SHOMEI_CONFORMANCE=1` does too). With it the securities backend fetches keys
   * with the short timings it declares (SHO-CONF-6), so that the key-set modules take seconds.
   */
  conformance?: boolean;
  /**
   * A Redis for the securities backend's replay store (issue 6). The demo stays on the embedded
   * in-memory store; `REDIS_URL` is read only by callers that pass it here.
   */
  redisUrl?: string;
  /** Where the securities backend writes its hash-chained decision log; a temporary folder by default. */
  decisionLogPath?: string;
}

/** The securities backend's key-set timings in a conformance sandbox (SHO-CONF-6). */
export const CONFORMANCE_KEY_FETCH = { timeoutMs: 1000, cooldownSeconds: 1 } as const;

export const SECURITIES_CUSTOMERS: SecuritiesCustomer[] = [
  { id: 's-0001', name: '山田 太郎', name_kana: 'ヤマダ タロウ', birthdate: '1985-04-01' },
  // The victim of the SBI pattern: their securities login was taken over with a reused password.
  { id: 's-0002', name: '鈴木 一郎', name_kana: 'スズキ イチロウ', birthdate: '1970-01-20' },
];

export const WALLET_CUSTOMERS: WalletCustomer[] = [
  {
    id: 'w-0001',
    email: 'hanako@example.jp',
    kyc: {
      procedure: 'jp_aml.r6_1_1.he',
      time: '2024-01-20T09:00:00+09:00',
      evidence: [{ type: 'document', check_details: [{ check_method: 'vcrypt' }, { check_method: 'bvr' }], document_details: { type: 'jp_individual_number_card' } }],
      person: { family_name: '佐藤', given_name: '花子', birthdate: '1990-07-15' },
    },
  },
  // Opened with an e-mail address only — the 2020 wallet accounts the attackers used.
  { id: 'w-0002', email: 'throwaway@example.net', kyc: 'none' },
];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const conformance = options.conformance ?? process.env.SHOMEI_CONFORMANCE === '1';
  const servers: LoopbackServer[] = await Promise.all([listenOnLoopback(), listenOnLoopback(), listenOnLoopback()]);
  const [bankServer, securitiesServer, walletServer] = servers as [LoopbackServer, LoopbackServer, LoopbackServer];
  const bankId = `http://localhost:${bankServer.port}`;
  const legacyId = `${bankId}/legacy`;
  const securitiesId = `http://127.0.0.1:${securitiesServer.port}`;
  const walletId = `http://127.0.0.1:${walletServer.port}`;

  // Who each bank serves: the securities firm may only push requests; the wallet requests and identity
  // assertions; each only with its registered redirect URI.
  const bankTrust = {
    parties: [
      { id: securitiesId, name: '証明証券', keys: { jwks_uri: `${securitiesId}/jwks.json` }, kinds: ['request' as const], max_ial: 'ial2' as const, max_aal: 'aal2' as const, status: 'active' as const, redirect_uris: [`${securitiesId}/callback`] },
      { id: walletId, name: 'しょうめいペイ', keys: { jwks_uri: `${walletId}/jwks.json` }, kinds: ['request' as const, 'identity' as const], max_ial: 'ial2' as const, max_aal: 'aal2' as const, status: 'active' as const, redirect_uris: [`${walletId}/callback`] },
    ],
  };
  const bankCustomers = shomeiBankCustomers(Date.now());
  const legacyCustomers = legacyBankCustomers();
  const [bank, legacyBank] = await Promise.all([
    createBankApp({ issuer: bankId, name: 'しょうめい銀行', bankCode: SHOMEI_BANK_CODE, mode: 'secure', customers: bankCustomers, trust: bankTrust, ...(conformance ? { conformance: true } : {}) }),
    createBankApp({ issuer: legacyId, name: 'レガシー銀行', bankCode: LEGACY_BANK_CODE, mode: 'legacy', customers: legacyCustomers, trust: bankTrust }),
  ]);
  const securities = await createSecuritiesApp({
    issuer: securitiesId,
    name: '証明証券',
    banks: [bankId],
    trust: { parties: [{ id: bankId, name: 'しょうめい銀行', keys: { jwks_uri: `${bankId}/jwks.json` }, kinds: ['link', 'transaction'], max_ial: 'ial2', max_aal: 'aal2', status: 'active' }] },
    customers: SECURITIES_CUSTOMERS,
    ...(options.securitiesFetch !== undefined ? { fetch: options.securitiesFetch } : {}),
    ...(options.redisUrl !== undefined ? { redisUrl: options.redisUrl } : {}),
    ...(options.decisionLogPath !== undefined ? { decisionLogPath: options.decisionLogPath } : {}),
    ...(conformance
      ? { keySet: { timeoutMs: CONFORMANCE_KEY_FETCH.timeoutMs, bodyTimeoutMs: CONFORMANCE_KEY_FETCH.timeoutMs, cooldownSeconds: CONFORMANCE_KEY_FETCH.cooldownSeconds }, conformance: { keyFetch: { ...CONFORMANCE_KEY_FETCH } } }
      : {}),
  });
  const wallet = await createWalletApp({
    issuer: walletId,
    name: 'しょうめいペイ',
    banks: [bankId, legacyId],
    trust: {
      parties: [
        { id: bankId, name: 'しょうめい銀行', keys: { jwks_uri: `${bankId}/jwks.json` }, kinds: ['link'], max_ial: 'ial2', max_aal: 'aal2', status: 'active' },
        { id: legacyId, name: 'レガシー銀行', keys: { jwks_uri: `${legacyId}/jwks.json` }, kinds: ['link'], max_ial: 'ial2', max_aal: 'aal2', status: 'active' },
      ],
    },
    customers: WALLET_CUSTOMERS,
  });

  bankServer.setHandler((request) => (new URL(request.url).pathname.startsWith('/legacy/') ? legacyBank.fetch(request) : bank.fetch(request)));
  securitiesServer.setHandler((request) => securities.fetch(request));
  walletServer.setHandler((request) => wallet.fetch(request));

  const passkeys = new Map<string, SoftwareAuthenticator>();
  if (options.passkeys !== false) {
    for (const customer of bankCustomers) {
      const passkey = await SoftwareAuthenticator.create(customer.id);
      bank.authenticator.enrollPasskey(customer.id, await passkey.enrolled());
      passkeys.set(customer.id, passkey);
    }
  }

  return {
    bank,
    legacyBank,
    securities,
    wallet,
    bankCustomers,
    legacyCustomers,
    securitiesCustomers: SECURITIES_CUSTOMERS,
    walletCustomers: WALLET_CUSTOMERS,
    passkeys,
    async close() {
      await Promise.all(servers.map((server) => server.close()));
      await securities.close();
    },
  };
}
