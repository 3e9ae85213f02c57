import { createIssuer } from '../../issuer/issue.js';
import { KINDS, type Kind } from '../../kinds/kind.js';
import { loadKeyFile } from '../../keys/key-file.js';
import { createLocalSigner } from '../../keys/signer.js';
import { out, parse, required, UsageError } from '../args.js';
import { readJsonFile } from '../io.js';

export const SIGN_USAGE = `shomei sign --kind K --claims claims.json --key private.jwk.json|key.pem [--lifetime s] [--now epoch-seconds]
  Issues a token of kind K (request, link, transaction, identity) from a JSON file holding 'iss' and the
  claims of that kind; iat, exp and jti are set, req_hash and transaction_hash computed (a link or
  transaction file names the request JWS in 'request'). The issuer refuses claims that break spec/.`;

/** `shomei sign`: the issuer, from a claims file and a key file. Prints the token. */
export async function signCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { kind: { type: 'string' }, claims: { type: 'string' }, key: { type: 'string' }, lifetime: { type: 'string' }, now: { type: 'string' } });
  const kind = required(values, 'kind');
  if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  const input = await readJsonFile(required(values, 'claims'), 'claims');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new UsageError('the claims file must hold a JSON object');
  const { iss, ...claims } = input as Record<string, unknown>;
  if (typeof iss !== 'string') throw new UsageError("the claims file must name the issuer in 'iss'");
  let key;
  try {
    key = await loadKeyFile(required(values, 'key'));
  } catch (error) {
    throw new UsageError(`cannot use key file: ${(error as Error).message}`);
  }
  if (key.privateJwk === undefined) throw new UsageError('the key file holds a public key; signing needs the private key');
  const signer = await createLocalSigner(key.privateJwk, { alg: key.alg, kid: key.kid });
  const now = values.now === undefined ? undefined : Number(values.now);
  if (now !== undefined && !Number.isInteger(now)) throw new UsageError('--now must be a whole number of seconds since the epoch');
  const issuer = createIssuer({ issuer: iss, signer, ...(now !== undefined ? { clock: () => now * 1000 } : {}) });
  const lifetime = values.lifetime === undefined ? undefined : Number(values.lifetime);
  const options = lifetime === undefined ? {} : { lifetime };
  const issued = await (issuer[kind as Kind] as (input: unknown, options: object) => Promise<{ token: string }>)(claims, options);
  out(issued.token);
  return 0;
}
