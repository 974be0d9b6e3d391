import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const SID = 'AC' + 'a'.repeat(32);

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'secret' });
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      accountSid: SID,
      authToken: 'secret',
      credentialsGenerated: false,
      redisUrl: null,
      redisCluster: false,
      twilioApiBaseUrl: 'https://api.twilio.com',
    });
    expect(config.eventRetentionMinutes).toBeGreaterThan(0);
  });

  it('reads every variable and drops a trailing slash from URLs', () => {
    const config = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://tr.example.com/',
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: 'secret',
      REDIS_URL: 'redis://localhost:6379',
      REDIS_CLUSTER: 'true',
      TWILIO_API_BASE_URL: 'http://sim:4000/',
      EVENT_RETENTION_MINUTES: '60',
    });
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'https://tr.example.com',
      redisUrl: 'redis://localhost:6379',
      redisCluster: true,
      twilioApiBaseUrl: 'http://sim:4000',
      eventRetentionMinutes: 60,
    });
  });

  it('defaults the public URL to the port', () => {
    expect(loadConfig({ PORT: '4000', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't' }).publicUrl).toBe('http://localhost:4000');
  });

  it('generates credentials outside production', () => {
    const config = loadConfig({});
    expect(config.credentialsGenerated).toBe(true);
    expect(config.accountSid).toMatch(/^AC[0-9a-f]{32}$/);
    expect(config.authToken).toMatch(/^[0-9a-f]{32}$/);
    expect(loadConfig({}).accountSid).not.toBe(config.accountSid);
  });

  it('refuses to start in production without credentials', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', TWILIO_ACCOUNT_SID: SID })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't' }).production).toBe(true);
  });

  it('rejects malformed values', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_CLUSTER: 'yes please' })).toThrow(ConfigError);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'nope', TWILIO_AUTH_TOKEN: 't' })).toThrow(ConfigError);
    expect(() => loadConfig({ EVENT_RETENTION_MINUTES: '0' })).toThrow(ConfigError);
  });

  it('refuses to start on a shared Redis store without configured credentials', () => {
    // Each process would generate its own pair, and a client let in by one instance would be refused by the next.
    expect(() => loadConfig({ REDIS_URL: 'redis://localhost:6379' })).toThrow(/TWILIO_ACCOUNT_SID/);
    expect(() => loadConfig({ REDIS_URL: 'redis://localhost:6379', TWILIO_ACCOUNT_SID: SID })).toThrow(ConfigError);
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't' }).redisUrl).toBe('redis://localhost:6379');
  });

  it('collects the API keys accepted as Basic pairs: the signing key first, then TWILIO_API_KEYS', () => {
    const signing = 'SK' + '1'.repeat(32);
    const older = 'SK' + '2'.repeat(32);
    const newer = 'SK' + '3'.repeat(32);
    const config = loadConfig({
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: 't',
      TWILIO_API_KEY_SID: signing,
      TWILIO_API_KEY_SECRET: 'signing-secret-0123456789',
      TWILIO_API_KEYS: ` ${older}:older-secret-0123456789 , ${newer}:newer:secret-with-colon `,
    });
    expect(config.apiKeys).toEqual([
      { sid: signing, secret: 'signing-secret-0123456789' },
      { sid: older, secret: 'older-secret-0123456789' },
      { sid: newer, secret: 'newer:secret-with-colon' },
    ]);
    expect(loadConfig({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't' }).apiKeys).toEqual([]);
  });

  it('rejects malformed API key entries without echoing their secrets', () => {
    const base = { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't' };
    const sid = 'SK' + '4'.repeat(32);
    expect(() => loadConfig({ ...base, TWILIO_API_KEYS: 'SKnope:a-long-enough-secret' })).toThrow(/entry 1/);
    expect(() => loadConfig({ ...base, TWILIO_API_KEYS: sid })).toThrow(/secret/);
    expect(() => loadConfig({ ...base, TWILIO_API_KEYS: `${sid}:short` })).toThrow(/at least 16/);
    expect(() => loadConfig({ ...base, TWILIO_API_KEYS: `${sid}:a-long-enough-secret,${sid}:another-long-secret` })).toThrow(/twice/);
    const refusal = (() => {
      try {
        loadConfig({ ...base, TWILIO_API_KEYS: `${sid}:tinysecret` });
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(refusal).toMatch(/at least 16/);
    expect(refusal).not.toContain('tinysecret');
  });
});
