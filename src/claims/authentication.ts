import { z } from 'zod';
import { AMR_VALUES } from '../vocabulary/amr.js';
import { AAL_LEVELS } from '../vocabulary/trust-frameworks.js';
import { NumericDate } from './common.js';

/**
 * How the customer authenticated for this operation (spec/08-authentication.md, SHO-AUTH): OpenID
 * Connect Core §2 `acr`, `amr` (RFC 8176 values plus shomei's private ones), `auth_time`, and the
 * NIST SP 800-63B AAL with whether the method resisted phishing.
 */
export const Authentication = {
  acr: z.string().min(1).max(256).optional(),
  amr: z
    .array(z.enum(AMR_VALUES))
    .min(1)
    .max(16)
    .refine((values) => new Set(values).size === values.length, 'values must be distinct'),
  auth_time: NumericDate,
  aal: z.enum(AAL_LEVELS),
  phishing_resistant: z.boolean(),
};

export const AuthenticationClaims = z.object(Authentication);
export type AuthenticationClaims = z.infer<typeof AuthenticationClaims>;
