import { Account } from '../../claims/account.js';
import { TransactionDetails } from '../../claims/transaction-details.js';
import { createMemoryDecisionLog } from '../../decision-log/memory-decision-log.js';
import { nodeCryptoBackend } from '../../crypto/node.js';
import { KINDS, type Kind } from '../../kinds/kind.js';
import { loadPolicy } from '../../policy/load.js';
import { ACTIONS, type Action } from '../../vocabulary/actions.js';
import type { Decision } from '../../verifier/result.js';
import type { TrustConfigInput } from '../../verifier/trust.js';
import { createVerifier, type Expectations } from '../../verifier/verify.js';
import { EXIT, out, parse, required, UsageError } from '../args.js';
import { readJsonFile, readToken } from '../io.js';

export const VERIFY_USAGE = `shomei verify <token|@file|-> --kind K (--jwks <file|url> | --trust trust.json) --issuer I --audience A
        [--policy file | --no-policy] [--nonce N] [--request <jws|@file>] [--transaction file] [--account file]
        [--action A] [--subject sub] [--now epoch-seconds] [--tolerance s] [--max-token-bytes n] [--json]
  Verifies a token as a relying party (or bank) would and prints the decision. --jwks trusts the one
  issuer I for kind K with the highest ceilings; --trust takes a whole trust configuration (spec/13).
  Exit codes: 0 allow, 1 deny, 2 review, 3 usage error.`;

/** `shomei verify`: the library's verifier with a one-party trust configuration built from the options. */
export async function verifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    kind: { type: 'string' },
    jwks: { type: 'string' },
    trust: { type: 'string' },
    'max-token-bytes': { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    policy: { type: 'string' },
    'no-policy': { type: 'boolean' },
    nonce: { type: 'string' },
    request: { type: 'string' },
    transaction: { type: 'string' },
    account: { type: 'string' },
    action: { type: 'string' },
    subject: { type: 'string' },
    now: { type: 'string' },
    tolerance: { type: 'string' },
    json: { type: 'boolean' },
  });
  const kind = required(values, 'kind');
  if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  if ((values.jwks === undefined) === (values.trust === undefined)) throw new UsageError('give exactly one of --jwks and --trust');
  const issuer = required(values, 'issuer');
  const audience = required(values, 'audience');
  const token = await readToken(positionals[0]);

  const jwks = values.jwks;
  const trust =
    values.trust !== undefined
      ? await readJsonFile(values.trust, 'trust configuration')
      : {
          parties: [
            {
              id: issuer,
              keys: /^https?:\/\//.test(jwks ?? '') ? { jwks_uri: jwks } : { jwks: await readJsonFile(jwks ?? '', 'JWKS') },
              kinds: [kind],
              max_ial: 'ial3',
              max_aal: 'aal3',
              algs: ['ES256', 'EdDSA', 'PS256'],
              status: 'active',
            },
          ],
        };
  const maxTokenBytes = values['max-token-bytes'] === undefined ? undefined : Number(values['max-token-bytes']);
  const policy = values['no-policy'] === true ? false : values.policy !== undefined ? loadPolicy(await readJsonFile(values.policy, 'policy')) : undefined;
  const now = values.now === undefined ? undefined : Number(values.now);
  if (now !== undefined && !Number.isInteger(now)) throw new UsageError('--now must be a whole number of seconds since the epoch');
  const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);

  const expectations: Expectations<Kind> = { kind: kind as Kind, issuer };
  if (values.nonce !== undefined) expectations.nonce = values.nonce;
  if (values.request !== undefined) expectations.request = await readToken(values.request);
  if (values.transaction !== undefined) expectations.transaction = parseWith(TransactionDetails, await readJsonFile(values.transaction, 'transaction'), '--transaction');
  if (values.account !== undefined) expectations.account = parseWith(Account, await readJsonFile(values.account, 'account'), '--account');
  if (values.subject !== undefined) expectations.subject = values.subject;
  if (values.action !== undefined) {
    if (!(ACTIONS as readonly string[]).includes(values.action)) throw new UsageError(`--action must be one of ${ACTIONS.join(', ')}`);
    expectations.action = values.action as Action;
  }

  let verifier;
  try {
    verifier = createVerifier({
      audience,
      trust: trust as TrustConfigInput,
      ...(maxTokenBytes !== undefined ? { maxTokenBytes } : {}),
      ...(policy !== undefined ? { policy } : {}),
      crypto: nodeCryptoBackend,
      decisionLog: createMemoryDecisionLog(),
      ...(now !== undefined ? { clock: () => now * 1000 } : {}),
      ...(tolerance !== undefined ? { clockTolerance: tolerance } : {}),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let decision: Decision;
  try {
    decision = await verifier.verify(token, expectations);
  } catch (error) {
    // Only a caller mistake throws (for example a link token without --nonce and --request).
    throw new UsageError((error as Error).message);
  } finally {
    await verifier.close();
  }
  print(decision, values.json === true);
  return EXIT[decision.outcome];
}

function parseWith<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, value: unknown, option: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${option} file does not match the schema`);
  return parsed.data;
}

function print(decision: Decision, json: boolean): void {
  const { claims: _claims, ...summary } = decision;
  if (json) {
    out(JSON.stringify(summary, null, 2));
    return;
  }
  out(`outcome: ${decision.outcome.toUpperCase()}`);
  out(`kind:    ${decision.kind}${decision.issuer !== undefined ? ` from ${decision.issuer}` : ''}`);
  if (decision.kid !== undefined) out(`kid:     ${decision.kid}`);
  if (decision.jti !== undefined) out(`jti:     ${decision.jti}`);
  if (decision.policy !== undefined) out(`policy:  ${decision.policy.id} ${decision.policy.version}`);
  for (const reason of decision.reasons) out(`  ✗ ${reason.code} [${reason.requirement}] ${reason.message}`);
}
