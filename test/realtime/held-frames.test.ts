import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { oneQueueWorkspace, sdkToken, SIGNING_KEY, until } from './sdk-helpers.js';

interface Frame {
  event_type: string;
  payload: Record<string, any>;
}

/** A raw socket on the bridge, keeping every frame it is sent, heartbeats as `heartbeat`. */
function listen(server: TestServer, token: string): { socket: WebSocket; frames: string[] } {
  const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/wschannels?token=${token}`);
  const frames: string[] = [];
  socket.on('message', (data) => {
    const text = String(data);
    frames.push(text.trim() === '' ? 'heartbeat' : (JSON.parse(text) as Frame).event_type);
  });
  return { socket, frames };
}

describe("frames made before a worker's bootstrap is answered", () => {
  let server: TestServer;

  beforeAll(async () => {
    // Held until the bootstrap is answered (maxHoldMs far away), and sent at once then.
    server = await startServer({ apiKeys: [SIGNING_KEY], bridge: { heartbeatIntervalMs: 100, bootstrapSettleMs: 0, maxHoldMs: 60_000 } });
  });
  afterAll(() => server.close());

  it('are held, then sent in order once the SDK has fetched its active reservations', async () => {
    const { workspaceSid: ws, available, workflowSid } = await oneQueueWorkspace(server, 'Held');
    const tr = server.client.taskrouter.v1.workspaces(ws);
    const worker = await tr.workers.create({ friendlyName: 'early', activitySid: available });

    const watcher = listen(server, sdkToken(server, { workspaceSid: ws, role: 'admin' }));
    const agent = listen(server, sdkToken(server, { workspaceSid: ws, workerSid: worker.sid, role: 'worker' }));
    await until(() => watcher.frames.includes('init') && agent.frames.includes('init'), 'both sockets to open');

    await tr.tasks.create({ workflowSid, attributes: '{}' });
    await until(() => watcher.frames.includes('reservation.created'), 'the watcher to hear the offer');
    // The agent's frames are sent in order on its socket: a heartbeat sent after the offer was heard comes after it.
    const beats = agent.frames.filter((f) => f === 'heartbeat').length;
    await until(() => agent.frames.filter((f) => f === 'heartbeat').length > beats, 'a heartbeat after the offer');
    expect(agent.frames).not.toContain('reservation.created');

    // The SDK's bootstrap ends with its active reservations: the held offer follows.
    const res = await fetch(`${server.url}/v1/wschannels`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', apiVersion: 'v2' },
      body: JSON.stringify({
        url: `Workspaces/${ws}/Workers/${worker.sid}/Reservations`,
        method: 'GET',
        params: { Active: 'true', PageSize: 1000 },
        token: sdkToken(server, { workspaceSid: ws, workerSid: worker.sid, role: 'worker' }),
      }),
    });
    expect(res.status).toBe(200);
    await until(() => agent.frames.includes('reservation.created'), 'the held offer');
    watcher.socket.close();
    agent.socket.close();
  });
});
