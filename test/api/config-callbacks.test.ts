import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startServerProcess } from '../helpers/server-process.js';

const ENV = { TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), TWILIO_AUTH_TOKEN: 'secret' };

describe('CALLBACK_ALLOWED_NETWORKS', () => {
  // The policy is only asked about these addresses here: nothing is ever sent to them. Addresses off loopback are
  // asked about as addresses, never as URLs a request could be made to.
  it('admits public addresses only when unset or empty', () => {
    for (const env of [ENV, { ...ENV, CALLBACK_ALLOWED_NETWORKS: '' }]) {
      const { callbackUrls } = loadConfig(env);
      expect(callbackUrls.entries).toEqual([]);
      expect(callbackUrls.refusalOfUrl('http://127.0.0.1:3000/hook')).not.toBeNull();
      expect(callbackUrls.refusalOfUrl('http://localhost:3000/hook')).not.toBeNull();
      expect(callbackUrls.refusalOfAddress('10.0.0.1')).not.toBeNull();
      expect(callbackUrls.refusalOfUrl('https://hooks.example.com/hook')).toBeNull();
    }
  });

  it('admits the networks and host names it lists', () => {
    const { callbackUrls } = loadConfig({ ...ENV, CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8,::1,localhost,10.1.0.0/16,hooks.internal' });
    expect(callbackUrls.refusalOfUrl('http://127.0.0.1:3000/hook')).toBeNull();
    expect(callbackUrls.refusalOfAddress('10.1.2.3')).toBeNull();
    expect(callbackUrls.refusalOfAddress('10.9.9.9', 'hooks.internal')).toBeNull();
    expect(callbackUrls.refusalOfAddress('169.254.169.254')).not.toBeNull();
  });

  it('stops start-up on a bad entry, naming the variable and the entry', () => {
    expect(() => loadConfig({ ...ENV, CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8,10.0.0.0/40' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...ENV, CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8,10.0.0.0/40' })).toThrow(
      'CALLBACK_ALLOWED_NETWORKS: "10.0.0.0/40" has a prefix length that is not 0–32',
    );
    expect(() => loadConfig({ ...ENV, CALLBACK_ALLOWED_NETWORKS: '169.254.169.254' })).toThrow(
      'CALLBACK_ALLOWED_NETWORKS: "169.254.169.254" covers link-local addresses, which callbacks may never reach',
    );
  });
});

describe('a server started with CALLBACK_ALLOWED_NETWORKS', () => {
  const env = { TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };

  it('empty refuses loopback callback URLs at the API and accepts public ones', async () => {
    const server = await startServerProcess({ ...env, CALLBACK_ALLOWED_NETWORKS: '' });
    try {
      const workspaces = server.client.taskrouter.v1.workspaces;
      await expect(workspaces.create({ friendlyName: 'Loopback', eventCallbackUrl: 'http://127.0.0.1:9/hook' })).rejects.toMatchObject({
        status: 400,
        code: 20001,
        message: 'EventCallbackUrl points at 127.0.0.1, a loopback address not in the callback allow-list',
      });
      expect((await workspaces.list()).length).toBe(0);
      // Accepted, and never called: the filter names an event this test does not make, so no callback leaves loopback.
      const ws = await workspaces.create({ friendlyName: 'Public', eventCallbackUrl: 'https://hooks.example.com/events', eventsFilter: 'task.deleted' });
      expect(ws.eventCallbackUrl).toBe('https://hooks.example.com/events');
    } finally {
      await server.stop();
    }
  });

  it('refuses to start on a bad entry, naming it', async () => {
    await expect(startServerProcess({ ...env, CALLBACK_ALLOWED_NETWORKS: '127.0.0.0/8,169.254.0.0/16' })).rejects.toThrow(
      /Configuration error: CALLBACK_ALLOWED_NETWORKS: "169\.254\.0\.0\/16" covers link-local addresses/,
    );
  });
});
