import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'twilio-taskrouter';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { readyWorker, SIGNING_KEY, until } from '../realtime/sdk-helpers.js';
import { basic, parseExposition, scrape, total } from './metrics-exposition.js';

describe('/metrics on the API port', () => {
  let server: TestServer;
  let ws: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    server = await startServer({ metrics: true, apiKeys: [SIGNING_KEY], bridge: { bootstrapSettleMs: 20, maxHoldMs: 1000 } });
    ws = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Metrics' })).sid;
  });
  afterAll(async () => {
    for (const worker of workers) worker.disconnect();
    await server.close();
  });

  it("answers 401 in Twilio's error format without credentials, or with wrong ones", async () => {
    for (const headers of [{}, { Authorization: basic(server.accountSid, 'wrong') }] as Array<Record<string, string>>) {
      const res = await fetch(`${server.url}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      expect(await res.json()).toMatchObject({ code: 20003, status: 401, more_info: expect.stringContaining('20003') });
    }
  });

  it('takes an API key as the REST API does, and answers the Prometheus text format with process figures', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: basic(SIGNING_KEY.sid, SIGNING_KEY.secret) } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(await res.text());
    expect(samples.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);
    expect(total(samples, 'switchboard_store_figures_up')).toBe(1);
  });

  it('times each request under its route template, never under a path segment the client chose', async () => {
    const auth = { Authorization: basic(server.accountSid, server.authToken) };
    expect((await fetch(`${server.url}/v1/Workspaces/${ws}/Tasks`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${server.url}/v1/Workspaces/no-such-workspace/Tasks`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${server.url}/no/such/path`)).status).toBe(404);
    const samples = (await scrape(`${server.url}/metrics`, auth.Authorization)).filter((s) => s.name === 'http_server_request_duration_seconds_count');
    const count = (http_route: string, status: string) =>
      total(samples, 'http_server_request_duration_seconds_count', { http_route, http_response_status_code: status });
    expect(count('/v1/Workspaces/:ws/Tasks', '200')).toBe(1);
    expect(count('/v1/Workspaces/:ws/Tasks', '404'), JSON.stringify(samples.map((s) => s.labels))).toBe(1);
    expect(count('(unmatched)', '404')).toBeGreaterThanOrEqual(1);
    expect(samples.filter((s) => /no-such|\/no\//.test(s.labels.http_route ?? ''))).toEqual([]);
  });

  it('counts the worker event bridge sessions connected to this process', async () => {
    const auth = basic(server.accountSid, server.authToken);
    const worker = (await server.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: 'alice' })).sid;
    const sdk = await readyWorker(server, ws, worker);
    workers.push(sdk);
    expect(total(await scrape(`${server.url}/metrics`, auth), 'switchboard_agent_sessions', { workspace_sid: ws })).toBe(1);
    sdk.disconnect();
    await until(async () => total(await scrape(`${server.url}/metrics`, auth), 'switchboard_agent_sessions', { workspace_sid: ws }) === 0, 'the session gone');
  });
});

describe('the server process: METRICS_PORT, webhooks and callbacks', () => {
  const accountSid = 'AC' + randomBytes(16).toString('hex');
  const authToken = randomBytes(16).toString('hex');
  let server: ServerProcess;
  let receiver: Receiver;
  let metricsUrl: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startServerProcess({ TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, METRICS_PORT: '0', DATA_DIR: 'off' });
    await until(() => /Prometheus metrics on (http:\/\/[^\s"]+)/.test(server.output()), 'the metrics port');
    metricsUrl = /Prometheus metrics on (http:\/\/[^\s"]+)/.exec(server.output())![1]!;
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('serves /metrics without credentials on METRICS_PORT, bound to loopback by default, and still asks for them on the API port', async () => {
    expect(new URL(metricsUrl).hostname).toBe('127.0.0.1');
    expect(total(await scrape(metricsUrl), 'switchboard_store_figures_up')).toBe(1);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(new URL('/v1/Workspaces', metricsUrl))).status).toBe(404);
  });

  it("times Twilio's webhooks by route", async () => {
    const path = '/webhooks/sms/status';
    const params = { MessageSid: 'SM' + randomBytes(16).toString('hex'), MessageStatus: 'delivered' };
    // Signed as Twilio signs: the public URL (localhost on the port bound, when PUBLIC_URL is unset) and the form.
    const signature = twilio.getExpectedTwilioSignature(authToken, `http://localhost:${new URL(server.url).port}${path}`, params);
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'X-Twilio-Signature': signature }, body: new URLSearchParams(params) });
    expect(res.status).toBeLessThan(300);
    const samples = await scrape(metricsUrl);
    expect(total(samples, 'switchboard_webhook_duration_seconds_count', { http_route: path })).toBe(1);
    expect(total(samples, 'http_server_request_duration_seconds_count', { http_route: path, http_request_method: 'POST' })).toBe(1);
  });

  it('counts callback deliveries and failed attempts', async () => {
    receiver.answer('/events', { status: 204 });
    receiver.script('/events', { status: 500 });
    await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Callbacks', eventCallbackUrl: receiver.url('/events') });
    // The workspace's events go to the receiver; the first attempt fails and is tried again.
    const delivered = async () => total(await scrape(metricsUrl), 'switchboard_callback_deliveries_total', { callback: 'event', outcome: 'delivered' });
    const answered = () => receiver.at('/events').length - 1;
    await until(async () => answered() >= 1 && (await delivered()) === answered(), 'every answered delivery counted');
    expect(total(await scrape(metricsUrl), 'switchboard_callback_deliveries_total', { callback: 'event', outcome: 'retried' })).toBe(1);
  });
});
