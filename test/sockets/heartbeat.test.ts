import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startHeartbeat } from '../../src/sockets/heartbeat.js';

/** A server whose every socket gets a heartbeat that sends the text frame `beat` before each ping. */
async function beatingServer(intervalMs: number): Promise<{ server: Server; url: string }> {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws, req) => startHeartbeat(ws, { intervalMs, ping: true, beat: () => ws.send('beat'), connection: req.socket }));
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

describe('a heartbeat with a beat of its own', () => {
  let server: Server | null = null;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('sends the beat and a ping at every check while the peer answers pings', async () => {
    const started = await beatingServer(100);
    server = started.server;
    const client = new WebSocket(started.url);
    const heard: string[] = [];
    client.on('message', (data) => heard.push(String(data)));
    client.on('ping', () => heard.push('ping'));
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
    const client = new WebSocket(started.url, { autoPong: false });
    const heard: string[] = [];
    client.on('message', (data) => heard.push(String(data)));
    let closed = false;
    client.on('close', () => (closed = true));
    await until(() => closed, 'the silent peer to be terminated');
    // The first check passes (the peer has not been asked yet); the second finds no answer and sends nothing.
    expect(heard).toEqual(['beat']);
  });
});
