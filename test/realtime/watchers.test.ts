import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { sdkToken, SIGNING_KEY, until } from './sdk-helpers.js';

interface Frame {
  event_type: string;
  payload: Record<string, any>;
}

describe('server-side consumers of the bridge (an admin token naming no worker)', () => {
  let server: TestServer;
  let ws: string;

  beforeAll(async () => {
    server = await startServer({ apiKeys: [SIGNING_KEY] });
    ws = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Wallboard' })).sid;
  });
  afterAll(() => server.close());

  it('hears every event of its workspace, queue events included, as the Events API shows them, and nothing of another', async () => {
    const other = (await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Elsewhere' })).sid;
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/wschannels?token=${sdkToken(server, { workspaceSid: ws, role: 'admin' })}`);
    const frames: Frame[] = [];
    socket.on('message', (data) => {
      const text = String(data);
      if (text.trim() !== '') frames.push(JSON.parse(text) as Frame);
    });
    await until(() => frames.some((f) => f.event_type === 'init'), 'init');
    expect(frames[0]!.payload).toMatchObject({ workspace_sid: ws, account_sid: server.accountSid });

    const tr = server.client.taskrouter.v1.workspaces(ws);
    const queue = await tr.taskQueues.create({ friendlyName: 'Board', targetWorkers: '1 == 2' });
    const workflow = await tr.workflows.create({
      friendlyName: 'Board',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    });
    const task = await tr.tasks.create({ workflowSid: workflow.sid, attributes: '{}' });
    await server.client.taskrouter.v1.workspaces(other).taskQueues.create({ friendlyName: 'Unseen', targetWorkers: '1 == 1' });

    await until(() => frames.some((f) => f.event_type === 'task-queue.entered'), 'the task entering its queue');
    const types = frames.map((f) => f.event_type);
    expect(types).toEqual(expect.arrayContaining(['task-queue.created', 'workflow.created', 'task.created', 'task-queue.entered']));
    // In the order they were committed: the Events API lists the same events newest first.
    // (All but the workspace's creation, which came before the socket.)
    const listed = (await tr.events.list())
      .filter((e) => e.eventType !== 'workspace.created')
      .map((e) => e.sid)
      .reverse();
    const heard = frames.filter((f) => f.event_type !== 'init').map((f) => f.payload.sid as string);
    expect(heard).toEqual(listed);
    const entered = frames.find((f) => f.event_type === 'task-queue.entered')!;
    expect(entered.payload).toMatchObject({ resource_sid: expect.any(String), event_data: { task_sid: task.sid, task_queue_sid: queue.sid } });
    expect(frames.every((f) => f.event_type === 'init' || f.payload.event_data?.workspace_sid === ws)).toBe(true);
    socket.close();
  });
});
