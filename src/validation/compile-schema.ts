import { z } from 'zod';

/**
 * A schema's `safeParse`, compiled ahead of time by zod itself (`z.compile`, zod ≥ 4.6): generated,
 * monomorphic code for the success path, zod's own parser for everything else — so the same success,
 * the same output (key order included) and, on failure, zod's own issues. About three times faster on a
 * link assertion's claims, where validation runs on every verification and issuance (issue 7).
 *
 * zod generates the code with `new Function`; where that is forbidden (a strict Content-Security-Policy,
 * Cloudflare Workers) or for a construct it cannot generate, `z.compile` hands the schema back and
 * validation runs on zod's ordinary parser: slower, never different. tests/validation holds the
 * differential test that keeps both paths equal on the spec's vectors, the IDA corpus and mutants.
 *
 * @example const check = compileSchema(LinkClaims); const result = check(payload);
 * @see spec/02-tokens.md SHO-CLM
 */
export function compileSchema<T>(schema: z.ZodType<T>): (value: unknown) => z.ZodSafeParseResult<T> {
  const compiled = z.compile(schema) as z.ZodType<T>;
  return (value) => compiled.safeParse(value);
}
