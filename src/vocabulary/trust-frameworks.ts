/**
 * Trust framework identifiers from the OpenID Identity Assurance registry (spec/07-kyc.md, SHO-KYC).
 * The schema accepts any string (IDA: relying parties ignore unknown values); policy decides which count.
 */
export const TRUST_FRAMEWORKS = ['jp_aml', 'jp_mpiupa', 'nist_800_63A', 'eidas', 'de_aml', 'cz_aml'] as const;
export type TrustFramework = (typeof TRUST_FRAMEWORKS)[number];

/** NIST SP 800-63A identity assurance levels, the scale shomei uses for `assurance_level` under jp_aml. */
export const IAL_LEVELS = ['ial1', 'ial2', 'ial3'] as const;
export type Ial = (typeof IAL_LEVELS)[number];

/** NIST SP 800-63B authenticator assurance levels. */
export const AAL_LEVELS = ['aal1', 'aal2', 'aal3'] as const;
export type Aal = (typeof AAL_LEVELS)[number];

/** Rank of a level on its scale (1–3), for comparisons. */
export function levelRank(level: Ial | Aal): number {
  return Number(level.slice(3));
}
