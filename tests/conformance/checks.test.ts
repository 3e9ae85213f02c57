import { describe, expect, it } from 'vitest';
import { checkCacheControl, checkContentType, checkDecision, checkThat, ModuleLog } from 'shomei/conformance';

describe('checks and module logs', () => {
  it('SHO-CONF-14: a rejection with the expected code passes', () => {
    expect(checkDecision({ result: 'rejected', code: 'ALG_NOT_ALLOWED' }, { result: 'rejected', codes: ['ALG_NOT_ALLOWED'] }).status).toBe('PASSED');
    expect(checkDecision({ result: 'rejected', code: 'KEYS_UNAVAILABLE', alternatives: ['FETCH_FAILED'] }, { result: 'rejected', codes: ['FETCH_FAILED'] }).status).toBe('PASSED');
  });

  it('SHO-CONF-14: accepting what must be rejected fails', () => {
    const result = checkDecision({ result: 'rejected', code: 'AUDIENCE_MISMATCH' }, { result: 'accepted', codes: [] }, 'SHO-CLM-2');
    expect(result).toMatchObject({ status: 'FAILED', requirement: 'SHO-CLM-2', expected: 'rejected with AUDIENCE_MISMATCH', actual: 'accepted' });
  });

  it('SHO-CONF-14: rejecting what must be accepted fails (high-S, SHO-JWS-13)', () => {
    expect(checkDecision({ result: 'accepted' }, { result: 'rejected', codes: ['SIGNATURE_INVALID'] }).status).toBe('FAILED');
  });

  it('SHO-CONF-14: a refusal with another code is a WARNING, or FAILED when the module is strict', () => {
    expect(checkDecision({ result: 'rejected', code: 'TYP_MISMATCH' }, { result: 'rejected', codes: ['REQUEST_MISMATCH'] }).status).toBe('WARNING');
    expect(checkDecision({ result: 'rejected', code: 'JWKS_INVALID', strictCode: true }, { result: 'rejected', codes: ['SIGNATURE_INVALID'] }).status).toBe('FAILED');
  });

  it('SHO-CONF-14: no decision at all fails', () => {
    expect(checkDecision({ result: 'rejected', code: 'REPLAYED' }, { result: 'none', codes: [] }).status).toBe('FAILED');
  });

  it('SHO-CONF-14: review expected — deny is stricter (WARNING), allow fails', () => {
    expect(checkDecision({ result: 'review', code: 'IDENTITY_CLOSE_MATCH' }, { result: 'review', codes: ['IDENTITY_CLOSE_MATCH'] }).status).toBe('PASSED');
    expect(checkDecision({ result: 'review', code: 'IDENTITY_CLOSE_MATCH' }, { result: 'rejected', codes: ['IDENTITY_CLOSE_MATCH'] }).status).toBe('WARNING');
    expect(checkDecision({ result: 'review', code: 'IDENTITY_CLOSE_MATCH' }, { result: 'accepted', codes: [] }).status).toBe('FAILED');
  });

  it('SHO-CONF-14: FAILED is sticky: later passing checks do not clear it', () => {
    const log = new ModuleLog();
    log.record(checkThat('first', 'SHO-JWS-6', false, 'rejected', 'accepted'));
    log.record(checkThat('second', 'SHO-JWS-6', true, 'x', 'x'));
    log.skip('not applicable after all');
    expect(log.status).toBe('FAILED');
    expect(log.summary).toContain('first');
  });

  it('SHO-CONF-14: a failing SHOULD check is a WARNING; a later MUST failure turns the module FAILED', () => {
    const log = new ModuleLog();
    log.record(checkThat('low-S', 'SHO-JWS-14', false, 'low S', 'high S'), 'SHOULD');
    expect(log.status).toBe('WARNING');
    log.record(checkThat('typ', 'SHO-KIND-2', false, 'shomei-link+jwt', 'JWT'));
    expect(log.status).toBe('FAILED');
    expect(log.summary).toContain('typ');
  });

  it('SHO-CONF-14: a module with only passing checks passes; a skipped one is SKIPPED', () => {
    const passing = new ModuleLog();
    passing.record(checkThat('x', undefined, true, 'a', 'a'));
    expect(passing.status).toBe('PASSED');
    const skipped = new ModuleLog();
    skipped.skip('the partner does not offer payout');
    expect(skipped.status).toBe('SKIPPED');
    expect(skipped.summary).toBe('the partner does not offer payout');
  });

  it('SHO-KEY-3: Cache-Control and Content-Type checks compare directives and media types', () => {
    expect(checkCacheControl('SHO-KEY-3', 'public, max-age=300', ['public', 'max-age=300']).status).toBe('PASSED');
    expect(checkCacheControl('SHO-KEY-3', 'public, max-age=60', ['public', 'max-age=300']).status).toBe('FAILED');
    expect(checkCacheControl('SHO-FLOW-2', null, ['no-store']).status).toBe('FAILED');
    expect(checkContentType('SHO-KEY-3', 'application/jwk-set+json; charset=utf-8', ['application/jwk-set+json']).status).toBe('PASSED');
    expect(checkContentType('SHO-KEY-3', 'text/html', ['application/jwk-set+json']).status).toBe('FAILED');
  });
});
