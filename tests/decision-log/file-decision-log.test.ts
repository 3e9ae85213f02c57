import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditFiles } from '../../src/decision-log/audit.js';
import type { DecisionEntry } from '../../src/decision-log/decision-log.js';
import { createFileDecisionLog, listDecisionLogFiles, type FileDecisionLog } from '../../src/decision-log/file-decision-log.js';
import { createMemoryDecisionLog } from '../../src/decision-log/memory-decision-log.js';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { sampleEntry } from './fixtures/entries.js';

let dir: string;
const open: FileDecisionLog[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shomei-log-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((log) => log.close()));
  await rm(dir, { recursive: true, force: true });
});

async function openLog(options: Partial<Parameters<typeof createFileDecisionLog>[0]> = {}): Promise<FileDecisionLog> {
  const log = await createFileDecisionLog({ path: join(dir, 'audit'), ...options });
  open.push(log);
  return log;
}

async function closeLog(log: FileDecisionLog): Promise<void> {
  open.splice(open.indexOf(log), 1);
  await log.close();
}

async function rejection(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

describe('file decision log', () => {
  it('SHO-LOG-4: appends chained JSON lines to base.000001.jsonl', async () => {
    const log = await openLog();
    for (let i = 1; i <= 5; i++) await log.append(sampleEntry(i));
    expect(log.currentFile).toBe(join(dir, 'audit.000001.jsonl'));
    expect(log.head?.seq).toBe(5);
    const text = await readFile(log.currentFile, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[4]!)).toMatchObject({ seq: 5, jti: sampleEntry(5).jti, hash: log.head!.hash });
    expect(await verifyAuditFiles([log.currentFile])).toMatchObject({ ok: true, count: 5 });
  });

  it('SHO-LOG-4: a directory path holds decisions.000001.jsonl', async () => {
    const log = await createFileDecisionLog({ path: dir });
    await log.append(sampleEntry(1));
    await log.close();
    expect(await listDecisionLogFiles(dir)).toEqual([join(dir, 'decisions.000001.jsonl')]);
  });

  it('SHO-LOG-4: concurrent appends are serialised into one valid chain', async () => {
    const log = await openLog();
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(sampleEntry(i + 1))));
    const report = await verifyAuditFiles(await listDecisionLogFiles(join(dir, 'audit')));
    expect(report).toMatchObject({ ok: true, count: 100 });
    // Entries land in the order append was called.
    const jtis = (await readFile(log.currentFile, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l).jti);
    expect(jtis).toEqual(Array.from({ length: 100 }, (_, i) => sampleEntry(i + 1).jti));
  });

  it('SHO-LOG-4: rotation by size carries the chain into the next file', async () => {
    const maxFileBytes = 2_048;
    const log = await openLog({ maxFileBytes });
    for (let i = 1; i <= 40; i++) await log.append(sampleEntry(i));
    await closeLog(log);
    const files = await listDecisionLogFiles(join(dir, 'audit'));
    expect(files.length).toBeGreaterThan(2);
    expect(files[1]).toBe(join(dir, 'audit.000002.jsonl'));
    for (const file of files) expect((await stat(file)).size).toBeLessThanOrEqual(maxFileBytes);
    const lastOfFirst = JSON.parse((await readFile(files[0]!, 'utf8')).trimEnd().split('\n').at(-1)!);
    const firstOfSecond = JSON.parse((await readFile(files[1]!, 'utf8')).split('\n')[0]!);
    expect(firstOfSecond.prev).toBe(lastOfFirst.hash);
    expect(firstOfSecond.seq).toBe(lastOfFirst.seq + 1);
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: true, count: 40 });
  });

  it('SHO-LOG-6: reopening resumes the chain where it stopped', async () => {
    const first = await openLog({ maxFileBytes: 2_048 });
    for (let i = 1; i <= 12; i++) await first.append(sampleEntry(i));
    const head = first.head;
    await closeLog(first);
    const second = await openLog({ maxFileBytes: 2_048 });
    expect(second.head).toEqual(head);
    expect(second.recovered).toBeUndefined();
    for (let i = 13; i <= 30; i++) await second.append(sampleEntry(i));
    await closeLog(second);
    expect(await verifyAuditFiles(await listDecisionLogFiles(join(dir, 'audit')))).toMatchObject({ ok: true, count: 30 });
  });

  it("SHO-LOG-9: 'batched' durability writes at once and syncs on flush and close", async () => {
    const log = await openLog({ durability: 'batched', batch: { entries: 1_000, intervalMs: 60_000 } });
    for (let i = 1; i <= 10; i++) await log.append(sampleEntry(i));
    // Written to the operating system already: a process crash now loses nothing.
    expect((await readFile(log.currentFile, 'utf8')).trimEnd().split('\n')).toHaveLength(10);
    await log.flush();
    await closeLog(log);
    expect(await verifyAuditFiles([join(dir, 'audit.000001.jsonl')])).toMatchObject({ ok: true, count: 10 });
  });

  it('SHO-LOG-10: the file log refuses the same entries as the in-memory log, and fails the same way when closed', async () => {
    const file = await openLog();
    const memory = createMemoryDecisionLog();
    const bad = { ...sampleEntry(1), birthdate: '1980-01-01' } as unknown as DecisionEntry;
    for (const log of [file, memory]) await expect(log.append(bad)).rejects.toMatchObject({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    await closeLog(file);
    await memory.close();
    for (const log of [file, memory]) expect((await rejection(log.append(sampleEntry(1)))).code).toBe('DECISION_LOG_UNAVAILABLE');
  });

  it('SHO-LOG-2: a refused entry leaves the chain intact', async () => {
    const log = await openLog();
    await log.append(sampleEntry(1));
    const bad = { ...sampleEntry(2), customer_name: 'ヤマダ' } as unknown as DecisionEntry;
    await expect(log.append(bad)).rejects.toMatchObject({ name: 'TypeError' });
    await log.append(sampleEntry(3));
    expect(await verifyAuditFiles([log.currentFile])).toMatchObject({ ok: true, count: 2 });
  });

  it('SHO-LOG-3: a closed log rejects appends with DECISION_LOG_UNAVAILABLE', async () => {
    const log = await openLog();
    await closeLog(log);
    const error = await rejection(log.append(sampleEntry(1)));
    expect(error.code).toBe('DECISION_LOG_UNAVAILABLE');
    expect(error.reason).toBe('closed');
  });

  it('SHO-LOG-1: a log whose folder is deleted while open refuses the next append instead of losing it silently', async () => {
    const log = await openLog();
    await log.append(sampleEntry(1));
    await rm(dir, { recursive: true, force: true });
    const error = await rejection(log.append(sampleEntry(2)));
    expect(error.code).toBe('DECISION_LOG_UNAVAILABLE');
    expect(error.reason).toBe('file_removed');
    expect((await rejection(log.append(sampleEntry(3)))).reason).toBe('file_removed');
  });

  it('SHO-LOG-1: with batched durability, the removal is found at the next sync and later appends are refused', async () => {
    const log = await openLog({ durability: 'batched', batch: { entries: 2, intervalMs: 60_000 } });
    await log.append(sampleEntry(1));
    await rm(dir, { recursive: true, force: true });
    await log.append(sampleEntry(2)).catch(() => undefined); // the second entry of the batch triggers the sync
    expect((await rejection(log.append(sampleEntry(3)))).reason).toBe('file_removed');
  });

  it('SHO-LOG-3: a second writer on the same log is refused', async () => {
    await openLog();
    const error = await rejection(createFileDecisionLog({ path: join(dir, 'audit') }));
    expect(error.code).toBe('DECISION_LOG_UNAVAILABLE');
    expect(error.reason).toBe('locked');
  });

  it('SHO-LOG-3: a lock left by a process that no longer runs is taken over', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    await writeFile(join(dir, 'audit.lock'), `${pid} ${hostname()}\n`);
    const log = await openLog();
    await log.append(sampleEntry(1));
    expect(log.head?.seq).toBe(1);
  });

  it('SHO-LOG-3: of writers that find a stale lock at the same moment, exactly one opens the log', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    const pid = dead.pid!;
    await new Promise((resolve) => dead.once('exit', resolve));
    // Unlinking the stale lock and creating a new one let a second taker unlink the first one's fresh
    // lock: with six concurrent openings, some rounds ended with two or three writers.
    for (let round = 0; round < 40; round++) {
      const path = join(dir, `round-${round}`, 'audit');
      await mkdir(join(dir, `round-${round}`));
      await writeFile(`${path}.lock`, `${pid} ${hostname()}\n`);
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => createFileDecisionLog({ path })));
      const opened = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      expect(opened).toHaveLength(1);
      for (const result of results) if (result.status === 'rejected') expect((result.reason as ShomeiError).reason).toBe('locked');
      await opened[0]!.close();
    }
  });

  it('SHO-LOG-1: a log path under a regular file is DECISION_LOG_UNAVAILABLE, not a raw file-system error', async () => {
    await writeFile(join(dir, 'plain'), 'x');
    const error = await rejection(createFileDecisionLog({ path: join(dir, 'plain', 'sub', 'audit') }));
    expect(error.code).toBe('DECISION_LOG_UNAVAILABLE');
    expect(error.reason).toBe('open_failed');
  });

  it('SHO-LOG-3: a lock naming this process\'s own PID, left by an earlier run restarted in place (a container), is taken over', async () => {
    await writeFile(join(dir, 'audit.lock'), `${process.pid} ${hostname()}\n`);
    const log = await openLog();
    await log.append(sampleEntry(1));
    expect(log.head?.seq).toBe(1);
    // While it is open, a second writer in this process is still refused.
    expect((await rejection(createFileDecisionLog({ path: join(dir, 'audit') }))).reason).toBe('locked');
  });

  it('SHO-LOG-3: a lock held by another host is not taken over', async () => {
    await writeFile(join(dir, 'audit.lock'), `1 another-host.example\n`);
    expect((await rejection(createFileDecisionLog({ path: join(dir, 'audit') }))).reason).toBe('locked');
  });

  it('SHO-LOG-6: a last complete entry that does not verify stops the log from opening', async () => {
    const log = await openLog();
    for (let i = 1; i <= 3; i++) await log.append(sampleEntry(i));
    await closeLog(log);
    const file = join(dir, 'audit.000001.jsonl');
    const text = await readFile(file, 'utf8');
    // sampleEntry(3), the last line, is a deny: turn it into an allow without re-hashing.
    const edited = text.replace(/"outcome":"deny"(?=[^\n]*\n$)/, '"outcome":"allow"');
    expect(edited).not.toBe(text);
    await writeFile(file, edited);
    const error = await rejection(createFileDecisionLog({ path: join(dir, 'audit') }));
    expect(error.code).toBe('DECISION_LOG_UNAVAILABLE');
    expect(error.reason).toBe('tail_invalid');
  });

  it.each([
    ['an unknown durability', { durability: 'never' as 'batched' }],
    ['a tiny maxFileBytes', { maxFileBytes: 10 }],
    ['a zero batch size', { durability: 'batched' as const, batch: { entries: 0 } }],
  ])('SHO-LOG-9: %s is refused at construction', async (_, options) => {
    await expect(createFileDecisionLog({ path: join(dir, 'audit'), ...options })).rejects.toMatchObject({ name: 'TypeError' });
  });
});
