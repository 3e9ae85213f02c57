import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportAudit, verifyAuditFiles } from '../../decision-log/audit.js';
import { listDecisionLogFiles } from '../../decision-log/file-decision-log.js';
import { loadKeyFile } from '../../keys/key-file.js';
import { createLocalSigner } from '../../keys/signer.js';
import { out, parse, required, UsageError } from '../args.js';

export const AUDIT_USAGE = `shomei audit verify <file...|folder> [--json]
  Checks the hash chain of decision-log files (in order; a folder: every file of the log in it) and reports the first broken entry.
shomei audit export <file...|folder> --key private.jwk.json [--jti id]... [--from iso] [--to iso] [--issuer id] [--out export.jws]
  Writes a partner-shareable extract, signed as a JWS with the verifier's key.`;

/**
 * The files to check: those named, or every file of the decision log in one folder, oldest first — so
 * that a file left out at the end cannot pass unnoticed as easily as when files are listed by hand.
 */
async function logFiles(positionals: string[]): Promise<string[]> {
  if (positionals.length === 0) throw new UsageError('name the decision-log files, or the folder that holds them');
  if (positionals.length > 1) return positionals;
  const path = positionals[0]!;
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    // Every log in the folder, by its base name: one is checked whole; several are refused by name,
    // rather than one checked and the others passed over.
    const bases = new Set((await readdir(path)).flatMap((name) => LOG_FILE.exec(name)?.[1] ?? []));
    if (bases.size === 0) throw new UsageError('the folder holds no decision-log file');
    if (bases.size > 1) throw new UsageError(`the folder holds several decision logs (${[...bases].sort().join(', ')}): name one as <folder>/<name>`);
    return listDecisionLogFiles(join(path, [...bases][0]!));
  }
  if (info === undefined) {
    // The path given to createFileDecisionLog (a folder and a base name): the files of that log.
    const files = await listDecisionLogFiles(path).catch(() => [] as string[]);
    if (files.length > 0) return files;
  }
  return positionals;
}

const LOG_FILE = /^(.+)\.\d{6,}\.jsonl$/;

/** `shomei audit verify|export` (spec/15-decision-log.md). */
export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
    const report = await verifyAuditFiles(await logFiles(positionals));
    if (values.json === true) out(JSON.stringify(report, null, 2));
    else out(describe(report));
    return report.ok ? 0 : 1;
  }
  if (sub === 'export') {
    const { values, positionals } = parse(rest, {
      key: { type: 'string' },
      jti: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      issuer: { type: 'string' },
    });
    const files = await logFiles(positionals);
    if (values.jti === undefined && values.from === undefined && values.to === undefined) throw new UsageError('choose entries with --jti and/or --from/--to');
    const key = await loadKeyFile(required(values, 'key')).catch((error: Error) => {
      throw new UsageError(`cannot use key file: ${error.message}`);
    });
    if (key.privateJwk === undefined) throw new UsageError('the key file holds a public key; signing needs the private key');
    const signer = await createLocalSigner(key.privateJwk, { alg: key.alg, kid: key.kid });
    const jws = await exportAudit(
      files,
      { ...(values.jti !== undefined ? { jtis: values.jti } : {}), ...(values.from !== undefined ? { from: values.from } : {}), ...(values.to !== undefined ? { to: values.to } : {}) },
      signer,
      values.issuer !== undefined ? { issuer: values.issuer } : {},
    );
    if (values.out !== undefined) await writeFile(values.out, `${jws}\n`);
    else out(jws);
    return 0;
  }
  throw new UsageError(`unknown audit subcommand ${JSON.stringify(sub ?? '')}`);
}

function describe(report: Awaited<ReturnType<typeof verifyAuditFiles>>): string {
  const files = report.files.map((file) => `  ${file.file}: ${file.count} entries`).join('\n');
  if (report.ok) return `chain OK: ${report.count} entries in ${report.files.length} file(s)\n${files}`;
  return `chain BROKEN at ${report.file} line ${report.line}: ${report.problem} (${report.count} entries before it verified)\n${files}`;
}
