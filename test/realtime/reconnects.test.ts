import { randomBytes } from 'node:crypto';
import type { Reservation, Worker } from 'twilio-taskrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { next, oneQueueWorkspace, readyWorker, sdkToken, SIGNING_KEY, until } from './sdk-helpers.js';

describe('the worker SDK reconnecting', () => {
  let server: TestServer;
  let ws: string;
  let available: string;
  let workflow: string;

  beforeAll(async () => {
    server = await startServer({ apiKeys: [SIGNING_KEY], bridge: { offlineGraceMs: 3000, bootstrapSettleMs: 20, maxHoldMs: 1000 } });
    ({ workspaceSid: ws, available, workflowSid: workflow } = await oneQueueWorkspace(server, 'Reconnects'));
  });
  afterAll(() => server.close());

  const newWorker = async (name: string) =>
    (await server.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: name + randomBytes(2).toString('hex') })).sid;

  it('after a dropped connection, is back without its worker changing state, and is offered work again', async () => {
    const sid = await newWorker('blip');
    const worker: Worker = await readyWorker(server, ws, sid);
    await worker.activities.get(available)!.setAsCurrent();
    const reconnected = next(worker, 'ready');
    // The network drops the connection: the server's side of it dies without a close handshake.
    for (const session of server.bridge.hub.ofWorker(ws, sid)) session.ws.terminate();
    await reconnected;
    await until(() => server.bridge.hub.ofWorker(ws, sid).length === 1, 'the new session');
    // Past the grace period the worker is still available: its new session came back within it.
    await new Promise((r) => setTimeout(r, 3500));
    expect((await server.client.taskrouter.v1.workspaces(ws).workers(sid).fetch()).activitySid).toBe(available);
    const offered = next<Reservation>(worker, 'reservationCreated');
    const task = await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: '{}' });
    expect((await offered).task.sid).toBe(task.sid);
    worker.disconnect();
  });

  it('is closed when its token expires, and comes back with the token updateToken gave it', async () => {
    const sid = await newWorker('renewed');
    // After updateToken the SDK re-arms its warning for the lifetime it was told at init less five seconds, and stops
    // reconnecting when it fires: fifteen seconds keep it (at about twenty) past the server's close and the SDK's
    // reconnect a second later, as an hour's token does.
    const short = sdkToken(server, { workspaceSid: ws, workerSid: sid, role: 'worker' }, 15);
    const worker = await readyWorker(server, ws, sid, {}, short);
    // The SDK warns five seconds before its token's lifetime (from init) runs out; the application renews it.
    await next(worker, 'tokenExpired');
    worker.updateToken(sdkToken(server, { workspaceSid: ws, workerSid: sid, role: 'worker' }, 600));
    const closed = next<{ message: string }>(worker, 'disconnected');
    const back = next(worker, 'ready');
    expect((await closed).message).toMatch(/token expired/i);
    await back;
    await until(() => server.bridge.hub.ofWorker(ws, sid).length === 1, 'the session on the new token');
    expect(server.bridge.hub.ofWorker(ws, sid)[0]!.claims.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    worker.disconnect();
  }, 40_000);
});
