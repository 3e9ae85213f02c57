/**
 * The policy document (spec/14-policy.md, SHO-POL-1): versioned JSON, one rule per action, validated strictly
 * so that a misspelt requirement (`min_aa`) fails at start-up instead of silently requiring nothing.
 */
import { z } from 'zod';
import { DATE_PATTERN, startOfPolicyDate } from './dates.js';
import { DECIMAL_PATTERN } from './decimal.js';
import { KNOWN_AMR } from './factors.js';

/** The actions a policy can have a rule for. */
export const POLICY_ACTIONS = [
  'account_link',
  'payout',
  'payout_destination_change',
  'direct_debit_registration',
] as const;

const VOCABULARY_TOKEN = /^[\x21-\x7e]{1,128}$/;
const SEMVER_LIKE = /^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const POLICY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const CURRENCY = /^[A-Z]{3}$/;

const vocabularyToken = z.string().regex(VOCABULARY_TOKEN, 'must be 1-128 printable ASCII characters');
const policyDate = z
  .string()
  .regex(DATE_PATTERN, 'must be YYYY-MM-DD')
  .refine((value) => startOfPolicyDate(value) !== undefined, 'must be a real calendar date');
const decimal = z.string().max(64).regex(DECIMAL_PATTERN, 'must be a decimal string without sign or exponent');
const currency = z.string().regex(CURRENCY, 'must be an ISO 4217 code');
const days = z.number().int().min(0).max(36_500);

/** An identity level, lowest first. */
export const IAL_VALUES = ['ial1', 'ial2', 'ial3'] as const;
/** An authenticator level, lowest first. */
export const AAL_VALUES = ['aal1', 'aal2', 'aal3'] as const;
/** Attributes an identity-match rule can require. */
export const MATCH_ATTRIBUTES = ['name', 'name_kana', 'birthdate', 'address'] as const;

/**
 * One allowed proofing procedure. `not_before` / `not_after` bound the *decision* date (inclusive, JST):
 * "from 2027-04-01 this firm no longer relies on method ホ", whenever that KYC was done. `min_age_days` refuses a
 * KYC by this method until it is that old: an account opened days ago with weak proofing is how the 2020
 * securities takeovers received their money. `check_methods` requires one of these IDA check methods among the
 * KYC's evidence (for example `vcrypt`: the IC chip's signature was verified).
 */
export const proofingMethodSchema = z
  .strictObject({
    procedure: vocabularyToken,
    not_before: policyDate.optional(),
    not_after: policyDate.optional(),
    min_age_days: days.optional(),
    check_methods: z.array(vocabularyToken).min(1).optional(),
  })
  .superRefine((method, ctx) => {
    if (method.not_before !== undefined && method.not_after !== undefined && method.not_before > method.not_after) {
      ctx.addIssue({ code: 'custom', message: 'not_before must not be after not_after', path: ['not_after'] });
    }
  });

/** A money amount: currency and exact decimal string. */
export const moneySchema = z.strictObject({ currency, value: decimal });

/** When phishing-resistant authentication is required; `above_amount` requires it above (not at) that amount. */
export const phishingResistanceSchema = z.union([
  z.literal('always'),
  z.literal('never'),
  z.strictObject({ above_amount: moneySchema }),
]);

/** What one action requires (spec/14-policy.md). Every member is optional; an absent member requires nothing. */
export const actionRuleSchema = z.strictObject({
  min_ial: z.enum(IAL_VALUES).optional(),
  trust_frameworks: z.array(vocabularyToken).min(1).optional(),
  proofing_methods: z.array(proofingMethodSchema).min(1).optional(),
  max_kyc_age_days: days.optional(),
  min_aal: z.enum(AAL_VALUES).optional(),
  phishing_resistant: phishingResistanceSchema.optional(),
  max_auth_age_seconds: z.number().int().min(1).max(31_536_000).optional(),
  ignored_amr: z.array(z.enum(KNOWN_AMR as [string, ...string[]])).optional(),
  counted_factors_min: z.number().int().min(1).max(3).optional(),
  identity_match: z
    .strictObject({
      required: z.array(z.enum(MATCH_ATTRIBUTES)).optional(),
      close_match: z.enum(['review', 'deny', 'allow']).optional(),
    })
    .optional(),
  amount_limit: z.strictObject({ currency, max: decimal }).optional(),
});

/** A policy document. */
export const policySchema = z.strictObject({
  policy_id: z.string().regex(POLICY_ID, 'must be 1-128 characters of [A-Za-z0-9._:-]'),
  version: z.string().max(64).regex(SEMVER_LIKE, 'must be MAJOR.MINOR.PATCH'),
  description: z.string().max(4000).optional(),
  rules: z.strictObject({
    account_link: actionRuleSchema.optional(),
    payout: actionRuleSchema.optional(),
    payout_destination_change: actionRuleSchema.optional(),
    direct_debit_registration: actionRuleSchema.optional(),
  }),
});

/** A validated policy document. */
export type Policy = z.infer<typeof policySchema>;
/** The rule for one action. */
export type ActionRule = z.infer<typeof actionRuleSchema>;
/** One allowed proofing procedure with its window. */
export type ProofingMethodRule = z.infer<typeof proofingMethodSchema>;
