import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import WebSocket from 'ws';
import { bindingParameters } from '../../src/connector/media/stream-binding.js';
import { raw } from '../helpers/http.js';
import { FRAME_BYTES, startTwilioSim, type MediaStreamClient, type SimCall, type TwilioSim } from '../twilio-sim/index.js';
import { addWorker, callerWaiting, configureNumber } from './flow-helpers.js';
import {
  createCallCenter,
  eventually,
  pendingReservation,
  randomCaller,
  startConnectorServer,
  taskIn,
  type CallCenter,
  type ConnectorServer,
} from './harness.js';

/**
 * Media Streams end to end against the Twilio simulator: supervisors listening to a bridged call (a fork started
 * through the REST Streams resource), browser agents bridged to callers over `<Connect><Stream>`, and the checks on
 * what may open a media socket. Frames are pushed by hand (no pacing), so every count below is exact.
 */
const accountSid = 'AC' + randomBytes(16).toString('hex');
const authToken = randomBytes(16).toString('hex');
let sim: TwilioSim;
let server: ConnectorServer;
let wsBase: string;
const sockets: Probe[] = [];

beforeAll(async () => {
  sim = await startTwilioSim({ accountSid, authToken, clockSpeed: 100, mediaFrameIntervalMs: 0 });
  server = await startConnectorServer({ accountSid, authToken, twilioApiBaseUrl: sim.url, startEngine: true });
  wsBase = server.url.replace(/^http/, 'ws');
});
afterAll(async () => {
  await sim.close();
  await server.close();
});
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.ws.terminate();
  expect(sim.errors).toEqual([]);
  expect(sim.warnings).toEqual([]);
});

const basic = () => ({ Authorization: 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64') });

/** A WebSocket client that keeps every JSON message it receives and how it was closed. */
class Probe {
  readonly messages: Record<string, any>[] = [];
  closed: { code: number; reason: string } | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as Record<string, any>));
    ws.on('close', (code, reason) => (this.closed = { code, reason: String(reason) }));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<Probe> {
    const probe = new Probe(new WebSocket(url, { headers }));
    sockets.push(probe);
    return new Promise((resolve, reject) => {
      probe.ws.once('open', () => resolve(probe));
      probe.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      probe.ws.once('error', reject);
    });
  }

  /** The HTTP status an upgrade is refused with. */
  static refused(url: string, headers: Record<string, string> = {}): Promise<number> {
    const ws = new WebSocket(url, { headers });
    // Giving up on a refused upgrade is reported as an error; it is the expected outcome here.
    ws.on('error', () => {});
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('open', () => reject(new Error('the upgrade was accepted')));
    });
  }

  of(event: string): Record<string, any>[] {
    return this.messages.filter((m) => m.event === event);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  until(what: string, predicate: () => boolean): Promise<true> {
    return eventually(() => predicate() || undefined, what);
  }

  whenClosed(): Promise<{ code: number; reason: string }> {
    return eventually(() => this.closed ?? undefined, 'the socket to close');
  }
}

/** `count` frames of recognisable μ-law: frame i is filled with byte (seed + i). */
function audio(count: number, seed: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, (_, i) => Buffer.alloc(FRAME_BYTES, (seed + i) & 0xff)));
}

function payloads(messages: Record<string, any>[], track: string): Buffer[] {
  return messages.filter((m) => m.event === 'media' && m.media.track === track).map((m) => Buffer.from(m.media.payload as string, 'base64'));
}

async function instruct(center: CallCenter, taskSid: string, reservationSid: string, params: Record<string, unknown>) {
  await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(taskSid).reservations(reservationSid).update(params);
}

function streamOf(call: SimCall, match: (s: MediaStreamClient) => boolean): Promise<MediaStreamClient> {
  return eventually(() => call.streams.find((s) => match(s) && s.open), 'the media stream');
}

/** A caller waiting in line on a fresh call center, with a worker named `agent` (contact `contact`) reserved for it. */
async function waitingCaller(agent: string, contact: string) {
  return callerWaiting(sim, server, agent, { attributes: { contact_uri: contact } });
}

