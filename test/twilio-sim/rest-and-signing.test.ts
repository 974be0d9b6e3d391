import { afterEach, describe, expect, it } from 'vitest';
import { credentials, simClient, simWithApp, voiceResponse } from './fixtures.js';
import { startTwilioSim, type TwilioSim } from './index.js';

let sim: TwilioSim | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await sim?.close();
  await cleanup?.();
  sim = undefined;
  cleanup = undefined;
});

async function raw(path: string, init: RequestInit & { auth?: string } = {}) {
  const res = await fetch(sim!.url + path, {
    ...init,
    headers: {
      ...(init.auth !== undefined && { Authorization: `Basic ${Buffer.from(init.auth).toString('base64')}` }),
      'Content-Type': 'application/x-www-form-urlencoded',
    },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('REST API', () => {
  it('answers in Twilio error format: 401 bad credentials, 404 unknown SIDs and paths, 400 missing parameters', async () => {
    sim = await startTwilioSim(credentials());
    const base = `/2010-04-01/Accounts/${sim.accountSid}`;
    const auth = `${sim.accountSid}:${sim.authToken}`;

    const noAuth = await raw(`${base}/Calls.json`);
    expect(noAuth).toEqual({
      status: 401,
      body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 },
    });
    expect((await raw(`${base}/Queues.json`, { auth: `${sim.accountSid}:wrong` })).status).toBe(401);

    const missingCall = await raw(`${base}/Calls/CA${'0'.repeat(32)}.json`, { auth });
    expect(missingCall.status).toBe(404);
    expect(missingCall.body).toMatchObject({ code: 20404, status: 404 });
    expect(missingCall.body.message).toContain(`/Calls/CA${'0'.repeat(32)}.json`);
    expect((await raw(`${base}/Nope.json`, { auth })).body).toMatchObject({ code: 20404, status: 404 });
    expect((await raw(`/2010-04-01/Accounts/AC${'1'.repeat(32)}/Calls.json`, { auth })).status).toBe(404);

    const noTo = await raw(`${base}/Calls.json`, { method: 'POST', auth, body: 'From=%2B15550001111&Url=https%3A%2F%2Fx%2Fy' });
    expect(noTo).toMatchObject({ status: 400, body: { code: 21201, status: 400 } });
    const noUrl = await raw(`${base}/Calls.json`, { method: 'POST', auth, body: 'To=%2B15550001111&From=%2B15550002222' });
    expect(noUrl.body).toMatchObject({ code: 21205, status: 400 });
    const noName = await raw(`${base}/Queues.json`, { method: 'POST', auth, body: '' });
    expect(noName.status).toBe(400);

    // Every request is on record, failures included.
    expect(sim.requests.map((r) => r.status)).toEqual([401, 401, 404, 404, 404, 400, 400, 400]);
    expect(sim.requests[5]!.params).toEqual({ From: '+15550001111', Url: 'https://x/y' });
  });

  it('serves Queues, Members and Calls in the shapes twilio-node reads, with paging', async () => {
    sim = await startTwilioSim(credentials());
    const client = simClient(sim);
    const created = await client.queues.create({ friendlyName: 'support', maxSize: 25 });
    expect(created).toMatchObject({ friendlyName: 'support', maxSize: 25, currentSize: 0, averageWaitTime: 0 });
    expect(created.sid).toMatch(/^QU[0-9a-f]{32}$/);
    expect(created.dateCreated).toBeInstanceOf(Date);
    await client.queues.create({ friendlyName: 'sales' });
    await client.queues.create({ friendlyName: 'billing' });

    const all = await client.queues.list({ pageSize: 2 });
    expect(all.map((q) => q.friendlyName).sort()).toEqual(['billing', 'sales', 'support']);
    // One list call fetched two pages by following next_page_uri.
    expect(sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/Queues.json'))).toHaveLength(2);

    const updated = await client.queues(created.sid).update({ maxSize: 50 });
    expect(updated.maxSize).toBe(50);
    const fetched = await client.queues(created.sid).fetch();
    expect(fetched.maxSize).toBe(50);
    await expect(client.queues.create({ friendlyName: 'support' })).rejects.toMatchObject({ status: 400 });
    await expect(client.queues(created.sid).members('Front').fetch()).rejects.toMatchObject({
      status: 404,
      code: 20404,
      moreInfo: 'https://www.twilio.com/docs/errors/20404',
    });
    await expect(client.queues(`QU${'f'.repeat(32)}`).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(await client.queues(created.sid).remove()).toBe(true);
    expect(sim.queue('support')).toBeUndefined();
  });

  it('rejects a client using the wrong token the way Twilio does', async () => {
    sim = await startTwilioSim(credentials());
    const client = simClient(sim, 'not-the-token');
    await expect(client.calls.list()).rejects.toMatchObject({ status: 401, code: 20003 });
  });
});

describe('webhook signing', () => {
  it('signs exactly the URL requested, query string included, for POST and GET', async () => {
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => r.redirect({ method: 'GET' }, '/step?b=2&a=1&name=J%C3%BCrgen')),
      );
      app.get(
        '/step',
        voiceResponse((r) => r.hangup()),
      );
    });
    cleanup = env.close;
    const call = env.sim.inboundCall({
      from: '+14155550100',
      to: '+12125550199',
      webhookUrl: `${env.app.url}/voice?tenant=acme&x=%20y`,
    });
    await call.finished;
    expect(env.app.received.map((r) => [r.method, r.path, r.signatureValid])).toEqual([
      ['POST', '/voice', true],
      ['GET', '/step', true],
    ]);
    expect(env.app.at('/step')[0]!.params).toMatchObject({ a: '1', b: '2', name: 'Jürgen', CallSid: call.sid });
  });

  it('forges unsigned and wrongly signed requests for negative tests', async () => {
    const env = await simWithApp((app) => {
      app.post('/hook', (_req, res) => res.status(204).end());
      app.get('/hook', (_req, res) => res.status(204).end());
    });
    cleanup = env.close;
    const url = `${env.app.url}/hook?x=1`;
    const params = { CallSid: `CA${'a'.repeat(32)}`, CallStatus: 'completed' };
    expect((await env.sim.forge({ url, params, signature: 'valid' })).status).toBe(204);
    expect((await env.sim.forge({ url, params, signature: 'missing' })).status).toBe(403);
    expect((await env.sim.forge({ url, params, signature: 'wrong-token' })).status).toBe(403);
    expect((await env.sim.forge({ url, params, signature: 'tampered' })).status).toBe(403);
    expect((await env.sim.forge({ url, params, signature: { value: 'bm9wZQ==' } })).status).toBe(403);
    expect((await env.sim.forge({ url, method: 'GET', params, signature: 'valid' })).status).toBe(204);
    expect((await env.sim.forge({ url, method: 'GET', params, signature: 'tampered' })).status).toBe(403);
    expect(env.app.received.map((r) => r.signatureValid)).toEqual([true, false, false, false, false, true, false]);
  });
});
