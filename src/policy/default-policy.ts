import { stablePolicy } from './compile.js';
import type { ActionRule, Policy } from './schema.js';

/**
 * Where the default policy comes from: /shared/reference/japan.md "Default policy", the JSDA guideline in force
 * 2025-10-15 (phishing-resistant MFA mandatory at login, withdrawal and withdrawal-account change), the FSA and
 * Zengin responses to the 2020 incidents, and the 2027-04-01 amendment of 犯収法施行規則 that abolishes
 * ID-image eKYC (method ホ) for new proofing. spec/14-policy.md (SHO-POL-16) states it normatively; the same
 * document is committed as spec/default-policy.json (regenerate with `npx tsx spec/scripts/write-default-policy.ts`).
 */

/** `amr` values listed for readers; the engine ignores them in every policy anyway (SHO-POL-11). */
const NEVER_FACTORS = ['x-jp-cashcard-pin', 'x-jp-birthdate'];

/**
 * Strong authentication of the account holder, for every action that moves money or decides where it goes.
 *
 * - `min_aal: 'aal2'` — two factors at least (NIST SP 800-63B); recounted after removing ignored `amr` values,
 *   so "aal2" made of cash-card PIN + birthdate (the 2020 Web口座振替 pattern) is refused (FACTOR_NOT_COUNTED).
 * - `phishing_resistant: 'always'` — the JSDA guideline makes phishing-resistant MFA (passkey or PKI) mandatory
 *   for withdrawal and withdrawal-account change; the 2025 takeovers went through SMS and password MFA. japan.md
 *   also sketches a weaker alternative ("AAL2 with no SMS or email factor"); the default does not offer it,
 *   because an app push or OTP can be relayed by a phishing site as well. A firm still in the JSDA's interim
 *   period can publish its own policy with `phishing_resistant: { above_amount: ... }`.
 * - `max_auth_age_seconds: 300` — the authentication belongs to this operation, not to a session from earlier
 *   in the day; 300 s is the longest lifetime of a link assertion (spec/02-tokens.md).
 * - `ignored_amr` — cash-card PIN and birthdate, written out so that the document says what it means.
 */
const STRONG_AUTHENTICATION = {
  min_aal: 'aal2',
  phishing_resistant: 'always',
  max_auth_age_seconds: 300,
  ignored_amr: NEVER_FACTORS,
} satisfies ActionRule;

/**
 * KYC that a securities firm can rely on when it learns where to send a customer's money.
 *
 * - `min_ial: 'ial2'`, capped by the verifier's trust ceiling for the bank.
 * - `trust_frameworks: ['jp_aml']` — the firm is itself bound by 犯収法, and 施行規則 6条1項1号ト(1) is the legal
 *   hook for relying on a bank's 取引時確認; every allowed procedure below is a jp_aml one.
 * - `proofing_methods` — the methods japan.md accepts: ヘ (`he`, IC chip + selfie), ワ (`wa`, JPKI signature
 *   certificate), カ (`ka`, JPKI-derived certificate), ト(1) (`to_1`, reliance on a bank's KYC), and face-to-face
 *   イ (`i`) only when the IC chip was read and its signature verified (`check_methods: ['vcrypt']`): visual
 *   inspection is how accounts were opened with forged IDs in the 2020 SBI Securities case, and chip reading
 *   becomes mandatory face to face too. Copy- and mail-based methods (ロ–ニ, チ–ヌ) are not accepted.
 * - ホ (`ho`, ID image + selfie) is accepted only for decisions up to 2027-03-31 (JST): the amendment in force
 *   2027-04-01 abolishes it for new proofing (a ホ proofing performed from that day is never credited in any
 *   policy, SHO-KYC-6), and a firm should not keep relying on older ホ proofings once the law has dropped the
 *   method as too weak. Even before that date it is refused until the KYC is 30 days old: a payout account opened days
 *   ago with photo-upload proofing is the 2020 takeover pattern (money routed to a fresh account in the
 *   victim's name). 30 days is an example a firm tunes; it gives the bank's own fraud monitoring time to act.
 * - No maximum KYC age: the bank keeps its records current under 犯収法; a firm that wants re-proofing after N
 *   years adds `max_kyc_age_days`.
 */
