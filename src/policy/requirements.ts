/**
 * The requirement of spec/14-policy.md that each policy rule implements; every decision reason carries one, so
 * that partners investigating an incident can point at the same sentence of the spec.
 */
export const POLICY_REQUIREMENTS = {
  /** The policy document: versioned, strict schema, CONFIG_INVALID at load. */
  document: 'SHO-POL-1',
  /** A decision collects every failing rule and names the policy id and version. */
  decision: 'SHO-POL-2',
  /** No rule for the action: deny. */
  ruleForAction: 'SHO-POL-3',
  /** A rule with KYC requirements needs at least one verified KYC record. */
  kycPresent: 'SHO-POL-4',
  minIal: 'SHO-POL-5',
  trustFramework: 'SHO-POL-6',
  /** Allowed proofing procedures, their date windows, check methods and minimum KYC age. */
  proofingMethod: 'SHO-POL-7',
  maxKycAge: 'SHO-POL-8',
  /** With several KYC records, one that satisfies every KYC rule is enough. */
  anyKyc: 'SHO-POL-9',
  minAal: 'SHO-POL-10',
  /** Ignored amr values and factor counting. */
  factors: 'SHO-POL-11',
  phishingResistance: 'SHO-POL-12',
  maxAuthAge: 'SHO-POL-13',
  identityMatch: 'SHO-POL-14',
  amountLimit: 'SHO-POL-15',
  /** The default policy shipped with the SDK. */
  defaultPolicy: 'SHO-POL-16',
} as const;
