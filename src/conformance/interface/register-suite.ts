import { checkEqual } from '../checks.js';
import type { ModuleLog } from '../log.js';
import type { InterfaceClient } from './client.js';
import type { RegistrationRequest } from './schemas.js';

/**
 * Registers the suite's own party (its bank or relying party) in the partner's sandbox trust
 * configuration through `POST /trust`, or, when the partner offers no registration, logs what the partner
 * must configure by hand. Returns false only when an offered registration failed (the plan then stops).
 *
 * @see spec/17-conformance-interface.md SHO-CONF-7
 */
export async function registerSuiteParty(
  log: ModuleLog,
  client: InterfaceClient,
  input: {
    /** Whether the partner's info document offers registration. */
    offered: boolean;
    /** The partner's role, in words (`bank`, `relying party`). */
    partner: string;
    /** The suite's role, in words. */
    suite: string;
    /** The suite party's identifier; its JWKS is at `{id}/jwks`. */
    id: string;
    kinds: RegistrationRequest['kinds'];
    redirectUris?: string[];
    /** What the partner trusts the suite for, in words (the hand-configuration hint). */
    purpose: string;
  },
): Promise<boolean> {
  const jwksUri = `${input.id}/jwks`;
  if (!input.offered) {
    const redirect = input.redirectUris === undefined ? '' : `, redirect_uri ${input.redirectUris.join(', ')}`;
    log.info(`the ${input.partner} offers no registration: it must trust ${input.id} (jwks_uri ${jwksUri}${redirect}) for ${input.purpose}`);
    return true;
  }
  const registered = await client.register(log, {
    id: input.id,
    keys: { jwks_uri: jwksUri },
    kinds: input.kinds,
    max_ial: 'ial3',
    max_aal: 'aal3',
    algs: ['ES256'],
    status: 'active',
    ...(input.redirectUris === undefined ? {} : { redirect_uris: input.redirectUris }),
  });
  log.record(checkEqual(`registration of the suite ${input.suite}`, 'SHO-CONF-7', 'registered', registered));
  return registered === 'registered';
}
