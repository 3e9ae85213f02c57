import { invalidArgument } from '../errors/shomei-error.js';
import type { Alg } from '../jws/algorithms.js';
import { jwkMatchesAlg, publicJwkProblem, thumbprintOf, toPublicJwk } from './jwks.js';
import { assertSigner, type Signer } from './signer.js';
import { jwkThumbprint } from './thumbprint.js';
import type { PublicJwk } from './types.js';

/**
 * Where a key is in its rotation: `next` is published but does not sign yet, `active` signs (exactly
 * one), `retiring` no longer signs but stays published until tokens it signed have expired.
 */
export type KeyState = 'next' | 'active' | 'retiring';

/** One key of a {@link KeyRing}. */
export interface KeyRingKey {
  signer: Signer;
  /** The signer's public key; its `kid`, when present, must equal `signer.kid`. */
  publicJwk: PublicJwk;
  state: KeyState;
}

/** Options of the {@link KeyRing} constructor. */
export interface KeyRingOptions {
  keys: KeyRingKey[];
}

interface Entry {
  readonly signer: Signer;
  readonly published: PublicJwk;
  state: KeyState;
}

const STATES: ReadonlySet<unknown> = new Set(['next', 'active', 'retiring']);

function checkedEntry(key: unknown, state: KeyState): Entry {
  if (typeof key !== 'object' || key === null) throw invalidArgument('KeyRing: each key must be an object');
  const { signer, publicJwk } = key as Partial<KeyRingKey>;
  assertSigner(signer);
  const problem = publicJwkProblem(publicJwk);
  if (problem !== undefined) throw invalidArgument(`KeyRing: publicJwk of ${signer.kid} is not acceptable (${problem})`);
  const jwk = publicJwk as PublicJwk;
  if (!jwkMatchesAlg(jwk, signer.alg)) throw invalidArgument(`KeyRing: publicJwk of ${signer.kid} does not fit ${signer.alg}`);
  if (jwk.kid !== undefined && jwk.kid !== signer.kid) {
    throw invalidArgument(`KeyRing: publicJwk.kid differs from signer.kid ${signer.kid}`);
  }
  // A kid that is not the thumbprint makes every verifier refuse the whole published set (SHO-KEY-5,
  // SHO-FETCH-7): refused here, where the bank can still fix it.
  if (signer.kid !== thumbprintOf(jwk)) throw invalidArgument(`KeyRing: kid ${signer.kid} is not the RFC 7638 thumbprint of its public key`);
  const published: PublicJwk = Object.freeze({ ...toPublicJwk(jwk), kid: signer.kid, alg: signer.alg, use: 'sig' });
  return { signer, published, state };
}

/**
 * The issuer's signing keys: several published, exactly one active (SHO-KEY-8).
 *
 * Rotation without downtime:
 * 1. `add(newKey)` — the key is published in the JWKS as `next` but does not sign yet;
 * 2. wait at least the JWKS `max-age` (and any verifier cache time), so every verifier has the new key;
 * 3. `activate(newKid)` — it signs from now on; the old active key becomes `retiring` and stays published;
 * 4. wait the longest token lifetime plus the JWKS cache age, so no token it signed is still accepted;
 * 5. `remove(oldKid)`.
 *
 * Activating a `retiring` key again rolls a rotation back. The active key cannot be removed. The
 * constructor checks that exactly one key is active, kids are unique and each public JWK fits its
 * signer (same `kid`, key type matching `alg`, no private members) and that every `kid` is the key's
 * RFC 7638 thumbprint (SHO-KEY-5), as `add` does: verifiers refuse a set with any other kid. Neither compares the public JWK with the signer's private key (a KMS key cannot be read):
 * `importPrivateJwk` does that for local keys.
 *
 * @example const ring = new KeyRing({ keys: [{ signer, publicJwk, state: 'active' }] });
 *          ring.add({ signer: next, publicJwk: nextJwk }); // later: ring.activate(next.kid)
 * @see spec/11-keys.md SHO-KEY-8, SHO-KEY-9, SHO-KEY-10
 */
