/** Parties, keys and claims shared by the transport tests: a bank, a securities firm and a wallet. */
import { createIssuer, type Issuer } from '../../src/issuer/issue.js';
import { generateKey } from '../../src/keys/generate.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { PublicJwk } from '../../src/keys/types.js';
import type { PartyMetadata } from '../../src/transport/metadata.js';
import { createVerifier, type Verifier } from '../../src/verifier/verify.js';

export const BANK = 'https://bank.example';
export const BROKER = 'https://broker.example';
export const WALLET = 'https://wallet.example';
export const BROKER_CALLBACK = 'https://broker.example/callback';
export const WALLET_CALLBACK = 'https://wallet.example/callback';

export const ACCOUNT = { bank_code: '0001', branch_code: '123', type: '1', number: '1234567' } as const;
export const OTHER_ACCOUNT = { bank_code: '0001', branch_code: '123', type: '1', number: '7654321' } as const;

/** A clock the tests move by hand (ms). */
export function fakeClock(start = Date.UTC(2026, 11, 1, 3, 0, 0)): { now: () => number; advance: (seconds: number) => void } {
  let time = start;
  return { now: () => time, advance: (seconds) => (time += seconds * 1000) };
}

export interface Party {
  id: string;
  issuer: Issuer;
  publicJwk: PublicJwk;
}

async function party(id: string, clock: () => number): Promise<Party> {
  const key = await generateKey('ES256');
  const signer = await createLocalSigner(key.privateJwk, { alg: 'ES256' });
  return { id, issuer: createIssuer({ issuer: id, signer, clock, allowUnansweredRequests: true }), publicJwk: key.publicJwk };
}

export interface World {
  clock: ReturnType<typeof fakeClock>;
  bank: Party;
  broker: Party;
  wallet: Party;
  /** Another key claiming to be the broker: its signatures must not verify. */
  impostor: Party;
  /** Unknown to the bank. */
  stranger: Party;
  /** The bank's verifier of requests and identity assertions. */
  bankVerifier: Verifier;
  /** The broker's verifier of link and transaction assertions. */
  brokerVerifier: Verifier;
  bankMetadata: PartyMetadata;
}

export async function world(): Promise<World> {
  const clock = fakeClock();
  const [bank, broker, wallet, impostorKey, stranger] = await Promise.all([
    party(BANK, clock.now),
    party(BROKER, clock.now),
    party(WALLET, clock.now),
    party(BROKER, clock.now),
    party('https://stranger.example', clock.now),
  ]);
  const bankVerifier = createVerifier({
    audience: BANK,
    clock: clock.now,
    trust: {
      parties: [
        { id: BROKER, keys: { jwks: { keys: [broker.publicJwk] } }, kinds: ['request'], max_ial: 'ial2', max_aal: 'aal2', status: 'active', redirect_uris: [BROKER_CALLBACK] },
        { id: WALLET, keys: { jwks: { keys: [wallet.publicJwk] } }, kinds: ['request', 'identity'], max_ial: 'ial2', max_aal: 'aal2', status: 'active', redirect_uris: [WALLET_CALLBACK] },
      ],
    },
  });
  const brokerVerifier = createVerifier({
    audience: BROKER,
    clock: clock.now,
    trust: { parties: [{ id: BANK, keys: { jwks: { keys: [bank.publicJwk] } }, kinds: ['link', 'transaction'], max_ial: 'ial2', max_aal: 'aal3', status: 'active' }] },
  });
  const bankMetadata = bankMetadataDocument(BANK, { nonce_endpoint: `${BANK}/shomei/nonce` });
  return { clock, bank, broker, wallet, impostor: impostorKey, stranger, bankVerifier, brokerVerifier, bankMetadata };
}

/** A bank's `/.well-known/shomei` document (SHO-KEY-1), its endpoints under `bank`; `extra` adds or replaces members. */
export function bankMetadataDocument(bank: string = BANK, extra: Partial<PartyMetadata> = {}): PartyMetadata {
  return {
    issuer: bank,
    jwks_uri: `${bank}/jwks.json`,
    roles: ['issuer'],
    kinds_supported: ['link', 'transaction'],
    algs_supported: ['ES256'],
    request_endpoint: `${bank}/shomei/request`,
    authorization_endpoint: `${bank}/shomei/authorize`,
    assertion_endpoint: `${bank}/shomei/assertion`,
    spec_version: '1',
    ...extra,
  };
}

/** JPKI (ワ) proofing, as a bank's link assertion carries it. */
export const VERIFIED_CLAIMS = {
  verification: {
    trust_framework: 'jp_aml',
    assurance_level: 'ial2',
    assurance_process: { procedure: 'jp_aml.r6_1_1.wa' },
    time: '2024-06-01T10:15:00+09:00',
    evidence: [{ type: 'electronic_signature', signature_type: 'jp_jpki_sign', issuer: 'J-LIS', serial_number: '0001' }],
  },
  claims: { family_name: '山田', given_name: '太郎', 'family_name#ja-Kana-JP': 'ヤマダ', 'given_name#ja-Kana-JP': 'タロウ', birthdate: '1985-04-01' },
};

/** A device-bound passkey with user verification: phishing-resistant, aal2. */
export function passkeyAuthentication(now: number) {
  return { amr: ['x-passkey-devicebound'] as ['x-passkey-devicebound'], acr: 'phr', auth_time: Math.floor(now / 1000) - 5, aal: 'aal2' as const, phishing_resistant: true };
}

/** A JSON POST to a bank handler. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** The `error` of an error response, with its status. */
export async function errorOf(response: Response): Promise<{ status: number; error: unknown; description: unknown }> {
  const body = (await response.json()) as { error?: unknown; error_description?: unknown };
  return { status: response.status, error: body.error, description: body.error_description };
}
