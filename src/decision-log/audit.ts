// NODE-ONLY: reads decision-log files. `verifyAuditExport` itself uses Web APIs only.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { webCryptoBackend } from '../crypto/webcrypto.js';
import { invalidArgument, ShomeiError } from '../errors/shomei-error.js';
import { isAlg, type Alg } from '../jws/algorithms.js';
import { decodePayload, parseCompact } from '../jws/compact.js';
import { signCompact } from '../jws/sign.js';
import { assertSigner, type Signer } from '../keys/signer.js';
import type { PublicJwk } from '../keys/types.js';
import {
  chainedEntryIntact,
  verifyChain,
  type ChainedEntry,
  type ChainLink,
  type ChainProblem,
  type VerifyChainOptions,
} from './chain.js';
import { decisionLogUnavailable } from './decision-log.js';
import { nodeSha256 } from '../crypto/node.js';

/** `typ` of a signed audit export. */
export const AUDIT_EXPORT_TYP = 'shomei-audit-export+jwt';

/** Entries that verified in one file. */
export interface AuditFileSummary {
  file: string;
  count: number;
}

/**
 * What {@link verifyAuditFiles} found. On failure, `file` and `line` (1-based, within that file) point
 * at the first broken entry; `count` and `last` describe the entries before it, which verified.
 */
export type AuditReport =
  | { ok: true; files: AuditFileSummary[]; count: number; first: ChainLink | null; last: ChainLink | null }
  | {
      ok: false;
      file: string;
      line: number;
      problem: ChainProblem;
      files: AuditFileSummary[];
      count: number;
      first: ChainLink | null;
      last: ChainLink | null;
    };

/** Options of {@link verifyAuditFiles} and {@link exportAudit}. */
export interface VerifyAuditOptions {
  /** What the first file must follow; see {@link VerifyChainOptions.start}. Default `'genesis'`. */
  start?: VerifyChainOptions['start'];
}

/** Which entries {@link exportAudit} includes; at least one criterion, all given ones must hold. */
export interface AuditFilter {
  jtis?: string[];
  /** ISO 8601; entries at or after this time. */
  from?: string;
  /** ISO 8601; entries before this time. */
  to?: string;
  /** Only decisions about assertions of these issuers (to share with one partner only what concerns it). */
  issuers?: string[];
}

/** Options of {@link exportAudit}. */
export interface ExportAuditOptions extends VerifyAuditOptions {
  /** `iss` of the export: the verifier's identifier. */
  issuer?: string;
  /** `aud` of the export: the partner it is meant for. */
  audience?: string;
  /** Epoch milliseconds, like `Date.now` (the default). */
  clock?: () => number;
}

/** The verified content of an audit export. */
export interface AuditExport {
  header: { alg: Alg; kid: string; typ: typeof AUDIT_EXPORT_TYP };
  iss?: string;
  aud?: string;
  iat: number;
  /** The exported entries, each with its chain hash recomputed. */
  entries: ChainedEntry[];
  /** The range of the log checked when exporting: its first entry and its head. */
  chain: { first: ChainLink | null; last: ChainLink | null };
  filter: AuditFilter;
}

/** Options of {@link verifyAuditExport}. */
export interface VerifyAuditExportOptions {
  /** Algorithms accepted. Default: all of ES256, EdDSA, PS256. */
  algorithms?: Alg[];
  /** Longest export accepted, in characters. Default 64 MiB. */
  maxLength?: number;
}

const DEFAULT_EXPORT_MAX_LENGTH = 64 * 1024 * 1024;
const MAX_FILTER_VALUES = 10_000;