export class KeyRing {
  readonly #entries = new Map<string, Entry>();

  constructor(options: KeyRingOptions) {
    if (typeof options !== 'object' || options === null || !Array.isArray(options.keys)) {
      throw invalidArgument('KeyRing: options.keys must be an array');
    }
    let active = 0;
    for (const key of options.keys) {
      const state = (key as Partial<KeyRingKey> | null)?.state;
      if (!STATES.has(state)) throw invalidArgument("KeyRing: state must be 'next', 'active' or 'retiring'");
      const entry = checkedEntry(key, state as KeyState);
      if (this.#entries.has(entry.signer.kid)) throw invalidArgument(`KeyRing: duplicate kid ${entry.signer.kid}`);
      this.#entries.set(entry.signer.kid, entry);
      if (entry.state === 'active') active++;
    }
    if (active !== 1) throw invalidArgument(`KeyRing: exactly one key must be active, found ${active}`);
  }

  /**
   * Builds a key ring like the constructor and also checks that each `kid` is the RFC 7638 thumbprint of
   * its public key (SHO-JWS-19, SHO-KEY-5).
   *
   * @throws TypeError for any failed check.
   */
  static async create(options: KeyRingOptions): Promise<KeyRing> {
    const ring = new KeyRing(options);
    for (const jwk of ring.publicJwks().keys) {
      if ((await jwkThumbprint(jwk)) !== jwk.kid) {
        throw invalidArgument(`KeyRing: kid ${jwk.kid ?? ''} is not the RFC 7638 thumbprint of its key`);
      }
    }
    return ring;
  }

  /** The signer of the active key. */
  activeSigner(): Signer {
    for (const entry of this.#entries.values()) if (entry.state === 'active') return entry.signer;
    /* c8 ignore next */
    throw new Error('KeyRing invariant broken: no active key');
  }

  /**
   * The JWKS to publish: every key, whatever its state — `next` keys so verifiers know them before they
   * sign, `retiring` keys so tokens already issued still verify. Public members only, with `kid`, `alg`
   * and `use: 'sig'`.
   */
  publicJwks(): { keys: PublicJwk[] } {
    return { keys: [...this.#entries.values()].map((entry) => ({ ...entry.published })) };
  }

  /** Kid, algorithm and state of each key, in insertion order. */
  list(): Array<{ kid: string; alg: Alg; state: KeyState }> {
    return [...this.#entries.values()].map((entry) => ({ kid: entry.signer.kid, alg: entry.signer.alg, state: entry.state }));
  }

  /** Adds a key as `next`: published, not signing. */
  add(key: { signer: Signer; publicJwk: PublicJwk }): void {
    // Not async: call `KeyRing.create` or `jwkThumbprint` first when the kid comes from elsewhere.
    const entry = checkedEntry(key, 'next');
    if (this.#entries.has(entry.signer.kid)) throw invalidArgument(`KeyRing: duplicate kid ${entry.signer.kid}`);
    this.#entries.set(entry.signer.kid, entry);
  }

  /** Makes `kid` the active key; the previously active key becomes `retiring`. */
  activate(kid: string): void {
    const entry = this.#entries.get(kid);
    if (entry === undefined) throw invalidArgument(`KeyRing: no key ${String(kid)}`);
    if (entry.state === 'active') return;
    for (const other of this.#entries.values()) if (other.state === 'active') other.state = 'retiring';
    entry.state = 'active';
  }

  /** Removes a `next` or `retiring` key; the active key cannot be removed. */
  remove(kid: string): void {
    const entry = this.#entries.get(kid);
    if (entry === undefined) throw invalidArgument(`KeyRing: no key ${String(kid)}`);
    if (entry.state === 'active') throw invalidArgument('KeyRing: the active key cannot be removed; activate another first');
    this.#entries.delete(kid);
  }
}
