// NODE-ONLY (benchmark): every measured row, for one algorithm.
import { sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner, createVerifier as createFastJwtVerifier } from 'fast-jwt';
import { importJWK, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Issuer } from '../src/issuer.js';
import type { DecisionLog, ReplayStore } from '../src/verifier.js';
import { ACCOUNT, BANK, BROKER, bankParty, linkInput, rawNodeKeys, type BenchKeys, type LinkContext } from './fixtures.js';
import { nodeEntry, verifierEntry } from './shomei.js';

const { createFileDecisionLog, createNodeCryptoBackend, createRedisReplayStore } = nodeEntry;
const { createVerifier } = verifierEntry;

export type Mode = 'seq' | 'x16';
export type Operation = 'sign' | 'verify';
export type Library = 'raw' | 'jose' | 'fast-jwt' | 'shomei';

/** A row of the table: how to build the function to time, and what it is compared with. */
export interface BenchCase {
  id: string;
  label: string;
  library: Library;
  operation: Operation;
  mode: Mode;
  /** Builds a fresh function to time (a new verifier, store and log each time); `close` runs after. */
  setup(): Promise<{ fn: () => unknown; maxOps?: number; close?: () => Promise<void> }>;
  /** Shown in the table next to the label. */
  note?: string;
}

export interface CaseInputs {
  keys: BenchKeys;
  context: LinkContext;
  /** A link assertion signed by shomei, with its claims: raw, jose and fast-jwt sign and verify the same. */
  reference: { token: string; claims: Record<string, unknown> };
  issuers: { webcrypto: Issuer; node: Issuer; nodeThreadPool: Issuer };
  /** Distinct valid link assertions, one per verification. */
  pool: readonly string[];
  /** `redis://` URL of a local redis-server, when one could be started. */
  redisUrl?: string;
}

const TYP = 'shomei-link+jwt';