/**
 * Verifies the hash chain of decision-log files given oldest first (spec/15-decision-log.md SHO-LOG-5):
 * the chain must run unbroken from the first entry of the first file (the genesis, unless `start` says
 * otherwise) through every file. Returns the first broken entry — file, line and problem (`edited`,
 * `deleted_or_reordered`, `malformed`, `chain_break_across_files`, or `torn` for a last line cut short
 * by a crash, SHO-LOG-6) — as data; printing is the CLI's business.
 *
 * @throws ShomeiError `DECISION_LOG_UNAVAILABLE` (reason `read_failed`) when a file cannot be read.
 * @example
 * const report = await verifyAuditFiles(await listDecisionLogFiles('/var/lib/shomei/log'));
 * if (!report.ok) console.error(`${report.file}:${report.line}: ${report.problem}`);
 * @see spec/15-decision-log.md SHO-LOG-5
 */
export async function verifyAuditFiles(paths: string[], options: VerifyAuditOptions = {}): Promise<AuditReport> {
  const { report } = await readChain(paths, options);
  return report;
}

/**
 * Builds a partner-shareable extract of the decision log, signed as a compact JWS
 * (`typ: shomei-audit-export+jwt`) with the verifier's key (SHO-LOG-7). The whole chain is verified
 * first: a log that does not verify is not exported (a torn last line is not an obstacle — the complete
 * entries before it are used). The payload is `{ iss?, aud?, iat, entries, chain: { first, last },
 * filter }`: each entry keeps its `seq`, `prev` and `hash`, so the partner can recompute every hash,
 * and `chain.last` is the head of the log at export time, an anchor against later rewriting.
 *
 * @throws TypeError for a bad filter or signer; ShomeiError `DECISION_LOG_UNAVAILABLE` (reasons
 *   `read_failed`, `chain_broken`); `SIGNER_FAILED` from the signer.
 * @example
 * const jws = await exportAudit(files, { jtis: ['c3VwZXItcmFuZG9tLWp0aQ'] }, signer, { issuer: 'https://broker.example' });
 * @see spec/15-decision-log.md SHO-LOG-7
 */
export async function exportAudit(
  paths: string[],
  filter: AuditFilter,
  signer: Signer,
  options: ExportAuditOptions = {},
): Promise<string> {
  assertSigner(signer);
  const matches = compileFilter(filter);
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function') throw invalidArgument('exportAudit: clock must be a function');
  for (const name of ['issuer', 'audience'] as const) {
    if (options[name] !== undefined && (typeof options[name] !== 'string' || options[name].length === 0)) {
      throw invalidArgument(`exportAudit: ${name} must be a non-empty string`);
    }
  }

  const { report, entries } = await readChain(paths, options, matches);
  const lastFile = paths[paths.length - 1];
  const tornAtEnd = !report.ok && report.problem === 'torn' && report.file === lastFile;
  if (!report.ok && !tornAtEnd) {
    throw decisionLogUnavailable(
      'chain_broken',
      `the decision log does not verify (${basename(report.file)} line ${report.line}: ${report.problem}); nothing exported`,
    );
  }
  const payload: Record<string, unknown> = {
    ...(options.issuer !== undefined ? { iss: options.issuer } : {}),
    ...(options.audience !== undefined ? { aud: options.audience } : {}),
    iat: Math.floor(clock() / 1000),
    entries,
    chain: { first: report.first, last: report.last },
    filter: normalizedFilter(filter),
  };
  return signCompact({ typ: AUDIT_EXPORT_TYP }, payload, signer);
}

/**
 * Checks an audit export received from a partner (SHO-LOG-7): form, `typ`, algorithm, signature by
 * `publicJwk` (through WebCrypto), then that every entry's hash matches its content and that the
 * entries lie, in order, within the announced chain range. Web APIs only.
 *
 * @throws ShomeiError `MALFORMED_TOKEN`, `TOKEN_TOO_LARGE`, `TYP_MISMATCH`, `CRIT_UNSUPPORTED`,
 *   `ALG_NOT_ALLOWED`, `KEY_NOT_FOUND` (kid differs from the key's), `KEY_INVALID`,
 *   `SIGNATURE_INVALID`, `CLAIMS_INVALID` (an entry was changed or the payload is not an export).
 * @example const extract = await verifyAuditExport(jws, brokerPublicJwk);
 * @see spec/15-decision-log.md SHO-LOG-7
 */
