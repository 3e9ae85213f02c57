import { writeFile } from 'node:fs/promises';
import { isAlg } from '../../jws/algorithms.js';
import { generateKey } from '../../keys/generate.js';
import { out, parse, UsageError } from '../args.js';

export const KEYS_USAGE = `shomei keys generate [--alg ES256|EdDSA|PS256] [--out private.jwk.json] [--public-out public.jwks.json]
  Generates a signing key. kid is the RFC 7638 thumbprint. The private JWK is written to --out
  (mode 0600) and never printed; the public JWKS is printed or written to --public-out.`;

/** `shomei keys generate`. */
export async function keysCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'generate') throw new UsageError(`unknown keys subcommand ${JSON.stringify(sub ?? '')}\n${KEYS_USAGE}`);
  const { values } = parse(rest, { alg: { type: 'string' }, out: { type: 'string' }, 'public-out': { type: 'string' } });
  const alg = values.alg ?? 'ES256';
  if (!isAlg(alg)) throw new UsageError('--alg must be ES256, EdDSA or PS256');
  if (values.out === undefined) throw new UsageError('--out is required: the private key is written to a file, never to the terminal');
  const key = await generateKey(alg);
  await writeFile(values.out, `${JSON.stringify(key.privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(error.code === 'EEXIST' ? `${values.out} exists; refusing to overwrite a key` : `cannot write ${values.out}`);
  });
  const jwks = `${JSON.stringify({ keys: [key.publicJwk] }, null, 2)}\n`;
  if (values['public-out'] !== undefined) await writeFile(values['public-out'], jwks);
  else out(jwks.trimEnd());
  process.stderr.write(`generated ${alg} key ${key.kid}; private key in ${values.out}\n`);
  return 0;
}
