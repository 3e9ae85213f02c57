import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_EXPORT_TYP, exportAudit, verifyAuditExport, verifyAuditFiles } from '../../src/decision-log/audit.js';
import { createFileDecisionLog, listDecisionLogFiles } from '../../src/decision-log/file-decision-log.js';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { signCompact } from '../../src/jws/sign.js';
import { generateKey, type KeyPairJwk } from '../../src/keys/generate.js';
import { createLocalSigner, type Signer } from '../../src/keys/signer.js';
import { sampleEntry } from './fixtures/entries.js';

const ENTRIES = 30;
let dir: string;
let files: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shomei-audit-'));
  const log = await createFileDecisionLog({ path: join(dir, 'audit'), maxFileBytes: 2_048 });
  for (let i = 1; i <= ENTRIES; i++) {
    await log.append(sampleEntry(i, i === 7 ? { issuer: 'https://other-bank.example.jp' } : {}));
  }
  await log.close();
  files = await listDecisionLogFiles(join(dir, 'audit'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function linesOf(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n');
}

async function rewrite(file: string, change: (lines: string[]) => void): Promise<void> {
  const lines = await linesOf(file);
  change(lines);
  await writeFile(file, lines.join('\n'));
}

async function rejection(promise: Promise<unknown>): Promise<ShomeiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShomeiError);
  return error as ShomeiError;
}

describe('verifyAuditFiles', () => {
  it('SHO-LOG-5: an untouched log verifies across its rotated files', async () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    const report = await verifyAuditFiles(files);
    expect(report).toMatchObject({ ok: true, count: ENTRIES, first: { seq: 1 }, last: { seq: ENTRIES } });
    expect(report.files.map((f) => f.file)).toEqual(files);
    expect(report.files.reduce((sum, f) => sum + f.count, 0)).toBe(ENTRIES);
  });

  it('SHO-LOG-5: an edited entry is reported with its file and line', async () => {
    await rewrite(files[1]!, (lines) => {
      lines[1] = lines[1]!.replace(/"outcome":"(allow|deny)"/, '"outcome":"review"');
    });
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: false, file: files[1], line: 2, problem: 'edited' });
  });

  it('SHO-LOG-5: a deleted entry is reported as deleted_or_reordered', async () => {
    await rewrite(files[0]!, (lines) => lines.splice(1, 1));
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: false, file: files[0], line: 2, problem: 'deleted_or_reordered', count: 1 });
  });

  it('SHO-LOG-5: reordered entries are reported as deleted_or_reordered', async () => {
    await rewrite(files[1]!, (lines) => {
      [lines[1], lines[2]] = [lines[2]!, lines[1]!];
    });
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: false, file: files[1], line: 2, problem: 'deleted_or_reordered' });
  });

  it('SHO-LOG-5: an entry truncated in the middle of a file is malformed', async () => {
    await rewrite(files[0]!, (lines) => {
      lines[1] = lines[1]!.slice(0, lines[1]!.length / 2);
    });
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: false, file: files[0], line: 2, problem: 'malformed' });
  });

  it('SHO-LOG-5: a first line of a later file that does not follow the file before is a chain break across files', async () => {
    await rewrite(files[1]!, (lines) => {
      [lines[0], lines[1]] = [lines[1]!, lines[0]!];
    });
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: false, file: files[1], line: 1, problem: 'chain_break_across_files' });
  });

  it('SHO-LOG-5: entries cut from the end of a rotated file break the chain into the next file', async () => {
    await rewrite(files[0]!, (lines) => lines.splice(-2, 1));
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: false, file: files[1], line: 1, problem: 'chain_break_across_files' });
  });

  it('SHO-LOG-5: a missing file in the middle breaks the chain across files', async () => {
    const withoutSecond = [files[0]!, ...files.slice(2)];
    expect(await verifyAuditFiles(withoutSecond)).toMatchObject({ ok: false, file: files[2], line: 1, problem: 'chain_break_across_files' });
  });

  it('SHO-LOG-5: files given out of order do not verify', async () => {
    expect(await verifyAuditFiles([files[1]!, files[0]!, ...files.slice(2)])).toMatchObject({
      ok: false,
      file: files[1],
      line: 1,
      problem: 'deleted_or_reordered',
    });
  });

  it('SHO-LOG-6: a file other than the last that lost its end is malformed, not torn: only the newest file is appended to', async () => {
    const text = await readFile(files[0]!, 'utf8');
    await writeFile(files[0]!, text.slice(0, -30));
    const lineCount = text.slice(0, -30).split('\n').length;
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: false, file: files[0], line: lineCount, problem: 'malformed' });
  });

  it('SHO-LOG-6: a torn last line is reported as torn, not as tampering', async () => {
    const last = files.at(-1)!;
    await appendFile(last, '{"action":"account_link","audience":"https://bro');
    const lineCount = (await linesOf(last)).length;
    expect(await verifyAuditFiles(files)).toMatchObject({ ok: false, file: last, line: lineCount, problem: 'torn', count: ENTRIES });
  });

  it('SHO-LOG-5: an unreadable file is DECISION_LOG_UNAVAILABLE, and no file at all a TypeError', async () => {
    expect((await rejection(verifyAuditFiles([...files, join(dir, 'missing.jsonl')]))).reason).toBe('read_failed');
    await expect(verifyAuditFiles([])).rejects.toMatchObject({ name: 'TypeError' });
  });
});

