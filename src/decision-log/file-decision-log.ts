// NODE-ONLY: writes the decision log to the local file system.
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, open, readdir, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { nodeSha256 } from '../crypto/node.js';
import { decodeUtf8Strict, encodeUtf8 } from '../encoding/utf8.js';
import { ShomeiError, invalidArgument } from '../errors/shomei-error.js';
import { chainedEntryIntact, linkCheckedEntry, isChainedEntry, serializeChainedEntry, type ChainLink } from './chain.js';
import { parseJsonObject } from '../encoding/json.js';
import { decisionLogUnavailable, normalizeDecisionEntry, type DecisionEntry, type DecisionLog } from './decision-log.js';

/** Options of {@link createFileDecisionLog}. */
export interface FileDecisionLogOptions {
  /**
   * An existing directory (files `decisions.000001.jsonl`, … inside it) or a file base: `/var/log/shomei/audit`
   * gives `/var/log/shomei/audit.000001.jsonl`, … (a trailing `.jsonl` is dropped). Missing parent
   * directories are created.
   */
  path: string;
  /**
   * `'fsync-each'` (default): `append` resolves only after the entry reached stable storage
   * (`fdatasync`); nothing acknowledged is lost, even on power failure. `'batched'`: `append` resolves
   * once the entry is written to the operating system, which syncs every `batch.entries` entries or
   * `batch.intervalMs` after the first unsynced one; a process crash loses nothing, a power failure or
   * kernel crash may lose up to that many acknowledged entries (the chain stays valid: the file simply
   * ends earlier). SHO-LOG-9.
   */
  durability?: 'fsync-each' | 'batched';
  /** For `'batched'`: sync after this many entries (default 100) or this many ms (default 1,000). */
  batch?: { entries?: number; intervalMs?: number };
  /** Rotate to the next file before an entry would make the current one larger. Default 64 MiB. */
  maxFileBytes?: number;
}

/** What opening the log repaired: a torn last line, moved aside. */
export interface TornTailRecovery {
  file: string;
  /** Bytes cut from the end of `file`. */
  bytes: number;
  /** Where those bytes were kept (`<file>.torn`, appended to if it exists). */
  copy: string;
}

/** The file {@link DecisionLog}. */
export interface FileDecisionLog extends DecisionLog {
  /** The last entry written (`null` for an empty log): the link an auditor compares with. */
  readonly head: ChainLink | null;
  /** The file appended to now. */
  readonly currentFile: string;
  /** Set when opening cut a torn last line. */
  readonly recovered: TornTailRecovery | undefined;
  /** Syncs entries written but not yet synced (`'batched'`); resolves when they are on stable storage. */
  flush(): Promise<void>;
  /** Flushes, closes the file and releases the lock. */
  close(): Promise<void>;
}

const DEFAULT_BASE_NAME = 'decisions';
const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
const MIN_MAX_FILE_BYTES = 512;
const DEFAULT_BATCH_ENTRIES = 100;
const DEFAULT_BATCH_INTERVAL_MS = 1_000;
const SCAN_CHUNK = 64 * 1024;
// An entry is a few hundred bytes; a "last line" longer than this is not one of ours.
const MAX_LINE_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Opens (or starts) a hash-chained, append-only JSON Lines decision log (spec/15-decision-log.md
 * SHO-LOG-3..6, SHO-LOG-9). NODE-ONLY.
 *
 * - Each line is one {@link ChainedEntry} in canonical JSON; `seq` and `prev` carry on across files, so
 *   the first entry of `base.000002.jsonl` has `prev` = hash of the last entry of `base.000001.jsonl`.
 * - Appends are serialised through one queue: entries reach the file in the order `append` was called,
 *   each linked to the one before.
 * - Opening reads only the tail of the newest file to resume the chain. A last line without its newline
 *   — an append cut short by a crash — is copied to `<file>.torn` and cut from the file, and writing
 *   resumes after the last complete entry (SHO-LOG-6); `recovered` tells what was cut. A last complete
 *   line that does not verify is not repaired: opening fails with `DECISION_LOG_UNAVAILABLE` (reason
 *   `tail_invalid`) so that nobody appends to a chain that may have been tampered with; run
 *   `verifyAuditFiles` and investigate.
 * - One writer per log: a `<base>.lock` file holding the writer's process id and host refuses a second
 *   writer (reason `locked`); a lock left by a process of this host that no longer runs is taken over.
 * - Failures reject `append` with `DECISION_LOG_UNAVAILABLE` (the verifier then denies). A failed write
 *   is cut back so the file stays a valid chain; after a failed sync the log refuses every further
 *   append (the kernel may have dropped the data) until it is reopened. An entry whose sync failed may
 *   still be in the file although its decision was turned into a deny.
 *
 * @throws ShomeiError `DECISION_LOG_UNAVAILABLE` (reasons `locked`, `tail_invalid`, `open_failed`).
 * @example
 * const log = await createFileDecisionLog({ path: '/var/lib/shomei/log', durability: 'fsync-each' });
 * const verifier = createVerifier({ ...options, decisionLog: log });
 * @see spec/15-decision-log.md SHO-LOG-3, SHO-LOG-4, SHO-LOG-6, SHO-LOG-9
 */
