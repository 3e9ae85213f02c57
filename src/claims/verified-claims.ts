import { z } from 'zod';
import { IAL_LEVELS } from '../vocabulary/trust-frameworks.js';
import { jpAmlMethod } from '../vocabulary/jp-aml.js';
import { parseDateTime } from './date-time.js';

/**
 * OpenID Identity Assurance `verified_claims` (OpenID Identity Assurance Schema Definition 1.0, §5),
 * modelled on the working group's JSON Schema (schema/verified_claims.json): unknown members are kept
 * and ignored, as the standard asks (spec/07-kyc.md, SHO-KYC).
 */

const DateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 date-time')
  .refine((value) => !Number.isNaN(parseDateTime(value)), 'a date-time naming a real instant (no February 30, no 24:00)');
const FullDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO 8601 date');
const Base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'base64');

const Address = z.looseObject({
  country: z.string().optional(),
  country_code: z.string().optional(),
  formatted: z.string().optional(),
  locality: z.string().optional(),
  postal_code: z.string().optional(),
  region: z.string().optional(),
  street_address: z.string().optional(),
});

/** The claims about the person (OpenID Connect Core §5.1 names; language tags such as `family_name#ja-Kana-JP` allowed). */
export const VerifiedPersonClaims = z.looseObject({
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  middle_name: z.string().optional(),
  birthdate: z.string().regex(/^[0-9]{4}-[01][0-9]-[0-3][0-9]$/, 'YYYY-MM-DD').optional(),
  address: Address.optional(),
});

const CheckDetails = z
  .array(
    z.looseObject({
      check_method: z.string(),
      organization: z.string().optional(),
      check_id: z.string().optional(),
      time: DateTime.optional(),
    }),
  )
  .min(1);

const Attachments = z
  .array(
    z.union([
      z.looseObject({ content_type: z.string(), content: Base64, desc: z.string().optional(), type: z.string().optional() }),
      z.looseObject({
        url: z.string(),
        digest: z.looseObject({ alg: z.string(), value: Base64 }),
        desc: z.string().optional(),
        type: z.string().optional(),
        access_token: z.string().nullable().optional(),
        exp: z.number().optional(),
      }),
    ]),
  )
  .min(1);

const EvidenceCommon = {
  attachments: Attachments.optional(),
  derived_claims: VerifiedPersonClaims.optional(),
};

const DocumentEvidence = z.looseObject({
  type: z.literal('document'),
  check_details: CheckDetails.optional(),
  document_details: z
    .looseObject({
      type: z.string(),
      document_number: z.string().optional(),
      serial_number: z.string().optional(),
      date_of_issuance: FullDate.optional(),
      date_of_expiry: FullDate.optional(),
      issuer: Address.extend({ name: z.string().optional(), jurisdiction: z.string().optional() }).optional(),
    })
    .optional(),
  ...EvidenceCommon,
});

const ElectronicRecordEvidence = z.looseObject({
  type: z.literal('electronic_record'),
  check_details: CheckDetails.optional(),
  record: z
    .looseObject({
      type: z.string(),
      created_at: DateTime.optional(),
      date_of_expiry: FullDate.optional(),
      source: Address.extend({ name: z.string().optional(), jurisdiction: z.string().optional() }).optional(),
    })
    .optional(),
  ...EvidenceCommon,
});

const VouchEvidence = z.looseObject({
  type: z.literal('vouch'),
  check_details: CheckDetails.optional(),
  attestation: z
    .looseObject({
      type: z.string(),
      reference_number: z.string().optional(),
      date_of_issuance: FullDate.optional(),
      date_of_expiry: FullDate.optional(),
      voucher: z.looseObject({ name: z.string().optional(), organization: z.string().optional() }).optional(),
    })
    .optional(),
  ...EvidenceCommon,
});

const ElectronicSignatureEvidence = z.looseObject({
  type: z.literal('electronic_signature'),
  signature_type: z.string(),
  issuer: z.string(),
  serial_number: z.string(),
  created_at: DateTime.optional(),
  ...EvidenceCommon,
});

/** One piece of evidence: `document`, `electronic_record`, `vouch` or `electronic_signature` (IDA schema §5.1.1). */
export const Evidence = z.discriminatedUnion('type', [
  DocumentEvidence,
  ElectronicRecordEvidence,
  VouchEvidence,
  ElectronicSignatureEvidence,
]);
export type Evidence = z.infer<typeof Evidence>;

/** How, when and under which rules the claims were verified (IDA schema §5.1). */
export const Verification = z.looseObject({
  trust_framework: z.string().min(1),
  assurance_level: z.string().optional(),
  assurance_process: z
    .looseObject({
      policy: z.string().optional(),
      procedure: z.string().optional(),
      assurance_details: z
        .array(
          z.looseObject({
            assurance_type: z.string().optional(),
            assurance_classification: z.string().optional(),
            evidence_ref: z
              .array(
                z.looseObject({
                  check_id: z.string(),
                  evidence_metadata: z.looseObject({ evidence_classification: z.string().optional() }).optional(),
                }),
              )
              .optional(),
          }),
        )
        .min(1)
        .optional(),
    })
    .optional(),
  time: DateTime.optional(),
  verification_process: z.string().optional(),
  evidence: z.array(Evidence).min(1).optional(),
});

/** One `verified_claims` element: the claims and their verification, nothing else (IDA schema `additionalProperties: false`). */
export const VerifiedClaimsElement = z.strictObject({
  verification: Verification,
  claims: VerifiedPersonClaims,
});

/** `verified_claims` as OpenID IDA defines it: one element or an array of them. */
export const VerifiedClaims = z.union([VerifiedClaimsElement, z.array(VerifiedClaimsElement).min(1)]);
export type VerifiedClaims = z.infer<typeof VerifiedClaims>;

/**
 * `verified_claims` as shomei assertions carry it: the IDA structure plus shomei's rules for the
 * Japanese framework (SHO-KYC): under `jp_aml` the verification names when it happened, its level on
 * the NIST scale, and the method of 犯収法施行規則 6条1項1号 that was used.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export const ShomeiVerifiedClaims = VerifiedClaims.superRefine((value, context) => {
  const elements = Array.isArray(value) ? value : [value];
  elements.forEach((element, index) => {
    const verification = element.verification;
    if (verification.trust_framework !== 'jp_aml') return;
    const path = Array.isArray(value) ? [index, 'verification'] : ['verification'];
    if (verification.time === undefined || !RFC3339.test(verification.time)) {
      context.addIssue({ code: 'custom', message: 'jp_aml verification needs time as an RFC 3339 date-time', path: [...path, 'time'] });
    }
    if (!(IAL_LEVELS as readonly string[]).includes(verification.assurance_level ?? '')) {
      context.addIssue({ code: 'custom', message: 'jp_aml assurance_level is ial1, ial2 or ial3', path: [...path, 'assurance_level'] });
    }
    const procedure = verification.assurance_process?.procedure;
    if (procedure === undefined || jpAmlMethod(procedure) === undefined) {
      context.addIssue({ code: 'custom', message: 'jp_aml procedure names a method of 犯収法施行規則 6条1項1号', path: [...path, 'assurance_process', 'procedure'] });
    }
  });
});
