import type { z } from 'zod';

/** A schema failure described by path and rule only: zod's `input` (personal data) is never copied. */
export interface ClaimIssue {
  claim: string;
  message: string;
}

/** Turns zod issues into {@link ClaimIssue}s that are safe to log (STYLE rule 3). */
export function claimIssues(error: z.ZodError): ClaimIssue[] {
  return error.issues.map((issue) => ({
    claim: issue.path.length === 0 ? '(claims)' : issue.path.map(String).join('.'),
    message: safeMessage(issue),
  }));
}

const CLAIM_NAME = /^[A-Za-z_][A-Za-z0-9_#.-]{0,63}$/;

function safeMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return 'not one of the allowed values';
    case 'unrecognized_keys':
      // Member names come from the token: shown only when they look like claim names, which start with a
      // letter or `_`. A date, a phone or an account number used as a name is not repeated.
      return `unknown member(s) ${issue.keys.map((key) => (CLAIM_NAME.test(key) ? key : '(a name not shown)')).join(', ')}`;
    case 'invalid_union':
      return 'matches none of the allowed shapes';
    default:
      // Messages written in our schemas and zod's own rule messages hold no input values.
      return issue.message;
  }
}
