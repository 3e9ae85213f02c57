import { writeFile } from 'node:fs/promises';
import { exportAudit, verifyAuditFiles } from '../../decision-log/audit.js';
import { loadKeyFile } from '../../keys/key-file.js';
import { createLocalSigner } from '../../keys/signer.js';
import { out, parse, required, UsageError } from '../args.js';

export const AUDIT_USAGE = `shomei audit verify <file...> [--json]
  Checks the hash chain of decision-log files (in order) and reports the first broken entry.
shomei audit export <file...> --key private.jwk.json [--jti id]... [--from iso] [--to iso] [--issuer id] [--out export.jws]
  Writes a partner-shareable extract, signed as a JWS with the verifier's key.`;

/** `shomei audit verify|export` (spec/15-decision-log.md). */
export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
    if (positionals.length === 0) throw new UsageError('name at least one decision-log file');
    const report = await verifyAuditFiles(positionals);
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
    if (positionals.length === 0) throw new UsageError('name at least one decision-log file');
    if (values.jti === undefined && values.from === undefined && values.to === undefined) throw new UsageError('choose entries with --jti and/or --from/--to');
    const key = await loadKeyFile(required(values, 'key')).catch((error: Error) => {
      throw new UsageError(`cannot use key file: ${error.message}`);
    });
    if (key.privateJwk === undefined) throw new UsageError('the key file holds a public key; signing needs the private key');
    const signer = await createLocalSigner(key.privateJwk, { alg: key.alg, kid: key.kid });
    const jws = await exportAudit(
      positionals,
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
