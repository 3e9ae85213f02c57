/**
 * A policy document turned into what {@link evaluatePolicy} reads on every verification (spec/14-policy.md): dates
 * as epoch seconds, lists as sets, levels as ranks, proofing methods grouped by procedure. Internal: the public
 * form stays the {@link Policy} document.
 *
 * A compiled form is kept only for documents that cannot change afterwards — those {@link loadPolicy} returned
 * (deeply frozen plain data) and the shipped default. Any other object is compiled for the one call, so a caller
 * who edits a document between evaluations is judged by what the document says now.
 */
import { deepFreeze } from '../encoding/json.js';
import { JP_AML_METHODS, JP_AML_PROCEDURE_PREFIX } from '../vocabulary/jp-aml.js';
import { daysToSeconds, endOfPolicyDate, startOfPolicyDate } from './dates.js';
import { ignoredAmrSet } from './factors.js';
import type { Action } from './facts.js';
import { AAL_VALUES, IAL_VALUES, POLICY_ACTIONS, type ActionRule, type Policy, type ProofingMethodRule } from './schema.js';

/** One allowed proofing procedure with its dates resolved. */
export interface CompiledMethod {
  readonly method: ProofingMethodRule;
  /** 00:00 JST of `not_before`; `Infinity` (never) for a date that is not a real one. */
  readonly notBefore: number | undefined;
  /** 00:00 JST of the day after `not_after`; `-Infinity` for a date that is not a real one. */
  readonly notAfterEnd: number | undefined;
  readonly minAgeSeconds: number | undefined;
}

/** One action's rule, ready to evaluate. */
export interface CompiledRule {
  readonly rule: ActionRule;
  /** The rule says anything about KYC, so a KYC record is needed (SHO-POL-4). */
  readonly requiresKyc: boolean;
  /** Index of `min_ial` in {@link IAL_VALUES} (`-1` for a value outside it). */
  readonly minIal: number;
  readonly trustFrameworks: ReadonlySet<string> | undefined;
  /** `trust_frameworks` as the deny message lists them. */
  readonly trustFrameworksText: string;
  /** `proofing_methods` by procedure, each list in document order; undefined when the rule has none. */
  readonly methods: ReadonlyMap<string, readonly CompiledMethod[]> | undefined;
  /** The distinct allowed procedures, as the deny message lists them. */
  readonly allowedProcedures: string;
  readonly maxKycAgeSeconds: number | undefined;
  readonly minAal: number;
  /** The always-ignored `amr` values plus `ignored_amr`. */
  readonly ignoredAmr: ReadonlySet<string>;
}

/** A policy ready to evaluate. */
export interface CompiledPolicy {
  readonly id: string;
  readonly version: string;
  readonly rules: ReadonlyMap<Action, CompiledRule>;
}

/** Documents whose compiled form may be kept: they are deeply frozen plain data. */
const STABLE = new WeakSet<object>();
const COMPILED = new WeakMap<object, CompiledPolicy>();

/**
 * Deeply freezes a policy document of plain data and marks it stable, so that its compiled form is kept.
 * For {@link loadPolicy}'s result (fresh objects built by the schema) and the shipped default: a policy is
 * configuration, changed by loading a new document, never by editing one in use.
 */
export function stablePolicy<T extends Policy>(policy: T): T {
  deepFreeze(policy);
  STABLE.add(policy);
  return policy;
}

/** Whether `policy` is a document {@link stablePolicy} marked: loaded (or shipped), frozen, checked. */
export function isStablePolicy(policy: object): boolean {
  return STABLE.has(policy);
}

/** The compiled form of `policy`: kept for a stable document, built afresh for any other. */
export function compiledPolicyOf(policy: Policy): CompiledPolicy {
  const kept = COMPILED.get(policy);
  if (kept !== undefined) return kept;
  const compiled = compilePolicy(policy);
  if (STABLE.has(policy)) COMPILED.set(policy, compiled);
  return compiled;
}

function compilePolicy(policy: Policy): CompiledPolicy {
  const rules = new Map<Action, CompiledRule>();
  for (const action of POLICY_ACTIONS) {
    // Own members only: a rule inherited from a polluted Object.prototype must not apply (SHO-POL-3).
    const rule = Object.hasOwn(policy.rules, action) ? policy.rules[action] : undefined;
    if (rule !== undefined) rules.set(action, compileRule(rule));
  }
  return { id: policy.policy_id, version: policy.version, rules };
}

function compileRule(rule: ActionRule): CompiledRule {
  let methods: Map<string, CompiledMethod[]> | undefined;
  if (rule.proofing_methods !== undefined) {
    methods = new Map();
    for (const method of rule.proofing_methods) {
      const compiled: CompiledMethod = {
        method,
        notBefore: method.not_before === undefined ? undefined : (startOfPolicyDate(method.not_before) ?? Infinity),
        notAfterEnd: method.not_after === undefined ? undefined : (endOfPolicyDate(method.not_after) ?? -Infinity),
        minAgeSeconds: method.min_age_days === undefined ? undefined : daysToSeconds(method.min_age_days),
      };
      const list = methods.get(method.procedure);
      if (list === undefined) methods.set(method.procedure, [compiled]);
      else list.push(compiled);
    }
  }
  return {
    rule,
    requiresKyc:
      rule.min_ial !== undefined ||
      rule.trust_frameworks !== undefined ||
      rule.proofing_methods !== undefined ||
      rule.max_kyc_age_days !== undefined,
    minIal: rule.min_ial === undefined ? -1 : IAL_VALUES.indexOf(rule.min_ial),
    trustFrameworks: rule.trust_frameworks === undefined ? undefined : new Set(rule.trust_frameworks),
    trustFrameworksText: rule.trust_frameworks === undefined ? '' : rule.trust_frameworks.join(', '),
    methods,
    allowedProcedures: methods === undefined ? '' : [...methods.keys()].join(', '),
    maxKycAgeSeconds: rule.max_kyc_age_days === undefined ? undefined : daysToSeconds(rule.max_kyc_age_days),
    minAal: rule.min_aal === undefined ? -1 : AAL_VALUES.indexOf(rule.min_aal),
    ignoredAmr: ignoredAmrSet(rule.ignored_amr ?? []),
  };
}

/** The legal effective window of one jp_aml method, in epoch seconds (SHO-KYC-6, SHO-KYC-16). */
export interface LawfulWindow {
  readonly from: number;
  readonly to: number;
  /** `effectiveFrom to effectiveTo|now`, as the deny message states it. */
  readonly text: string;
}

/** Every jp_aml method by its full `procedure` string, resolved once: the vocabulary is fixed. */
export const LAWFUL_WINDOWS: ReadonlyMap<string, LawfulWindow> = lawfulWindows();

function lawfulWindows(): Map<string, LawfulWindow> {
  const windows = new Map<string, LawfulWindow>();
  for (const method of JP_AML_METHODS) {
    const procedure = JP_AML_PROCEDURE_PREFIX + method.code;
    // The first method with a code wins, as in jpAmlMethod().
    if (windows.has(procedure)) continue;
    windows.set(procedure, {
      from: startOfPolicyDate(method.effectiveFrom) ?? -Infinity,
      to: method.effectiveTo === undefined ? Infinity : (startOfPolicyDate(method.effectiveTo) ?? Infinity),
      text: `${method.effectiveFrom} to ${method.effectiveTo ?? 'now'}`,
    });
  }
  return windows;
}
