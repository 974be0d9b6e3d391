import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startHeartbeat } from '../../src/sockets/heartbeat.js';

/** A server whose every socket gets a heartbeat that sends the text frame `beat` before each ping. */
async function beatingServer(intervalMs: number, checkEvery = 1): Promise<{ server: Server; url: string }> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => startHeartbeat(ws, { intervalMs, ping: true, checkEvery, beat: () => ws.send('beat'), connection: req.socket }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A client of `url` and what it hears, in order: each text frame, and `ping` for each ping. */
function listeningClient(url: string, options: { autoPong?: boolean } = {}): { client: WebSocket; heard: string[] } {
  const client = new WebSocket(url, options);
  const heard: string[] = [];
  client.on('message', (data) => heard.push(String(data)));
  client.on('ping', () => heard.push('ping'));
  return { client, heard };
}

describe('a heartbeat with a beat of its own', () => {
  let server: Server | null = null;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('sends the beat and a ping at every check while the peer answers pings', async () => {
    const started = await beatingServer(100);
    server = started.server;
    const { client, heard } = listeningClient(started.url);
    await until(() => heard.filter((h) => h === 'ping').length >= 3, 'three checks');
    // Each check's beat comes just before its ping.
    const firstThree = heard.slice(0, 6);
    expect(firstThree).toEqual(['beat', 'ping', 'beat', 'ping', 'beat', 'ping']);
    expect(client.readyState).toBe(WebSocket.OPEN);
    client.close();
  });

  it('stops beating and terminates a peer that no longer answers pings', async () => {
    const started = await beatingServer(100);
    server = started.server;
    const { client, heard } = listeningClient(started.url, { autoPong: false });
    let closed = false;
    client.on('close', () => (closed = true));
    await until(() => closed, 'the silent peer to be terminated');
    // The first check passes (the peer has not been asked yet) and pings; the second finds no answer and sends nothing.
    expect(heard).toEqual(['beat', 'ping']);
  });

  it('checks every other beat when asked to: the beat keeps coming, the ping with every second one', async () => {
    const started = await beatingServer(60, 2);
    server = started.server;
    const { client, heard } = listeningClient(started.url);
    await until(() => heard.filter((h) => h === 'ping').length >= 2, 'two checks');
    expect(heard.slice(0, 6)).toEqual(['beat', 'beat', 'ping', 'beat', 'beat', 'ping']);
    expect(client.readyState).toBe(WebSocket.OPEN);
    client.close();
  });

  it('terminates a silent peer at the check after the one that pinged it, when checks come every other beat', async () => {
    const started = await beatingServer(60, 2);
    server = started.server;
    const { client, heard } = listeningClient(started.url, { autoPong: false });
    let closed = false;
    client.on('close', () => (closed = true));
    await until(() => closed, 'the silent peer to be terminated');
    // Beats 1 and 2 (the first check, which pings), beat 3; the check at beat 4 finds no answer and sends nothing.
    expect(heard).toEqual(['beat', 'beat', 'ping', 'beat']);
  });

  it('beats many sockets on one interval, each about once an interval, and stops beating those that closed', async () => {
    const started = await beatingServer(80);
    server = started.server;
    const clients = Array.from({ length: 40 }, () => new WebSocket(started.url));
    const beats = clients.map(() => 0);
    clients.forEach((c, i) => c.on('message', () => (beats[i] = beats[i]! + 1)));
    await until(() => beats.every((n) => n >= 3), 'three beats on every socket');
    // No socket is beaten much more often than the others: each has one place on the wheel.
    expect(Math.max(...beats) - Math.min(...beats)).toBeLessThanOrEqual(2);
    const leaving = clients.slice(0, 20);
    await Promise.all(leaving.map((c) => new Promise((resolve) => (c.once('close', resolve), c.close()))));
    const staying = clients.slice(20);
    const before = staying.map((_, i) => beats[i + 20]!);
    await until(() => staying.every((_, i) => beats[i + 20]! >= before[i]! + 2), 'two more beats on the sockets that stayed');
    for (const c of staying) expect(c.readyState).toBe(WebSocket.OPEN);
    for (const c of staying) c.close();
  });
});
