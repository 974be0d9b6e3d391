import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { sdkToken, SIGNING_KEY } from './sdk-helpers.js';

let server: TestServer;
let ws: string;
let worker: string;
let task: string;

beforeAll(async () => {
  server = await startServer({ apiKeys: [SIGNING_KEY] });
  const workspace = await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'No voice' });
  ws = workspace.sid;
  const queue = await server.client.taskrouter.v1.workspaces(ws).taskQueues.create({ friendlyName: 'All', targetWorkers: '1==1' });
  const workflow = await server.client.taskrouter.v1.workspaces(ws).workflows.create({
    friendlyName: 'All',
    configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
  });
  worker = (await server.client.taskrouter.v1.workspaces(ws).workers.create({ friendlyName: 'ann' })).sid;
  task = (await server.client.taskrouter.v1.workspaces(ws).tasks.create({ workflowSid: workflow.sid, attributes: '{"call_sid":"CA1"}' })).sid;
});
afterAll(() => server.close());

async function post(path: string, params: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const token = sdkToken(server, { workspaceSid: ws, workerSid: worker, role: 'admin' });
  const res = await fetch(`${server.url}/v1/wschannels`, {
    method: 'POST',
    body: JSON.stringify({ url: `v2/Workspaces/${ws}/Workers/${worker}/${path}`, method: 'POST', params, token }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("the worker SDK's conference calls on a server whose connector places no calls", () => {
  it('answers each with a 400 in Twilio’s format', async () => {
    for (const [path, params] of [
      ['CustomerParticipant', { TaskSid: task, Hold: true }],
      ['HoldWorkerParticipant', { TaskSid: task, TargetWorkerSid: worker, Hold: false }],
      ['KickWorkerParticipant', { TaskSid: task, TargetWorkerSid: worker }],
    ] as const) {
      const answer = await post(path, params);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 20001, status: 400, message: expect.stringMatching(/voice connector/) });
    }
  });

  it('checks its parameters first: a task is required, and must exist', async () => {
    expect((await post('CustomerParticipant', { Hold: true })).body).toMatchObject({ status: 400, message: 'TaskSid is required' });
    expect((await post('CustomerParticipant', { TaskSid: 'WT' + '0'.repeat(32), Hold: true })).status).toBe(404);
    expect((await post('WorkerParticipant', { ReservationSid: 'WR' + '0'.repeat(32), Mute: true })).status).toBe(404);
  });
});
