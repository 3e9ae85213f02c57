import { describe, expect, it } from 'vitest';
import { cacheLifetimeSeconds, parseCacheControl } from '../../src/keyset/cache-control.js';

const bounds = { minSeconds: 60, maxSeconds: 86_400, defaultSeconds: 300 };

describe('Cache-Control (SHO-FETCH-8)', () => {
  it('SHO-FETCH-8: parses the directives a key set cares about, case-insensitively', () => {
    expect(parseCacheControl('Public, MAX-AGE=300, s-maxage="120", No-Store')).toEqual({
      maxAge: 300,
      sMaxAge: 120,
      noStore: true,
      noCache: false,
      conflicting: false,
    });
    expect(parseCacheControl(undefined)).toEqual({ noStore: false, noCache: false, conflicting: false });
  });

  it('SHO-FETCH-8: a comma inside a quoted value does not split directives', () => {
    expect(parseCacheControl('no-cache="set-cookie, x-foo", max-age=90')).toMatchObject({ noCache: true, maxAge: 90 });
  });

  it('SHO-FETCH-8: uses max-age within the bounds', () => {
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=600' }, bounds)).toBe(600);
  });

  it('SHO-FETCH-8: raises a short max-age to the minimum', () => {
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=0' }, bounds)).toBe(60);
  });

  it('SHO-FETCH-8: lowers a long max-age to the maximum', () => {
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=99999999999999999999' }, bounds)).toBe(86_400);
  });

  it('SHO-FETCH-8: no-store and no-cache mean the minimum', () => {
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=600, no-store' }, bounds)).toBe(60);
    expect(cacheLifetimeSeconds({ 'cache-control': 'no-cache, max-age=600' }, bounds)).toBe(60);
  });

  it('SHO-FETCH-8: no lifetime directive means the default', () => {
    expect(cacheLifetimeSeconds({}, bounds)).toBe(300);
    expect(cacheLifetimeSeconds({ 'cache-control': 'public' }, bounds)).toBe(300);
  });

  it('SHO-FETCH-8: s-maxage and max-age: the smaller wins', () => {
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=900, s-maxage=600' }, bounds)).toBe(600);
    expect(cacheLifetimeSeconds({ 'cache-control': 's-maxage=900, max-age=600' }, bounds)).toBe(600);
    expect(cacheLifetimeSeconds({ 'cache-control': 's-maxage=900' }, bounds)).toBe(900);
  });

  it('SHO-FETCH-8: Age is subtracted; a malformed Age is ignored', () => {
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=600', age: '100' }, bounds)).toBe(500);
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=600', age: '700' }, bounds)).toBe(60);
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=600', age: '-5' }, bounds)).toBe(600);
  });

  for (const header of ['max-age=abc', 'max-age=-1', 'max-age=1.5', 'max-age', 'max-age=600, max-age=60']) {
    it(`SHO-FETCH-8: a malformed or conflicting lifetime (${header}) means the minimum`, () => {
      expect(parseCacheControl(header).conflicting).toBe(true);
      expect(cacheLifetimeSeconds({ 'cache-control': header }, bounds)).toBe(60);
    });
  }

  it('SHO-FETCH-8: a repeated identical max-age is not a conflict', () => {
    expect(cacheLifetimeSeconds({ 'cache-control': 'max-age=600, max-age=600' }, bounds)).toBe(600);
  });
});
