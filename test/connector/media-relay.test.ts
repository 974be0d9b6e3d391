import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConnectorDirectory } from '../../src/connector/connector-directory.js';
import { connectorStateFor } from '../../src/connector/state/connector-state-for.js';
import { createMediaConnector } from '../../src/connector/media/media-connector.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { eventually } from './harness.js';
import { readAgentMessage } from '../../src/connector/media/agent-protocol.js';
import { ListenHub } from '../../src/connector/media/listen-hub.js';
import { issueMediaToken, readMediaToken } from '../../src/connector/media/media-token.js';
import type { MessageSink } from '../../src/connector/media/message-sink.js';
import { bindingParameters, readBinding, type StreamBinding } from '../../src/connector/media/stream-binding.js';
import { readTwilioMessage, type AudioFrame } from '../../src/connector/media/stream-protocol.js';

/** A socket that records what it is sent, with a backlog the test sets. */
class FakeSink implements MessageSink {
  readonly sent: Record<string, any>[] = [];
  bufferedAmount = 0;
  readyState = 1;
  closedWith: { code?: number; reason?: string } | null = null;

  send(text: string): void {
    this.sent.push(JSON.parse(text) as Record<string, any>);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }
}

const TASK = 'WT' + 'a'.repeat(32);
const frame = (chunk: number): AudioFrame => ({
  track: 'inbound',
  chunk: String(chunk),
  timestamp: String((chunk - 1) * 20),
  payload: Buffer.alloc(160, chunk).toString('base64'),
});

describe('listen hub', () => {
  it('fans frames out in order, drops a listener that falls behind, and tells the rest when the audio ends', () => {
    const unwatched: Array<[string, boolean]> = [];
    const hub = new ListenHub({ maxListenersPerTask: 3, maxBufferedBytes: 1000 }, (task, ended) => unwatched.push([task, ended]));
    const fast = new FakeSink();
    const slow = new FakeSink();
    const source = {};
    expect(hub.addListener(TASK, fast)).toBe(true);
    expect(hub.addListener(TASK, slow)).toBe(true);
    hub.startSource(TASK, source, ['inbound', 'outbound']);
    hub.publish(TASK, frame(1));
    slow.bufferedAmount = 5000;
    hub.publish(TASK, frame(2));
    hub.publish(TASK, frame(3));

    expect(fast.sent.map((m) => m.event)).toEqual(['start', 'media', 'media', 'media']);
    expect(fast.sent.filter((m) => m.event === 'media').map((m) => m.media.chunk)).toEqual(['1', '2', '3']);
    expect(slow.sent.filter((m) => m.event === 'media').map((m) => m.media.chunk)).toEqual(['1']);
    expect(slow.closedWith).toEqual({ code: 1013, reason: 'listener too slow: audio was dropped' });
    expect(hub.listenerCount(TASK)).toBe(1);
    expect(unwatched).toEqual([]);

    hub.stopSource(TASK, source);
    expect(fast.sent.at(-1)).toEqual({ event: 'stop', taskSid: TASK });
    expect(fast.closedWith?.code).toBe(1000);
    expect(hub.activeTasks).toBe(0);
    expect(unwatched).toEqual([[TASK, true]]);
  });

  it('caps listeners per task and reports when the last one leaves', () => {
    const unwatched: Array<[string, boolean]> = [];
    const hub = new ListenHub({ maxListenersPerTask: 2, maxBufferedBytes: 1000 }, (task, ended) => unwatched.push([task, ended]));
    const [a, b, c] = [new FakeSink(), new FakeSink(), new FakeSink()];
    expect(hub.addListener(TASK, a)).toBe(true);
    expect(hub.addListener(TASK, b)).toBe(true);
    expect(hub.addListener(TASK, c)).toBe(false);
    hub.removeListener(TASK, a);
    expect(unwatched).toEqual([]);
    hub.removeListener(TASK, b);
    expect(unwatched).toEqual([[TASK, false]]);
    expect(hub.activeTasks).toBe(0);
    // A frame for a task nobody listens to goes nowhere and keeps nothing.
    hub.publish(TASK, frame(1));
    expect(hub.activeTasks).toBe(0);
  });
});

