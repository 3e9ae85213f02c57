/**
 * A software passkey for the scripted demo: a P-256 key that answers WebAuthn `navigator.credentials.get`
 * exactly as a platform authenticator does (W3C WebAuthn Level 3 §6.1 authenticator data, §5.8.1 client
 * data, §6.3.3 assertion signature). The bank verifies its answers with @simplewebauthn/server, the same
 * code that verifies a real browser's. The browser test uses Chromium's virtual authenticator instead,
 * loaded with the same private key (`pkcs8`).
 *
 * Nothing here is protected the way a real authenticator protects its key; it exists so that the demo
 * can authenticate with a phishing-resistant method without a person at a keyboard.
 */
import { encodeBase64url } from 'shomei';
import { joseToDer } from 'shomei/issuer';

/** The JSON a browser's `PublicKeyCredential#toJSON()` gives for an assertion (what the bank's form posts). */
export interface AssertionJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { authenticatorData: string; clientDataJSON: string; signature: string; userHandle: string };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'platform';
}

/** What the bank stores when the passkey is enrolled. */
export interface EnrolledPasskey {
  /** base64url credential ID. */
  id: string;
  /** The COSE_Key (RFC 9052 §7) of the public key. */
  publicKey: Uint8Array;
  counter: number;
}

/** Flags: UP (user present) | UV (user verified); BE/BS clear = a device-bound credential. */
const FLAGS_UP_UV = 0x05;

export class SoftwareAuthenticator {
  #signCount = 0;

  private constructor(
    readonly credentialId: Uint8Array,
    readonly userHandle: Uint8Array,
    private readonly keys: CryptoKeyPair,
  ) {}

  /** A new device-bound credential for one user. */
  static async create(userHandle: string): Promise<SoftwareAuthenticator> {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    return new SoftwareAuthenticator(crypto.getRandomValues(new Uint8Array(16)), new TextEncoder().encode(userHandle), keys);
  }

  get id(): string {
    return encodeBase64url(this.credentialId);
  }

  /** The credential as the bank enrolls it. */
  async enrolled(): Promise<EnrolledPasskey> {
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', this.keys.publicKey));
    return { id: this.id, publicKey: coseP256(raw.subarray(1, 33), raw.subarray(33, 65)), counter: 0 };
  }

  /** The private key as PKCS#8 base64, for Chromium's virtual authenticator (`WebAuthn.addCredential`). */
  async pkcs8Base64(): Promise<string> {
    return Buffer.from(await crypto.subtle.exportKey('pkcs8', this.keys.privateKey)).toString('base64');
  }

  /**
   * Answers a `navigator.credentials.get()` for `rpId` from a page at `origin` — the origin the browser
   * would put into the client data, which is what makes a passkey useless on a phishing site.
   */
  async getAssertion(options: { challenge: string; rpId: string; origin: string }): Promise<AssertionJson> {
    this.#signCount += 1;
    const rpIdHash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(options.rpId)));
    const authenticatorData = new Uint8Array(37);
    authenticatorData.set(rpIdHash, 0);
    authenticatorData[32] = FLAGS_UP_UV;
    new DataView(authenticatorData.buffer).setUint32(33, this.#signCount);
    const clientDataJSON = new TextEncoder().encode(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: options.origin, crossOrigin: false }));
    const clientDataHash = new Uint8Array(await crypto.subtle.digest('SHA-256', clientDataJSON));
    const signed = new Uint8Array(authenticatorData.length + clientDataHash.length);
    signed.set(authenticatorData);
    signed.set(clientDataHash, authenticatorData.length);
    const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.keys.privateKey, signed));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: {
        authenticatorData: encodeBase64url(authenticatorData),
        clientDataJSON: encodeBase64url(clientDataJSON),
        // WebAuthn ES256 signatures are DER (WebAuthn §6.5.6), not JOSE r||s.
        signature: encodeBase64url(joseToDer(raw)),
        userHandle: encodeBase64url(this.userHandle),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}

/** COSE_Key for an EC2 P-256 ES256 public key: {1: 2, 3: -7, -1: 1, -2: x, -3: y} in CBOR. */
function coseP256(x: Uint8Array, y: Uint8Array): Uint8Array {
  const head = [0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
  const out = new Uint8Array(head.length + 32 + 3 + 32);
  out.set(head);
  out.set(x, head.length);
  out.set([0x22, 0x58, 0x20], head.length + 32);
  out.set(y, head.length + 35);
  return out;
}

