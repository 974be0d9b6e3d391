import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConnectorDirectory } from '../../src/connector/connector-directory.js';
import { connectorStateFor } from '../../src/connector/state/connector-state-for.js';
import { createMediaConnector } from '../../src/connector/media/media-connector.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

const accountSid = 'AC' + '0'.repeat(32);
const key = { sid: 'SK' + '1'.repeat(32), secret: 'a-key-secret-0123456789' };

/** Opens a browser agent's audio socket with the Basic pair given: 'open', or the status it was refused with. */
function connect(base: string, user: string, password: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/Connector/AgentAudio?Identity=ann`, {
      headers: { Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64') },
    });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.on('error', () => {});
  });
}

describe('media sockets with API keys', () => {
  it('accept an API key pair as the API does, and refuse a key with a wrong secret', async () => {
    const engine = new RoutingEngine({ store: new MemoryStore(), accountSid });
    const http = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const media = createMediaConnector({
      engine,
      directory: new ConnectorDirectory(engine, connectorStateFor(engine)),
      accountSid,
      authToken: 'the-auth-token',
      apiKeys: [key],
      publicUrl: () => base,
      mediaUrl: null,
      client: null,
    });
    media.attach(http);
    try {
      expect(await connect(base, key.sid, key.secret)).toBe('open');
      expect(await connect(base, accountSid, 'the-auth-token')).toBe('open');
      expect(await connect(base, key.sid, 'the-auth-token')).toBe(401);
      expect(await connect(base, accountSid, key.secret)).toBe(401);
    } finally {
      await media.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
