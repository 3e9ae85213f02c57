import { describe, expect, it } from 'vitest';
import { ShomeiError } from '../../src/errors/shomei-error.js';
import { loadPolicy } from '../../src/policy/load.js';

const SECRET = 'Yamada-Taro-1990-01-01';

function doc(rule: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { policy_id: 'firm-a', version: '1.0.0', rules: { account_link: rule }, ...extra };
}

function loadError(json: unknown): ShomeiError {
  try {
    loadPolicy(json);
  } catch (error) {
    if (error instanceof ShomeiError) return error;
    throw error;
  }
  throw new Error('loadPolicy accepted an invalid document');
}

describe('loadPolicy', () => {
  it('SHO-POL-1: accepts a minimal document and a full one', () => {
    expect(loadPolicy({ policy_id: 'p', version: '0.1.0', rules: {} })).toEqual({
      policy_id: 'p',
      version: '0.1.0',
      rules: {},
    });
    const full = doc({
      min_ial: 'ial2',
      trust_frameworks: ['jp_aml'],
      proofing_methods: [{ procedure: 'jp_aml.r6_1_1.ho', not_before: '2020-04-01', not_after: '2027-03-31', min_age_days: 30 }],
      max_kyc_age_days: 3650,
      min_aal: 'aal2',
      phishing_resistant: { above_amount: { currency: 'JPY', value: '1000000' } },
      max_auth_age_seconds: 300,
      ignored_amr: ['sms'],
      counted_factors_min: 2,
      identity_match: { required: ['name'], close_match: 'deny' },
      amount_limit: { currency: 'JPY', max: '10000000.5' },
    }, { description: 'firm A' });
    expect(loadPolicy(full)).toEqual(full);
  });

  it.each<[string, unknown]>([
    ['unknown top-level member', doc({}, { extends: 'x' })],
    ['unknown rule member (typo)', doc({ min_aa: 'aal2' })],
    ['unknown action', { policy_id: 'p', version: '1.0.0', rules: { login: {} } }],
    ['unknown proofing method member', doc({ proofing_methods: [{ procedure: 'x', until: '2027-01-01' }] })],
    ['IAL outside the scale', doc({ min_ial: 'ial4' })],
    ['AAL outside the scale', doc({ min_aal: 'AAL2' })],
    ['date that is not YYYY-MM-DD', doc({ proofing_methods: [{ procedure: 'x', not_after: '2027/03/31' }] })],
    ['date that does not exist', doc({ proofing_methods: [{ procedure: 'x', not_after: '2027-02-30' }] })],
    ['window that ends before it starts', doc({ proofing_methods: [{ procedure: 'x', not_before: '2027-04-01', not_after: '2027-03-31' }] })],
    ['empty allow-list of frameworks', doc({ trust_frameworks: [] })],
    ['empty allow-list of methods', doc({ proofing_methods: [] })],
    ['amount with exponent', doc({ amount_limit: { currency: 'JPY', max: '1e7' } })],
    ['negative amount', doc({ amount_limit: { currency: 'JPY', max: '-1' } })],
    ['amount as a number', doc({ amount_limit: { currency: 'JPY', max: 10000000 } })],
    ['lower-case currency', doc({ amount_limit: { currency: 'jpy', max: '1' } })],
    ['unknown amr value', doc({ ignored_amr: ['x-jp-cashcard_pin'] })],
    ['phishing_resistant string not in the list', doc({ phishing_resistant: 'sometimes' })],
    ['phishing_resistant threshold as a bare string', doc({ phishing_resistant: { above_amount: '1000000' } })],
    ['fractional auth age', doc({ max_auth_age_seconds: 1.5 })],
    ['counted_factors_min above 3', doc({ counted_factors_min: 4 })],
    ['close_match outcome not in the list', doc({ identity_match: { close_match: 'maybe' } })],
    ['version that is not semver-like', { policy_id: 'p', version: 'v1', rules: {} }],
    ['missing rules', { policy_id: 'p', version: '1.0.0' }],
    ['a string', JSON.stringify({ policy_id: 'p', version: '1.0.0', rules: {} })],
    ['null', null],
    ['an array', []],
  ])('SHO-POL-1: rejects %s with CONFIG_INVALID', (_label, json) => {
    const error = loadError(json);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.requirement).toBe('SHO-POL-1');
  });

  it('SHO-POL-1: the message names the path of the problem', () => {
    expect(loadError(doc({ min_aa: 'aal2' })).message).toContain('rules.account_link.min_aa: unknown member');
    expect(loadError(doc({ min_ial: 'ial4' })).message).toContain('rules.account_link.min_ial');
    expect(
      loadError(doc({ proofing_methods: [{ procedure: 'x' }, { procedure: 'y', not_after: '2027-02-30' }] })).message,
    ).toContain('rules.account_link.proofing_methods[1].not_after');
  });

  it('SHO-POL-1: the message never contains the values found in the document', () => {
    const values: unknown[] = [
      doc({ min_ial: SECRET }),
      doc({ min_aal: SECRET }),
      doc({ trust_frameworks: [`${SECRET} with spaces`] }),
      doc({ proofing_methods: [{ procedure: 'x', not_after: SECRET }] }),
      doc({ amount_limit: { currency: SECRET, max: SECRET } }),
      doc({ ignored_amr: [SECRET] }),
      doc({ phishing_resistant: SECRET }),
      doc({ identity_match: { required: [SECRET] } }),
      { policy_id: SECRET.replace(/-/g, ' '), version: SECRET, rules: {} },
      SECRET,
    ];
    for (const json of values) {
      const error = loadError(json);
      expect(error.message).not.toContain('Yamada');
      expect(error.cause).toBeUndefined();
    }
  });

  it('SHO-POL-1: member names from the document are sanitised before they appear in the message', () => {
    const error = loadError(doc({ 山田太郎: 1 }));
    expect(error.message).not.toContain('山田');
    expect(error.message).toContain('rules.account_link.????: unknown member');
  });

  it('SHO-POL-1: a document with many problems lists ten and counts the rest', () => {
    const rule: Record<string, unknown> = {};
    for (let i = 0; i < 15; i += 1) rule[`bad_${i}`] = i;
    const message = loadError(doc(rule)).message;
    expect(message).toContain('bad_0');
    expect(message).not.toContain('bad_14');
  });
});

