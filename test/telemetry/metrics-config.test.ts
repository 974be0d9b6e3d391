import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('metrics settings', () => {
  it('serve /metrics on the API port only by default; METRICS_PORT adds a port bound to loopback unless METRICS_HOST says', () => {
    expect(loadConfig({})).toMatchObject({ metricsPort: null, metricsHost: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' })).toMatchObject({ metricsPort: 9464, metricsHost: '10.0.0.5' });
    expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
  });

  it('refuse a METRICS_PORT that is not a port number', () => {
    for (const METRICS_PORT of ['metrics', '-1', '1.5', '70000']) expect(() => loadConfig({ METRICS_PORT })).toThrow(ConfigError);
  });
});
