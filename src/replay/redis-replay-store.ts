// NODE-ONLY: talks to Redis over TCP through the `redis` package (node-redis, maintained by Redis Inc.).
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import {
  checkConsumeArguments,
  replayStoreUnavailable,
  type ConsumeResult,
  type ReplayStore,
} from './replay-store.js';

/**
 * The one method the store needs from a Redis client: send a raw command. A node-redis v4/v5 client
 * fits as it is; for ioredis pass `{ sendCommand: (args) => redis.call(args[0], ...args.slice(1)) }`.
 * The store bounds every command with its own `commandTimeoutMs`, so the client needs no timeout of its
 * own; none is asked of it (node-redis's per-command timeout costs an `AbortSignal` per command).
 *
 * A client you pass should reject commands while disconnected (node-redis: `disableOfflineQueue: true`);
 * otherwise a consume that timed out here may still run after reconnection — harmless (the assertion
 * was already denied) but it holds the command queue.
 */
export interface RedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/** Options of {@link createRedisReplayStore}. */
export interface RedisReplayStoreOptions {
  /** `redis://` or `rediss://` URL (may hold credentials: it is never logged). Required unless `client`. */
  url?: string;
  /** A client you created and own; the store neither connects nor closes it. */
  client?: RedisClientLike;
  /** Prepended to every key, so that one Redis can serve several applications. Default `'shomei:jti:'`. */
  prefix?: string;
  /**
   * Longest wait for one command before the consume fails closed. Default 250 ms. One timer checks all
   * commands in flight every `max(5, commandTimeoutMs / 4)` ms, so a timeout fires up to that period
   * late (default: between 250 and about 313 ms).
   */
  commandTimeoutMs?: number;
  /**
   * Most commands sent to the client and not yet answered by it (SHO-REPLAY-4). Default 10,000. At the
   * cap a consume (or ping) fails at once with `REPLAY_STORE_UNAVAILABLE`, reason `backlog`, and sends
   * nothing; service resumes by itself as soon as the client settles a command. A command that already
   * timed out here still counts until the client settles it: while Redis is connected but hung, the
   * client keeps every command it was given in its queue, and without a cap that queue grows for as long
   * as the stall lasts.
   */
  maxInFlight?: number;
  /** Longest wait for one connection attempt. Default 1,000 ms. */
  connectTimeoutMs?: number;
  /** Upper bound of the reconnection backoff (50 ms doubling, plus jitter). Default 2,000 ms. */
  maxReconnectDelayMs?: number;
  /**
   * Added to each key's lifetime, to cover clock differences between verifier instances: a key lives
   * `expiresAt − now + expiryMarginMs` as measured by this verifier's clock. Default 5,000 ms.
   */
  expiryMarginMs?: number;
  /** Current time in epoch milliseconds, like `Date.now` (the default). */
  clock?: () => number;
  /** Told about connection errors (for logging; they carry no key, token or URL credentials). */
  onError?: (error: unknown) => void;
}

/** The Redis {@link ReplayStore}, with a health check. */
export interface RedisReplayStore extends ReplayStore {
  /**
   * Resolves when Redis answers `PING` within the command timeout; rejects with
   * `REPLAY_STORE_UNAVAILABLE` otherwise. For readiness probes, and to wait for the first connection.
   */
  ping(): Promise<void>;
  /**
   * Fails every command still in flight (`REPLAY_STORE_UNAVAILABLE`, reason `closed`) and disconnects a
   * client the store created (a client passed in is left open).
   */
  close(): Promise<void>;
}

const DEFAULT_PREFIX = 'shomei:jti:';
const DEFAULT_COMMAND_TIMEOUT_MS = 250;
const DEFAULT_MAX_IN_FLIGHT = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 1_000;
const DEFAULT_MAX_RECONNECT_DELAY_MS = 2_000;
const DEFAULT_EXPIRY_MARGIN_MS = 5_000;
const MAX_PREFIX_LENGTH = 256;

interface OwnedClient extends RedisClientLike {
  destroy(): void;
}