describe('supervisor listening', () => {
  it('forks a bridged call to us while supervisors listen: every caller frame, in order, to each; stopped when they leave', async () => {
    const name = `ann${randomBytes(2).toString('hex')}`;
    sim.agent(`client:${name}`, { answer: 'auto', afterMs: 200 });
    const { center, call, task, reservation } = await waitingCaller(name, `client:${name}`);
    await instruct(center, task.sid, reservation.sid, { instruction: 'dequeue' });
    await taskIn(server, center, task.sid, 'assigned');
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');

    const first = await Probe.open(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}`, basic());
    await first.until('connected', () => first.of('connected').length === 1);
    const fork = await streamOf(call, (s) => s.spec.name === `listen-${task.sid}`);
    expect(fork.spec).toMatchObject({ track: 'both_tracks', bidirectional: false, url: `${wsBase}/webhooks/media` });
    const rest = sim.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${call.sid}/Streams.json`));
    expect(rest?.params).toMatchObject({ Track: 'both_tracks', Name: `listen-${task.sid}`, 'Parameter1.Name': 'purpose', 'Parameter1.Value': 'listen' });
    await first.until('start', () => first.of('start').length === 1);
    expect(first.of('start')[0]).toMatchObject({
      taskSid: task.sid,
      tracks: ['inbound', 'outbound'],
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    });

    // A second supervisor, from a browser: a media token for this task, no Basic auth.
    const issued = await raw(server, 'POST', '/v1/Connector/MediaTokens', { form: { TaskSid: task.sid, Ttl: '600' } });
    expect(issued.status).toBe(201);
    expect(issued.body.url).toBe(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}&Token=${encodeURIComponent(issued.body.token)}`);
    const second = await Probe.open(issued.body.url as string);
    await second.until('start', () => second.of('start').length === 1);
    expect(sim.requests.filter((r) => r.path.endsWith('/Streams.json'))).toHaveLength(1);

    const caller = audio(8, 10);
    fork.feed('inbound', caller);
    fork.pushFrames(8);
    for (const listener of [first, second]) {
      await listener.until('eight caller frames', () => payloads(listener.messages, 'inbound').length === 8);
      const frames = payloads(listener.messages, 'inbound');
      expect(frames.every((f) => f.length === 160)).toBe(true);
      expect(Buffer.concat(frames).equals(caller)).toBe(true);
      const inbound = listener.messages.filter((m) => m.event === 'media' && m.media.track === 'inbound');
      expect(inbound.map((m) => m.media.chunk)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
      expect(inbound.map((m) => m.media.timestamp)).toEqual(['0', '20', '40', '60', '80', '100', '120', '140']);
      expect(payloads(listener.messages, 'outbound')).toHaveLength(8);
    }
    expect(server.connector.media.hub.listenerCount(task.sid)).toBe(2);

    // When the last supervisor leaves, the fork is stopped through the REST API.
    second.ws.close();
    await eventually(() => server.connector.media.hub.listenerCount(task.sid) === 1, 'one listener left');
    first.ws.close();
    await eventually(
      () => sim.requests.find((r) => r.path.endsWith(`/Streams/listen-${task.sid}.json`) && r.params.Status === 'stopped'),
      'the fork to be stopped',
    );
    await eventually(() => !fork.open, 'the fork to close');
    await eventually(() => server.connector.media.hub.activeTasks === 0, 'the hub to forget the task');

    // Listening again forks again; the caller hanging up stops the audio, and the listener is told and closed.
    const third = await Probe.open(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}&WorkspaceSid=${center.workspaceSid}`, basic());
    const again = await streamOf(call, (s) => s !== fork && s.spec.name === `listen-${task.sid}`);
    await third.until('start', () => third.of('start').length === 1);
    again.feed('inbound', audio(2, 99));
    again.pushFrames(2);
    await third.until('two frames', () => payloads(third.messages, 'inbound').length === 2);
    call.hangUp();
    await third.until('stop', () => third.of('stop').length === 1);
    expect(await third.whenClosed()).toMatchObject({ code: 1000 });
    await eventually(() => server.connector.media.hub.activeTasks === 0 && server.connector.media.hub.listenerCount(task.sid) === 0, 'listeners cleaned up');
    await taskIn(server, center, task.sid, 'wrapping');
    await sim.quiesce();
  });

  it('refuses listeners without credentials, for another task, or for a call not with an agent', async () => {
    const { center, call, task } = await waitingCaller(`lee${randomBytes(2).toString('hex')}`, 'client:nobody');
    expect(await Probe.refused(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}`)).toBe(401);
    expect(
      await Probe.refused(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}`, {
        Authorization: 'Basic ' + Buffer.from(`${accountSid}:wrong`).toString('base64'),
      }),
    ).toBe(401);
    expect(await Probe.refused(`${wsBase}/v1/Connector/Listen`, basic())).toBe(400);
    const other = await raw(server, 'POST', '/v1/Connector/MediaTokens', { form: { TaskSid: 'WT' + 'a'.repeat(32) } });
    expect(await Probe.refused(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}&Token=${encodeURIComponent(other.body.token)}`)).toBe(403);
    expect(await Probe.refused(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}&Token=not-a-token`)).toBe(401);

    const waiting = await Probe.open(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}`, basic());
    expect(await waiting.whenClosed()).toEqual({ code: 1008, reason: 'the task is not connected to an agent' });
    const unknown = await Probe.open(`${wsBase}/v1/Connector/Listen?TaskSid=WT${'b'.repeat(32)}`, basic());
    expect(await unknown.whenClosed()).toEqual({ code: 1008, reason: 'unknown task' });
    expect(sim.requests.filter((r) => r.path.includes(`/Calls/${call.sid}/Streams`))).toEqual([]);
    call.hangUp();
    await taskIn(server, center, task.sid, 'canceled');
    await sim.quiesce();
  });
});

describe('browser agents over <Connect><Stream>', () => {
  it('a stream: agent takes the caller: audio both ways, marks echoed, supervisors hear both sides, hang-up wraps the task', async () => {
    const name = `bea${randomBytes(2).toString('hex')}`;
    const browser = await Probe.open(`${wsBase}/v1/Connector/AgentAudio?Identity=${name}`, basic());
    await browser.until('connected', () => browser.of('connected').length === 1);
    const { center, call, task, worker, reservation } = await waitingCaller(name, `stream:${name}`);
    await instruct(center, task.sid, reservation.sid, { instruction: 'dequeue', dequeuePostWorkActivitySid: center.wrapUp });

    await browser.until('start', () => browser.of('start').length === 1);
    const stream = await streamOf(call, (s) => s.spec.bidirectional);
    expect(browser.of('start')[0]).toMatchObject({ taskSid: task.sid, reservationSid: reservation.sid, callSid: call.sid, streamSid: stream.streamSid });
    expect(stream.spec.url).toBe(`${wsBase}/webhooks/media`);
    expect(stream.spec.customParameters).toMatchObject({ purpose: 'agent', task: task.sid, identity: name, reservation: reservation.sid });
    const assigned = await taskIn(server, center, task.sid, 'assigned');
    expect(assigned.workerSid).toBe(worker.sid);
    expect(sim.calls.filter((c) => c.to.includes(name))).toEqual([]);

    // A supervisor joins: the bridge already carries the audio, so nothing is forked.
    const supervisor = await Probe.open(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}`, basic());
    await supervisor.until('start', () => supervisor.of('start').length === 1);

    const caller = audio(5, 40);
    stream.feed('inbound', caller);
    stream.pushFrames(5);
    await browser.until('five caller frames', () => payloads(browser.messages, 'inbound').length === 5);
    expect(Buffer.concat(payloads(browser.messages, 'inbound')).equals(caller)).toBe(true);
    expect(browser.of('media').map((m) => m.media.chunk)).toEqual(['1', '2', '3', '4', '5']);

    const agentAudio = audio(3, 200);
    for (let i = 0; i < 3; i++) browser.send({ event: 'media', media: { payload: agentAudio.subarray(i * 160, (i + 1) * 160).toString('base64') } });
    browser.send({ event: 'mark', mark: { name: 'greeting-played' } });
    await eventually(() => stream.receivedAudio.length === 480, 'the agent audio at Twilio');
    expect(stream.receivedAudio.equals(agentAudio)).toBe(true);
    await browser.until('the mark echo', () => browser.of('mark').length === 1);
    expect(browser.of('mark')[0]).toMatchObject({ mark: { name: 'greeting-played' } });

    await supervisor.until('both sides', () => payloads(supervisor.messages, 'inbound').length === 5 && payloads(supervisor.messages, 'outbound').length === 3);
    expect(Buffer.concat(payloads(supervisor.messages, 'inbound')).equals(caller)).toBe(true);
    expect(Buffer.concat(payloads(supervisor.messages, 'outbound')).equals(agentAudio)).toBe(true);
    expect(sim.requests.filter((r) => r.path.includes(`/Calls/${call.sid}/Streams`))).toEqual([]);

    call.press('7');
    await browser.until('the key press', () => browser.of('dtmf').length === 1);
    expect(browser.of('dtmf')[0]).toMatchObject({ dtmf: { digit: '7' } });
    browser.send({ event: 'dance' });
    await browser.until('an error reply', () => browser.of('error').length === 1);

    // The agent hangs up: the stream ends, the caller is hung up on, the task wraps up, the worker moves to wrap-up.
    browser.send({ event: 'hangup' });
    await browser.until('stop', () => browser.of('stop').length === 1);
    expect(browser.of('stop')[0]).toMatchObject({ taskSid: task.sid, by: 'agent' });
    await call.waitForRequest('connect-action');
    await call.waitForStatus('completed');
    await taskIn(server, center, task.sid, 'wrapping');
    await eventually(
      async () => (await server.engine.store.get(center.workspaceSid, 'worker', worker.sid))?.activitySid === center.wrapUp,
      'the post-work activity',
    );
    await supervisor.until('stop', () => supervisor.of('stop').length === 1);
    expect(await supervisor.whenClosed()).toMatchObject({ code: 1000 });
    expect(browser.closed).toBeNull();
    expect(server.connector.media.agents.get(name)?.call).toBeNull();
    await sim.quiesce();
  });

  it('an agent who is not connected counts as not answering: the caller keeps their place in line', async () => {
    const name = `dan${randomBytes(2).toString('hex')}`;
    const { center, call, task, reservation } = await waitingCaller(name, `stream:${name}`);
    await instruct(center, task.sid, reservation.sid, { instruction: 'dequeue' });
    await eventually(async () => (await server.engine.store.get(center.workspaceSid, 'reservation', reservation.sid))?.status === 'rejected', 'the rejection');
    // Never taken out of their own queue.
    expect(call.events.filter((e) => e.type === 'queue' && e.phase === 'leave')).toEqual([]);
    expect(call.ended).toBe(false);
    expect(['pending', 'reserved']).toContain((await server.engine.store.get(center.workspaceSid, 'task', task.sid))!.assignmentStatus);
    call.hangUp();
    await taskIn(server, center, task.sid, 'canceled');
    await sim.quiesce();
  });

  it("call to stream:<identity> rings the task's customer and bridges them; the customer hanging up wraps the task", async () => {
    const name = `cy${randomBytes(2).toString('hex')}`;
    const customer = randomCaller();
    const center = await createCallCenter(server);
    const number = await configureNumber(server, center);
    sim.agent(customer, { answer: 'auto', afterMs: 300 });
    const browser = await Probe.open(
      `${wsBase}/v1/Connector/AgentAudio?Token=${encodeURIComponent((await raw(server, 'POST', '/v1/Connector/MediaTokens', { form: { Identity: name } })).body.token)}`,
    );
    await browser.until('connected', () => browser.of('connected')[0]?.identity === name);
    const workspace = server.client.taskrouter.v1.workspaces(center.workspaceSid);
    const task = await workspace.tasks.create({ workflowSid: center.workflowSid, attributes: JSON.stringify({ from: customer, callback_requested: true }) });
    const worker = await addWorker(server, center, name, true, { contact_uri: `stream:${name}` });
    const reservation = await pendingReservation(server, center, task.sid, worker.sid);
    await instruct(center, task.sid, reservation.sid, { instruction: 'call', callFrom: number.number, callUrl: `${server.url}/after-the-agent` });

    await browser.until('start', () => browser.of('start').length === 1);
    const leg = sim.calls.find((c) => c.to === customer)!;
    expect(leg.from).toBe(number.number);
    await taskIn(server, center, task.sid, 'assigned');
    const stream = await streamOf(leg, (s) => s.spec.bidirectional);
    stream.feed('inbound', audio(2, 7));
    stream.pushFrames(2);
    await browser.until('two frames', () => payloads(browser.messages, 'inbound').length === 2);

    leg.hangUp();
    await browser.until('stop', () => browser.of('stop').length === 1);
    expect(browser.of('stop')[0]).toMatchObject({ by: 'caller' });
    await taskIn(server, center, task.sid, 'wrapping');
    await sim.quiesce();
  });
});

