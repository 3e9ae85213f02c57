/** `jti` and `nonce` values (spec/02-tokens.md SHO-CLM): 128 random bits, base64url, drawn from a pool. */
import { describe, expect, it } from 'vitest';
import { randomId } from '../../src/issuer/issue.js';

describe('randomId', () => {
  it('SHO-CLM-9: 22 base64url characters, all distinct across several refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = randomId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{21}[AQgw]$/);
      seen.add(id);
    }
    expect(seen.size).toBe(2000);
    // A used (zeroed) part of the pool handed out again would read as all zero bits.
    expect(seen.has('AAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
  });
});