/**
 * Creates a replay store shared by every verifier instance that points at the same Redis
 * (spec/13-verification.md SHO-REPLAY-1..4). NODE-ONLY.
 *
 * - Consume-once (SHO-REPLAY-1): `SET <prefix><key> 1 NX PX <ms>` — Redis runs it atomically, so of any
 *   number of concurrent consumes of one key across all instances exactly one gets `OK` (`'fresh'`);
 *   the others get nil (`'replayed'`).
 * - Expiry (SHO-REPLAY-2): the lifetime is relative (`PX`), computed from this verifier's clock — the
 *   clock that decided the assertion is still acceptable — plus `expiryMarginMs` for clock differences
 *   between instances. An absolute `EXAT` would instead trust the Redis host's clock: one running ahead
 *   would expire keys early and reopen a replay window.
 * - Fail closed (SHO-REPLAY-4): the client's offline queue is disabled, so while Redis is unreachable
 *   every consume rejects at once with `REPLAY_STORE_UNAVAILABLE`, and a consume that gets no answer
 *   within `commandTimeoutMs` rejects the same way (reason `timeout`; one timer checks every
 *   `max(5, commandTimeoutMs / 4)` ms, so up to that much later; a reply after that is ignored). Such a SET may still have reached Redis: the key is
 *   then spent and the assertion was denied anyway — never the other way round.
 * - Bounded backlog (SHO-REPLAY-4): a Redis that is connected but hung answers nothing and the client
 *   keeps every command sent to it, timed out here or not. Once `maxInFlight` commands are unsettled by
 *   the client, a consume rejects at once (reason `backlog`) without sending anything, until the client
 *   settles some (Redis answers, or the connection drops and the client fails its queue).
 * - Recovery: the client reconnects by itself with a capped exponential backoff and never gives up;
 *   consumes succeed again as soon as Redis is back, without recreating the store.
 *
 * Redis must keep what it was told: after a restart without persistence (or a failover to a replica
 * that had not received the key) a `jti` consumed in the last few minutes can be accepted again. Run
 * Redis with `appendonly yes` (`appendfsync everysec` or `always`) for the replay store.
 *
 * The `redis` package is loaded only when `url` is given, so verifiers that never use Redis need not
 * install it.
 *
 * @throws ShomeiError `CONFIG_INVALID` when `url` is given and the `redis` package is not installed.
 * @example
 * const replay = await createRedisReplayStore({ url: process.env.REDIS_URL });
 * await replay.ping(); // optional: wait until Redis answers before taking traffic
 */