describe('what may open a media socket', () => {
  const streamUrl = () => `${wsBase}/webhooks/media`;
  const signed = () => ({ 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(authToken, streamUrl(), {}) });
  const start = (callSid: string, customParameters: Record<string, string>) => ({
    event: 'start',
    sequenceNumber: '1',
    start: {
      accountSid,
      streamSid: 'MZ' + randomBytes(16).toString('hex'),
      callSid,
      tracks: ['inbound'],
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      customParameters,
    },
    streamSid: 'MZ' + randomBytes(16).toString('hex'),
  });

  it('refuses a stream upgrade signed with another token', async () => {
    const forged = { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature('not-our-token', streamUrl(), {}) };
    expect(await Probe.refused(streamUrl(), forged)).toBe(403);
  });

  it('closes streams that name no task of ours, carry a forged key, or break the protocol', async () => {
    const callSid = 'CA' + randomBytes(16).toString('hex');
    const binding = {
      purpose: 'listen' as const,
      workspaceSid: 'WS' + 'c'.repeat(32),
      taskSid: 'WT' + 'd'.repeat(32),
      reservationSid: null,
      identity: null,
      postWorkActivitySid: null,
    };

    const noParameters = await Probe.open(streamUrl(), signed());
    noParameters.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    noParameters.send(start(callSid, {}));
    expect(await noParameters.whenClosed()).toEqual({ code: 1008, reason: 'the stream names no task of ours' });

    const forgedKey = await Probe.open(streamUrl());
    forgedKey.send(start(callSid, bindingParameters(binding, callSid, 'not-our-token')));
    expect((await forgedKey.whenClosed()).code).toBe(1008);

    const otherCall = await Probe.open(streamUrl(), signed());
    otherCall.send(start('CA' + randomBytes(16).toString('hex'), bindingParameters(binding, callSid, authToken)));
    expect((await otherCall.whenClosed()).code).toBe(1008);

    const unknownTask = await Probe.open(streamUrl(), signed());
    unknownTask.send(start(callSid, bindingParameters(binding, callSid, authToken)));
    expect(await unknownTask.whenClosed()).toEqual({ code: 1008, reason: 'unknown or ended task' });

    const notJson = await Probe.open(streamUrl(), signed());
    notJson.send('{"event": "media", ');
    expect((await notJson.whenClosed()).code).toBe(1007);

    const binary = await Probe.open(streamUrl(), signed());
    binary.ws.send(Buffer.from([1, 2, 3]));
    expect((await binary.whenClosed()).code).toBe(1003);

    const badMedia = await Probe.open(streamUrl(), signed());
    badMedia.send({ event: 'media', media: { track: 'inbound', payload: '***' } });
    expect((await badMedia.whenClosed()).code).toBe(1007);
    await eventually(() => server.connector.media.sockets.openSockets === 0, 'every refused socket to be gone');
  });

  it('checks browser agents: credentials, identity, and what they send', async () => {
    expect(await Probe.refused(`${wsBase}/v1/Connector/AgentAudio?Identity=zed`)).toBe(401);
    expect(await Probe.refused(`${wsBase}/v1/Connector/AgentAudio`, basic())).toBe(400);
    expect(await Probe.refused(`${wsBase}/v1/Connector/AgentAudio?Identity=bad%20name`, basic())).toBe(400);
    const token = (await raw(server, 'POST', '/v1/Connector/MediaTokens', { form: { Identity: 'zed' } })).body.token as string;
    expect(await Probe.refused(`${wsBase}/v1/Connector/AgentAudio?Identity=someone-else&Token=${encodeURIComponent(token)}`)).toBe(403);
    expect(await Probe.refused(`${wsBase}/v1/Connector/Elsewhere`, basic())).toBe(404);
    expect((await raw(server, 'POST', '/v1/Connector/MediaTokens', { form: { Identity: 'zed', TaskSid: 'WT' + 'e'.repeat(32) } })).status).toBe(400);
    expect((await raw(server, 'POST', '/v1/Connector/MediaTokens', { form: { Identity: 'zed' }, auth: false })).status).toBe(401);

    const agent = await Probe.open(`${wsBase}/v1/Connector/AgentAudio?Token=${encodeURIComponent(token)}`);
    await agent.until('connected', () => agent.of('connected').length === 1);
    agent.send({ event: 'hangup' });
    agent.send('not json');
    agent.send({ event: 'media', media: { payload: Buffer.alloc(9000).toString('base64') } });
    await agent.until('three errors', () => agent.of('error').length === 3);
    expect(agent.of('error').map((m) => m.message)).toEqual([
      'not on a call',
      'expected JSON text',
      'media.payload must be at most one second of audio (8000 bytes)',
    ]);

    // A newer connection of the same agent replaces the older one.
    const newer = await Probe.open(`${wsBase}/v1/Connector/AgentAudio?Identity=zed`, basic());
    expect((await agent.whenClosed()).code).toBe(1008);
    expect(server.connector.media.agents.get('zed')).not.toBeNull();
    newer.ws.close();
    await eventually(() => server.connector.media.agents.get('zed') === null, 'the agent to be gone');
  });
});
