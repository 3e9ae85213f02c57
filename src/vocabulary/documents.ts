/**
 * Document types for `evidence[].document_details.type` (spec/07-kyc.md, SHO-KYC): the IDA registry's
 * generic types and the Japanese ones of the OIDF-J draft translation (japan.md §5).
 */
export const DOCUMENT_TYPES = [
  'passport', 'idcard', 'driving_permit',
  'jp_drivers_license', 'jp_residency_card_for_foreigner', 'jp_individual_number_card',
  'jp_permanent_residency_card_for_foreigner', 'jp_health_insurance_card', 'jp_residency_card',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** How the proofing was done, independent of the legal lettering (judgement J, japan.md "ProofingMethod"). */
export const PROOFING_METHODS = [
  'in_person_visual', 'in_person_chip', 'remote_image_selfie', 'remote_chip_selfie', 'remote_pki_signature',
  'fi_reliance', 'postal_address_confirmation', 'restricted_delivery_post', 'named_account_micro_deposit',
] as const;
export type ProofingMethod = (typeof PROOFING_METHODS)[number];

/** Where an assurance level comes from (japan.md, J): own evidence, inherited by reliance (ト(1)), or self-asserted. */
export const ASSURANCE_BASES = ['evidence', 'inherited', 'self_asserted'] as const;
