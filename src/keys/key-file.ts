// NODE-ONLY: imported from the 'shomei/node' entry point, never from the core.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { parseJsonObject } from '../encoding/json.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import { importPem, importPrivateJwk, importPublicJwk, type ImportedKey } from './import.js';

const MAX_KEY_FILE_BYTES = 64 * 1024;

function keyInvalid(reason: string, message: string, cause?: unknown): ShomeiError {
  return new ShomeiError('KEY_INVALID', message, { reason, cause });
}

function algOfKeyObject(key: KeyObject): Alg | undefined {
  if (key.asymmetricKeyType === 'ec') return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ES256' : undefined;
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'rsa') return 'PS256';
  return undefined;
}

function inferPemAlg(pem: string): Alg {
  let key: KeyObject;
  try {
    key = pem.includes('PRIVATE KEY-----') ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (cause) {
    // Encrypted PEMs land here too: shomei takes no passphrase; decrypt with openssl first.
    throw keyInvalid('import_failed', 'PEM key could not be read', cause);
  }
  const alg = algOfKeyObject(key);
  if (alg === undefined) throw keyInvalid('unsupported_key', 'key type or curve is not supported (P-256, Ed25519 or RSA)');
  return alg;
}

/**
 * Loads a signing or verification key from a file: a JWK (JSON object; private if it has `d`) or a PEM
 * (PKCS#8 private or SPKI public). `alg` is inferred from the key when absent. File contents never
 * appear in an error.
 *
 * @throws ShomeiError `KEY_INVALID` (unreadable, too large, unsupported or weak key).
 * @example const { privateJwk, kid, alg } = await loadKeyFile('/etc/shomei/signing-key.json');
 * @see spec/11-keys.md SHO-KEY-13
 */
export async function loadKeyFile(path: string, alg?: Alg): Promise<ImportedKey> {
  if (typeof path !== 'string' || path.length === 0) throw invalidArgument('loadKeyFile: path must be a non-empty string');
  if (alg !== undefined && !isAlg(alg)) throw invalidArgument('loadKeyFile: alg must be ES256, EdDSA or PS256');
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw keyInvalid('unreadable', `key file ${path} could not be read`, cause);
  }
  if (bytes.length > MAX_KEY_FILE_BYTES) throw keyInvalid('too_large', `key file ${path} is larger than 64 KiB`);
  const text = bytes.toString('utf8').trim();
  if (text.startsWith('{')) {
    let jwk: Record<string, unknown>;
    try {
      jwk = parseJsonObject(text);
    } catch (cause) {
      throw keyInvalid('invalid_json', `key file ${path} is not a valid JSON object`, cause);
    }
    return typeof jwk.d === 'string' ? importPrivateJwk(jwk, alg) : importPublicJwk(jwk, alg);
  }
  if (text.includes('-----BEGIN ')) return importPem(text, alg ?? inferPemAlg(text));
  throw keyInvalid('unsupported_format', `key file ${path} is neither a JWK nor a PEM`);
}
