import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), TWILIO_AUTH_TOKEN: 'token' };

describe('voice connector environment', () => {
  it('reads the configuration file path, token key pair and TwiML App', () => {
    const config = loadConfig({
      ...base,
      PUBLIC_URL: 'https://sb.example',
      CONNECTOR_CONFIG: '/etc/switchboard/connector.json',
      TWILIO_API_KEY_SID: 'SK' + 'b'.repeat(32),
      TWILIO_API_KEY_SECRET: 'secret',
      TWIML_APP_SID: 'AP' + 'c'.repeat(32),
    });
    expect(config).toMatchObject({
      publicUrlConfigured: true,
      connectorConfigPath: '/etc/switchboard/connector.json',
      twilioApiKeySid: 'SK' + 'b'.repeat(32),
      twilioApiKeySecret: 'secret',
      twimlAppSid: 'AP' + 'c'.repeat(32),
    });
  });

  it('leaves them unset by default, and knows PUBLIC_URL was not given', () => {
    expect(loadConfig(base)).toMatchObject({ publicUrlConfigured: false, connectorConfigPath: null, twilioApiKeySid: null, twimlAppSid: null });
  });

  it('refuses half a key pair and malformed sids', () => {
    expect(() => loadConfig({ ...base, TWILIO_API_KEY_SID: 'SK' + 'b'.repeat(32) })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, TWILIO_API_KEY_SID: 'nope', TWILIO_API_KEY_SECRET: 's' })).toThrow(/TWILIO_API_KEY_SID/);
    expect(() => loadConfig({ ...base, TWIML_APP_SID: 'AP1' })).toThrow(/TWIML_APP_SID/);
  });
});
