import { describe, expect, it } from 'vitest';
import { redact, redactUrl, tokenHash } from 'shomei/conformance';

const TOKEN = 'eyJhbGciOiJFUzI1NiIsInR5cCI6InNob21laS1saW5rK2p3dCJ9.eyJpc3MiOiJodHRwczovL2JhbmsuZXhhbXBsZSJ9.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

describe('redaction of logged HTTP exchanges', () => {
  it('SHO-CONF-15: a token is replaced by its SHA-256', () => {
    const out = redact({ assertion: TOKEN, kind: 'link' }) as Record<string, string>;
    expect(out.kind).toBe('link');
    expect(out.assertion).toBe(`<jws ${tokenHash(TOKEN)}>`);
    expect(JSON.stringify(out)).not.toContain(TOKEN.split('.')[1]);
  });

  it('SHO-CONF-15: personal data and flow secrets are removed, at any depth', () => {
    const out = JSON.stringify(
      redact({
        customers: [{ id: 'c1' }],
        request: { identity: { name: '山田 太郎', birthdate: '1985-04-01' }, account: { number: '0123456' } },
        code: 'Zm9yLXRoZS1leGNoYW5nZS1vbmx5',
        nonce: 'n-0S6_WzA2Mj5fT1rLk8yQ',
        d: 'private-key-member',
        error: 'AUDIENCE_MISMATCH',
      }),
    );
    for (const secret of ['山田', '1985-04-01', '0123456', 'Zm9yLXRoZS1leGNoYW5nZS1vbmx5', 'n-0S6_WzA2Mj5fT1rLk8yQ', 'private-key-member']) expect(out).not.toContain(secret);
    expect(out).toContain('AUDIENCE_MISMATCH');
  });

  it('SHO-CONF-15: code, state and request_uri are removed from URLs, also inside bodies', () => {
    const location = 'http://127.0.0.1:9/cb?code=c0de-c0de-c0de&state=st4te-st4te&iss=https%3A%2F%2Fbank.example';
    expect(redactUrl(location)).not.toMatch(/c0de|st4te/);
    expect(redactUrl(location)).toContain('iss=https');
    expect(JSON.stringify(redact({ location }))).not.toMatch(/c0de|st4te/);
  });

  it('SHO-CONF-15: hostile bodies are bounded', () => {
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 50; i++) cursor = (cursor.next = {}) as Record<string, unknown>;
    expect(JSON.stringify(redact(deep)).length).toBeLessThan(500);
    expect((redact('x'.repeat(10_000)) as string).length).toBeLessThan(200);
  });
});

describe('redaction cost', () => {
  it('SHO-CONF-15: a megabyte of token-like text is redacted in one pass', () => {
    const text = `${TOKEN} ${'A'.repeat(1_000_000)}`;
    const out = redact({ body: text }) as { body: string };
    expect(out.body).not.toContain(TOKEN.split('.')[2]);
  });
});
