import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { sdkToken, SIGNING_KEY } from '../realtime/sdk-helpers.js';

describe('the REST API with a TaskRouter token (Bearer), as pages opened with a sign-in link use it', () => {
  let server: TestServer;
  let ws: string;
  let other: string;
  let worker: string;
  beforeAll(async () => {
    server = await startServer({ apiKeys: [SIGNING_KEY] });
    ws = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Board' })).sid;
    other = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Elsewhere' })).sid;
    worker = (await server.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: 'alice' })).sid;
  });
  afterAll(() => server.close());

  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}/v1${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

  it("an admin token reads and changes its own workspace's resources", async () => {
    const token = sdkToken(server, { workspaceSid: ws, role: 'admin' });
    const workers = await call(`/Workspaces/${ws}/Workers`, token);
    expect(workers.status).toBe(200);
    expect(((await workers.json()) as { workers: Array<{ sid: string }> }).workers.map((w) => w.sid)).toEqual([worker]);
    const created = await call(`/Workspaces/${ws}/TaskQueues`, token, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'FriendlyName=Sales&TargetWorkers=1%3D%3D1',
    });
    expect(created.status).toBe(201);
    expect((await call(`/Workspaces/${ws}`, token)).status).toBe(200);
  });

  it('refuses it anything outside its workspace, and refuses worker, expired and forged tokens, changing nothing', async () => {
    const token = sdkToken(server, { workspaceSid: ws, role: 'admin' });
    const before = await server.client.taskrouter.v1.workspaces(other).taskQueues.list();
    for (const [path, init] of [
      [
        `/Workspaces/${other}/TaskQueues`,
        { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'FriendlyName=X&TargetWorkers=1%3D%3D1' },
      ],
      [`/Workspaces/${other}`, {}],
      ['/Workspaces', {}],
      [`/Workspaces/${ws}x/Workers`, {}],
      ['/Connector/PhoneNumbers', {}],
    ] as const) {
      const res = await call(path, token, init);
      expect([path, res.status]).toEqual([path, 403]);
      expect(await res.json()).toMatchObject({ code: 20403, status: 403, message: expect.any(String), more_info: expect.any(String) });
    }
    expect(await server.client.taskrouter.v1.workspaces(other).taskQueues.list()).toHaveLength(before.length);

    const asWorker = await call(`/Workspaces/${ws}/Workers/${worker}`, sdkToken(server, { workspaceSid: ws, workerSid: worker, role: 'worker' }));
    expect([asWorker.status, ((await asWorker.json()) as { code: number }).code]).toEqual([403, 20403]);
    const expired = await call(`/Workspaces/${ws}/Workers`, sdkToken(server, { workspaceSid: ws, role: 'admin' }, -10));
    expect([expired.status, ((await expired.json()) as { code: number }).code]).toEqual([401, 20104]);
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await call(`/Workspaces/${ws}/Workers`, forged)).status).toBe(401);
  });
});
