/**
 * Identity-verification methods of 犯収法施行規則 6条1項1号 (spec/07-kyc.md, SHO-KYC), pinned to effective
 * dates because the items have been re-lettered before (2018, 2020). Sources: japan.md §1; end dates
 * are judgements (J) where japan.md says "verify".
 *
 * A KYC record names its method as `verification.assurance_process.procedure = 'jp_aml.r6_1_1.<code>'`.
 */
export interface JpAmlMethod {
  readonly code: string;
  readonly letter: string;
  readonly meaning: string;
  readonly remote: boolean;
  /** First day (YYYY-MM-DD) a new proofing by this method is lawful under this lettering. */
  readonly effectiveFrom: string;
  /** First day it is no longer lawful for new proofing, if known. */
  readonly effectiveTo?: string;
  /** Whether japan.md marks the post-2027 status as unverified. */
  readonly statusUnverified?: boolean;
}

const LETTERING_2020 = '2020-04-01';
const AMENDMENT_2027 = '2027-04-01';

export const JP_AML_METHODS: readonly JpAmlMethod[] = [
  { code: 'i', letter: 'イ', meaning: 'face-to-face, photo ID presented', remote: false, effectiveFrom: LETTERING_2020 },
  { code: 'ro', letter: 'ロ', meaning: 'face-to-face, non-photo ID with a second document', remote: false, effectiveFrom: LETTERING_2020 },
  { code: 'ha', letter: 'ハ', meaning: 'face-to-face, non-photo ID with mail to the address', remote: false, effectiveFrom: LETTERING_2020 },
  { code: 'ni', letter: 'ニ', meaning: 'face-to-face, non-photo ID with a supplementary document', remote: false, effectiveFrom: LETTERING_2020 },
  { code: 'ho', letter: 'ホ', meaning: 'online: photo-ID image and live selfie', remote: true, effectiveFrom: '2018-11-30', effectiveTo: AMENDMENT_2027 },
  { code: 'he', letter: 'ヘ', meaning: 'online: photo-ID IC-chip data and live selfie', remote: true, effectiveFrom: '2018-11-30' },
  { code: 'to_1', letter: 'ト(1)', meaning: 'online: reliance on a bank or card company that verified the customer', remote: true, effectiveFrom: '2018-11-30', statusUnverified: true },
  { code: 'to_2', letter: 'ト(2)', meaning: 'online: small deposit to an own-name account', remote: true, effectiveFrom: '2018-11-30', statusUnverified: true },
  { code: 'chi', letter: 'チ', meaning: 'ID received, then registered mail not to be forwarded', remote: true, effectiveFrom: LETTERING_2020, effectiveTo: AMENDMENT_2027 },
  { code: 'ri', letter: 'リ', meaning: 'ID IC data received, then registered mail not to be forwarded', remote: true, effectiveFrom: LETTERING_2020 },
  { code: 'nu', letter: 'ヌ', meaning: 'ID copies received, then registered mail not to be forwarded', remote: true, effectiveFrom: LETTERING_2020, effectiveTo: AMENDMENT_2027 },
  { code: 'ru', letter: 'ル', meaning: 'restricted-delivery post (特定事項伝達型)', remote: true, effectiveFrom: LETTERING_2020, statusUnverified: true },
  { code: 'wo', letter: 'ヲ', meaning: 'certificate of an accredited certification business', remote: true, effectiveFrom: LETTERING_2020, statusUnverified: true },
  { code: 'wa', letter: 'ワ', meaning: 'JPKI signature certificate (署名用電子証明書)', remote: true, effectiveFrom: LETTERING_2020 },
  { code: 'ka', letter: 'カ', meaning: 'certificate of a signature verifier under 公的個人認証法 17条1項5号', remote: true, effectiveFrom: LETTERING_2020, statusUnverified: true },
];

export const JP_AML_PROCEDURE_PREFIX = 'jp_aml.r6_1_1.';

/** The method a `procedure` string names, or undefined when it names none. */
export function jpAmlMethod(procedure: string): JpAmlMethod | undefined {
  if (!procedure.startsWith(JP_AML_PROCEDURE_PREFIX)) return undefined;
  const code = procedure.slice(JP_AML_PROCEDURE_PREFIX.length);
  return JP_AML_METHODS.find((method) => method.code === code);
}
