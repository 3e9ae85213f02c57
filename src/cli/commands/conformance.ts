import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveNode } from '../../conformance/node-server.js';
import { formatModuleLine, formatSummary } from '../../conformance/reports/terminal.js';
import { signReport, toJsonReport } from '../../conformance/reports/json.js';
import { toJunitXml } from '../../conformance/reports/junit.js';
import { toHtmlReport } from '../../conformance/reports/html.js';
import { ISSUER_PLAN, runIssuerPlan } from '../../conformance/issuer-plan/run.js';
import { VERIFIER_PLAN, runVerifierPlan } from '../../conformance/verifier-plan/run.js';
import type { ModuleResult, PlanReport } from '../../conformance/types.js';
import { loadKeyFile } from '../../keys/key-file.js';
import { createLocalSigner, type Signer } from '../../keys/signer.js';
import { out, parse, UsageError } from '../args.js';

export const CONFORMANCE_USAGE = `shomei conformance verifier --target <url> [options]
shomei conformance issuer --target <url> [--assisted] [options]
shomei conformance list [verifier|issuer]
  Runs a conformance plan against a partner's sandbox over HTTP (spec/17-conformance-interface.md).
  verifier: the suite plays a bank; the partner's relying party verifies valid and hostile assertions.
  issuer:   the suite plays a relying party; the partner's bank answers valid and hostile requests.
  --target URL           the partner's conformance test interface (for example http://127.0.0.1:8080/conformance)
  --token T              bearer token of the test interface, when it has one
  --host H, --port N     where the suite's own bank or relying party listens (default 127.0.0.1, any free port)
  --public-url URL       the suite's party identifier when the partner reaches it through another address
  --only ID[,ID]         run only these modules (repeatable); --skip ID[,ID] leaves modules out
  --out DIR              write report.json, report.junit.xml and report.html to DIR (and report.jws with --sign-key)
  --json F, --junit F, --html F   write one report format to a file of its own
  --sign-key FILE        sign the JSON report as a JWS with the tester's private key (JWK or PEM)
  --decision-timeout MS  verifier plan: how long to wait for the partner's decision (default 5000)
  --assisted             issuer plan: a person completes each authorization in a browser
  --no-color             plain terminal output
  Exit codes: 0 no module FAILED, 1 a module FAILED, 3 usage error.`;

const OPTIONS = {
  target: { type: 'string' },
  token: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'public-url': { type: 'string' },
  only: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  'sign-key': { type: 'string' },
  'decision-timeout': { type: 'string' },
  assisted: { type: 'boolean' },
  'no-color': { type: 'boolean' },
} as const;

function ids(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values.flatMap((value) => value.split(',')).map((id) => id.trim()).filter((id) => id.length > 0);
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return number;
}

async function signerFrom(path: string | undefined): Promise<Signer | undefined> {
  if (path === undefined) return undefined;
  let key;
  try {
    key = await loadKeyFile(path);
  } catch (error) {
    throw new UsageError(`--sign-key: ${(error as Error).message}`);
  }
  if (key.privateJwk === undefined) throw new UsageError('--sign-key must be a private key');
  return createLocalSigner(key.privateJwk, { alg: key.alg });
}

async function write(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch {
    throw new UsageError(`cannot write ${path}`);
  }
}

/**
 * `shomei conformance`: runs a plan, prints a line per module as it finishes and a summary table, writes
 * the reports, and exits 1 when any module FAILED (issue 4 point 3).
 */
export async function conformanceCommand(args: string[]): Promise<number> {
  const [plan, ...rest] = args;
  if (plan === 'list') {
    const which = rest[0];
    if (which !== undefined && which !== 'verifier' && which !== 'issuer') throw new UsageError('list takes verifier or issuer');
    for (const module of [...(which !== 'issuer' ? VERIFIER_PLAN : []), ...(which !== 'verifier' ? ISSUER_PLAN : [])]) {
      out(`${module.id.padEnd(48)} ${module.level.padEnd(6)} ${module.requirements.join(' ')}`);
    }
    return 0;
  }
  if (plan !== 'verifier' && plan !== 'issuer') throw new UsageError(`conformance needs a plan: verifier, issuer or list (got ${JSON.stringify(plan ?? '')})`);
  const { values, positionals } = parse(rest, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const target = values.target;
  if (target === undefined || !/^https?:\/\//.test(target)) throw new UsageError('--target must be the http(s) URL of the partner test interface');
  if (values.assisted === true && plan !== 'issuer') throw new UsageError('--assisted applies to the issuer plan');
  const port = integer(values.port, 'port', 0, 65_535);
  const decisionTimeoutMs = integer(values['decision-timeout'], 'decision-timeout', 100, 600_000);
  if (values['sign-key'] !== undefined && values.out === undefined && values.json === undefined) {
    throw new UsageError('--sign-key needs --out or --json (the signature is written next to the JSON report)');
  }
  const signer = await signerFrom(values['sign-key']);
  const color = values['no-color'] !== true && process.stdout.isTTY === true;
  const only = ids(values.only);
  const skip = ids(values.skip);
  const common = {
    target,
    ...(values.token !== undefined ? { bearerToken: values.token } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(values['public-url'] !== undefined ? { publicUrl: values['public-url'] } : {}),
    ...(only !== undefined ? { only } : {}),
    ...(skip !== undefined ? { skip } : {}),
    serve: serveNode,
    onResult: (result: ModuleResult) => out(formatModuleLine(result, { color })),
  };

  let report: PlanReport;
  try {
    report =
      plan === 'verifier'
        ? await runVerifierPlan({ ...common, ...(decisionTimeoutMs !== undefined ? { decisionTimeoutMs } : {}) })
        : await runIssuerPlan({
            ...common,
            ...(values.assisted === true ? { assisted: true } : {}),
            onPrompt: ({ module, url, instruction }) => process.stderr.write(`\n[${module}] ${instruction}:\n  ${url}\n\n`),
          });
  } catch (error) {
    // Unknown module ids are the caller's mistake (TypeError from the plan).
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
  out(formatSummary(report, { color }));

  const json = toJsonReport(report);
  const files: Array<[string, string]> = [];
  if (values.out !== undefined) {
    await mkdir(values.out, { recursive: true }).catch(() => {
      throw new UsageError(`cannot create ${values.out}`);
    });
    files.push([join(values.out, 'report.json'), json], [join(values.out, 'report.junit.xml'), toJunitXml(report)], [join(values.out, 'report.html'), toHtmlReport(report)]);
    if (signer !== undefined) files.push([join(values.out, 'report.jws'), `${await signReport(report, signer)}\n`]);
  }
  if (values.json !== undefined) files.push([values.json, json]);
  if (values.junit !== undefined) files.push([values.junit, toJunitXml(report)]);
  if (values.html !== undefined) files.push([values.html, toHtmlReport(report)]);
  if (signer !== undefined && values.out === undefined && values.json !== undefined) files.push([`${values.json}.jws`, `${await signReport(report, signer)}\n`]);
  for (const [path, text] of files) await write(path, text);
  if (files.length > 0) process.stderr.write(`reports: ${files.map(([path]) => path).join(', ')}\n`);
  return report.counts.FAILED > 0 ? 1 : 0;
}