export function benchCases(inputs: CaseInputs): BenchCase[] {
  const { keys, context, reference, issuers, pool } = inputs;
  const alg = keys.alg;
  const { digest, signKey, verifyKey } = rawNodeKeys(keys);
  const signingInput = Buffer.from(reference.token.slice(0, reference.token.lastIndexOf('.')), 'ascii');
  const signature = Buffer.from(reference.token.slice(reference.token.lastIndexOf('.') + 1), 'base64url');
  const mustVerify = (valid: boolean): void => {
    if (!valid) throw new Error('raw verify returned false');
  };

  const cases: BenchCase[] = [];
  const both = (make: (mode: Mode) => BenchCase): void => {
    cases.push(make('seq'), make('x16'));
  };

  // Raw node:crypto over the same signing input: the floor every library stands on. Sequential rows call
  // it synchronously, x16 rows through its callback (the thread pool).
  const raw = (operation: 'sign' | 'verify', sync: () => unknown, callback: () => Promise<unknown>): void =>
    both((mode) => ({
      id: `raw-${operation}`,
      label: `node:crypto ${operation}`,
      library: 'raw',
      operation,
      mode,
      note: mode === 'seq' ? 'sync' : 'callback (thread pool)',
      setup: async () => ({ fn: mode === 'seq' ? sync : callback }),
    }));
  raw(
    'sign',
    () => nodeSign(digest, signingInput, signKey),
    () => new Promise<Buffer>((resolve, reject) => nodeSign(digest, signingInput, signKey, (error, sig) => (error ? reject(error) : resolve(sig)))),
  );
  raw(
    'verify',
    () => mustVerify(nodeVerify(digest, signingInput, verifyKey, signature)),
    () =>
      new Promise<void>((resolve, reject) =>
        nodeVerify(digest, signingInput, verifyKey, signature, (error, valid) => (error ? reject(error) : valid ? resolve() : reject(new Error('invalid')))),
      ),
  );

  // Bare jose: what a hand-rolled integration would use (WebCrypto underneath on Node).
  both((mode) => ({
    id: 'jose-sign',
    label: 'jose SignJWT',
    library: 'jose',
    operation: 'sign',
    mode,
    setup: async () => {
      const key = await importJWK(keys.privateJwk as unknown as Parameters<typeof importJWK>[0], alg);
      return { fn: () => new SignJWT(reference.claims as JWTPayload).setProtectedHeader({ alg, kid: keys.kid, typ: TYP }).sign(key) };
    },
  }));
  both((mode) => ({
    id: 'jose-verify',
    label: 'jose jwtVerify',
    library: 'jose',
    operation: 'verify',
    mode,
    setup: async () => {
      const key = await importJWK(keys.publicJwk as unknown as Parameters<typeof importJWK>[0], alg);
      const options = { algorithms: [alg], typ: TYP, audience: BROKER, issuer: BANK };
      return { fn: () => jwtVerify(reference.token, key, options) };
    },
  }));

  // fast-jwt: synchronous node:crypto; 16 in flight gains nothing, it is shown for completeness.
  both((mode) => ({
    id: 'fast-jwt-sign',
    label: 'fast-jwt sign',
    library: 'fast-jwt',
    operation: 'sign',
    mode,
    note: 'sync',
    setup: async () => {
      const signer = createSigner({ key: keys.privatePem, algorithm: alg, kid: keys.kid, header: { alg, typ: TYP } });
      return { fn: () => signer(reference.claims) };
    },
  }));
  both((mode) => ({
    id: 'fast-jwt-verify',
    label: 'fast-jwt verify',
    library: 'fast-jwt',
    operation: 'verify',
    mode,
    note: 'sync',
    setup: async () => {
      const verifier = createFastJwtVerifier({ key: keys.publicPem, algorithms: [alg], checkTyp: TYP, allowedAud: BROKER, allowedIss: BANK });
      return { fn: () => verifier(reference.token) };
    },
  }));

  // shomei issuance of a link assertion: req_hash, transaction_hash, schema, authentication checks, sign.
  const input = linkInput(context, Math.floor(Date.now() / 1000));
  both((mode) => ({
    id: 'shomei-issue-webcrypto',
    label: 'shomei issue link (createLocalSigner)',
    library: 'shomei',
    operation: 'sign',
    mode,
    note: 'WebCrypto sign',
    setup: async () => ({ fn: () => issuers.webcrypto.link(input) }),
  }));
  both((mode) => ({
    id: 'shomei-issue-node',
    label: 'shomei issue link (node:crypto Signer)',
    library: 'shomei',
    operation: 'sign',
    mode,
    note: mode === 'seq' ? 'sync sign' : 'callback sign',
    setup: async () => {
      const issuer = mode === 'seq' ? issuers.node : issuers.nodeThreadPool;
      return { fn: () => issuer.link(input) };
    },
  }));

  // shomei full verification: every check on, a fresh token each time, outcome must be allow.
  const verifyCase = (
    id: string,
    label: string,
    mode: Mode,
    stores: () => Promise<{ replayStore?: ReplayStore; decisionLog?: DecisionLog; close?: () => Promise<void> }>,
    note?: string,
    threadPool = mode === 'x16',
  ): BenchCase => ({
    id,
    label,
    library: 'shomei',
    operation: 'verify',
    mode,
    note: [threadPool ? 'node:crypto threadPool' : 'node:crypto', note].filter(Boolean).join(', '),
    setup: async () => {
      const { replayStore, decisionLog, close } = await stores();
      const verifier = createVerifier({
        audience: BROKER,
        trust: { parties: [bankParty(keys)] },
        crypto: createNodeCryptoBackend({ threadPool }),
        ...(replayStore === undefined ? {} : { replayStore }),
        ...(decisionLog === undefined ? {} : { decisionLog }),
      });
      const expectations = { kind: 'link', issuer: BANK, nonce: context.nonce, request: context.request, account: { ...ACCOUNT }, action: 'account_link' } as const;
      let next = 0;
      return {
        maxOps: pool.length,
        fn: async () => {
          const token = pool[next++];
          if (token === undefined) throw new Error(`token pool of ${pool.length} exhausted: raise BENCH_POOL`);
          const decision = await verifier.verify(token, expectations);
          if (decision.outcome !== 'allow') {
            throw new Error(`${id}: verification ended in ${decision.outcome} (${decision.reasons.map((r) => r.code).join(', ')})`);
          }
        },
        close: async () => {
          await verifier.close();
          await close?.();
        },
      };
    },
  });

  both((mode) => verifyCase('shomei-verify-memory', 'shomei verify link (memory replay + log)', mode, async () => ({})));
  // For comparison only (no target): the synchronous backend under the same concurrency. On a 2-core
  // host the thread pool's hand-off can cost more main-thread time than it frees.
  cases.push(verifyCase('shomei-verify-memory-sync', 'shomei verify link (memory replay + log)', 'x16', async () => ({}), 'for comparison', false));

  let redisRun = 0;
  if (inputs.redisUrl !== undefined) {
    const url = inputs.redisUrl;
    both((mode) =>
      verifyCase('shomei-verify-redis', 'shomei verify link (Redis replay)', mode, async () => {
        // A fresh prefix per run: the pool's jtis were consumed under the previous one.
        const replayStore = await createRedisReplayStore({ url, prefix: `bench:${alg}:${mode}:${redisRun++}:` });
        await connected(replayStore);
        return { replayStore, close: () => replayStore.close() };
      }, 'loopback'),
    );
  }

  for (const durability of ['fsync-each', 'batched'] as const) {
    both((mode) =>
      verifyCase(`shomei-verify-file-${durability}`, `shomei verify link (file log, ${durability})`, mode, async () => {
        const dir = await mkdtemp(join(tmpdir(), 'shomei-bench-log-'));
        const decisionLog = await createFileDecisionLog({ path: dir, durability });
        return {
          decisionLog,
          close: async () => {
            await decisionLog.close();
            await rm(dir, { recursive: true, force: true });
          },
        };
      }),
    );
  }

  return cases;
}

/** The store connects in the background and fails closed until then: wait for its first PONG. */
async function connected(store: { ping(): Promise<void> }): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await store.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
