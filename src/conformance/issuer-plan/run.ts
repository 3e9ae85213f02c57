import { invalidArgument } from '../../errors/shomei-error.js';
import { METADATA_PATH, PartyMetadata } from '../../transport/metadata.js';
import { checkThat } from '../checks.js';
import { createForgeKey } from '../forge/keys.js';
import { createInterfaceClient, type InterfaceClient } from '../interface/client.js';
import { registerSuiteParty } from '../interface/register-suite.js';
import type { TestCustomer } from '../interface/schemas.js';
import { suiteCall } from '../http-client.js';
import type { ModuleLog } from '../log.js';
import { buildReport, checkSelection, isSelected, runModule } from '../runner.js';
import { serveDefault } from '../server.js';
import type { ModuleInfo, ModuleResult, PlanReport } from '../types.js';
import { ISSUER_MODULES } from './modules.js';
import type { IssuerPlanOptions } from './options.js';
import { runIssuerModule, type Context } from './scenarios.js';
import { createSuiteRelyingParty, type SuiteRelyingParty } from './suite-rp.js';

export type { IssuerModule } from './module.js';
export { ISSUER_MODULES } from './modules.js';
export type { IssuerPlanOptions } from './options.js';

/** The first module of the plan: the bank's test interface (it gates the others). */
export const ISSUER_INTERFACE_MODULE: ModuleInfo = {
  id: 'issuer-test-interface',
  title: "The bank's conformance test interface answers as spec/17 defines",
  requirements: ['SHO-CONF-4', 'SHO-CONF-7', 'SHO-CONF-10'],
  level: 'MUST',
  kind: 'interface',
  expected: { result: 'accepted' },
};

/** Every module of the issuer plan, in run order. */
export const ISSUER_PLAN: readonly ModuleInfo[] = [ISSUER_INTERFACE_MODULE, ...ISSUER_MODULES];



/**
 * Runs the issuer plan (issue 4): the suite plays a relying party (and a wallet) on loopback, publishes
 * its metadata and keys, registers with the bank's sandbox, checks the bank's metadata and JWKS, pushes
 * valid and hostile requests expecting the documented error responses, completes flows through the
 * bank's test-login hook (or a person, with `assisted`), and checks the assertions against the spec.
 *
 * @throws TypeError for unknown module ids in `only` / `skip` or a missing `target`.
 * @example const report = await runIssuerPlan({ target: 'http://127.0.0.1:8081/conformance' });
 * @see spec/17-conformance-interface.md
 */
export async function runIssuerPlan(options: IssuerPlanOptions): Promise<PlanReport> {
  if (typeof options?.target !== 'string' || options.target.length === 0) throw invalidArgument('options.target must be the URL of the partner test interface');
  checkSelection(ISSUER_PLAN, options);
  const startedAt = Date.now();
  const keys = { rp: await createForgeKey(), attacker: await createForgeKey() };
  const rp = createSuiteRelyingParty({ rp: keys.rp, extra: () => [] });
  const server = await (options.serve ?? serveDefault)(rp.handler, { host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  rp.setOrigin(options.publicUrl ?? server.url);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const client = createInterfaceClient({ target: options.target, ...(options.bearerToken !== undefined ? { bearerToken: options.bearerToken } : {}), fetch: fetchFn });
  const results: ModuleResult[] = [];
  let context: Context | undefined;
  try {
    results.push(
      await runModule(ISSUER_INTERFACE_MODULE, async (log) => {
        context = await setUp(log, client, rp, keys, options, fetchFn);
      }, { ...options, skip: [] }),
    );
    for (const module of ISSUER_MODULES) {
      if (!isSelected(module, options)) continue;
      results.push(
        await runModule(module, async (log) => {
          if (context === undefined) {
            log.skip('the test interface is not usable (see issuer-test-interface)');
            return;
          }
          const notApplicable = module.applies?.(context.info, context.bank);
          if (notApplicable !== undefined) {
            log.skip(notApplicable);
            return;
          }
          await runIssuerModule(module, log, context);
        }, options),
      );
    }
  } finally {
    await server.close();
  }
  return buildReport({
    plan: 'issuer',
    target: { url: options.target, ...(context !== undefined ? { party: context.info.party } : {}) },
    suite: { party: rp.id(), role: 'relying_party' },
    startedAt,
    selection: options,
    modules: results,
  });
}

async function setUp(log: ModuleLog, client: InterfaceClient, rp: SuiteRelyingParty, keys: Context['keys'], options: IssuerPlanOptions, fetchFn: typeof fetch): Promise<Context | undefined> {
  const info = await client.bankInfo(log);
  log.record(checkThat('info document', 'SHO-CONF-4', info.ok, 'a bank info document', info.ok ? 'valid' : info.problem));
  if (!info.ok) return undefined;
  const customer = info.value.customers[0] as TestCustomer;
  log.info(`bank ${info.value.party}; actions ${info.value.actions.join(', ')}; ${info.value.customers.length} test customer(s), using ${customer.id}`);
  const metadataResponse = await suiteCall(log, { method: 'GET', url: `${info.value.party.replace(/\/+$/, '')}${METADATA_PATH}` }, fetchFn);
  const metadata = PartyMetadata.safeParse(metadataResponse?.json);
  log.record(checkThat('bank metadata readable', 'SHO-KEY-1', metadata.success, 'a metadata document', metadata.success ? 'valid' : `status ${metadataResponse?.status ?? 'none'}`));
  if (!metadata.success) return undefined;
  const missing = (['request_endpoint', 'authorization_endpoint', 'assertion_endpoint'] as const).filter((name) => metadata.data[name] === undefined);
  log.record(checkThat('bank endpoints', 'SHO-KEY-1', missing.length === 0, 'request, authorization and assertion endpoints', missing.length === 0 ? 'present' : `missing ${missing.join(', ')}`));
  if (missing.length > 0) return undefined;
  const registered = await registerSuiteParty(log, client, {
    offered: info.value.registration, partner: 'bank', suite: 'relying party', id: rp.id(),
    kinds: ['request', 'identity'], redirectUris: [rp.callbackUrl()], purpose: 'requests and identity assertions',
  });
  if (!registered) return undefined;
  return { info: info.value, bank: metadata.data, client, rp, keys, customer, options, fetch: fetchFn };
}
