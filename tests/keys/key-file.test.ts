import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../src/keys/generate.js';
import { loadKeyFile } from '../../src/keys/key-file.js';
import { expectInvalidArgumentRejection, expectShomeiRejection } from '../jose/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'shomei-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('loadKeyFile (Node only)', () => {
  it('SHO-KEY-13: loads a private JWK and a public JWK file', async () => {
    const { privateJwk, publicJwk, kid } = await generateKey('EdDSA');
    const loaded = await loadKeyFile(file('private.json', JSON.stringify(privateJwk, null, 2)));
    expect(loaded).toMatchObject({ kid, alg: 'EdDSA', publicJwk });
    const loadedPublic = await loadKeyFile(file('public.json', JSON.stringify(publicJwk)));
    expect(loadedPublic.privateJwk).toBeUndefined();
    expect(loadedPublic.kid).toBe(kid);
  });

  it.each([
    ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['EdDSA', () => generateKeyPairSync('ed25519')],
    ['PS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ] as const)('SHO-KEY-13: loads %s PEM files and infers the algorithm', async (alg, make) => {
    const pair = make();
    const priv = await loadKeyFile(file(`${alg}.pem`, pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string));
    const pub = await loadKeyFile(file(`${alg}.pub.pem`, pair.publicKey.export({ format: 'pem', type: 'spki' }) as string));
    expect(priv.alg).toBe(alg);
    expect(pub.kid).toBe(priv.kid);
  });

  it('SHO-KEY-13: refuses unsupported, weak, malformed, oversized and missing files with KEY_INVALID', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    await expectShomeiRejection(loadKeyFile(file('p384.pem', p384)), 'KEY_INVALID', 'unsupported_key');
    const dsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    await expectShomeiRejection(loadKeyFile(file('rsa1024.pem', dsa)), 'KEY_INVALID');
    await expectShomeiRejection(loadKeyFile(file('dup.json', '{"kty":"EC","kty":"RSA"}')), 'KEY_INVALID', 'invalid_json');
    await expectShomeiRejection(loadKeyFile(file('text.txt', 'hello')), 'KEY_INVALID', 'unsupported_format');
    await expectShomeiRejection(loadKeyFile(file('big.json', Buffer.alloc(70_000, 0x20))), 'KEY_INVALID', 'too_large');
    await expectShomeiRejection(loadKeyFile(join(dir, 'missing.json')), 'KEY_INVALID', 'unreadable');
    await expectShomeiRejection(loadKeyFile(file('oct.json', '{"kty":"oct","k":"c2VjcmV0"}')), 'KEY_INVALID', 'symmetric_key');
    await expectInvalidArgumentRejection(loadKeyFile(''));
  });

  it('SHO-KEY-13: an error never contains the key material', async () => {
    const { privateJwk } = await generateKey('ES256');
    const path = file('bad.json', JSON.stringify({ ...privateJwk, crv: 'P-384' }));
    const error = await expectShomeiRejection(loadKeyFile(path), 'KEY_INVALID');
    expect(error.message).not.toContain(privateJwk.d);
  });
});
