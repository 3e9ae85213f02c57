/**
 * `shomei/conformance` — the conformance suite (issue 4): two plans that test a partner over real HTTP
 * with positive and hostile cases (the suite plays a bank against a verifier, or a relying party against
 * an issuer), the modules as data, the reports (JSON, JUnit XML, HTML, terminal, signed JSON), and the
 * helpers a partner mounts to expose the test interface of spec/17-conformance-interface.md.
 *
 * Web APIs only: the suite listens with node:http through a dynamic import, or with the `serve` a
 * caller passes.
 */
export { runVerifierPlan, VERIFIER_PLAN, VERIFIER_INTERFACE_MODULE } from './conformance/verifier-plan/run.js';
export type { VerifierPlanOptions } from './conformance/verifier-plan/run.js';
export { VERIFIER_MODULES } from './conformance/verifier-plan/modules.js';
export type { VerifierModule, JwksScenario, BankBehaviour, Observation } from './conformance/verifier-plan/module.js';
export type { Mutation } from './conformance/verifier-plan/mutation.js';
export { runIssuerPlan, ISSUER_PLAN, ISSUER_MODULES, ISSUER_INTERFACE_MODULE } from './conformance/issuer-plan/run.js';
export type { IssuerPlanOptions, IssuerModule } from './conformance/issuer-plan/run.js';
export type { IssuerScenario } from './conformance/issuer-plan/module.js';
export type { TokenMutation } from './conformance/issuer-plan/requests.js';

export { runConformance } from './conformance/run-conformance.js';
export type { ConformanceTarget } from './conformance/run-conformance.js';

export type { Status, Level, Expected, ModuleInfo, ModuleResult, LogEntry, PlanName, PlanReport, StatusCounts } from './conformance/types.js';
export { STATUSES } from './conformance/types.js';
export { checkDecision, checkEqual, checkThat, checkOneOf, checkHttpStatus, checkCacheControl, checkContentType, needsReview } from './conformance/checks.js';
export type { CheckResult, Observed } from './conformance/checks.js';
export { ModuleLog } from './conformance/log.js';
export { redact, redactText, redactUrl, tokenHash } from './conformance/redact.js';
export { TOOL_VERSION, countStatuses, overall } from './conformance/runner.js';
export type { SelectionOptions } from './conformance/runner.js';

export { toJsonReport, signReport, verifySignedReport, REPORT_TYP } from './conformance/reports/json.js';
export { toJunitXml } from './conformance/reports/junit.js';
export { toHtmlReport } from './conformance/reports/html.js';
export { formatModuleLine, formatSummary } from './conformance/reports/terminal.js';

export { serveDefault } from './conformance/server.js';
export type { Serve, ServeOptions, RunningServer, WebHandler } from './conformance/server.js';

export { createRelyingPartyTestInterface } from './conformance/interface/relying-party-interface.js';
export type { RelyingPartyTestInterface, RelyingPartyTestInterfaceOptions, ReportedDecision } from './conformance/interface/relying-party-interface.js';
export { createBankTestInterface } from './conformance/interface/bank-interface.js';
export { createSandboxVerifier } from './conformance/interface/sandbox-verifier.js';
export type { SandboxVerifier } from './conformance/interface/sandbox-verifier.js';
export type { BankTestInterfaceOptions } from './conformance/interface/bank-interface.js';
export {
  INTERFACE_VERSION,
  RelyingPartyInfo,
  BankInfo,
  TestCustomer,
  StartFlowRequest,
  StartFlowResponse,
  FlowStatus,
  AuthorizeRequest,
  AuthorizeResponse,
  RegistrationRequest,
  KeyFetchSettings,
} from './conformance/interface/schemas.js';
