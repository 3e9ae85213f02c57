import { describe, expect, it } from 'vitest';
import { countFactors, creditsPhishingResistance, supportedAal } from '../../src/policy/factors.js';
import type { Aal, AuthenticationFact } from '../../src/policy/facts.js';

function auth(amr: string[], phishingResistant = false, acr?: string): AuthenticationFact {
  return { aal: 'aal3', amr, authTime: 0, phishingResistant, ...(acr === undefined ? {} : { acr }) };
}

describe('countFactors', () => {
  it.each<[string[], string[], number, boolean]>([
    [['x-jp-cashcard-pin', 'x-jp-birthdate'], [], 0, false],
    [['pwd'], [], 1, false],
    [['pwd', 'kba'], [], 1, false],
    [['pwd', 'otp'], [], 2, false],
    [['pwd', 'sms', 'otp'], [], 2, false],
    [['pwd', 'sms', 'otp'], ['sms'], 1, false],
    [['pwd', 'otp', 'x-email-otp'], ['x-email-otp'], 1, false],
    [['pwd', 'otp', 'hwk'], ['sms'], 2, false],
    [['swk', 'user', 'mfa', 'x-passkey-synced'], [], 2, true],
    [['hwk', 'user', 'mfa', 'x-passkey-devicebound'], [], 2, true],
    [['hwk', 'fpt'], [], 2, false],
    [['sc', 'hwk', 'pin', 'mfa', 'x-jp-jpki-auth'], [], 2, true],
    [['x-jp-jpki-auth'], [], 2, true],
    [['x-passkey-synced', 'pwd'], [], 3, true],
    [['mfa'], [], 2, true],
    [['mfa'], ['mfa'], 0, false],
    [['pwd', 'otp', 'fpt'], [], 3, false],
    [['geo', 'rba', 'mca', 'wia', 'pop'], [], 0, false],
    [['unknown-value', 'pwd'], [], 1, false],
    [['x-jp-cashcard-pin', 'pwd', 'x-jp-birthdate'], [], 1, false],
  ])('SHO-POL-11: %j ignoring %j counts %i factor classes (multi-factor authenticator: %s)', (amr, ignored, count, multi) => {
    expect(countFactors(amr, ignored)).toEqual({ count, multiFactorAuthenticator: multi });
  });
});

describe('supportedAal', () => {
  it.each<[AuthenticationFact, string[], Aal | undefined]>([
    [auth(['x-jp-cashcard-pin', 'x-jp-birthdate']), [], undefined],
    [auth(['pwd']), [], 'aal1'],
    [auth(['pwd', 'sms', 'otp']), [], 'aal2'],
    [auth(['pwd', 'sms', 'otp']), ['sms'], 'aal1'],
    [auth(['swk', 'user', 'mfa', 'x-passkey-synced'], true, 'phr'), [], 'aal2'],
    [auth(['hwk', 'user', 'mfa', 'x-passkey-devicebound'], true, 'phrh'), [], 'aal3'],
    [auth(['hwk', 'user', 'mfa', 'x-passkey-devicebound'], false), [], 'aal2'],
    [auth(['sc', 'hwk', 'pin', 'mfa', 'x-jp-jpki-auth'], true), [], 'aal3'],
    [auth(['pwd', 'otp', 'hwk'], true), ['hwk'], 'aal2'],
  ])('SHO-POL-11: %j ignoring %j supports %s', (fact, ignored, expected) => {
    expect(supportedAal(fact, ignored)).toBe(expected);
  });
});

describe('creditsPhishingResistance', () => {
  it.each<[AuthenticationFact, string[], boolean]>([
    [auth(['swk', 'user', 'mfa', 'x-passkey-synced'], true), [], true],
    [auth(['pwd', 'otp'], true), [], false],
    [auth(['pwd', 'otp'], true, 'phr'), [], true],
    [auth(['hwk', 'pin'], true), ['hwk'], false],
    [auth(['hwk', 'pin'], false), [], false],
  ])('SHO-POL-12: %j ignoring %j is credited: %s', (fact, ignored, expected) => {
    expect(creditsPhishingResistance(fact, ignored)).toBe(expected);
  });
});