export async function createFileDecisionLog(options: FileDecisionLogOptions): Promise<FileDecisionLog> {
  if (options === null || typeof options !== 'object') throw invalidArgument('createFileDecisionLog: options must be an object');
  if (typeof options.path !== 'string' || options.path.length === 0) throw invalidArgument('createFileDecisionLog: path must be a non-empty string');
  const durability = options.durability ?? 'fsync-each';
  if (durability !== 'fsync-each' && durability !== 'batched') {
    throw invalidArgument("createFileDecisionLog: durability must be 'fsync-each' or 'batched'");
  }
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < MIN_MAX_FILE_BYTES) {
    throw invalidArgument(`createFileDecisionLog: maxFileBytes must be an integer of at least ${MIN_MAX_FILE_BYTES}`);
  }
  const batchEntries = options.batch?.entries ?? DEFAULT_BATCH_ENTRIES;
  const batchIntervalMs = options.batch?.intervalMs ?? DEFAULT_BATCH_INTERVAL_MS;
  if (!Number.isSafeInteger(batchEntries) || batchEntries < 1 || !Number.isSafeInteger(batchIntervalMs) || batchIntervalMs < 1) {
    throw invalidArgument('createFileDecisionLog: batch.entries and batch.intervalMs must be positive integers');
  }

  const base = await resolveBase(options.path);
  const lockPath = join(base.dir, `${base.name}.lock`);
  await acquireLock(lockPath);

  let handle: FileHandle;
  let number: number;
  let size: number;
  let head: ChainLink | null = null;
  let recovered: TornTailRecovery | undefined;
  try {
    const files = await listNumbered(base);
    number = files.at(-1)?.number ?? 1;
    // The newest file may be empty (rotation happened, nothing written yet): the chain then resumes
    // from the newest file that has an entry.
    for (let i = files.length - 1; i >= 0 && head === null; i--) {
      const tail = await recoverTail(files[i]!.path);
      recovered ??= tail.recovered;
      head = tail.link;
    }
    handle = await open(fileName(base, number), 'a');
    size = (await handle.stat()).size;
    await syncDirectory(base.dir);
  } catch (error) {
    await releaseLock(lockPath);
    if (error instanceof ShomeiError) throw error;
    throw decisionLogUnavailable('open_failed', 'the decision log could not be opened', error);
  }

  let queue: Promise<void> = Promise.resolve();
  let unsynced = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failure: ShomeiError | undefined;
  let closed = false;

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  const fail = (reason: string, message: string, cause: unknown): ShomeiError => {
    failure = decisionLogUnavailable(reason, `${message}; the log refuses appends until it is reopened`, cause);
    return failure;
  };

  const sync = async (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (unsynced === 0) return;
    let linked: boolean;
    try {
      await handle.datasync();
      linked = (await handle.stat()).nlink > 0;
    } catch (cause) {
      throw fail('sync_failed', 'syncing the decision log failed', cause);
    }
    // A file deleted (or its folder removed) while open still takes writes, which then reach no one:
    // the entries since the last sync are lost, and the log refuses rather than lose more (fail closed).
    if (!linked) throw fail('file_removed', 'the decision log file was deleted while open', undefined);
    unsynced = 0;
  };

  const rotate = async (): Promise<void> => {
    await sync();
    await handle.close().catch(() => undefined);
    number += 1;
    try {
      handle = await open(fileName(base, number), 'a');
      await syncDirectory(base.dir);
    } catch (cause) {
      throw fail('rotate_failed', 'opening the next decision log file failed', cause);
    }
    size = 0;
  };

  // `clean` has been through normalizeDecisionEntry (append): it is linked without a second check.
  const write = async (clean: DecisionEntry): Promise<void> => {
    if (closed) throw decisionLogUnavailable('closed', 'the decision log is closed');
    if (failure !== undefined) throw failure;
    const chained = await linkCheckedEntry(clean, head, nodeSha256);
    const bytes = encodeUtf8(`${serializeChainedEntry(chained)}\n`);
    if (size > 0 && size + bytes.length > maxFileBytes) await rotate();
    try {
      await writeAll(handle, bytes);
    } catch (cause) {
      // Cut a partial line back off so that the next entry does not land in the middle of it.
      await handle.truncate(size).catch((truncateError: unknown) => {
        throw fail('write_failed', 'writing the decision log failed and could not be undone', truncateError);
      });
      throw decisionLogUnavailable('write_failed', 'writing the decision log failed', cause);
    }
    size += bytes.length;
    head = { seq: chained.seq, hash: chained.hash };
    unsynced++;
    if (durability === 'fsync-each' || unsynced >= batchEntries) {
      await sync();
    } else if (timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        void enqueue(sync).catch(() => undefined);
      }, batchIntervalMs);
      timer.unref();
    }
  };

  return {
    get head() {
      return head;
    },
    get currentFile() {
      return fileName(base, number);
    },
    get recovered() {
      return recovered;
    },

    async append(entry: DecisionEntry): Promise<void> {
      const clean = normalizeDecisionEntry(entry);
      return enqueue(() => write(clean));
    },

    flush(): Promise<void> {
      return enqueue(async () => {
        if (failure !== undefined) throw failure;
        await sync();
      });
    },

    close(): Promise<void> {
      return enqueue(async () => {
        if (closed) return;
        closed = true;
        try {
          if (failure === undefined) await sync();
        } finally {
          await handle.close().catch(() => undefined);
          await releaseLock(lockPath);
        }
      });
    },
  };
}