export async function verifyAuditExport(
  jws: string,
  publicJwk: PublicJwk,
  options: VerifyAuditExportOptions = {},
): Promise<AuditExport> {
  const algorithms = options.algorithms ?? ['ES256', 'EdDSA', 'PS256'];
  if (!Array.isArray(algorithms) || !algorithms.every(isAlg)) throw invalidArgument('verifyAuditExport: algorithms must list ES256, EdDSA or PS256');
  const parsed = parseCompact(jws, { maxLength: options.maxLength ?? DEFAULT_EXPORT_MAX_LENGTH });
  const { header } = parsed;
  if (header.typ !== AUDIT_EXPORT_TYP) {
    throw new ShomeiError('TYP_MISMATCH', `audit export: typ must be ${AUDIT_EXPORT_TYP}`, { claim: 'typ', reason: 'typ_mismatch' });
  }
  if ('crit' in header) throw new ShomeiError('CRIT_UNSUPPORTED', 'audit export: crit is not supported', { claim: 'crit' });
  const alg = header.alg;
  if (!isAlg(alg) || !algorithms.includes(alg)) {
    throw new ShomeiError('ALG_NOT_ALLOWED', 'audit export: alg is not allowed', { claim: 'alg' });
  }
  if (typeof header.kid !== 'string' || header.kid.length === 0) {
    throw new ShomeiError('KID_MISSING', 'audit export: kid is missing', { claim: 'kid' });
  }
  if (publicJwk?.kid !== undefined && publicJwk.kid !== header.kid) {
    throw new ShomeiError('KEY_NOT_FOUND', 'audit export: signed with another key than the one given', { claim: 'kid' });
  }
  const key = await webCryptoBackend.importPublicKey(publicJwk, alg);
  if (!(await webCryptoBackend.verify(alg, key, parsed.signingInput, parsed.signature))) {
    throw new ShomeiError('SIGNATURE_INVALID', 'audit export: signature does not verify', { reason: 'signature_invalid' });
  }

  const payload = decodePayload(parsed);
  const invalid = (claim: string, reason: string): ShomeiError =>
    new ShomeiError('CLAIMS_INVALID', `audit export: ${claim} is invalid (${reason})`, { claim, reason });
  const { iss, aud, iat, entries, chain, filter } = payload;
  if (!Number.isSafeInteger(iat)) throw invalid('iat', 'not_an_integer');
  if (iss !== undefined && typeof iss !== 'string') throw invalid('iss', 'not_a_string');
  if (aud !== undefined && typeof aud !== 'string') throw invalid('aud', 'not_a_string');
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) throw invalid('filter', 'not_an_object');
  if (chain === null || typeof chain !== 'object') throw invalid('chain', 'not_an_object');
  const { first, last } = chain as Record<string, unknown>;
  if (!isLinkOrNull(first) || !isLinkOrNull(last)) throw invalid('chain', 'not_a_link');
  if (!Array.isArray(entries)) throw invalid('entries', 'not_an_array');
  let previousSeq = first === null ? 0 : first.seq - 1;
  for (const entry of entries) {
    if (!(await chainedEntryIntact(entry as ChainedEntry))) throw invalid('entries', 'entry_hash_mismatch');
    const { seq } = entry as ChainedEntry;
    if (seq <= previousSeq || last === null || seq > last.seq) throw invalid('entries', 'outside_chain');
    previousSeq = seq;
  }
  return {
    header: { alg, kid: header.kid, typ: AUDIT_EXPORT_TYP },
    ...(iss !== undefined ? { iss } : {}),
    ...(aud !== undefined ? { aud } : {}),
    iat: iat as number,
    entries: entries as ChainedEntry[],
    chain: { first, last },
    filter: filter as AuditFilter,
  };
}

