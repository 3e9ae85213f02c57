/**
 * The example securities backend writes its decision log to a temporary folder when not given one, and
 * removes that folder on close; a folder the caller names is the caller's and stays, log and all.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecuritiesApp } from '../../examples/securities-backend/app.js';
import { generateKey } from '../../src/keys/generate.js';

const BANK = 'https://bank.example';
const given = mkdtempSync(join(tmpdir(), 'shomei-securities-given-'));
afterAll(() => rmSync(given, { recursive: true, force: true }));

async function app(decisionLogPath?: string) {
  const key = await generateKey('ES256');
  return createSecuritiesApp({
    issuer: 'https://sec.example',
    name: '証明証券',
    banks: [BANK],
    trust: { parties: [{ id: BANK, keys: { jwks: { keys: [key.publicJwk] } }, kinds: ['link', 'transaction'], max_ial: 'ial2', max_aal: 'aal3', status: 'active' }] },
    customers: [],
    ...(decisionLogPath !== undefined ? { decisionLogPath } : {}),
  });
}

describe('securities backend decision-log folder', () => {
  it('removes the temporary folder it made itself when closed', async () => {
    const securities = await app();
    expect(existsSync(securities.decisionLogPath)).toBe(true);
    expect(securities.decisionLogPath.startsWith(tmpdir())).toBe(true);
    await securities.close();
    expect(existsSync(securities.decisionLogPath)).toBe(false);
  });

  it('keeps a folder the caller named, with the log in it', async () => {
    const securities = await app(given);
    expect(securities.decisionLogPath).toBe(given);
    await securities.close();
    expect(existsSync(given)).toBe(true);
    expect(readdirSync(given).some((name) => name.endsWith('.jsonl'))).toBe(true);
  });
});
