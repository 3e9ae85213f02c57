import { expect } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import type { ErrorCode } from '../../src/errors/codes.js';
import { encodeBase64url } from '../../src/encoding/base64url.js';

/** base64url of the UTF-8 bytes of `text`. */
export function b64(text: string): string {
  return encodeBase64url(new TextEncoder().encode(text));
}

function check(error: unknown, code: ErrorCode, reason?: string): void {
  expect(error).toBeInstanceOf(ShomeiError);
  const shomei = error as ShomeiError;
  expect(shomei.code).toBe(code);
  if (reason !== undefined) expect(shomei.reason).toBe(reason);
}

/** Asserts that `fn` throws a ShomeiError with `code` (and `reason`, when given); returns it. */
export function expectShomeiError(fn: () => unknown, code: ErrorCode, reason?: string): ShomeiError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected ${code}${reason ? `/${reason}` : ''}, nothing was thrown`);
  check(thrown, code, reason);
  return thrown as ShomeiError;
}

/** Asserts that `promise` rejects with a ShomeiError with `code` (and `reason`, when given); returns it. */
export async function expectShomeiRejection(promise: Promise<unknown>, code: ErrorCode, reason?: string): Promise<ShomeiError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected ${code}${reason ? `/${reason}` : ''}, the promise resolved`);
  check(thrown, code, reason);
  return thrown as ShomeiError;
}

/** Asserts a caller-mistake TypeError (ERR_INVALID_ARG_VALUE). */
export function expectInvalidArgument(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect((thrown as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
}

/** Async form of {@link expectInvalidArgument}. */
export async function expectInvalidArgumentRejection(promise: Promise<unknown>): Promise<void> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect((thrown as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
}
