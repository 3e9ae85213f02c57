/**
 * How the example bank authenticates its customers (issue 5.1): internet-banking password plus a real
 * second factor — a passkey (WebAuthn, verified with @simplewebauthn/server) or an RFC 6238 TOTP code
 * (otpauth). Never a cash-card PIN or a birthdate: those are not factors (spec/08-authentication.md).
 *
 * What each path reports in the assertion (spec/08-authentication.md):
 * - password + passkey with user verification: `amr` `pwd` + `x-passkey-devicebound` (or
 *   `x-passkey-synced` when the authenticator says the credential is backed up), `acr` `phr`, `aal2`,
 *   phishing-resistant — the origin is inside the signed client data, so a look-alike site gets nothing.
 * - password + TOTP: `amr` `pwd` `otp` `swk`, `aal2`, not phishing-resistant — a phishing site can relay
 *   a six-digit code in real time, which is why the default policy refuses it for links and payouts.
 */
import { scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { Secret, TOTP } from 'otpauth';
import type { Amr } from 'shomei';
import type { EnrolledPasskey } from '../shared/software-authenticator.js';
import type { SandboxCustomer } from './customers.js';

/** What the bank signs about the authentication (spec/08-authentication.md). */
export interface Authentication {
  amr: Amr[];
  acr?: string;
  aal: 'aal2';
  phishing_resistant: boolean;
  auth_time: number;
}

interface PasswordHash {
  salt: Buffer;
  hash: Buffer;
}

const SCRYPT_KEYLEN = 32;

function hashPassword(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFC'), salt, SCRYPT_KEYLEN, { N: 16_384, r: 8, p: 1 });
}

export interface CustomerAuthenticatorOptions {
  /** The bank's web origin, which the browser puts into WebAuthn client data. */
  origin: string;
  /** The WebAuthn relying-party ID: the bank's host name. */
  rpId: string;
  clock: () => number;
}

/** The bank's customer authentication: passwords, passkeys and TOTP, with replay protection for both factors. */
export class CustomerAuthenticator {
  readonly #byLogin = new Map<string, { customer: SandboxCustomer; password: PasswordHash }>();
  readonly #passkeys = new Map<string, { customerId: string; passkey: EnrolledPasskey }>();
  readonly #lastTotpStep = new Map<string, number>();
  /** Compared against when the login ID is unknown, so that timing does not tell which IDs exist. */
  readonly #dummy: PasswordHash;

  constructor(
    customers: readonly SandboxCustomer[],
    private readonly options: CustomerAuthenticatorOptions,
  ) {
    for (const customer of customers) {
      const salt = randomBytes(16);
      this.#byLogin.set(customer.login_id, { customer, password: { salt, hash: hashPassword(customer.password, salt) } });
    }
    const salt = randomBytes(16);
    this.#dummy = { salt, hash: hashPassword(randomBytes(16).toString('hex'), salt) };
  }

  /** Sandbox enrollment: registers a passkey created elsewhere (by the demo or the browser test). */
  enrollPasskey(customerId: string, passkey: EnrolledPasskey): void {
    this.#passkeys.set(passkey.id, { customerId, passkey: { ...passkey } });
  }

  /** The customer whose login ID and password these are, or undefined. */
  checkPassword(loginId: string, password: string): SandboxCustomer | undefined {
    const entry = this.#byLogin.get(loginId);
    const stored = entry?.password ?? this.#dummy;
    const ok = timingSafeEqual(hashPassword(password, stored.salt), stored.hash);
    return ok && entry !== undefined ? entry.customer : undefined;
  }

  /** Checks a TOTP code (RFC 6238, 30 s, ±1 step); a code, once accepted, is never accepted again. */
  checkTotp(customer: SandboxCustomer, code: string): Authentication | undefined {
    if (!/^\d{6}$/.test(code)) return undefined;
    const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(customer.totp_secret) });
    const now = this.options.clock();
    const delta = totp.validate({ token: code, timestamp: now, window: 1 });
    if (delta === null) return undefined;
    const step = Math.floor(now / 30_000) + delta;
    if (step <= (this.#lastTotpStep.get(customer.id) ?? -1)) return undefined;
    this.#lastTotpStep.set(customer.id, step);
    return { amr: ['pwd', 'otp', 'swk'], aal: 'aal2', phishing_resistant: false, auth_time: Math.floor(now / 1000) };
  }

  /**
   * Verifies a WebAuthn assertion for `challenge` (single-use, issued with the page), made on this bank's
   * origin, with user verification, by a passkey enrolled for this customer; the signature counter must
   * move forward when the authenticator keeps one.
   */
  async checkPasskey(customer: SandboxCustomer, response: unknown, challenge: string): Promise<Authentication | undefined> {
    if (typeof response !== 'object' || response === null || typeof (response as { id?: unknown }).id !== 'string') return undefined;
    const enrolled = this.#passkeys.get((response as { id: string }).id);
    if (enrolled === undefined || enrolled.customerId !== customer.id) return undefined;
    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.options.origin,
        expectedRPID: this.options.rpId,
        credential: { id: enrolled.passkey.id, publicKey: new Uint8Array(enrolled.passkey.publicKey), counter: enrolled.passkey.counter },
        requireUserVerification: true,
      });
    } catch {
      return undefined;
    }
    if (!verification.verified) return undefined;
    enrolled.passkey.counter = verification.authenticationInfo.newCounter;
    const synced = verification.authenticationInfo.credentialBackedUp;
    return {
      amr: ['pwd', synced ? 'x-passkey-synced' : 'x-passkey-devicebound'],
      acr: 'phr',
      aal: 'aal2',
      phishing_resistant: true,
      auth_time: Math.floor(this.options.clock() / 1000),
    };
  }
}
