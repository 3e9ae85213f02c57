/**
 * How long a fetched key set may be used before it is fetched again (spec/11-keys.md, SHO-FETCH-8).
 *
 * Only the directives that matter to a client holding one key set are read: `max-age`, `s-maxage`,
 * `no-store` and `no-cache`, plus the `Age` header a CDN adds. `Expires` is not read: it needs the
 * partner's clock (`Date`), and a key set server that cares about caching sends `max-age`.
 */

/** The directives of one `Cache-Control` header that the key set cares about. */
export interface CacheDirectives {
  /** `max-age` in seconds; `undefined` when absent. */
  readonly maxAge?: number;
  /** `s-maxage` in seconds; `undefined` when absent. */
  readonly sMaxAge?: number;
  readonly noStore: boolean;
  readonly noCache: boolean;
  /**
   * A lifetime directive was malformed or repeated with different values. RFC 9111 §4.2.1 tells a
   * cache to treat such a response as stale, so the lifetime becomes the configured minimum.
   */
  readonly conflicting: boolean;
}

/** The bounds a remote key set applies to the server's wish (all in seconds, `min ≤ default ≤ max`). */
export interface CacheBounds {
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** Used when the response says nothing about its lifetime. */
  readonly defaultSeconds: number;
}

const DELTA_SECONDS = /^\d+$/;

/**
 * Parses a `Cache-Control` header value (RFC 9111 §5.2). Unknown directives are ignored; directive
 * names are case-insensitive; a quoted value (`max-age="60"`) is accepted as recipients should.
 *
 * @example parseCacheControl('public, max-age=300') // { maxAge: 300, noStore: false, ... }
 */
export function parseCacheControl(value: string | undefined): CacheDirectives {
  let maxAge: number | undefined;
  let sMaxAge: number | undefined;
  let noStore = false;
  let noCache = false;
  let conflicting = false;

  for (const part of splitDirectives(value ?? '')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    const raw = eq === -1 ? undefined : unquote(part.slice(eq + 1).trim());
    switch (name) {
      case 'no-store':
        noStore = true;
        break;
      case 'no-cache':
        // The qualified form (`no-cache="set-cookie"`) is treated like the bare one: for a key set the
        // conservative reading is the only useful one.
        noCache = true;
        break;
      case 'max-age':
      case 's-maxage': {
        const seconds = raw !== undefined && DELTA_SECONDS.test(raw) ? Number(raw) : undefined;
        const previous = name === 'max-age' ? maxAge : sMaxAge;
        if (seconds === undefined || (previous !== undefined && previous !== seconds)) {
          conflicting = true;
          break;
        }
        if (name === 'max-age') maxAge = seconds;
        else sMaxAge = seconds;
        break;
      }
      default:
        break;
    }
  }

  return {
    ...(maxAge === undefined ? {} : { maxAge }),
    ...(sMaxAge === undefined ? {} : { sMaxAge }),
    noStore,
    noCache,
    conflicting,
  };
}

/**
 * The number of seconds a key set fetched with these response headers stays fresh, clamped into
 * `[bounds.minSeconds, bounds.maxSeconds]` (SHO-FETCH-8).
 *
 * - `no-store`, `no-cache` or a malformed lifetime → `minSeconds` (the minimum still applies so that a
 *   partner cannot make every verification cost a request);
 * - `max-age` / `s-maxage` → the smaller of the two (a verifier is a cache shared by all its requests,
 *   and the shorter lifetime picks up a rotation or revocation sooner), minus `Age`;
 * - neither → `defaultSeconds`.
 *
 * @param headers Response headers with lower-case names.
 */
export function cacheLifetimeSeconds(headers: Readonly<Record<string, string>>, bounds: CacheBounds): number {
  const directives = parseCacheControl(headers['cache-control']);
  let lifetime: number;
  if (directives.noStore || directives.noCache || directives.conflicting) {
    lifetime = 0;
  } else if (directives.maxAge !== undefined || directives.sMaxAge !== undefined) {
    lifetime = Math.min(directives.maxAge ?? Infinity, directives.sMaxAge ?? Infinity) - parseAge(headers['age']);
  } else {
    lifetime = bounds.defaultSeconds;
  }
  return Math.min(bounds.maxSeconds, Math.max(bounds.minSeconds, lifetime));
}

/** `Age` (RFC 9111 §5.1): seconds the response already spent in a cache; malformed values count as 0. */
function parseAge(value: string | undefined): number {
  const trimmed = value?.trim();
  return trimmed !== undefined && DELTA_SECONDS.test(trimmed) ? Number(trimmed) : 0;
}

/** Splits on commas that are not inside a quoted string. */
function splitDirectives(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i]!;
    if (quoted && ch === '\\' && i + 1 < value.length) {
      current += ch + value[i + 1]!;
      i += 1;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      if (current.trim() !== '') parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;
}