/**
 * The files of the log at `path` (as given to {@link createFileDecisionLog}), oldest first: the order in
 * which `verifyAuditFiles` expects them.
 */
export async function listDecisionLogFiles(path: string): Promise<string[]> {
  if (typeof path !== 'string' || path.length === 0) throw invalidArgument('listDecisionLogFiles: path must be a non-empty string');
  const base = await resolveBase(path, false);
  return (await listNumbered(base)).map((file) => file.path);
}

interface Base {
  dir: string;
  name: string;
}

async function resolveBase(path: string, create = true): Promise<Base> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return { dir: path, name: DEFAULT_BASE_NAME };
  const name = basename(path).replace(/\.jsonl$/, '');
  if (name.length === 0) throw invalidArgument('decision log path has no file name');
  const dir = dirname(path);
  if (create) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      // A path under a regular file (EEXIST, ENOTDIR), a read-only parent (EACCES): a typed refusal.
      throw decisionLogUnavailable('open_failed', 'the decision log folder could not be created', error);
    }
  }
  return { dir, name };
}

function fileName(base: Base, number: number): string {
  return join(base.dir, `${base.name}.${String(number).padStart(6, '0')}.jsonl`);
}

async function listNumbered(base: Base): Promise<{ number: number; path: string }[]> {
  const names = await readdir(base.dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const pattern = new RegExp(`^${base.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d{6,})\\.jsonl$`);
  const files: { number: number; path: string }[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (match !== null) files.push({ number: Number(match[1]), path: join(base.dir, name) });
  }
  return files.sort((a, b) => a.number - b.number);
}

/**
 * The locks this process holds or is taking, by absolute path. It tells a second writer in this process
 * (refused) from a lock a previous run of this process left with the same PID, as a container restarted
 * in place does (often PID 1): that one is stale, or the log would never open again after a crash.
 */
const HELD_HERE = new Set<string>();

async function acquireLock(lockPath: string): Promise<void> {
  const key = resolve(lockPath);
  if (HELD_HERE.has(key)) {
    throw decisionLogUnavailable('locked', `this process already writes this decision log (${lockPath})`);
  }
  HELD_HERE.add(key);
  try {
    const owner = `${process.pid} ${hostname()}\n`;
    if (await createExclusive(lockPath, owner)) return;
    const held = await readFile(lockPath, 'utf8').catch(() => '');
    if (!isStale(held)) {
      throw decisionLogUnavailable('locked', `another process writes this decision log (remove ${lockPath} only if none does)`);
    }
    await takeOver(lockPath, held, owner);
  } catch (error) {
    HELD_HERE.delete(key);
    throw error;
  }
}

async function releaseLock(lockPath: string): Promise<void> {
  await unlink(lockPath).catch(() => undefined);
  HELD_HERE.delete(resolve(lockPath));
}

/**
 * Replaces a stale lock (its owner died on this host) with ours, so that of several processes that found
 * it stale at once exactly one writes. Takeovers are serialized by a second lock file; the lock itself
 * is replaced by an atomic rename and never removed, so no process can create a fresh one meanwhile.
 * (Unlinking the stale lock and creating a new one let a second process unlink the first one's fresh
 * lock in between: two writers, a forked chain, SHO-LOG-3.)
 */
async function takeOver(lockPath: string, stale: string, owner: string): Promise<void> {
  const guard = `${lockPath}.takeover`;
  if (!(await createGuard(guard, owner))) {
    throw decisionLogUnavailable('locked', 'another process is taking over the decision log lock');
  }
  try {
    // Still the lock we judged stale: not one another process has taken over since.
    if ((await readFile(lockPath, 'utf8').catch(() => '')) !== stale) {
      throw decisionLogUnavailable('locked', `another process writes this decision log (remove ${lockPath} only if none does)`);
    }
    const ours = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}`;
    try {
      await appendFile(ours, owner, { flag: 'wx' });
      await rename(ours, lockPath);
    } catch (error) {
      await unlink(ours).catch(() => undefined);
      throw decisionLogUnavailable('open_failed', 'the decision log lock could not be taken over', error);
    }
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/** The takeover guard; one left by a process that died while taking over is stale like a lock. */
async function createGuard(guard: string, owner: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await createExclusive(guard, owner)) return true;
    if (!isStale(await readFile(guard, 'utf8').catch(() => ''))) return false;
    await unlink(guard).catch(() => undefined);
  }
  return false;
}

/** Creates `path` holding `content` unless it exists (false then). */
async function createExclusive(path: string, content: string): Promise<boolean> {
  try {
    await appendFile(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw decisionLogUnavailable('open_failed', 'the decision log lock could not be created', error);
  }
}

/**
 * A lock written on this host by a process that no longer runs, or by an earlier run of this one (same
 * PID): {@link acquireLock} has already refused a second writer in this process.
 */
function isStale(content: string): boolean {
  const [pid, host] = content.trim().split(' ');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false;
  return Number(pid) === process.pid || !isRunning(Number(pid));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Index of the last newline in bytes [0, end) of the file, or -1. */
async function lastNewlineBefore(handle: FileHandle, end: number): Promise<number> {
  const buffer = Buffer.alloc(SCAN_CHUNK);
  let position = end;
  while (position > 0) {
    const start = Math.max(0, position - SCAN_CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, position - start, start);
    const index = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (index !== -1) return start + index;
    if (end - start > MAX_LINE_BYTES) return -2;
    position = start;
  }
  return -1;
}

async function readRange(handle: FileHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.alloc(end - start);
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, start + offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  return buffer.subarray(0, offset);
}

/**
 * Cuts a torn last line (kept in `<file>.torn`) and returns the link of the last complete entry, after
 * checking that it verifies on its own.
 */
async function recoverTail(path: string): Promise<{ link: ChainLink | null; recovered?: TornTailRecovery }> {
  const handle = await open(path, 'r+');
  try {
    let size = (await handle.stat()).size;
    let recovered: TornTailRecovery | undefined;
    if (size > 0 && (await readRange(handle, size - 1, size))[0] !== NEWLINE) {
      const newline = await lastNewlineBefore(handle, size);
      if (newline === -2) throw tailInvalid(path);
      const good = newline + 1;
      const torn = await readRange(handle, good, size);
      // A crash leaves a prefix of an entry. A whole entry whose hash fails, its newline removed, is an
      // edit made to pass for a crash: refused, never cut aside (SHO-LOG-6).
      if (await editedEntry(torn)) throw tailInvalid(path);
      const copy = `${path}.torn`;
      await appendDurably(copy, torn);
      await handle.truncate(good);
      await handle.datasync();
      recovered = { file: path, bytes: size - good, copy };
      size = good;
    }
    if (size === 0) return recovered === undefined ? { link: null } : { link: null, recovered };
    const before = await lastNewlineBefore(handle, size - 1);
    if (before === -2) throw tailInvalid(path);
    const line = (await readRange(handle, before + 1, size - 1)).toString('utf8');
    let entry: unknown;
    try {
      entry = parseJsonObject(line);
    } catch {
      throw tailInvalid(path);
    }
    if (!isChainedEntry(entry) || !(await chainedEntryIntact(entry, nodeSha256)) || serializeChainedEntry(entry) !== line) {
      throw tailInvalid(path);
    }
    const link = { seq: entry.seq, hash: entry.hash };
    return recovered === undefined ? { link } : { link, recovered };
  } finally {
    await handle.close();
  }
}

async function editedEntry(bytes: Uint8Array): Promise<boolean> {
  let entry: unknown;
  try {
    entry = parseJsonObject(decodeUtf8Strict(bytes));
  } catch {
    return false; // not a whole entry: what a crash leaves
  }
  return isChainedEntry(entry) && !(await chainedEntryIntact(entry, nodeSha256));
}

function tailInvalid(path: string): ShomeiError {
  return decisionLogUnavailable('tail_invalid', `the last entry of ${basename(path)} does not verify: check the log with verifyAuditFiles before writing to it`);
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

async function appendDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'a');
  try {
    await writeAll(handle, bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Makes a newly created file's directory entry durable, so that a crash cannot lose a whole file. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