describe('stream bindings and media tokens', () => {
  const binding: StreamBinding = {
    purpose: 'agent',
    workspaceSid: 'WS' + '1'.repeat(32),
    taskSid: TASK,
    reservationSid: 'WR' + '2'.repeat(32),
    identity: 'alice',
    postWorkActivitySid: null,
  };
  const call = 'CA' + '3'.repeat(32);

  it('binds a stream to its task and call: any change, another call or another token is refused', () => {
    const parameters = bindingParameters(binding, call, 'token');
    expect(readBinding(parameters, call, 'token')).toEqual(binding);
    expect(readBinding(parameters, 'CA' + '4'.repeat(32), 'token')).toBeNull();
    expect(readBinding(parameters, call, 'other-token')).toBeNull();
    expect(readBinding({ ...parameters, identity: 'mallory' }, call, 'token')).toBeNull();
    expect(readBinding({ ...parameters, task: 'WT' + 'f'.repeat(32) }, call, 'token')).toBeNull();
    const { identity: _identity, ...withoutAgent } = parameters;
    expect(readBinding(withoutAgent, call, 'token')).toBeNull();
  });

  it('issues media tokens that expire, and only for this account and auth token', () => {
    const now = Date.UTC(2026, 0, 1);
    const token = issueMediaToken('secret', 'AC1', { scope: 'listen', taskSid: TASK }, 60, now);
    expect(readMediaToken('secret', 'AC1', token, now + 59_000)).toEqual({ scope: 'listen', taskSid: TASK });
    expect(readMediaToken('secret', 'AC1', token, now + 61_000)).toBeNull();
    expect(readMediaToken('other', 'AC1', token, now)).toBeNull();
    expect(readMediaToken('secret', 'AC2', token, now)).toBeNull();
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), sub: 'WT' + 'b'.repeat(32) })).toString('base64url');
    expect(readMediaToken('secret', 'AC1', `${forged}.${mac}`, now)).toBeNull();
    expect(readMediaToken('secret', 'AC1', issueMediaToken('secret', 'AC1', { scope: 'agent', identity: 'bo' }, 60, now), now)).toEqual({
      scope: 'agent',
      identity: 'bo',
    });
  });
});

describe('media messages', () => {
  it("reads Twilio's messages, ignores events it has no use for, and says what is wrong with the rest", () => {
    expect(readTwilioMessage('{"event":"connected","protocol":"Call","version":"1.0.0"}')).toEqual({ event: 'connected' });
    expect(
      readTwilioMessage(
        JSON.stringify({
          event: 'start',
          sequenceNumber: '1',
          start: { streamSid: 'MZ1', callSid: 'CA1', tracks: ['inbound'], customParameters: { task: 'WT1' } },
          streamSid: 'MZ1',
        }),
      ),
    ).toEqual({ event: 'start', streamSid: 'MZ1', callSid: 'CA1', tracks: ['inbound'], customParameters: { task: 'WT1' } });
    expect(readTwilioMessage(JSON.stringify({ event: 'media', media: { track: 'outbound', chunk: '2', timestamp: '20', payload: 'AAAA' } }))).toEqual({
      event: 'media',
      frame: { track: 'outbound', chunk: '2', timestamp: '20', payload: 'AAAA' },
    });
    expect(readTwilioMessage('{"event":"stop","stop":{}}')).toEqual({ event: 'stop' });
    expect(readTwilioMessage('{"event":"transcription"}')).toEqual({ event: 'other' });
    expect(readTwilioMessage('[1]')).toBe('not a JSON object');
    expect(readTwilioMessage('{"event":"start","start":{}}')).toBe('start without streamSid or callSid');
    expect(readTwilioMessage('{"event":"media","media":{"track":"sideways","payload":"AAAA"}}')).toMatch(/media without/);
  });

  it("reads a browser agent's messages", () => {
    expect(readAgentMessage('{"event":"media","media":{"payload":"//8="}}')).toEqual({ event: 'media', payload: '//8=' });
    expect(readAgentMessage('{"event":"mark","mark":{"name":"m1"}}')).toEqual({ event: 'mark', name: 'm1' });
    expect(readAgentMessage('{"event":"clear"}')).toEqual({ event: 'clear' });
    expect(readAgentMessage('{"event":"media","media":{"payload":"not base64!"}}')).toMatch(/base64/);
    expect(readAgentMessage('{"event":"mark","mark":{}}')).toMatch(/mark.name/);
  });
});

describe('media relay bounds', () => {
  it('closes a stream that never starts, and refuses messages larger than the bound', async () => {
    const engine = new RoutingEngine({ store: new MemoryStore(), accountSid: 'AC' + '0'.repeat(32) });
    const http = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const media = createMediaConnector({
      engine,
      directory: new ConnectorDirectory(engine, connectorStateFor(engine)),
      accountSid: 'AC' + '0'.repeat(32),
      authToken: 'token',
      publicUrl: () => base,
      mediaUrl: null,
      client: null,
      limits: { startTimeoutMs: 100, maxMessageBytes: 1024 },
    });
    media.attach(http);
    try {
      expect(media.streamUrl()).toBe(`${base.replace('http', 'ws')}/webhooks/media`);
      const closes: Array<{ code: number; reason: string }> = [];
      const silent = new WebSocket(media.streamUrl());
      silent.on('close', (code, reason) => closes.push({ code, reason: String(reason) }));
      const flood = new WebSocket(media.streamUrl());
      flood.on('close', (code) => closes.push({ code, reason: 'flood' }));
      flood.on('error', () => {});
      flood.on('open', () => flood.send(JSON.stringify({ event: 'media', media: { payload: 'A'.repeat(4096) } })));
      await eventually(() => closes.length === 2 || undefined, 'both streams to close');
      expect(closes).toEqual(
        expect.arrayContaining([
          { code: 1008, reason: 'no start message' },
          { code: 1009, reason: 'flood' },
        ]),
      );
      await eventually(() => media.sockets.openSockets === 0 || undefined, 'no socket left open');
    } finally {
      await media.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
