/**
 * The demo's scenarios, run in-process against the three example services on loopback (issue 5.4):
 * the legitimate flows are allowed, the 2020 attacks are denied for the right reasons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssertionTap, runScenarios, type ScenarioResult } from '../../examples/demo/scenarios.js';
import { startSandbox, type Sandbox } from '../../examples/demo/sandbox.js';
import { legacyBankCustomers, shomeiBankCustomers } from '../../examples/bank-api/customers.js';

let sandbox: Sandbox;
let results: ScenarioResult[];
/** Everything the scenarios narrate, as the demo prints it. */
const narration: string[] = [];

beforeAll(async () => {
  const tap = createAssertionTap();
  sandbox = await startSandbox({ securitiesFetch: tap.fetch });
  results = await runScenarios(sandbox, tap, (line) => narration.push(line));
});

afterAll(async () => {
  await sandbox?.close();
});

function result(id: string): ScenarioResult {
  const found = results.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`scenario ${id} did not run`);
  return found;
}

describe('demo scenarios', () => {
  it('prints no personal data of the sandbox customers: names masked, no birthdate, no account number', () => {
    const text = narration.join('\n');
    expect(narration.length).toBeGreaterThan(20);
    for (const customer of [...shomeiBankCustomers(Date.now()), ...legacyBankCustomers()]) {
      const { person } = customer;
      const values = [
        `${person.family_name}${person.given_name}`,
        `${person.family_name} ${person.given_name}`,
        `${person.family_name_kana}${person.given_name_kana}`,
        `${person.family_name_kana} ${person.given_name_kana}`,
        person.birthdate,
        ...customer.accounts.flatMap((account) => [account.number, account.holder_kana]),
      ];
      for (const value of values) expect(text, `${customer.id}: a personal value`).not.toContain(value);
    }
  });

  it('SHO-LINK-1: a legitimate payout-account link (JPKI KYC, password + passkey) is allowed', () => {
    expect(result('1')).toMatchObject({ outcome: 'allow', codes: [], ok: true });
    expect(sandbox.securities.linkedAccount('s-0001')?.account.number).toBe('1234567');
  });

  it('SHO-TXN-1: a legitimate payout with its transaction assertion is allowed and executed once', () => {
    expect(result('2')).toMatchObject({ outcome: 'allow', codes: [], ok: true });
  });

  it('SHO-ROLE-6: a legitimate direct-debit registration (wallet KYC + bank authentication) is allowed', () => {
    expect(result('3')).toMatchObject({ outcome: 'allow', codes: [], ok: true });
    expect(sandbox.wallet.directDebits()).toHaveLength(1);
    expect(sandbox.bank.directDebits()).toHaveLength(1);
  });

  it('SHO-IDA-7: the Docomo pattern at a shomei bank (wallet without KYC) is denied KYC_MISSING at the push', () => {
    expect(result('4a')).toMatchObject({ outcome: 'deny', codes: ['KYC_MISSING'], ok: true });
  });

  it('SHO-POL-11: the Docomo pattern at a legacy bank (PIN + birthdate as aal2) is denied FACTOR_NOT_COUNTED', () => {
    expect(result('4b')).toMatchObject({ outcome: 'deny', ok: true });
    expect(result('4b').codes).toContain('FACTOR_NOT_COUNTED');
    expect(sandbox.wallet.directDebits()).toHaveLength(1);
    expect(sandbox.legacyBank.events.some((line) => line.includes('ISSUANCE_REFUSED'))).toBe(true);
  });

  it('SHO-POL-7: the SBI pattern (same name, ホ proofing three days ago) is denied although the names match', () => {
    expect(result('5').ok).toBe(true);
    expect(result('5').codes).toEqual(expect.arrayContaining(['PROOFING_METHOD_NOT_ALLOWED', 'IAL_TOO_LOW']));
    expect(sandbox.securities.linkedAccount('s-0002')).toBeUndefined();
  });

  it('SHO-REPLAY-1: a replayed transaction assertion is denied REPLAYED and pays nothing twice', () => {
    expect(result('6')).toMatchObject({ outcome: 'deny', codes: ['REPLAYED'], ok: true });
    expect(sandbox.securities.payouts()).toHaveLength(1);
  });

  it('SHO-TXN-3: a payout whose amount changed after signing is denied TRANSACTION_MISMATCH', () => {
    expect(result('7')).toMatchObject({ outcome: 'deny', codes: ['TRANSACTION_MISMATCH'], ok: true });
    expect(sandbox.securities.payouts()).toHaveLength(1);
  });

  it('SHO-LOG-1: every decision of the relying parties is in their decision logs, without personal data', () => {
    const entries = [...sandbox.securities.decisions(), ...sandbox.wallet.decisions()];
    expect(entries.length).toBeGreaterThanOrEqual(7);
    const text = JSON.stringify(entries);
    for (const personal of ['山田', 'ヤマダ', '1985-04-01', '1234567', '鈴木', '3456789']) expect(text).not.toContain(personal);
  });
});
