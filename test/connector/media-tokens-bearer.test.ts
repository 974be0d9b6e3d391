import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { raw } from '../helpers/http.js';
import { SIGNING_KEY, sdkToken } from '../realtime/sdk-helpers.js';
import { startTwilioSim, type TwilioSim } from '../twilio-sim/index.js';
import { addWorker, callerWaiting } from './flow-helpers.js';
import { createCallCenter, startConnectorServer, taskIn, type CallCenter, type ConnectorServer } from './harness.js';

/**
 * Media tokens for pages signed in with a TaskRouter token (`Bearer`): an agent's worker token gets its own browser
 * audio only, a supervisor's admin token listening to its own workspace's calls only; every other ask is a 403 in
 * Twilio's format, and a refused token opens nothing.
 */
const accountSid = 'AC' + randomBytes(16).toString('hex');
const authToken = randomBytes(16).toString('hex');
let sim: TwilioSim;
let server: ConnectorServer;
let center: CallCenter;
let other: CallCenter;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  sim = await startTwilioSim({ accountSid, authToken, clockSpeed: 100, mediaFrameIntervalMs: 0 });
  server = await startConnectorServer({ accountSid, authToken, twilioApiBaseUrl: sim.url, startEngine: true, apiKeys: [SIGNING_KEY] });
  center = await createCallCenter(server);
  other = await createCallCenter(server);
});
afterAll(async () => {
  await sim.close();
  await server.close();
});
afterEach(() => {
  for (const ws of sockets.splice(0)) ws.terminate();
  expect(sim.errors).toEqual([]);
});

/** POSTs to the media token endpoint with `Authorization: Bearer <token>`. */
function ask(token: string, form: Record<string, string>) {
  return raw(server, 'POST', '/v1/Connector/MediaTokens', { form, auth: false, headers: { Authorization: `Bearer ${token}` } });
}

/** The first message on a socket opened at `url`, or the HTTP status its upgrade was refused with. */
function firstMessage(url: string): Promise<Record<string, unknown> | number> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  ws.on('error', () => {});
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
  });
}

const refusal = (message: RegExp) => ({
  status: 403,
  body: { status: 403, code: expect.any(Number), message: expect.stringMatching(message), more_info: expect.any(String) },
});

describe('media tokens for a worker token', () => {
  it("gives the worker its own browser audio, deriving the identity from its contact_uri, and opens the agent's socket", async () => {
    const name = `ana${randomBytes(2).toString('hex')}`;
    const worker = await addWorker(server, center, name, false, { contact_uri: `stream:${name}` });
    const token = sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: worker.sid, role: 'worker' });

    const derived = await ask(token, {});
    expect(derived.status).toBe(201);
    expect(derived.body).toMatchObject({ identity: name, task_sid: null, ttl: 3600 });
    expect(derived.body.url).toBe(
      `${server.url.replace(/^http/, 'ws')}/v1/Connector/AgentAudio?Identity=${name}&Token=${encodeURIComponent(derived.body.token)}`,
    );
    expect(await firstMessage(derived.body.url)).toEqual({ event: 'connected', identity: name });

    const named = await ask(token, { Identity: name, Ttl: '120' });
    expect([named.status, named.body.identity, named.body.ttl]).toEqual([201, name, 120]);
  });

  it("refuses another agent's audio, listening, a worker with no stream: contact, and bad input — in Twilio's format", async () => {
    const name = `ben${randomBytes(2).toString('hex')}`;
    const worker = await addWorker(server, center, name, false, { contact_uri: `stream:${name}` });
    const token = sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: worker.sid, role: 'worker' });
    expect(await ask(token, { Identity: 'someone-else' })).toMatchObject(refusal(/as '.+' only/));
    expect(await ask(token, { TaskSid: 'WT' + 'a'.repeat(32) })).toMatchObject(refusal(/admin role/));
    expect((await ask(token, { Ttl: '5' })).status).toBe(400);

    const phone = await addWorker(server, center, `cal${randomBytes(2).toString('hex')}`, false);
    const phoneToken = sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: phone.sid, role: 'worker' });
    expect(await ask(phoneToken, {})).toMatchObject(refusal(/contact_uri is not stream:<identity>/));

    const forged = sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: worker.sid, role: 'worker' }).slice(0, -4) + 'AAAA';
    const unsigned = await ask(forged, {});
    expect(unsigned.status).toBe(401);
    expect(unsigned.body).toMatchObject({ status: 401, code: expect.any(Number) });
  });
});

describe('media tokens for an admin token', () => {
  it('gives a supervisor a listening token for a live call of its workspace, whose socket hears the call', async () => {
    const name = `dee${randomBytes(2).toString('hex')}`;
    sim.agent(`client:${name}`, { answer: 'auto', afterMs: 200 });
    const waiting = await callerWaiting(sim, server, name);
    await server.client.taskrouter.v1
      .workspaces(waiting.center.workspaceSid)
      .tasks(waiting.task.sid)
      .reservations(waiting.reservation.sid)
      .update({ instruction: 'dequeue' });
    await taskIn(server, waiting.center, waiting.task.sid, 'assigned');
    await waiting.call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');

    const supervisor = sdkToken(server, { workspaceSid: waiting.center.workspaceSid, role: 'admin' });
    const issued = await ask(supervisor, { TaskSid: waiting.task.sid });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ identity: null, task_sid: waiting.task.sid });
    expect(await firstMessage(issued.body.url)).toEqual({ event: 'connected', taskSid: waiting.task.sid });

    // Another workspace's supervisor may not listen to it, nor may any admin take calls as an agent.
    const stranger = sdkToken(server, { workspaceSid: other.workspaceSid, role: 'admin' });
    expect(await ask(stranger, { TaskSid: waiting.task.sid })).toMatchObject(refusal(/not a task of workspace/));
    expect(await ask(supervisor, { Identity: name })).toMatchObject(refusal(/not take them/));
    expect((await ask(supervisor, {})).status).toBe(400);
    waiting.call.hangUp();
    await waiting.call.finished;
    await sim.quiesce();
  });

  it('still serves the account with Basic auth, and refuses requests without credentials', async () => {
    const basic = await raw(server, 'POST', '/v1/Connector/MediaTokens', { form: { Identity: 'zed' } });
    expect([basic.status, basic.body.identity]).toEqual([201, 'zed']);
    const none = await raw(server, 'POST', '/v1/Connector/MediaTokens', { form: { Identity: 'zed' }, auth: false });
    expect(none.status).toBe(401);
  });
});
