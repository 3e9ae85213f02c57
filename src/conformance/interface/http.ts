import { parseJsonObject } from '../../encoding/json.js';
import type { ErrorCode } from '../../errors/codes.js';
import { errorResponse, jsonResponse } from '../../transport/error-response.js';

/** A Web-standard handler (`Request → Response`), as the issuer handlers and bank endpoints are. */
export type InterfaceHandler = (request: Request) => Promise<Response>;

/** The largest body the test interface reads. */
const MAX_BODY = 65_536;

/** Reads a JSON object body, or answers why not. Shared by both partner-side interfaces. */
export async function readJson(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await request.text().catch(() => undefined);
  if (text === undefined || text.length > MAX_BODY) return errorResponse('MALFORMED_TOKEN', 'the body could not be read or is too large');
  try {
    return parseJsonObject(text);
  } catch {
    return errorResponse('MALFORMED_TOKEN', 'the body is not a JSON object');
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