export async function createRedisReplayStore(options: RedisReplayStoreOptions): Promise<RedisReplayStore> {
  if (options === null || typeof options !== 'object') throw invalidArgument('createRedisReplayStore: options must be an object');
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || prefix.length > MAX_PREFIX_LENGTH) {
    throw invalidArgument(`createRedisReplayStore: prefix must be a string of at most ${MAX_PREFIX_LENGTH} characters`);
  }
  const commandTimeoutMs = positiveInteger(options.commandTimeoutMs, DEFAULT_COMMAND_TIMEOUT_MS, 'commandTimeoutMs');
  const maxInFlight = positiveInteger(options.maxInFlight, DEFAULT_MAX_IN_FLIGHT, 'maxInFlight');
  const connectTimeoutMs = positiveInteger(options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS, 'connectTimeoutMs');
  const maxReconnectDelayMs = positiveInteger(options.maxReconnectDelayMs, DEFAULT_MAX_RECONNECT_DELAY_MS, 'maxReconnectDelayMs');
  const expiryMarginMs = options.expiryMarginMs ?? DEFAULT_EXPIRY_MARGIN_MS;
  if (!Number.isSafeInteger(expiryMarginMs) || expiryMarginMs < 0) {
    throw invalidArgument('createRedisReplayStore: expiryMarginMs must be a non-negative integer');
  }
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw invalidArgument('createRedisReplayStore: clock must be a function');
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== 'function') throw invalidArgument('createRedisReplayStore: onError must be a function');

  let client: RedisClientLike;
  let owned: OwnedClient | undefined;
  if (options.client !== undefined) {
    if (options.url !== undefined) throw invalidArgument('createRedisReplayStore: give url or client, not both');
    if (options.client === null || typeof options.client.sendCommand !== 'function') {
      throw invalidArgument('createRedisReplayStore: client must have a sendCommand(args) method');
    }
    client = options.client;
  } else {
    const url = options.url;
    if (typeof url !== 'string' || !/^rediss?:\/\//.test(url)) {
      throw invalidArgument('createRedisReplayStore: url must be a redis:// or rediss:// URL (or pass client)');
    }
    owned = await connectOwnedClient(url, { connectTimeoutMs, maxReconnectDelayMs, onError });
    client = owned;
  }

  const deadlines = createDeadlineTracker(commandTimeoutMs);
  let closed = false;
  // Commands handed to the client and not yet settled by it. Not `deadlines`' pending set: that one is
  // "a caller still waits", and a command given up on by the sweep or by close stays in the client's
  // queue (and memory) until the client settles it.
  let unsettled = 0;

  /**
   * Sends one command and settles with `interpret(reply)`, or rejects with REPLAY_STORE_UNAVAILABLE.
   * Exactly one of: the reply, the client's failure, the deadline sweep, close — whichever comes first
   * (`deadlines.finish` tells whether the command was still pending); a later one changes nothing.
   */
  const send = <T>(args: string[], interpret: (reply: unknown) => T | ShomeiError): Promise<T> => {
    if (closed) return Promise.reject(replayStoreUnavailable('closed', 'the replay store is closed'));
    if (unsettled >= maxInFlight) {
      return Promise.reject(replayStoreUnavailable('backlog', `Redis has ${maxInFlight} commands unanswered (maxInFlight)`));
    }
    return new Promise<T>((resolve, reject) => {
      const command = deadlines.start(reject);
      let sent: Promise<unknown>;
      try {
        // Promise.resolve returns a native promise as it is, and turns a stub's plain value into one.
        sent = Promise.resolve(client.sendCommand(args));
      } catch (error) {
        deadlines.finish(command);
        reject(describeFailure(error, commandTimeoutMs));
        return;
      }
      unsettled++;
      // Both handlers are attached at once and never throw, so neither the client's promise nor the
      // derived one can become an unhandled rejection. Exactly one of them runs: the count drops once.
      sent.then(
        (reply) => {
          unsettled--;
          if (!deadlines.finish(command)) return;
          const result = interpret(reply);
          if (result instanceof ShomeiError) reject(result);
          else resolve(result);
        },
        (error: unknown) => {
          unsettled--;
          if (deadlines.finish(command)) reject(describeFailure(error, commandTimeoutMs));
        },
      );
    });
  };

  const interpretSet = (reply: unknown): ConsumeResult | ShomeiError => {
    if (reply === 'OK') return 'fresh';
    if (reply === null || reply === undefined) return 'replayed';
    return replayStoreUnavailable('error', 'Redis gave an unexpected reply to SET NX');
  };
  const interpretPing = (reply: unknown): void | ShomeiError =>
    reply === 'PONG' ? undefined : replayStoreUnavailable('error', 'Redis gave an unexpected reply to PING');

  return {
    consume(key: string, expiresAt: number): Promise<ConsumeResult> {
      let args: string[];
      // Not an async function (one promise less per consume), so a throw must become a rejection here.
      try {
        checkConsumeArguments(key, expiresAt);
        const remainingMs = Math.max(1, Math.ceil(expiresAt * 1000 - clock()));
        args = ['SET', prefix + key, '1', 'NX', 'PX', String(remainingMs + expiryMarginMs)];
      } catch (error) {
        return Promise.reject(error);
      }
      return send(args, interpretSet);
    },

    ping(): Promise<void> {
      return send(['PING'], interpretPing);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      deadlines.rejectAll(() => replayStoreUnavailable('closed', 'the replay store was closed'));
      try {
        owned?.destroy();
      } catch {
        // Already closed by the client itself: nothing left to release.
      }
    },
  };
}

/** One command in flight: when it is overdue (monotonic ms) and how to fail it. */
interface PendingCommand {
  readonly deadline: number;
  readonly reject: (error: ShomeiError) => void;
}

interface DeadlineTracker {
  /** Registers a command sent now; `reject` is called if it is still pending at its deadline. */
  start(reject: (error: ShomeiError) => void): PendingCommand;
  /** Forgets the command; `false` when it was already failed by the sweep or by `rejectAll`. */
  finish(command: PendingCommand): boolean;
  /** Fails every pending command (store closed) and stops the timer. */
  rejectAll(error: () => ShomeiError): void;
}

/**
 * The command timeout for all commands in flight with one timer, instead of a timer (and, in node-redis,
 * an `AbortSignal.timeout` whose expiry builds a DOMException even after the reply) per command: those
 * cost more main-thread time than the Redis round trip itself.
 *
 * Every command has the same timeout and `performance.now()` never goes back, so the Set's insertion
 * order is deadline order and a sweep stops at the first command not yet due. The interval runs only
 * while a command is pending and stops at the first sweep that finds none (nor any due), so an idle store
 * holds no timer. It stays referenced while it runs, so that a pending consume always settles even if nothing
 * else keeps the process alive (a passed-in client that never answers).
 */
