import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'twilio-taskrouter';
import { bothStores } from '../helpers/both-stores.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { next, readyWorker, sdkToken, SIGNING_KEY, until } from './sdk-helpers.js';

const STORES = bothStores('worker-sessions');

describe.each(STORES)('the worker SDK bridge: sessions (%s store)', (_name, makeStore) => {
  let server: TestServer;
  let ws: string;
  let available: string;
  let offline: string;
  const workers: Worker[] = [];

  beforeAll(async () => {
    server = await startServer({
      store: await makeStore(),
      apiKeys: [SIGNING_KEY],
      bridge: { offlineGraceMs: 300, heartbeatIntervalMs: 200, bootstrapSettleMs: 20, maxHoldMs: 1000 },
    });
    const tr = server.client.taskrouter.v1.workspaces((await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Sessions' })).sid);
    ws = (await tr.fetch()).sid;
    const activities = await tr.activities.list();
    available = activities.find((a) => a.friendlyName === 'Available')!.sid;
    offline = activities.find((a) => a.friendlyName === 'Offline')!.sid;
  });
  afterEach(() => {
    for (const worker of workers.splice(0)) worker.disconnect();
  });
  afterAll(() => server.close());

  async function newWorker(name: string): Promise<string> {
    return (await server.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: name })).sid;
  }

  it('connects the real SDK: init, bootstrap, then its activity changes through the bridge', async () => {
    const sid = await newWorker('alice');
    const worker = await readyWorker(server, ws, sid);
    workers.push(worker);
    expect(worker.sid).toBe(sid);
    expect(worker.workspaceSid).toBe(ws);
    expect([...worker.activities.values()].map((a) => a.name).sort()).toEqual(['Available', 'Offline', 'Unavailable']);
    expect(worker.activity.name).toBe('Offline');
    await worker.activities.get(available)!.setAsCurrent();
    expect((await server.client.taskrouter.v1.workspaces(ws).workers(sid).fetch()).activitySid).toBe(available);
    const updated = await worker.setAttributes({ skills: ['en'] });
    expect(updated.attributes).toEqual({ skills: ['en'] });
  });

  it('takes a worker offline once its last session has been gone for the grace period, not while one remains', async () => {
    const sid = await newWorker('bob');
    const first = await readyWorker(server, ws, sid);
    const second = await readyWorker(server, ws, sid);
    workers.push(second);
    await first.activities.get(available)!.setAsCurrent();
    first.disconnect();
    // One session left: still available once the grace period has passed.
    await new Promise((r) => setTimeout(r, 600));
    expect((await server.client.taskrouter.v1.workspaces(ws).workers(sid).fetch()).activitySid).toBe(available);
    second.disconnect();
    workers.splice(0);
    await until(async () => (await server.client.taskrouter.v1.workspaces(ws).workers(sid).fetch()).activitySid === offline, 'the worker to go offline');
  });

  it('leaves a worker as it is when it asked not to be taken offline', async () => {
    const sid = await newWorker('carol');
    const worker = await readyWorker(server, ws, sid, { setWorkerOfflineIfDisconnected: false });
    await worker.activities.get(available)!.setAsCurrent();
    worker.disconnect();
    await new Promise((r) => setTimeout(r, 600));
    expect((await server.client.taskrouter.v1.workspaces(ws).workers(sid).fetch()).activitySid).toBe(available);
  });

  it('closes the other sessions of a worker that connects with closeExistingSessions, and refuses their reconnect', async () => {
    const sid = await newWorker('dave');
    const old = await readyWorker(server, ws, sid);
    const disconnected = next<{ message: string }>(old, 'disconnected');
    // Signed anew (another lifetime): two logins a second apart would be two tokens, as here.
    const fresh = await readyWorker(
      server,
      ws,
      sid,
      { closeExistingSessions: true },
      sdkToken(server, { workspaceSid: ws, workerSid: sid, role: 'worker' }, 900),
    );
    workers.push(fresh, old);
    expect((await disconnected).message).toMatch(/Another session/);
    // The old token is refused from now on: its automatic reconnects do not take the worker back.
    const oldToken = (old as unknown as { _config: { token: string } })._config.token;
    const status = await upgradeStatus(`${server.url.replace(/^http/, 'ws')}/v1/wschannels?token=${oldToken}&closeExistingSessions=false`);
    expect(status).toBe(403);
  });

  it('refuses a socket with no token, an expired token or one signed by another key', async () => {
    const sid = await newWorker('erin');
    const base = `${server.url.replace(/^http/, 'ws')}/v1/wschannels`;
    expect(await upgradeStatus(base)).toBe(401);
    expect(await upgradeStatus(`${base}?token=${expiredToken(server, ws, sid)}`)).toBe(401);
    expect(await upgradeStatus(`${base}?token=garbage`)).toBe(401);
  });

  it("stops following a workspace's events once its last socket is gone, even one whose client left mid-handshake", async () => {
    const sid = await newWorker('gail');
    const token = sdkToken(server, { workspaceSid: ws, workerSid: sid, role: 'worker' });
    const { port } = new URL(server.url);
    // A client that sends its upgrade and resets the connection at once.
    const raw = connect(Number(port), '127.0.0.1', () => {
      raw.write(
        `GET /v1/wschannels?token=${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
      );
      raw.resetAndDestroy();
    });
    raw.on('error', () => {});
    const worker = await readyWorker(server, ws, sid, { setWorkerOfflineIfDisconnected: false });
    expect(server.bridge.followedWorkspaces).toBeGreaterThan(0);
    worker.disconnect();
    await until(() => server.bridge.followedWorkspaces === 0, 'no workspace followed');
  });

  it('sends init with the token lifetime in milliseconds, then heartbeats, and closes when the token expires', async () => {
    const sid = await newWorker('frank');
    const socket = new WebSocket(
      `${server.url.replace(/^http/, 'ws')}/v1/wschannels?token=${sdkToken(server, { workspaceSid: ws, workerSid: sid, role: 'worker' }, 2)}`,
    );
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(String(data)));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await until(() => frames.length >= 2, 'init and a heartbeat');
    const init = JSON.parse(frames[0]!) as { event_type: string; payload: Record<string, unknown> };
    expect(init).toMatchObject({ event_type: 'init', payload: { channel_id: sid, workspace_sid: ws, account_sid: server.accountSid } });
    expect(init.payload.token_lifetime).toBeGreaterThan(0);
    expect(init.payload.token_lifetime).toBeLessThanOrEqual(2000);
    expect(frames[1]!.trim()).toBe('');
    expect(await closed).toBe(4001);
  });
});

/** The HTTP status an upgrade is answered with: 101 when it is accepted. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => {});
  });
}

function expiredToken(server: TestServer, ws: string, workerSid: string): string {
  // A token for one second, checked after it has run out.
  return sdkToken(server, { workspaceSid: ws, workerSid, role: 'worker' }, -60);
}