describe('exportAudit / verifyAuditExport', () => {
  let key: KeyPairJwk;
  let signer: Signer;
  const now = Date.UTC(2026, 0, 2);

  beforeEach(async () => {
    key = await generateKey('ES256');
    signer = await createLocalSigner(key.privateJwk, { alg: key.alg, kid: key.kid });
  });

  async function resign(jws: string, change: (payload: Record<string, unknown>) => void, typ = AUDIT_EXPORT_TYP): Promise<string> {
    const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    change(payload);
    return signCompact({ typ }, payload, signer);
  }

  it('SHO-LOG-7: an extract for a list of jtis is signed and verifies unchanged at the partner', async () => {
    const jtis = [sampleEntry(5).jti!, sampleEntry(17).jti!];
    const jws = await exportAudit(files, { jtis }, signer, { issuer: 'https://broker.example.jp', audience: 'https://bank.example.jp', clock: () => now });
    expect(JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString('utf8'))).toMatchObject({ typ: AUDIT_EXPORT_TYP, kid: key.kid });
    const extract = await verifyAuditExport(jws, key.publicJwk);
    const report = await verifyAuditFiles(files);
    expect(extract.entries.map((e) => e.jti)).toEqual(jtis);
    expect(extract.entries.map((e) => e.seq)).toEqual([5, 17]);
    expect(extract).toMatchObject({ iss: 'https://broker.example.jp', aud: 'https://bank.example.jp', iat: now / 1000, filter: { jtis } });
    expect(extract.chain).toEqual({ first: report.first, last: report.last });
  });

  it('SHO-LOG-7: an extract for a time window holds the entries from `from` (inclusive) to `to` (exclusive)', async () => {
    const jws = await exportAudit(files, { from: sampleEntry(10).time, to: sampleEntry(15).time }, signer);
    const extract = await verifyAuditExport(jws, key.publicJwk);
    expect(extract.entries.map((e) => e.seq)).toEqual([10, 11, 12, 13, 14]);
  });

  it('SHO-LOG-7: an issuer filter keeps other partners out of the extract', async () => {
    const jws = await exportAudit(files, { issuers: ['https://other-bank.example.jp'] }, signer);
    expect((await verifyAuditExport(jws, key.publicJwk)).entries.map((e) => e.seq)).toEqual([7]);
  });

  it('SHO-LOG-7: a log that does not verify is not exported', async () => {
    await rewrite(files[0]!, (lines) => lines.splice(1, 1));
    const error = await rejection(exportAudit(files, { jtis: [sampleEntry(20).jti!] }, signer));
    expect(error.code).toBe('DECISION_LOG_UNAVAILABLE');
    expect(error.reason).toBe('chain_broken');
  });

  it('SHO-LOG-7: a torn last line does not stop an export of the complete entries', async () => {
    await appendFile(files.at(-1)!, '{"action":"acc');
    const jws = await exportAudit(files, { jtis: [sampleEntry(ENTRIES).jti!] }, signer);
    expect((await verifyAuditExport(jws, key.publicJwk)).entries.map((e) => e.seq)).toEqual([ENTRIES]);
  });

  it('SHO-LOG-7: an export without any filter is a caller mistake', async () => {
    await expect(exportAudit(files, {}, signer)).rejects.toMatchObject({ name: 'TypeError' });
    await expect(exportAudit(files, { from: 'yesterday' }, signer)).rejects.toMatchObject({ name: 'TypeError' });
  });

  it('SHO-LOG-7: a changed signature is SIGNATURE_INVALID', async () => {
    const jws = await exportAudit(files, { jtis: [sampleEntry(3).jti!] }, signer);
    const [h, p, s] = jws.split('.');
    const flipped = `${s!.slice(0, 10)}${s![10] === 'A' ? 'B' : 'A'}${s!.slice(11)}`;
    expect((await rejection(verifyAuditExport(`${h}.${p}.${flipped}`, key.publicJwk))).code).toBe('SIGNATURE_INVALID');
  });

  it('SHO-LOG-7: a payload swapped from another export is SIGNATURE_INVALID', async () => {
    const one = await exportAudit(files, { jtis: [sampleEntry(3).jti!] }, signer);
    const other = await exportAudit(files, { jtis: [sampleEntry(4).jti!] }, signer);
    const [h, , s] = one.split('.');
    expect((await rejection(verifyAuditExport(`${h}.${other.split('.')[1]}.${s}`, key.publicJwk))).code).toBe('SIGNATURE_INVALID');
  });

  it('SHO-LOG-7: an export checked with another key is refused', async () => {
    const jws = await exportAudit(files, { jtis: [sampleEntry(3).jti!] }, signer);
    const otherKey = await generateKey('ES256');
    expect((await rejection(verifyAuditExport(jws, otherKey.publicJwk))).code).toBe('KEY_NOT_FOUND');
    const { kid: _kid, ...withoutKid } = otherKey.publicJwk;
    expect((await rejection(verifyAuditExport(jws, withoutKid))).code).toBe('SIGNATURE_INVALID');
  });

  it('SHO-LOG-7: another typ is TYP_MISMATCH', async () => {
    const jws = await exportAudit(files, { jtis: [sampleEntry(3).jti!] }, signer);
    const relabelled = await resign(jws, () => undefined, 'shomei-link+jwt');
    expect((await rejection(verifyAuditExport(relabelled, key.publicJwk))).code).toBe('TYP_MISMATCH');
  });

  it('SHO-LOG-7: an algorithm outside the allowed list is ALG_NOT_ALLOWED', async () => {
    const jws = await exportAudit(files, { jtis: [sampleEntry(3).jti!] }, signer);
    expect((await rejection(verifyAuditExport(jws, key.publicJwk, { algorithms: ['EdDSA'] }))).code).toBe('ALG_NOT_ALLOWED');
  });

  it('SHO-LOG-7: an entry edited before signing is CLAIMS_INVALID', async () => {
    const jws = await exportAudit(files, { jtis: [sampleEntry(3).jti!] }, signer);
    const forged = await resign(jws, (payload) => {
      (payload.entries as Record<string, unknown>[])[0]!.outcome = 'allow';
    });
    const error = await rejection(verifyAuditExport(forged, key.publicJwk));
    expect(error.code).toBe('CLAIMS_INVALID');
    expect(error.reason).toBe('entry_hash_mismatch');
  });

  it('SHO-LOG-7: an entry outside the announced chain range is CLAIMS_INVALID', async () => {
    const jws = await exportAudit(files, { jtis: [sampleEntry(20).jti!] }, signer);
    const forged = await resign(jws, (payload) => {
      (payload.chain as { last: { seq: number } }).last.seq = 10;
    });
    expect((await rejection(verifyAuditExport(forged, key.publicJwk))).reason).toBe('outside_chain');
  });
});