const RELIABLE_KYC = {
  min_ial: 'ial2',
  trust_frameworks: ['jp_aml'],
  proofing_methods: [
    { procedure: 'jp_aml.r6_1_1.he' },
    { procedure: 'jp_aml.r6_1_1.wa' },
    { procedure: 'jp_aml.r6_1_1.ka' },
    { procedure: 'jp_aml.r6_1_1.to_1' },
    { procedure: 'jp_aml.r6_1_1.i', check_methods: ['vcrypt'] },
    { procedure: 'jp_aml.r6_1_1.ho', not_after: '2027-03-31', min_age_days: 30 },
  ],
} satisfies ActionRule;

/**
 * The bank's comparison of what the firm knows about its customer with the bank's KYC record. Name and
 * birthdate are required: a same-name account (名義照合 alone) is exactly what the 2020 attackers opened, and a
 * birthdate `no_match` reveals it. `close_match` (kana variants, abbreviations) goes to a person for review.
 */
const IDENTITY_MATCH = {
  identity_match: { required: ['name', 'birthdate'], close_match: 'review' },
} satisfies ActionRule;

/**
 * Linking a payout account and changing the payout account: the same rule, because linking a bank account for
 * payouts *is* a withdrawal-account change in the JSDA guideline's sense.
 */
const PAYOUT_DESTINATION = { ...RELIABLE_KYC, ...STRONG_AUTHENTICATION, ...IDENTITY_MATCH } satisfies ActionRule;

/**
 * The shipped default policy, `shomei-default-jp` version `2026.11.0` (spec/14-policy.md, SHO-POL-16).
 *
 * - `account_link`, `payout_destination_change` — reliable KYC, strong phishing-resistant authentication, and
 *   a name and birthdate match (see the constants above for each rule's reason).
 * - `payout` — strong phishing-resistant authentication for this amount to this account (a transaction
 *   assertion carries no KYC; the destination was vetted when it was linked), and a limit of JPY 10,000,000 per
 *   payout: an example a firm tunes to its customers, so that a takeover cannot empty an account in one step.
 * - `direct_debit_registration` (a bank verifying a wallet's identity assertion, the reverse flow) — the wallet
 *   must assert KYC at all (the 2020 wallets needed only an email: KYC_MISSING), at IAL2 under 犯収法 (`jp_aml`)
 *   or the mobile-phone act (`jp_mpiupa`), with the wallet user authenticated at AAL2 within 300 s.
 *   Phishing resistance is not required of the wallet because the bank authenticates its own account holder as
 *   well (FSA request of 2020-09-15); no procedure list because jp_mpiupa procedures have no shared vocabulary yet.
 *
 * The object is deeply frozen; build a variant with `loadPolicy({ ...DEFAULT_POLICY, ... })`.
 */
export const DEFAULT_POLICY: Policy = stablePolicy({
  policy_id: 'shomei-default-jp',
  version: '2026.11.0',
  description:
    'shomei default policy for Japan: JSDA 2025 phishing-resistant MFA for payouts and payout-account changes; ' +
    'IC-chip, JPKI or bank-reliance KYC; photo-upload eKYC (ho) refused from 2027-04-01 and while under 30 days old.',
  rules: {
    account_link: PAYOUT_DESTINATION,
    payout_destination_change: PAYOUT_DESTINATION,
    payout: { ...STRONG_AUTHENTICATION, amount_limit: { currency: 'JPY', max: '10000000' } },
    direct_debit_registration: {
      min_ial: 'ial2',
      trust_frameworks: ['jp_aml', 'jp_mpiupa'],
      min_aal: 'aal2',
      max_auth_age_seconds: 300,
      ignored_amr: NEVER_FACTORS,
    },
  },
});