describe('loadPolicy reads the document as JSON data (SHO-POL-1)', () => {
  it('SHO-POL-1: a rule inherited through a prototype is not part of the document: CONFIG_INVALID', () => {
    const rules = Object.create({ payout: { min_ial: 'ial1' } }) as Record<string, unknown>;
    rules.account_link = { min_ial: 'ial2' };
    expect(loadError({ policy_id: 'p', version: '1.0.0', rules }).code).toBe('CONFIG_INVALID');
  });

  it('SHO-POL-3: a member added to Object.prototype while loading does not become a rule', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.payout = {};
    try {
      const policy = loadPolicy(doc({ min_ial: 'ial2' }));
      expect(Object.hasOwn(policy.rules, 'payout')).toBe(false);
    } finally {
      delete proto.payout;
    }
  });

  it('SHO-POL-1: a document is read as it shows, not as a toJSON method or enumerability would serialize it', () => {
    const rooted = { ...doc({ min_ial: 'ial3' }), toJSON: () => doc({}) };
    const member = doc({ min_ial: { toJSON: () => 'ial3' } });
    const dated = doc({ min_ial: 'ial2' }, { description: new Date(0) });
    const hidden = doc({});
    Object.defineProperty((hidden.rules as Record<string, Record<string, unknown>>).account_link, 'min_ial', { value: 'ial3', enumerable: false });
    for (const bad of [rooted, member, dated, hidden]) expect(loadError(bad).code).toBe('CONFIG_INVALID');
  });

  it('SHO-POL-1: functions, Maps, non-finite numbers and a throwing Proxy are CONFIG_INVALID, never a raw error', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('proxy trap'); } });
    for (const bad of [
      doc({ min_ial: () => 'ial2' }),
      doc({ max_auth_age_seconds: Number.POSITIVE_INFINITY }),
      { policy_id: 'p', version: '1.0.0', rules: { account_link: new Map([['min_ial', 'ial2']]) } },
      { policy_id: 'p', version: '1.0.0', rules: hostile },
    ]) {
      expect(loadError(bad).code).toBe('CONFIG_INVALID');
    }
  });
});
