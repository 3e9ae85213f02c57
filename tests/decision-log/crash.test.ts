import { fork } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditFiles } from '../../src/decision-log/audit.js';
import { createFileDecisionLog, listDecisionLogFiles } from '../../src/decision-log/file-decision-log.js';
import { sampleEntry } from './fixtures/entries.js';

const WRITER = fileURLToPath(new URL('./fixtures/log-writer.ts', import.meta.url));
const MAX_FILE_BYTES = 4_096;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shomei-crash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the writer until it reports `atLeast` entries, then SIGKILLs it mid-stream. */
async function writeAndKill(base: string, atLeast: number): Promise<number> {
  const child = fork(WRITER, [base, String(MAX_FILE_BYTES)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const written = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`writer exited by itself with ${code}`)));
    child.on('message', (message: { written: number }) => {
      if (message.written >= atLeast) resolve(message.written);
    });
  });
  // The writer keeps appending while the signal is on its way: the kill lands mid-stream.
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return written;
}

describe('crash safety of the file decision log', () => {
  it('SHO-LOG-6: after SIGKILL every complete entry verifies, and writing resumes the chain', async () => {
    const base = join(dir, 'audit');
    const acknowledged = await writeAndKill(base, 60);

    const files = await listDecisionLogFiles(base);
    expect(files.length).toBeGreaterThan(1);
    const report = await verifyAuditFiles(files);
    // Either the kill fell between two appends (ok) or in the middle of one (torn last line) — never
    // anything that reads as tampering.
    expect(report.ok || report.problem === 'torn').toBe(true);
    if (!report.ok) {
      expect(report.problem).toBe('torn');
      expect(report.file).toBe(files.at(-1));
    }
    // fsync-each: every append the writer saw resolve is on disk.
    expect(report.count).toBeGreaterThanOrEqual(acknowledged);
    const complete = report.count;

    const log = await createFileDecisionLog({ path: base, durability: 'fsync-each', maxFileBytes: MAX_FILE_BYTES });
    expect(log.head).toEqual(report.last);
    expect(log.recovered !== undefined).toBe(!report.ok);
    for (let i = 1; i <= 25; i++) await log.append(sampleEntry(10_000 + i));
    await log.close();

    const after = await verifyAuditFiles(await listDecisionLogFiles(base));
    expect(after).toMatchObject({ ok: true, count: complete + 25 });
  });

  it('SHO-LOG-6: a half-written last line is reported as torn, kept aside on reopen, and the chain resumes', async () => {
    const base = join(dir, 'audit');
    const first = await createFileDecisionLog({ path: base });
    for (let i = 1; i <= 5; i++) await first.append(sampleEntry(i));
    const head = first.head;
    await first.close();
    const [file] = await listDecisionLogFiles(base);
    const intact = await readFile(file!, 'utf8');
    const half = intact.split('\n')[2]!.slice(0, 120);
    await appendFile(file!, half);

    expect(await verifyAuditFiles([file!])).toEqual({
      ok: false,
      file,
      line: 6,
      problem: 'torn',
      files: [{ file, count: 5 }],
      count: 5,
      first: expect.objectContaining({ seq: 1 }),
      last: head,
    });

    const reopened = await createFileDecisionLog({ path: base });
    expect(reopened.head).toEqual(head);
    expect(reopened.recovered).toEqual({ file, bytes: Buffer.byteLength(half), copy: `${file}.torn` });
    expect(await readFile(`${file}.torn`, 'utf8')).toBe(half);
    expect(await readFile(file!, 'utf8')).toBe(intact);
    for (let i = 6; i <= 8; i++) await reopened.append(sampleEntry(i));
    await reopened.close();
    expect(await verifyAuditFiles([file!])).toMatchObject({ ok: true, count: 8, last: { seq: 8 } });
  });

  it('SHO-LOG-6: an edited last entry with its newline removed is refused, not cut aside as a crash', async () => {
    const base = join(dir, 'audit');
    const log = await createFileDecisionLog({ path: base });
    for (let i = 1; i <= 4; i++) await log.append(sampleEntry(i));
    await log.close();
    const [file] = await listDecisionLogFiles(base);
    const lines = (await readFile(file!, 'utf8')).trimEnd().split('\n');
    const edited = lines.at(-1)!.replace('"outcome":"allow"', '"outcome":"deny"');
    expect(edited).not.toBe(lines.at(-1));
    await writeFile(file!, `${[...lines.slice(0, -1), edited].join('\n')}`);
    await expect(createFileDecisionLog({ path: base })).rejects.toMatchObject({ code: 'DECISION_LOG_UNAVAILABLE', reason: 'tail_invalid' });
    expect(await readFile(file!, 'utf8')).toContain(edited);
  });

  it('SHO-LOG-6: a whole genuine entry that lost only its newline is a crash tail, cut aside as before', async () => {
    const base = join(dir, 'audit');
    const log = await createFileDecisionLog({ path: base });
    for (let i = 1; i <= 3; i++) await log.append(sampleEntry(i));
    await log.close();
    const [file] = await listDecisionLogFiles(base);
    const text = await readFile(file!, 'utf8');
    await writeFile(file!, text.slice(0, -1));
    const reopened = await createFileDecisionLog({ path: base });
    expect(reopened.head?.seq).toBe(2);
    expect(reopened.recovered?.copy).toBe(`${file}.torn`);
    await reopened.close();
  });

  it('SHO-LOG-6: a torn line with no complete entry before it leaves an empty file to continue', async () => {
    const base = join(dir, 'audit');
    const path = `${base}.000001.jsonl`;
    await appendFile(path, '{"action":"account_li');
    expect(await verifyAuditFiles([path])).toMatchObject({ ok: false, line: 1, problem: 'torn', count: 0 });
    const log = await createFileDecisionLog({ path: base });
    expect(log.head).toBeNull();
    expect((await stat(path)).size).toBe(0);
    await log.append(sampleEntry(1));
    await log.close();
    expect(await verifyAuditFiles([path])).toMatchObject({ ok: true, count: 1 });
  });
});
