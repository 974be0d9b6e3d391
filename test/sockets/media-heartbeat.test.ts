import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MediaStreamClient, SimCall, TwilioSim } from '../twilio-sim/index.js';
import { callerWaiting } from '../connector/flow-helpers.js';
import { eventually, taskIn, type ConnectorServer, useSimulatedTwilio } from '../connector/harness.js';

/**
 * Dead peers on the media sockets, against the Twilio simulator: a supervisor's or browser agent's socket that stops
 * answering pings, and a Twilio stream that falls silent, are terminated and free what they held exactly as a normal
 * close does; healthy ones stay across many intervals. Intervals are short limits, and every wait is for a state.
 */
/** The API's Basic pair of the server the current tests run against. */
let basic: Record<string, string> = {};
const basicOf = ({ accountSid, authToken }: { accountSid: string; authToken: string }) => ({
  Authorization: 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64'),
});
const peers: Peer[] = [];

afterEach(() => {
  for (const peer of peers.splice(0)) peer.ws.terminate();
});

/** A client socket that answers pings only while `answering` is set, and keeps what it receives. */
class Peer {
  answering = true;
  pings = 0;
  readonly messages: Record<string, any>[] = [];
  closed: number | null = null;
  readonly ws: WebSocket;

  constructor(url: string) {
    this.ws = new WebSocket(url, { headers: basic, autoPong: false });
    this.ws.on('ping', (data) => {
      this.pings++;
      if (this.answering) this.ws.pong(data);
    });
    this.ws.on('message', (data) => this.messages.push(JSON.parse(String(data)) as Record<string, any>));
    this.ws.on('close', (code) => (this.closed = code));
    this.ws.on('error', () => {});
    peers.push(this);
  }

  of(event: string): Record<string, any>[] {
    return this.messages.filter((m) => m.event === event);
  }

  /** Waits for `count` more pings than it has seen so far: the socket lived through that many intervals. */
  async livesThrough(count: number): Promise<void> {
    const target = this.pings + count;
    await eventually(() => this.pings >= target, `${count} more pings`);
    expect(this.closed).toBeNull();
  }
}

/** A caller waiting in line, with a worker whose contact is `contact` reserved for it. */
async function waitingCaller(sim: TwilioSim, server: ConnectorServer, agent: string, contact: string) {
  return callerWaiting(sim, server, agent, { attributes: { contact_uri: contact } });
}

function streamOf(call: SimCall, match: (s: MediaStreamClient) => boolean): Promise<MediaStreamClient> {
  return eventually(() => call.streams.find((s) => match(s) && s.open), 'the media stream');
}

