import { errorResponse, jsonResponse, methodNotAllowed, notFound, readJson } from './http.js';
import { RegistrationRequest } from './schemas.js';

/**
 * The two routes both partner-side interfaces serve alike: `GET /` (the info document) and `POST /trust`
 * (SHO-CONF-7; 404 when the sandbox offers no registration). Returns `undefined` for any other path.
 *
 * @see spec/17-conformance-interface.md SHO-CONF-4, SHO-CONF-7
 */
export async function infoAndTrustRoutes(
  request: Request,
  path: string,
  info: Record<string, unknown>,
  registerParty: ((entry: RegistrationRequest) => Promise<void> | void) | undefined,
): Promise<Response | undefined> {
  if (path === '/') return request.method === 'GET' ? jsonResponse(200, info) : methodNotAllowed('GET');
  if (path !== '/trust') return undefined;
  if (request.method !== 'POST') return methodNotAllowed('POST');
  if (registerParty === undefined) return notFound();
  const body = await readJson(request);
  if (body instanceof Response) return body;
  const entry = RegistrationRequest.safeParse(body);
  if (!entry.success) return errorResponse('CLAIMS_INVALID', 'the body is not a trust-configuration party entry');
  await registerParty(entry.data);
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
}
