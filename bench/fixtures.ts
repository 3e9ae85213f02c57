// NODE-ONLY (benchmark): the parties, keys and claims every benchmark row works on.
import { createPrivateKey, createPublicKey, type KeyObject, type SignKeyObjectInput, type VerifyKeyObjectInput } from 'node:crypto';
import type { Issuer, LinkInput, PrivateJwk, PublicJwk } from '../src/issuer.js';
import type { Alg } from '../src/jws/algorithms.js';
import type { TrustedPartyInput } from '../src/verifier.js';
import type { RequestClaims } from '../src/kinds/request.js';
import { issuerEntry, nodeEntry } from './shomei.js';

const { createIssuer, createLocalSigner, generateKey } = issuerEntry;
const { createNodeSigner, nodeCryptoBackend } = nodeEntry;

export const BANK = 'https://bank.example';
export const BROKER = 'https://broker.example';
export const REDIRECT_URI = 'https://broker.example/callback';

/** The account the customer typed at the broker and the bank verified (Zengin form, made up). */
export const ACCOUNT = { bank_code: '0001', branch_code: '123', type: '1', number: '1234567' } as const;

/** One algorithm's key pair in every form the compared libraries take. */
export interface BenchKeys {
  alg: Alg;
  kid: string;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePem: string;
  publicPem: string;
}

/** The keys and digest raw node:crypto `sign`/`verify` take for `keys.alg`, with JOSE's `r || s` for ES256. */
export function rawNodeKeys(keys: BenchKeys): { digest: 'sha256' | null; signKey: SignKeyObjectInput; verifyKey: VerifyKeyObjectInput } {
  const dsa = keys.alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {};
  return {
    digest: keys.alg === 'EdDSA' ? null : 'sha256',
    signKey: { key: keys.privateKey, ...dsa },
    verifyKey: { key: keys.publicKey, ...dsa },
  };
}

export async function benchKeys(alg: Alg): Promise<BenchKeys> {
  const pair = await generateKey(alg);
  const privateKey = createPrivateKey({ key: pair.privateJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return {
    alg,
    kid: pair.kid,
    privateJwk: pair.privateJwk,
    publicJwk: pair.publicJwk,
    privateKey,
    publicKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The bank as the broker's verifier trusts it, with its keys inline (or at `jwksUri`). */
export function bankParty(keys: BenchKeys, jwksUri?: string): TrustedPartyInput {
  return {
    id: BANK,
    name: 'Bench Bank',
    keys: jwksUri === undefined ? { jwks: { keys: [keys.publicJwk as unknown as Record<string, unknown>] } } : { jwks_uri: jwksUri },
    kinds: ['link'],
    max_ial: 'ial3',
    max_aal: 'aal3',
    algs: [keys.alg],
    status: 'active',
  };
}

/** What a link assertion answers: the broker's signed request, with its nonce. */
export interface LinkContext {
  request: string;
  nonce: string;
  /**
   * The request's claims as the bank holds them once it verified the request (SHO-REQ-13): the bank
   * answers with `request: { token, claims }`, as in production, and the issuer does not decode again.
   */
  requestClaims?: RequestClaims;
}

/** The broker signs the request the bank answers (same algorithm as the bank, for simplicity). */
export async function brokerRequest(brokerKeys: BenchKeys): Promise<LinkContext> {
  const broker = createIssuer({ issuer: BROKER, signer: await createLocalSigner(brokerKeys.privateJwk, { alg: brokerKeys.alg }) });
  const { token, claims } = await broker.request({
    aud: BANK,
    action: 'account_link',
    redirect_uri: REDIRECT_URI,
    state: 'bench-state-0001',
    client_name: 'Bench Securities',
    account: { ...ACCOUNT },
    identity: { name: '山田 太郎', name_kana: 'ヤマダ タロウ', birthdate: '1980-01-01' },
    requirements: { min_ial: 'ial2', min_aal: 'aal2', phishing_resistant: true },
  }, { lifetime: 600 });
  // The claims the broker signed are the claims the bank's verifier returns for this token.
  return { request: token, nonce: claims.nonce, requestClaims: claims };
}

/**
 * A link assertion as a bank signs it after an IC-chip + selfie KYC (method ヘ) and a synced passkey:
 * every claim the default policy looks at, all of them passing, so that verification ends in `allow`.
 * `auth_time` is the moment of signing: the default policy accepts authentication up to 300 s old.
 */
export function linkInput(context: LinkContext, now: number): LinkInput {
  return {
    aud: BROKER,
    sub: 'pairwise-sub-0123456789abcdef',
    nonce: context.nonce,
    request: context.requestClaims === undefined ? context.request : { token: context.request, claims: context.requestClaims },
    action: 'account_link',
    account: { ...ACCOUNT },
    verified_claims: {
      verification: {
        trust_framework: 'jp_aml',
        assurance_level: 'ial2',
        assurance_process: { procedure: 'jp_aml.r6_1_1.he' },
        time: '2025-06-01T10:00:00+09:00',
        evidence: [
          {
            type: 'document',
            check_details: [{ check_method: 'vcrypt' }, { check_method: 'bvr' }],
            document_details: { type: 'jp_individual_number_card' },
          },
        ],
      },
      claims: {
        family_name: '山田',
        given_name: '太郎',
        'family_name#ja-Kana-JP': 'ヤマダ',
        'given_name#ja-Kana-JP': 'タロウ',
        birthdate: '1980-01-01',
      },
    },
    acr: 'phr',
    amr: ['x-passkey-synced'],
    auth_time: now,
    aal: 'aal2',
    phishing_resistant: true,
    identity_match: { name: 'match', name_kana: 'match', birthdate: 'match' },
  } as LinkInput;
}

/**
 * The bank's issuer, signing with WebCrypto (`createLocalSigner`, hashes through WebCrypto too) or with
 * node:crypto (`createNodeSigner`, and `nodeCryptoBackend` for the synchronous `req_hash` and
 * `transaction_hash`).
 */
export async function bankIssuer(keys: BenchKeys, signer: 'webcrypto' | 'node', threadPool = false): Promise<Issuer> {
  if (signer === 'webcrypto') return createIssuer({ issuer: BANK, signer: await createLocalSigner(keys.privateJwk, { alg: keys.alg }) });
  return createIssuer({ issuer: BANK, signer: createNodeSigner(keys.privateKey, { alg: keys.alg, kid: keys.kid, threadPool }), crypto: nodeCryptoBackend });
}

/**
 * Distinct valid link assertions (fresh `jti` each), signed before any timing starts so that replay
 * protection never denies during a measurement. Lifetime 300 s, the kind's maximum: the rows that use
 * a pool must finish within that (each pool is made just before its rows).
 */
export async function tokenPool(issuer: Issuer, context: LinkContext, size: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const input = linkInput(context, now);
  const tokens: string[] = new Array(size);
  for (let i = 0; i < size; i++) tokens[i] = (await issuer.link(input, { lifetime: 300 })).token;
  return tokens;
}