describe('supervisors and browser agents that stop answering pings', () => {
  let sim: TwilioSim;
  let server: ConnectorServer;
  let wsBase: string;
  // Paced audio, as Twilio sends it: the streams themselves stay alive throughout.
  useSimulatedTwilio(
    { clockSpeed: 100, startEngine: true, sim: { mediaFrameIntervalMs: 20 }, mediaLimits: { heartbeatIntervalMs: 250, streamIdleMs: 5_000 } },
    (twilio) => {
      ({ sim, server } = twilio);
      wsBase = server.url.replace(/^http/, 'ws');
      basic = basicOf(twilio);
    },
  );

  it('terminates a browser agent that stops answering, freeing its identity; a healthy agent stays', async () => {
    const agents = server.connector.media.agents;
    const healthy = new Peer(`${wsBase}/v1/Connector/AgentAudio?Identity=hale`);
    const dead = new Peer(`${wsBase}/v1/Connector/AgentAudio?Identity=gone`);
    await eventually(() => healthy.of('connected').length === 1 && dead.of('connected').length === 1, 'both agents connected');
    dead.answering = false;
    await eventually(() => dead.closed !== null, 'the silent agent to be terminated');
    expect(dead.closed).toBe(1006);
    await eventually(() => agents.get('gone') === null, 'its identity to be free');

    await healthy.livesThrough(5);
    expect(agents.get('hale')).not.toBeNull();
    // The identity is free for the agent's next connection.
    const back = new Peer(`${wsBase}/v1/Connector/AgentAudio?Identity=gone`);
    await eventually(() => back.of('connected').length === 1, 'the agent back');
    await back.livesThrough(2);
    expect(agents.get('gone')).not.toBeNull();
  });

  it("hangs up a dead browser agent's call as if it had closed its socket: the task wraps up", async () => {
    const name = `kit${randomBytes(2).toString('hex')}`;
    const browser = new Peer(`${wsBase}/v1/Connector/AgentAudio?Identity=${name}`);
    await eventually(() => browser.of('connected').length === 1, 'the agent connected');
    const { center, call, task, worker, reservation } = await waitingCaller(sim, server, name, `stream:${name}`);
    await server.client.taskrouter.v1
      .workspaces(center.workspaceSid)
      .tasks(task.sid)
      .reservations(reservation.sid)
      .update({ instruction: 'dequeue', dequeuePostWorkActivitySid: center.wrapUp });
    await eventually(() => browser.of('start').length === 1, 'the call bridged to the agent');
    await taskIn(server, center, task.sid, 'assigned');

    browser.answering = false;
    await eventually(() => browser.closed !== null, 'the silent agent to be terminated');
    await call.waitForRequest('connect-action');
    await call.waitForStatus('completed');
    await taskIn(server, center, task.sid, 'wrapping');
    await eventually(
      async () => (await server.engine.store.get(center.workspaceSid, 'worker', worker.sid))?.activitySid === center.wrapUp,
      'the post-work activity',
    );
    expect(server.connector.media.agents.get(name)).toBeNull();
    await sim.quiesce();
  });

  it('removes a listener that stops answering from the hub; the fork stops when the last one goes', async () => {
    const name = `lou${randomBytes(2).toString('hex')}`;
    sim.agent(`client:${name}`, { answer: 'auto', afterMs: 200 });
    const { center, call, task, reservation } = await waitingCaller(sim, server, name, `client:${name}`);
    await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations(reservation.sid).update({ instruction: 'dequeue' });
    await taskIn(server, center, task.sid, 'assigned');
    await call.waitFor((e) => e.type === 'bridge' && e.phase === 'start');

    const hub = server.connector.media.hub;
    const steady = new Peer(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}`);
    const fading = new Peer(`${wsBase}/v1/Connector/Listen?TaskSid=${task.sid}`);
    await eventually(() => steady.of('start').length === 1 && fading.of('start').length === 1, 'both listening');
    const fork = await streamOf(call, (s) => s.spec.name === `listen-${task.sid}`);
    expect(hub.listenerCount(task.sid)).toBe(2);

    fading.answering = false;
    await eventually(() => fading.closed !== null, 'the silent listener to be terminated');
    await eventually(() => hub.listenerCount(task.sid) === 1, 'one listener left');
    await steady.livesThrough(5);
    expect(hub.listenerCount(task.sid)).toBe(1);
    expect(fork.open).toBe(true);

    steady.answering = false;
    await eventually(() => hub.listenerCount(task.sid) === 0, 'no listener left');
    await eventually(
      () => sim.requests.find((r) => r.path.endsWith(`/Streams/listen-${task.sid}.json`) && r.params.Status === 'stopped'),
      'the fork to be stopped',
    );
    await eventually(() => !fork.open, 'the fork to close');
    call.hangUp();
    await taskIn(server, center, task.sid, 'wrapping');
    await sim.quiesce();
  });
});

describe('a Twilio stream that falls silent', () => {
  let sim: TwilioSim;
  let server: ConnectorServer;
  let wsBase: string;
  // Frames only when the test pushes them: a stream the test stops feeding has gone silent.
  useSimulatedTwilio(
    { clockSpeed: 100, startEngine: true, sim: { mediaFrameIntervalMs: 0 }, mediaLimits: { heartbeatIntervalMs: 5_000, streamIdleMs: 500 } },
    (twilio) => {
      ({ sim, server } = twilio);
      wsBase = server.url.replace(/^http/, 'ws');
      basic = basicOf(twilio);
    },
  );

  it('is ended as if Twilio had stopped it, while one that carries audio stays', async () => {
    const name = `sam${randomBytes(2).toString('hex')}`;
    const browser = new Peer(`${wsBase}/v1/Connector/AgentAudio?Identity=${name}`);
    await eventually(() => browser.of('connected').length === 1, 'the agent connected');
    const { center, call, task, reservation } = await waitingCaller(sim, server, name, `stream:${name}`);
    // Audio flows from the moment the stream opens, as from Twilio.
    const pacer = setInterval(() => call.streams.forEach((s) => s.pushFrames(1)), 20);
    try {
      await server.client.taskrouter.v1.workspaces(center.workspaceSid).tasks(task.sid).reservations(reservation.sid).update({ instruction: 'dequeue' });
      await eventually(() => browser.of('start').length === 1, 'the call bridged to the agent');
      const stream = await streamOf(call, (s) => s.spec.bidirectional);
      // A hundred frames at the pacer's rate span several idle bounds.
      await eventually(() => browser.of('media').length >= 100, 'a hundred frames relayed');
      expect(stream.open).toBe(true);
      expect(browser.of('stop')).toEqual([]);
    } finally {
      clearInterval(pacer);
    }
    await eventually(() => browser.of('stop').length === 1, 'the silent stream to end');
    expect(browser.of('stop')[0]).toMatchObject({ taskSid: task.sid, by: 'caller' });
    expect(browser.closed).toBeNull();
    await call.waitForRequest('connect-action');
    await taskIn(server, center, task.sid, 'wrapping');
    expect(server.connector.media.agents.get(name)?.call).toBeNull();
    expect(server.connector.media.sockets.openSockets).toBe(1);
    await sim.quiesce();
  });
});
