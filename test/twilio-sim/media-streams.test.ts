import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { WebSocketServer, type WebSocket } from 'ws';
import { simClient, simWithApp, voiceResponse } from './fixtures.js';

const CALLER = '+14155550100';
const NUMBER = '+12125550199';

interface Received {
  at: number;
  message: Record<string, any>;
}

/** A media WebSocket server: records every message with its arrival time, exposes the socket. */
async function mediaServer() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/media`;
  const messages: Received[] = [];
  const upgrades: IncomingMessage[] = [];
  let socket: WebSocket | undefined;
  const waiters: (() => void)[] = [];
  wss.on('connection', (ws, req) => {
    socket = ws;
    upgrades.push(req);
    ws.on('message', (data) => {
      messages.push({ at: performance.now(), message: JSON.parse(String(data)) as Record<string, any> });
      for (const w of [...waiters]) w();
    });
  });
  const until = (predicate: () => boolean, timeoutMs = 5000) =>
    new Promise<void>((resolve, reject) => {
      if (predicate()) return resolve();
      const timer = setTimeout(() => reject(new Error(`media server: condition not met; got ${messages.length} messages`)), timeoutMs);
      const w = () => {
        if (!predicate()) return;
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(timer);
        resolve();
      };
      waiters.push(w);
    });
  return {
    url,
    messages,
    upgrades,
    socket: () => socket!,
    of: (event: string) => messages.filter((m) => m.message.event === event).map((m) => m.message),
    until,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

describe('Media Streams', () => {
  it('forks audio with <Start><Stream>: connected, start with custom parameters, paced 160-byte frames per track, stop', async () => {
    const media = await mediaServer();
    cleanups.push(media.close);
    const env = await simWithApp((app) => {
      app.post(
        '/voice',
        voiceResponse((r) => {
          const stream = r.start().stream({ name: 'rec1', url: media.url, track: 'both_tracks' });
          stream.parameter({ name: 'agentId', value: 'WK123' });
          stream.parameter({ name: 'lang', value: 'en' });
          r.say('This call is being transcribed.');
          r.pause({ length: 600 });
        }),
      );
    });
    cleanups.push(env.close);
    const { sim, app } = env;
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await media.until(() => media.of('media').filter((m) => m.media.track === 'inbound').length >= 10);
    call.hangUp();
    await media.until(() => media.of('stop').length === 1);

    const [connected, start] = media.messages.map((m) => m.message);
    expect(connected).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(start).toMatchObject({
      event: 'start',
      sequenceNumber: '1',
      start: {
        accountSid: sim.accountSid,
        callSid: call.sid,
        tracks: ['inbound', 'outbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        customParameters: { agentId: 'WK123', lang: 'en' },
      },
    });
    const streamSid = start!.streamSid as string;
    expect(streamSid).toMatch(/^MZ[0-9a-f]{32}$/);
    expect(start!.start.streamSid).toBe(streamSid);

    const frames = media.of('media');
    for (const track of ['inbound', 'outbound']) {
      const mine = frames.filter((f) => f.media.track === track);
      expect(mine.map((f) => f.media.chunk).slice(0, 3)).toEqual(['1', '2', '3']);
      expect(mine.map((f) => f.media.timestamp).slice(0, 3)).toEqual(['0', '20', '40']);
    }
    for (const f of frames) {
      expect(f.streamSid).toBe(streamSid);
      expect(Buffer.from(f.media.payload as string, 'base64')).toHaveLength(160);
    }
    const sequence = media.messages.slice(1).map((m) => Number(m.message.sequenceNumber));
    expect(sequence).toEqual(sequence.map((_, i) => i + 1));

    // Paced on wall time: ten inbound frames span roughly 180 ms; only a loose lower bound is asserted.
    const inbound = media.messages.filter((m) => m.message.event === 'media' && m.message.media.track === 'inbound');
    expect(inbound[9]!.at - inbound[0]!.at).toBeGreaterThan(90);

    const stop = media.of('stop')[0]!;
    expect(stop).toMatchObject({ streamSid, stop: { accountSid: sim.accountSid, callSid: call.sid } });
    expect(media.messages[media.messages.length - 1]!.message.event).toBe('stop');

    const signature = media.upgrades[0]!.headers['x-twilio-signature'] as string;
    expect(twilio.validateRequest(sim.authToken, signature, media.url, {})).toBe(true);
    await call.finished;
    expect(sim.errors).toEqual([]);
  });

  it('stops a named stream with <Stop><Stream> and carries on with the call', async () => {
    const media = await mediaServer();
    cleanups.push(media.close);
    const env = await simWithApp(
      (app) => {
        app.post(
          '/voice',
          voiceResponse((r) => {
            r.start().stream({ name: 'tap', url: media.url });
            r.pause({ length: 1 });
            r.stop().stream({ name: 'tap' });
            r.say('Stream stopped.');
          }),
        );
      },
      { mediaFrameIntervalMs: 0 },
    );
    cleanups.push(env.close);
    const { sim, app } = env;
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await call.finished;
    await media.until(() => media.of('stop').length === 1);
    await call.waitFor((e) => e.type === 'stream' && e.phase === 'closed');
    expect(media.of('media')).toHaveLength(0);
    expect(call.heard()).toEqual(['Stream stopped.']);
    expect(call.events.filter((e) => e.type === 'stream').map((e) => (e as { phase: string }).phase)).toEqual(['open', 'start', 'stop', 'closed']);
  });

  it('plays back <Connect><Stream> audio, echoes marks when reached, echoes pending marks on clear, then runs the action', async () => {
    const media = await mediaServer();
    cleanups.push(media.close);
    const env = await simWithApp(
      (app) => {
        app.post(
          '/voice',
          voiceResponse((r) => {
            r.connect({ action: '/after-stream' }).stream({ url: media.url }).parameter({ name: 'task', value: 'WT1' });
            r.say('unreachable');
          }),
        );
        app.post(
          '/after-stream',
          voiceResponse((r) => r.say('Back from the bot.')),
        );
      },
      { clockSpeed: 0, mediaFrameIntervalMs: 0 },
    );
    cleanups.push(env.close);
    const { sim, app } = env;
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await media.until(() => media.of('start').length === 1);
    const start = media.of('start')[0]!;
    expect(start.start.tracks).toEqual(['inbound']);
    expect(start.start.customParameters).toEqual({ task: 'WT1' });
    const streamSid = start.streamSid as string;
    const ws = media.socket();
    const send = (m: object) => ws.send(JSON.stringify(m));

    // 8000 bytes of μ-law is one second of audio; the mark after it is echoed only once that second has played.
    send({ event: 'media', streamSid, media: { payload: Buffer.alloc(8000, 0x7f).toString('base64') } });
    send({ event: 'mark', streamSid, mark: { name: 'greeting-done' } });
    await call.waitFor((e) => e.type === 'stream' && e.phase === 'media-in');
    await sim.advance(500);
    expect(media.of('mark')).toHaveLength(0);
    await sim.advance(600);
    await media.until(() => media.of('mark').length === 1);
    expect(media.of('mark')[0]).toMatchObject({ event: 'mark', streamSid, mark: { name: 'greeting-done' } });

    send({ event: 'media', streamSid, media: { payload: Buffer.alloc(16000, 0x7f).toString('base64') } });
    send({ event: 'mark', streamSid, mark: { name: 'long-answer' } });
    send({ event: 'clear', streamSid });
    await media.until(() => media.of('mark').length === 2);
    expect(media.of('mark')[1]!.mark.name).toBe('long-answer');

    call.press('5');
    await media.until(() => media.of('dtmf').length === 1);
    expect(media.of('dtmf')[0]).toMatchObject({ event: 'dtmf', streamSid, dtmf: { track: 'inbound_track', digit: '5' } });

    // Frames can be pushed by hand when pacing is off.
    call.streams[0]!.pushFrames(3);
    await media.until(() => media.of('media').length === 3);

    ws.close();
    await call.waitForRequest('connect-action');
    await call.waitFor((e) => e.type === 'heard' && e.text === 'Back from the bot.');
    await sim.advance(5_000);
    await call.finished;
    expect(call.heard()).toEqual(['Back from the bot.']);
    expect(call.streams[0]!.receivedAudio).toHaveLength(24000);
    expect(sim.errors).toEqual([]);
  });

  it('reports protocol errors the way Twilio does', async () => {
    const media = await mediaServer();
    cleanups.push(media.close);
    const env = await simWithApp(
      (app) => {
        app.post(
          '/voice',
          voiceResponse((r) => r.connect().stream({ url: media.url })),
        );
        app.post(
          '/fork',
          voiceResponse((r) => {
            r.start().stream({ url: media.url });
            r.pause({ length: 600 });
          }),
        );
      },
      { mediaFrameIntervalMs: 0 },
    );
    cleanups.push(env.close);
    const { sim, app } = env;
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await media.until(() => media.of('start').length === 1);
    media.socket().send(Buffer.from([1, 2, 3]));
    media.socket().send(JSON.stringify({ event: 'media', streamSid: 'MZnope', media: { payload: '' } }));
    media.socket().send(JSON.stringify({ event: 'dance', streamSid: media.of('start')[0]!.streamSid }));
    await call.waitFor(() => sim.errors.length === 3);
    expect(sim.errors.map((e) => (e as { code: number }).code)).toEqual([31950, 31951, 31951]);
    call.hangUp();
    await call.finished;

    const fork = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/fork` });
    await media.until(() => media.of('start').length === 2);
    media.socket().send(JSON.stringify({ event: 'mark', streamSid: media.of('start')[1]!.streamSid, mark: { name: 'x' } }));
    await fork.waitFor((e) => e.type === 'error');
    expect(sim.errors[3]).toMatchObject({ code: 31924 });
    fork.hangUp();
    await fork.finished;
  });

  it('starts and stops a stream through the REST Streams resource', async () => {
    const media = await mediaServer();
    cleanups.push(media.close);
    const env = await simWithApp(
      (app) => {
        app.post(
          '/voice',
          voiceResponse((r) => r.pause({ length: 600 })),
        );
      },
      { mediaFrameIntervalMs: 0 },
    );
    cleanups.push(env.close);
    const { sim, app } = env;
    const client = simClient(sim);
    const call = sim.inboundCall({ from: CALLER, to: NUMBER, webhookUrl: `${app.url}/voice` });
    await call.waitFor((e) => e.type === 'verb' && e.verb === 'Pause');
    const stream = await client.calls(call.sid).streams.create({
      url: media.url,
      name: 'rest-tap',
      'parameter1.name': 'origin',
      'parameter1.value': 'rest',
    });
    expect(stream.sid).toMatch(/^MZ/);
    await media.until(() => media.of('start').length === 1);
    expect(media.of('start')[0]!.start.customParameters).toEqual({ origin: 'rest' });
    const stopped = await client.calls(call.sid).streams('rest-tap').update({ status: 'stopped' });
    expect(stopped.status).toBe('stopped');
    await media.until(() => media.of('stop').length === 1);
    call.hangUp();
    await call.finished;
  });
});
