import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import { startTwilioSim, type SimCall, type TwilioSim } from '../twilio-sim/index.js';
import { addWorker, callerWaiting } from './flow-helpers.js';
import { eventually, pendingReservation, startConnectorServer, type ConnectorServer } from './harness.js';

/**
 * A caller offered to a browser agent who cannot take them keeps their place: they are not taken out of their queue
 * toward an agent with no audio socket open, and a caller who has to be put back in line carries on hearing their
 * announcements where they left off rather than as a new caller.
 */
const accountSid = 'AC' + randomBytes(16).toString('hex');
const authToken = randomBytes(16).toString('hex');
const NEXT_IN_LINE = /You are next in line/;
let sim: TwilioSim;

beforeAll(async () => {
  sim = await startTwilioSim({ accountSid, authToken, clockSpeed: 100, mediaFrameIntervalMs: 0 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  expect(sim.errors).toEqual([]);
  expect(sim.warnings).toEqual([]);
});

/** A caller waiting in line on `server`, with a worker whose contact is the browser agent `name`, reserved for it. */
async function callerForBrowserAgent(server: ConnectorServer, name: string) {
  return callerWaiting(sim, server, name, { attributes: { contact_uri: `stream:${name}` }, number: { announce_every_seconds: 600 } });
}

const memberUpdates = (call: SimCall) => sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/Members/${call.sid}.json`));

function openAgentAudio(server: ConnectorServer, name: string): Promise<WebSocket> {
  const basic = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64');
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/Connector/AgentAudio?Identity=${name}`, { headers: { Authorization: basic } });
  return new Promise((resolve, reject) => {
    ws.once('message', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('a browser agent with no audio socket open (memory store)', () => {
  let server: ConnectorServer;
  beforeAll(async () => {
    server = await startConnectorServer({ accountSid, authToken, twilioApiBaseUrl: sim.url, startEngine: true });
  });
  afterAll(async () => {
    await server.close();
  });

  it('is passed over at once: the reservation is rejected and the caller never leaves their queue', async () => {
    const name = `gone${randomBytes(2).toString('hex')}`;
    const { center, call, task, reservation } = await callerForBrowserAgent(server, name);
    const queueSid = call.requests('wait-url')[0]!.params.QueueSid;

    const answered = await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(task.sid)
      .reservations(reservation.sid)
      .update({ instruction: 'dequeue' });
    expect(answered.reservationStatus).toBe('rejected');
    expect(memberUpdates(call)).toEqual([]);
    expect(call.events.filter((e) => e.type === 'queue' && e.phase === 'leave')).toEqual([]);
    expect(call.ended).toBe(false);
    expect(sim.queue(task.sid)?.sid).toBe(queueSid);

    // The next agent gets the task; the caller still waits in the same queue, as the first in line.
    const backup = `backup${randomBytes(2).toString('hex')}`;
    sim.agent(`client:${backup}`, { answer: 'auto', afterMs: 200 });
    const next = await addWorker(server, center, backup, true);
    const offered = await pendingReservation(server, center, task.sid, next.sid);
    await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations(offered.sid).update({ instruction: 'dequeue' });
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');
    expect(call.events.filter((e) => e.type === 'queue' && e.phase === 'enter')).toHaveLength(1);
    call.hangUp();
    await call.finished;
    await sim.quiesce();
  });
});

describe('a browser agent connected to another instance than the one the stream reaches (Redis)', () => {
  const prefix = uniquePrefix();
  let one: ConnectorServer;
  let two: ConnectorServer;
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    one = await startConnectorServer({
      accountSid,
      authToken,
      twilioApiBaseUrl: sim.url,
      startEngine: true,
      store: await RedisStore.connect(testRedisUrl(), { prefix }),
    });
    two = await startConnectorServer({
      accountSid,
      authToken,
      twilioApiBaseUrl: sim.url,
      startEngine: true,
      store: await RedisStore.connect(testRedisUrl(), { prefix }),
    });
  });
  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await one.close();
    await two.close();
    await removeKeys(prefix);
  });

  it('puts the caller back in line without starting their announcements over', async () => {
    const name = `far${randomBytes(2).toString('hex')}`;
    sockets.push(await openAgentAudio(one, name));
    // Every instance knows the agent is connected somewhere.
    await eventually(() => two.connector.media.agents.reachable(name), 'the agent seen from the other instance');
    const { center, call, task, reservation } = await callerForBrowserAgent(one, name);
    expect(call.requests('wait-url')[0]!.body).toMatch(NEXT_IN_LINE);

    // The instruction is carried out by the instance whose stream URL the caller is sent to: no agent there.
    await two.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations(reservation.sid).update({ instruction: 'dequeue' });
    const back = await call.waitForRequest('connect-action');
    await eventually(async () => (await one.engine.store.get(center.workspaceSid, 'reservation', reservation.sid))?.status === 'rejected', 'the rejection');
    await call.waitFor((e) => e.type === 'request' && e.purpose === 'wait-url' && e.seq > back.seq);

    // Back in line, the first hold document is music or silence only: no "you are next in line" as if new.
    const holdsAfter = call.requests('wait-url').filter((r) => r.seq > back.seq);
    expect(holdsAfter[0]!.body).not.toMatch(NEXT_IN_LINE);
    expect(holdsAfter[0]!.body).not.toMatch(/<Say/);
    expect(call.ended).toBe(false);
    expect((await one.engine.store.get(center.workspaceSid, 'task', task.sid))!.assignmentStatus).toMatch(/pending|reserved/);
    call.hangUp();
    await call.finished;
    await sim.quiesce();
  });
});
