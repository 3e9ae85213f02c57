/**
 * The operations an assertion can authorise (spec/03-request.md, SHO-REQ).
 *
 * `payout_destination_change` is listed apart from `account_link` because the JSDA guideline (in force
 * 2025-10-15) names withdrawal-account change as an operation that needs phishing-resistant MFA.
 */
export const ACTIONS = ['account_link', 'payout', 'payout_destination_change', 'direct_debit_registration'] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions that link an account (answered with a link assertion), as opposed to a payout. */
export const LINK_ACTIONS = ['account_link', 'payout_destination_change', 'direct_debit_registration'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];
