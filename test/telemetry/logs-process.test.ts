import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { deploymentCredentials, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** Until `probe` holds of the process's output (checked every 20 ms, for at most 10 s). */
async function untilOutput(server: ServerProcess, probe: (output: string) => boolean, what: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    if (probe(server.output())) return server.output();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} never showed in the output:\n${server.output()}`);
}

/** An SMS webhook to a number nobody configured: answered, and logged as a warning. */
async function smsToNowhere(server: ServerProcess, authToken: string, messageSid: string): Promise<void> {
  // Without PUBLIC_URL the server names itself after its port, on localhost; Twilio signs that URL.
  const url = `http://localhost:${new URL(server.url).port}/webhooks/sms`;
  const params = { MessageSid: messageSid, From: '+15550001111', To: '+15559990000', Body: 'hi', NumMedia: '0' };
  const res = await fetch(`${server.url}/webhooks/sms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(authToken, url, params) },
    body: new URLSearchParams(params).toString(),
  });
  expect(res.status).toBe(200);
}

describe('the log of a server process', () => {
  const env = { info: deploymentCredentials(), warn: deploymentCredentials() };
  let info: ServerProcess;
  let warn: ServerProcess;
  beforeAll(async () => {
    [info, warn] = await Promise.all([startServerProcess(env.info), startServerProcess({ ...env.warn, LOG_LEVEL: 'warn' })]);
  });
  afterAll(async () => {
    await Promise.all([info?.stop(), warn?.stop()]);
  });

  it('is one JSON object a line on a pipe, the start-up banner and an access line per request among them', async () => {
    const res = await fetch(`${info.url}/v1/Workspaces`, { headers: { 'X-Request-Id': 'probe-1' } });
    expect(res.status).toBe(401);
    const output = await untilOutput(info, (out) => out.includes('"request_id":"probe-1"'), 'the access line');
    const lines = output
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(lines.find((line) => String(line.msg).includes('listening on port'))).toMatchObject({ level: 'info', port: Number(new URL(info.url).port) });
    expect(lines.find((line) => line.request_id === 'probe-1')).toMatchObject({
      level: 'info',
      msg: 'request completed',
      method: 'GET',
      url: '/v1/Workspaces',
      status: 401,
      pid: info.child.pid,
    });
  });

  it('with LOG_LEVEL=warn, writes warnings and the banner but no access lines', async () => {
    expect(warn.output()).toMatch(/listening on port/);
    await fetch(`${warn.url}/v1/Workspaces`);
    await fetch(`${warn.url}/healthz`);
    await smsToNowhere(warn, env.warn.TWILIO_AUTH_TOKEN, 'SM' + '1'.repeat(32));
    // Lines are written in order: once the webhook's warning is out, any access line of the requests before it would be.
    const output = await untilOutput(warn, (out) => out.includes('SM' + '1'.repeat(32)), 'the warning');
    expect(output).toContain('SMS ignored: the number is not configured');
    expect(output).not.toContain('request completed');
    const infos = output
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .filter((line) => line.level === 'info');
    expect(infos.map((line) => line.msg)).toEqual([expect.stringMatching(/^Switchboard TaskRouter API listening on port \d+/)]);
  });
});

describe('the log of a server process that stops', () => {
  it('holds every line, those still gathered when SIGTERM came included', async () => {
    const server = await startServerProcess(deploymentCredentials());
    try {
      // Lines are gathered for a moment before they are written; the stop comes right after the last request.
      for (let i = 0; i < 25; i++) await fetch(`${server.url}/v1/Workspaces`, { headers: { 'X-Request-Id': `burst-${i}` } });
    } finally {
      await server.stop();
    }
    const ids = server
      .output()
      .trim()
      .split('\n')
      .map((text) => (JSON.parse(text) as Record<string, unknown>).request_id)
      .filter((id) => typeof id === 'string' && id.startsWith('burst-'));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `burst-${i}`));
  });
});

describe('LOG_LEVEL and LOG_FORMAT', () => {
  it('are read case-insensitively, with info and auto by default', () => {
    expect(loadConfig({})).toMatchObject({ logLevel: 'info', logFormat: 'auto' });
    expect(loadConfig({ LOG_LEVEL: 'DEBUG', LOG_FORMAT: 'Pretty' })).toMatchObject({ logLevel: 'debug', logFormat: 'pretty' });
    expect(loadConfig({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json' })).toMatchObject({ logLevel: 'silent', logFormat: 'json' });
  });

  it('refuse anything else, naming the variable and its values', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent/);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be one of json, pretty, auto/);
  });
});