async function readChain(
  paths: string[],
  options: VerifyAuditOptions,
  matches?: (entry: ChainedEntry) => boolean,
): Promise<{ report: AuditReport; entries: ChainedEntry[] }> {
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((path) => typeof path !== 'string' || path.length === 0)) {
    throw invalidArgument('verifyAuditFiles: paths must be a non-empty array of file paths');
  }
  if (options === null || typeof options !== 'object') throw invalidArgument('verifyAuditFiles: options must be an object');
  const files: AuditFileSummary[] = [];
  const entries: ChainedEntry[] = [];
  let start: VerifyChainOptions['start'] = options.start ?? 'genesis';
  let first: ChainLink | null = null;
  let last: ChainLink | null = null;
  let count = 0;
  for (const [index, file] of paths.entries()) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw decisionLogUnavailable('read_failed', `cannot read ${basename(file)}`, cause);
    }
    const lines = text.split('\n');
    const result = await verifyChain(lines, { start, fromPreviousFile: index > 0, hash: nodeSha256 });
    first ??= result.first;
    count += result.count;
    if (result.last !== null) last = result.last;
    files.push({ file, count: result.count });
    if (matches !== undefined) {
      // Only lines that verified are read back; the chain check has already parsed them strictly.
      for (const line of lines.slice(0, result.count)) {
        const entry = JSON.parse(line) as ChainedEntry;
        if (matches(entry)) entries.push(entry);
      }
    }
    if (!result.ok) {
      // Only the newest file is ever appended to: a line cut short in an earlier one is no crash tail
      // (SHO-LOG-6) but damage to a file that was complete.
      const problem = result.problem === 'torn' && index < paths.length - 1 ? 'malformed' : result.problem;
      return { report: { ok: false, file, line: result.line, problem, files, count, first, last }, entries };
    }
    // An empty file carries the chain on unchanged.
    start = last ?? start;
  }
  return { report: { ok: true, files, count, first, last }, entries };
}

function compileFilter(filter: AuditFilter): (entry: ChainedEntry) => boolean {
  if (filter === null || typeof filter !== 'object') throw invalidArgument('exportAudit: filter must be an object');
  const { jtis, from, to, issuers } = filter;
  for (const [name, list] of [['jtis', jtis], ['issuers', issuers]] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.length > MAX_FILTER_VALUES || !list.every((v) => typeof v === 'string'))) {
      throw invalidArgument(`exportAudit: filter.${name} must be an array of at most ${MAX_FILTER_VALUES} strings`);
    }
  }
  const fromMs = from === undefined ? undefined : isoTime(from, 'from');
  const toMs = to === undefined ? undefined : isoTime(to, 'to');
  if (jtis === undefined && issuers === undefined && fromMs === undefined && toMs === undefined) {
    // A partner extract names what it is about; exporting the whole log is not what this is for.
    throw invalidArgument('exportAudit: filter needs at least one of jtis, from, to, issuers');
  }
  const jtiSet = jtis === undefined ? undefined : new Set(jtis);
  const issuerSet = issuers === undefined ? undefined : new Set(issuers);
  return (entry) => {
    if (jtiSet !== undefined && (entry.jti === undefined || !jtiSet.has(entry.jti))) return false;
    if (issuerSet !== undefined && (entry.issuer === undefined || !issuerSet.has(entry.issuer))) return false;
    const time = Date.parse(entry.time);
    if (fromMs !== undefined && time < fromMs) return false;
    if (toMs !== undefined && time >= toMs) return false;
    return true;
  };
}

function normalizedFilter(filter: AuditFilter): AuditFilter {
  return {
    ...(filter.jtis !== undefined ? { jtis: [...filter.jtis] } : {}),
    ...(filter.from !== undefined ? { from: filter.from } : {}),
    ...(filter.to !== undefined ? { to: filter.to } : {}),
    ...(filter.issuers !== undefined ? { issuers: [...filter.issuers] } : {}),
  };
}

function isoTime(value: unknown, name: string): number {
  const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalidArgument(`exportAudit: filter.${name} must be an ISO 8601 date or time`);
  return ms;
}

function isLinkOrNull(value: unknown): value is ChainLink | null {
  if (value === null) return true;
  if (typeof value !== 'object' || value === undefined) return false;
  const { seq, hash } = value as Record<string, unknown>;
  return Number.isSafeInteger(seq) && typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash);
}
