import { randomBytes } from 'node:crypto';
import jsonwebtoken from 'jsonwebtoken';
import twilio from 'twilio';
import { Workspace } from 'twilio-taskrouter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores } from '../helpers/both-stores.js';
import { startServer, type TestServer } from '../helpers/server.js';

const key = { sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') };

const STORES = bothStores('bridge-requests');

function token(server: TestServer, grant: { workspaceSid: string; workerSid?: string; role: string }, signer = key): string {
  const jwt = new twilio.jwt.AccessToken(server.accountSid, signer.sid, signer.secret, { identity: grant.workerSid ?? 'supervisor', ttl: 600 });
  jwt.addGrant(new twilio.jwt.AccessToken.TaskRouterGrant(grant));
  return jwt.toJwt();
}

interface Answer {
  status: number;
  body: { payload?: any; code?: number; message?: string; status?: number };
}

/** A request as the worker SDK sends it: a JSON envelope posted as a form, with its apiVersion header. */
async function bridge(
  server: TestServer,
  jwt: string,
  url: string,
  method: 'GET' | 'POST',
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${server.url}/v1/wschannels`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', apiVersion: 'v1', clientVersion: '2.1.1', ...headers },
    body: JSON.stringify({ url, method, params, token: jwt }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

describe.each(STORES)('the worker SDK bridge: requests (%s store)', (_name, makeStore) => {
  let server: TestServer;
  let ws: string;
  let alice: string;
  let bob: string;
  let queue: string;
  let workflow: string;
  let idle: string;

  beforeAll(async () => {
    server = await startServer({ store: await makeStore(), apiKeys: [key] });
    const tr = server.client.taskrouter.v1.workspaces((await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Bridge' })).sid);
    ws = (await tr.fetch()).sid;
    const activities = await tr.activities.list();
    idle = activities.find((a) => a.friendlyName === 'Available')!.sid;
    alice = (await tr.workers.create({ friendlyName: 'alice', attributes: JSON.stringify({ skills: ['en'] }) })).sid;
    bob = (await tr.workers.create({ friendlyName: 'bob' })).sid;
    queue = (await tr.taskQueues.create({ friendlyName: 'English', targetWorkers: "skills HAS 'en'" })).sid;
    workflow = (
      await tr.workflows.create({
        friendlyName: 'Route',
        configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } }),
      })
    ).sid;
  });
  afterAll(() => server.close());

  it("answers a worker's bootstrap with SDK payloads: epoch seconds, versions, lists of contents", async () => {
    const jwt = token(server, { workspaceSid: ws, workerSid: alice, role: 'worker' });
    const worker = await bridge(server, jwt, `Workspaces/${ws}/Workers/${alice}`, 'GET');
    expect(worker.status).toBe(200);
    expect(worker.body.payload).toMatchObject({
      sid: alice,
      friendly_name: 'alice',
      workspace_sid: ws,
      account_sid: server.accountSid,
      version: expect.any(Number),
    });
    expect(Number.isInteger(worker.body.payload.date_created)).toBe(true);
    expect(Math.abs(worker.body.payload.date_created - Date.now() / 1000)).toBeLessThan(600);

    const activities = await bridge(server, jwt, `Workspaces/${ws}/Activities`, 'GET', { PageSize: 1000 });
    expect(activities.body.payload.after_sid).toBeNull();
    expect(activities.body.payload.contents.map((a: { friendly_name: string }) => a.friendly_name).sort()).toEqual(['Available', 'Offline', 'Unavailable']);

    const channels = await bridge(server, jwt, `Workspaces/${ws}/Workers/${alice}/WorkerChannels`, 'GET', { PageSize: 1000 });
    expect(channels.body.payload.contents.length).toBeGreaterThan(0);
    expect(channels.body.payload.contents[0]).toMatchObject({
      worker_sid: alice,
      configured_capacity: expect.any(Number),
      task_channel_unique_name: expect.any(String),
    });

    const reservations = await bridge(
      server,
      jwt,
      `Workspaces/${ws}/Workers/${alice}/Reservations`,
      'GET',
      { Active: 'true', PageSize: 1000 },
      { apiVersion: 'v2' },
    );
    expect(reservations.body.payload).toEqual({ contents: [], after_sid: null, meta: { next_token: null } });
  });

  it('lets a worker go available, take a reservation with its task embedded, and complete the task', async () => {
    const jwt = token(server, { workspaceSid: ws, workerSid: alice, role: 'worker' });
    const available = await bridge(server, jwt, `Workspaces/${ws}/Workers/${alice}`, 'POST', { ActivitySid: idle });
    expect(available.body.payload).toMatchObject({ activity_sid: idle, available: true });

    const task = await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: JSON.stringify({ caller: '+15550001' }) });
    const listed = await bridge(server, jwt, `Workspaces/${ws}/Workers/${alice}/Reservations`, 'GET', { Active: 'true', PageSize: 1000 });
    const [reservation] = listed.body.payload.contents;
    expect(reservation).toMatchObject({ worker_sid: alice, reservation_status: 'pending', reservation_timeout: expect.any(Number) });
    expect(reservation.task).toMatchObject({ sid: task.sid, queue_sid: queue, queue_name: 'English', workflow_name: 'Route', assignment_status: 'reserved' });
    expect(JSON.parse(reservation.task.attributes)).toEqual({ caller: '+15550001' });

    const accepted = await bridge(server, jwt, `Workspaces/${ws}/Workers/${alice}/Reservations/${reservation.sid}`, 'POST', { ReservationStatus: 'accepted' });
    expect(accepted.body.payload).toMatchObject({ sid: reservation.sid, reservation_status: 'accepted' });

    const changed = await bridge(server, jwt, `Workspaces/${ws}/Tasks/${task.sid}`, 'POST', { Attributes: { caller: '+15550001', note: 'vip' } });
    expect(JSON.parse(changed.body.payload.attributes)).toEqual({ caller: '+15550001', note: 'vip' });

    const done = await bridge(server, jwt, `Workspaces/${ws}/Tasks/${task.sid}`, 'POST', { AssignmentStatus: 'completed', Reason: 'resolved' });
    expect(done.body.payload).toMatchObject({ assignment_status: 'completed', reason: 'resolved' });
  });

  it('honours If-Match on a worker update: a stale version changes nothing', async () => {
    const jwt = token(server, { workspaceSid: ws, workerSid: alice, role: 'worker' });
    const before = (await bridge(server, jwt, `Workspaces/${ws}/Workers/${alice}`, 'GET')).body.payload;
    const stale = await bridge(
      server,
      jwt,
      `Workspaces/${ws}/Workers/${alice}`,
      'POST',
      { Attributes: { skills: ['en'], x: 1 } },
      { 'If-Match': String(before.version - 1) },
    );
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 20412, status: 412, message: expect.any(String) });
    const fresh = await bridge(
      server,
      jwt,
      `Workspaces/${ws}/Workers/${alice}`,
      'POST',
      { Attributes: { skills: ['en'], x: 2 } },
      { 'If-Match': String(before.version) },
    );
    expect(JSON.parse(fresh.body.payload.attributes)).toEqual({ skills: ['en'], x: 2 });
  });

  it('refuses a worker token everything that is not its own, changing nothing', async () => {
    const jwt = token(server, { workspaceSid: ws, workerSid: bob, role: 'worker' });
    const otherWs = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Other' })).sid;
    const task = await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: '{}' });
    const before = await server.client.taskrouter.v1.workspaces(ws).workers(alice).fetch();
    const attempts: Array<[string, 'GET' | 'POST', Record<string, unknown>]> = [
      [`Workspaces/${ws}/Workers/${alice}`, 'GET', {}],
      [`Workspaces/${ws}/Workers/${alice}`, 'POST', { ActivitySid: idle, Attributes: { hacked: true } }],
      [`Workspaces/${ws}/Workers/${alice}/Reservations`, 'GET', { Active: 'true' }],
      [`Workspaces/${ws}/Tasks/${task.sid}`, 'GET', {}],
      [`Workspaces/${ws}/Tasks/${task.sid}`, 'POST', { AssignmentStatus: 'canceled' }],
      [`Workspaces/${ws}/Tasks`, 'POST', { WorkflowSid: workflow, RoutingTarget: alice, Attributes: {} }],
      [`Workspaces/${ws}/Workers`, 'GET', {}],
      [`Workspaces/${ws}/TaskQueues`, 'GET', {}],
      [`Workspaces/${otherWs}/Activities`, 'GET', {}],
      [`Workspaces/${otherWs}/Workers/${bob}`, 'GET', {}],
    ];
    for (const [url, method, params] of attempts) {
      const answer = await bridge(server, jwt, url, method, params);
      expect(answer.status, `${method} ${url}`).toBe(403);
      expect(answer.body).toMatchObject({ code: 20403, status: 403, message: expect.any(String) });
    }
    const after = await server.client.taskrouter.v1.workspaces(ws).workers(alice).fetch();
    expect(after.attributes).toBe(before.attributes);
    expect((await server.client.taskrouter.v1.workspaces(ws).tasks(task.sid).fetch()).assignmentStatus).not.toBe('canceled');
  });

  it('refuses expired, foreign and missing tokens, and malformed envelopes, in Twilio format', async () => {
    const stranger = { sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') };
    const foreign = token(server, { workspaceSid: ws, workerSid: alice, role: 'worker' }, stranger);
    const expired = jwtExpired(server, ws, alice);
    for (const [jwt, code] of [
      [foreign, 20103],
      [expired, 20104],
    ] as const) {
      const answer = await bridge(server, jwt, `Workspaces/${ws}/Workers/${alice}`, 'GET');
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ code, status: 401 });
    }
    for (const body of ['not json', '[1,2]', JSON.stringify({ url: 'Workspaces', method: 'GET' }), JSON.stringify({ url: '', method: 'GET', token: 'x' })]) {
      const res = await fetch(`${server.url}/v1/wschannels`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body });
      expect([400, 401]).toContain(res.status);
      expect(await res.json()).toMatchObject({ code: expect.any(Number), message: expect.any(String), more_info: expect.any(String) });
    }
    const jwt = token(server, { workspaceSid: ws, workerSid: alice, role: 'worker' });
    const unknown = await bridge(server, jwt, `Workspaces/${ws}/Nothing`, 'GET');
    expect(unknown.status).toBe(404);
    const badMethod = await bridge(server, jwt, `Workspaces/${ws}/Activities`, 'DELETE' as 'GET');
    expect(badMethod.status).toBe(400);
  });

  it('lets a worker create outbound work routed to itself', async () => {
    const jwt = token(server, { workspaceSid: ws, workerSid: alice, role: 'worker' });
    const created = await bridge(server, jwt, `Workspaces/${ws}/Tasks`, 'POST', {
      WorkflowSid: workflow,
      TaskQueueSid: queue,
      RoutingTarget: alice,
      TaskChannelUniqueName: 'voice',
      Attributes: { outbound_to: '+15550002', from: '+15550003' },
    });
    expect(created.status).toBe(200);
    expect(created.body.payload).toMatchObject({ routing_target: alice, task_channel_unique_name: 'voice' });
    expect(JSON.parse(created.body.payload.attributes)).toEqual({ outbound_to: '+15550002', from: '+15550003' });
  });

  it("answers the SDK's Workspace class for an admin token: workers, queues and tasks", async () => {
    const jwt = token(server, { workspaceSid: ws, role: 'admin' });
    const workspace = new Workspace(jwt, { ebServer: `${server.url}/v1/wschannels`, logLevel: 'error' });
    const workers = await workspace.fetchWorkers();
    expect([...workers.keys()].sort()).toEqual([alice, bob].sort());
    const ordered = await workspace.fetchWorkers({ Ordering: 'FriendlyName:desc' } as object);
    expect([...ordered.values()].map((w) => w.friendlyName)).toEqual(['bob', 'alice']);
    expect((await workspace.fetchWorker(alice)).friendlyName).toBe('alice');
    const queues = await workspace.fetchTaskQueues();
    expect([...queues.values()].map((q) => q.queueName)).toContain('English');
    expect((await workspace.fetchTaskQueue(queue)).sid).toBe(queue);
    const task = await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow, attributes: JSON.stringify({ n: 1 }) });
    const fetched = await workspace.fetchTask(task.sid);
    expect(fetched.sid).toBe(task.sid);
    expect(fetched.attributes).toEqual({ n: 1 });
  });

  it('answers a browser pre-flight for the headers the SDK sends', async () => {
    const res = await fetch(`${server.url}/v1/wschannels`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://agent.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'apiversion,clientversion,if-match,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://agent.example');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('apiversion');
  });
});

/** A worker token signed with the configured key that expired a minute ago. */
function jwtExpired(server: TestServer, ws: string, workerSid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const grants = { identity: 'alice', task_router: { workspace_sid: ws, worker_sid: workerSid, role: 'worker' } };
  return jsonwebtoken.sign({ jti: `${key.sid}-${now}`, grants, iss: key.sid, sub: server.accountSid, iat: now - 120, exp: now - 60 }, key.secret, {
    header: { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' },
  });
}
