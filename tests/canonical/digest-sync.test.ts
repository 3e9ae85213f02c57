/**
 * `req_hash` and `transaction_hash` with a synchronous SHA-256 (spec/10-binding.md SHO-BIND-1,
 * SHO-BIND-3): the text is encoded into a reused buffer, so every result is compared with WebCrypto's
 * over freshly encoded bytes, large texts before small ones.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestFor, hashCanonical, sha256Base64url, sha256TextWith } from '../../src/canonical/digest.js';
import { canonicalize } from '../../src/canonical/jcs.js';
import { nodeCryptoBackend } from '../../src/crypto/node.js';

const syncSha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

async function webCrypto(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('base64url');
}

describe('SHA-256 of a text with a synchronous hash', () => {
  const texts = ['x'.repeat(30_000), '', 'abc', '証明'.repeat(3000), 'eyJhbGciOiJFUzI1NiJ9.e30.sig', 'a\ud800b', '😀'.repeat(10), 'é'.repeat(40_000), 'z'];

  it('SHO-BIND-3: equals WebCrypto over the UTF-8 bytes, for texts of every size and kind', async () => {
    // Counts the synchronous hash's calls: the comparison must not be WebCrypto against itself.
    let calls = 0;
    const counted = (data: Uint8Array): Uint8Array => (calls++, syncSha256(data));
    for (const text of texts) {
      const expected = await webCrypto(text);
      calls = 0;
      expect(sha256TextWith(text, counted)).toBe(expected);
      expect(calls).toBe(1);
      expect(await sha256Base64url(text, counted)).toBe(expected);
      expect(calls).toBe(2);
      expect(await sha256Base64url(text)).toBe(expected);
    }
  });

  it('SHO-BIND-3: a hash that answers late (a promise, not a Sha256) still hashes each text, not a reused buffer', async () => {
    const late = ((data: Uint8Array) =>
      new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(syncSha256(data)), 5))) as unknown as (data: Uint8Array) => Uint8Array;
    const results = await Promise.all(texts.map((text) => Promise.resolve(sha256TextWith(text, late))));
    for (const [index, text] of texts.entries()) expect(results[index]).toBe(await webCrypto(text));
    expect(await sha256Base64url('abc', late)).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('SHO-BIND-3: the FIPS 180-2 "abc" vector', () => {
    expect(sha256TextWith('abc', syncSha256)).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('SHO-BIND-2: hashCanonical with a synchronous hash equals the hash of the JCS bytes', async () => {
    const value = { action: 'account_link', account: { type: '1', number: '0123456', branch_code: '123', bank_code: '0005' } };
    const expected = await webCrypto(canonicalize(value));
    expect(await hashCanonical(value, syncSha256)).toBe(expected);
    let calls = 0;
    expect(await hashCanonical(value, (data) => (calls++, syncSha256(data)))).toBe(expected);
    expect(calls).toBe(1);
    expect(expected).toBe('BPLqQ4G8lhlrFdpJNdNa6M9fa-qDt5yzWFBKB1XtIGw');
  });
});

describe('SHA-256 straight to base64url (CryptoBackend.sha256Base64url, node:crypto backend)', () => {
  const texts = ['x'.repeat(30_000), '', 'abc', '証明'.repeat(3000), 'eyJhbGciOiJFUzI1NiJ9.e30.sig', 'a\ud800b', '\udfff', '😀'.repeat(10), 'é'.repeat(40_000)];

  it('SHO-BIND-3: equals WebCrypto over the UTF-8 bytes (lone surrogates as U+FFFD), for texts and for bytes', async () => {
    const native = nodeCryptoBackend.sha256Base64url!;
    for (const text of texts) {
      const expected = await webCrypto(text);
      expect(native(text)).toBe(expected);
      expect(native(new TextEncoder().encode(text))).toBe(expected);
    }
  });

  it('SHO-BIND-3: digestFor gives the same string through every path, for texts and bytes, and prefers the native one', async () => {
    let nativeCalls = 0;
    const native = (data: string | Uint8Array): string => (nativeCalls++, nodeCryptoBackend.sha256Base64url!(data));
    for (const text of texts) {
      const expected = await webCrypto(text);
      const bytes = new TextEncoder().encode(text);
      for (const data of [text, bytes]) {
        expect(digestFor({ sha256: syncSha256, sha256Base64url: native })(data)).toBe(expected);
        expect(digestFor({ sha256: syncSha256 })(data)).toBe(expected);
        expect(await digestFor()(data)).toBe(expected);
      }
    }
    expect(nativeCalls).toBe(texts.length * 2);
  });

  it('a sha256Base64url that does not answer a string synchronously is refused (TypeError), not passed on', () => {
    const late = digestFor({ sha256Base64url: ((data: string | Uint8Array) => Promise.resolve(nodeCryptoBackend.sha256Base64url!(data))) as unknown as (data: string | Uint8Array) => string });
    expect(() => late('abc')).toThrow(TypeError);
  });

  it('refuses anything but a string or bytes (TypeError), as the other backend methods do', () => {
    for (const value of [undefined, null, 42, {}, [1, 2], new ArrayBuffer(4)]) {
      expect(() => nodeCryptoBackend.sha256Base64url!(value as unknown as string)).toThrow(TypeError);
    }
  });
});
