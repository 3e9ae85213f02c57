import type { ErrorCode } from '../../errors/codes.js';
import { ShomeiError } from '../../errors/shomei-error.js';
import { errorResponse, jsonResponse } from '../../transport/error-response.js';
import { readCappedJson } from '../../transport/read-capped.js';

/** A Web-standard handler (`Request → Response`), as the issuer handlers and bank endpoints are. */
export type InterfaceHandler = (request: Request) => Promise<Response>;

/** The largest body the test interface reads, in bytes. */
const MAX_BODY = 65_536;

const UNREADABLE = 'the body could not be read or is too large';

/**
 * Reads a JSON object body of at most 64 KiB, counted in bytes, or answers why not (SHO-CONF-3).
 * Shared by both partner-side interfaces.
 */
export async function readJson(request: Request): Promise<Record<string, unknown> | Response> {
  try {
    return await readCappedJson(request.body, MAX_BODY, {
      contentLength: request.headers.get('content-length'),
      tooLarge: (max) => new ShomeiError('MALFORMED_TOKEN', `the body is larger than ${max} bytes`, { reason: 'too_large' }),
    });
  } catch (error) {
    if (error instanceof ShomeiError && error.reason !== 'too_large') return errorResponse('MALFORMED_TOKEN', 'the body is not a JSON object');
    return errorResponse('MALFORMED_TOKEN', UNREADABLE);
  }
}

/** The path of `request` below `basePath`, or undefined when it is not under it. */
export function subPath(request: Request, basePath: string): string | undefined {
  const path = new URL(request.url).pathname;
  const base = basePath.replace(/\/+$/, '');
  if (path === base || path === `${base}/`) return '/';
  return path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
}

/** `Authorization: Bearer <token>` when the interface is protected (SHO-CONF-5). */
export function authorized(request: Request, token: string | undefined): boolean {
  if (token === undefined) return true;
  return request.headers.get('authorization') === `Bearer ${token}`;
}

/** A refusal for a request without the bearer secret. */
export function unauthorized(): Response {
  return jsonResponse(401, { error: 'ISSUER_UNKNOWN', error_description: 'the conformance interface needs its bearer token' }, { 'www-authenticate': 'Bearer' });
}

/** A 404 in the interface's error format. */
export function notFound(): Response {
  return jsonResponse(404, { error: 'REQUEST_MISMATCH', error_description: 'no such conformance interface resource' });
}

/** A 405 with `Allow`. */
export function methodNotAllowed(allow: string): Response {
  return jsonResponse(405, { error: 'MALFORMED_TOKEN', error_description: `use ${allow}` }, { allow });
}

export { errorResponse, jsonResponse };
export type { ErrorCode };
