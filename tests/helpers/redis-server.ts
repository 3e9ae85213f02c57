import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** A `redis-server` process started for one test file. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** SIGTERM, and wait for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash), and wait for the process to exit. */
  kill(): Promise<void>;
  /** Starts a new server on the same port (after stop or kill) and waits until it answers PING. */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its connections but answers nothing (a hung Redis). */
  pause(): void;
  /** SIGCONT after {@link RedisServer.pause}. */
  resume(): void;
}

const START_DEADLINE_MS = 15_000;

/** Polls until `store.ping()` succeeds; a correctness wait with a generous deadline, not a timing check. */
export async function waitUntilAvailable(store: { ping(): Promise<unknown> }): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (await store.ping().then(() => true, () => false)) return;
    if (Date.now() > deadline) throw new Error('the store did not recover within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * One `redis-server` for the enclosing `describe` block (or file): started in `beforeAll`, stopped in
 * `afterAll`. The returned handle forwards to that server, so it may be used only inside tests.
 */
export function useRedisServer(): RedisServer {
  let started: RedisServer | undefined;
  beforeAll(async () => {
    started = await startRedisServer();
  });
  afterAll(async () => {
    await started?.stop();
  });
  const current = (): RedisServer => {
    if (started === undefined) throw new Error('redis-server is not running: use the handle inside a test');
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get port() {
      return current().port;
    },
    stop: () => current().stop(),
    kill: () => current().kill(),
    restart: () => current().restart(),
    pause: () => current().pause(),
    resume: () => current().resume(),
  };
}

/**
 * Starts the Debian `redis-server` binary on a free loopback port, without persistence, and waits until
 * it answers PING. Throws if the binary is missing (`apt-get install -y redis-server`).
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'shomei-redis-'));
  let child: ChildProcess | undefined = await launch(port, dir);

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    // A paused server would hold SIGTERM until continued.
    running.kill('SIGCONT');
    await exited;
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await terminate('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    kill: () => terminate('SIGKILL'),
    restart: async () => {
      await terminate('SIGKILL');
      child = await launch(port, dir);
    },
    pause: () => {
      child?.kill('SIGSTOP');
    },
    resume: () => {
      child?.kill('SIGCONT');
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`redis-server could not start: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${stderr.trim()}`)));
  });
  failed.catch(() => undefined);
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    const answered = await Promise.race([ping(port), failed]);
    if (answered) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within ${START_DEADLINE_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