function createDeadlineTracker(timeoutMs: number): DeadlineTracker {
  const periodMs = Math.max(5, Math.ceil(timeoutMs / 4));
  const pending = new Set<PendingCommand>();
  let timer: ReturnType<typeof setInterval> | undefined;

  const expire = (overdue: PendingCommand[]): void => {
    for (const command of overdue) {
      if (pending.delete(command)) command.reject(replayStoreUnavailable('timeout', `Redis did not answer within ${timeoutMs} ms`));
    }
  };
  const sweep = (): void => {
    const now = performance.now();
    let overdue: PendingCommand[] | undefined;
    for (const command of pending) {
      if (command.deadline > now) break;
      (overdue ??= []).push(command);
    }
    // Failed after this loop turn's I/O, not now: after a stall of the main thread (GC, a burst of CPU
    // work) timers run before sockets are read, and a reply that arrived in time would count as late.
    // Still bounded: the check phase follows the poll phase of the same turn.
    if (overdue !== undefined) setImmediate(expire, overdue);
    else if (pending.size === 0) stop();
  };
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  return {
    start(reject) {
      const command: PendingCommand = { deadline: performance.now() + timeoutMs, reject };
      pending.add(command);
      timer ??= setInterval(sweep, periodMs);
      return command;
    },
    finish(command) {
      return pending.delete(command);
    },
    rejectAll(error) {
      const commands = [...pending];
      pending.clear();
      stop();
      for (const command of commands) command.reject(error());
    },
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 1) {
    throw invalidArgument(`createRedisReplayStore: ${name} must be a positive integer`);
  }
  return result;
}

function describeFailure(error: unknown, commandTimeoutMs: number): ShomeiError {
  let name = '';
  try {
    name = error instanceof Error ? String(error.constructor.name) : '';
  } catch {
    // A client's error whose constructor cannot be read still fails the command: it is a generic error.
  }
  if (name === 'TimeoutError') {
    return replayStoreUnavailable('timeout', `Redis did not answer within ${commandTimeoutMs} ms`, error);
  }
  if (name === 'ClientOfflineError' || name === 'ClientClosedError' || name === 'DisconnectsClientError') {
    return replayStoreUnavailable('offline', 'Redis is not connected', error);
  }
  // Error replies (READONLY on a replica, OOM, ...) and socket failures alike: the key was not recorded.
  return replayStoreUnavailable('error', `Redis command failed (${name || 'unknown error'})`, error);
}

async function connectOwnedClient(
  url: string,
  settings: {
    connectTimeoutMs: number;
    maxReconnectDelayMs: number;
    onError: ((error: unknown) => void) | undefined;
  },
): Promise<OwnedClient> {
  let redis: typeof import('redis');
  try {
    redis = await import('redis');
  } catch (cause) {
    throw new ShomeiError('CONFIG_INVALID', "createRedisReplayStore: 'url' needs the 'redis' package, which shomei does not install (npm install redis@5)", {
      reason: 'missing_dependency',
      cause,
    });
  }
  if (typeof redis.createClient !== 'function') {
    throw new ShomeiError('CONFIG_INVALID', "createRedisReplayStore: the installed 'redis' package has no createClient", { reason: 'missing_dependency' });
  }
  const client = redis.createClient({
    url,
    // Fail closed at once while disconnected instead of queueing consumes until Redis returns.
    disableOfflineQueue: true,
    // No `commandOptions.timeout`: the store bounds each command itself with one shared timer.
    socket: {
      connectTimeout: settings.connectTimeoutMs,
      // A number means "retry in that many ms"; never `false`, so the client keeps trying forever.
      reconnectStrategy: (retries: number) =>
        Math.min(50 * 2 ** Math.min(retries, 16), settings.maxReconnectDelayMs) + Math.floor(Math.random() * 50),
    },
  });
  // node-redis 5 (destroy() closes at once); version 4 has no destroy: pass its client as `client` instead.
  if (typeof (client as { destroy?: unknown }).destroy !== 'function') {
    throw new ShomeiError('CONFIG_INVALID', "createRedisReplayStore: 'url' needs node-redis 5 (npm install redis@5); with another client, pass it as 'client'", {
      reason: 'unsupported_dependency',
    });
  }
  // Without a listener an 'error' event (emitted on every failed reconnection) would crash the process.
  client.on('error', (error: unknown) => {
    try {
      settings.onError?.(error);
    } catch {
      // A failing logger must not take the store down.
    }
  });
  // Connection happens in the background: a verifier can start while Redis is down and deny until it is
  // up. The promise only rejects when the store is closed while still connecting.
  client.connect().catch(() => undefined);
  return {
    sendCommand: (args) => client.sendCommand(args),
    destroy: () => client.destroy(),
  };
}
