import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raw } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { errorShapeProblem } from './oracle.js';

/**
 * Numbers from the query that the fuzz found the API mishandling: a `Minutes` window reaching back further than a
 * date can be written answered 500, and a `Page` beyond exact integers was echoed as `1e+23` in the list's links.
 */

let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startServer();
  const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'Input' });
  const workspace = server.client.taskrouter.v1.workspaces(ws.sid);
  const queue = await workspace.taskQueues.create({ friendlyName: 'Everyone', targetWorkers: '1==1' });
  const workflow = await workspace.workflows.create({
    friendlyName: 'Main',
    configuration: JSON.stringify({ task_routing: { default_filter: { queue: queue.sid } } }),
  });
  await workspace.workers.create({ friendlyName: 'alice' });
  await workspace.tasks.create({ workflowSid: workflow.sid, attributes: '{}' });
  base = `/v1/Workspaces/${ws.sid}`;
});

afterAll(() => server.close());

describe('Minutes reaching back before any date', () => {
  const huge = ['1000000000000', '9007199254740991'];
  const windows = ['Events', 'Statistics', 'CumulativeStatistics', 'Workers/Statistics', 'Workers/CumulativeStatistics', 'TaskQueues/Statistics'];

  for (const path of windows) {
    it(`reads ${path} from the beginning of the record`, async () => {
      for (const minutes of huge) {
        const res = await raw(server, 'GET', `${base}/${path}?Minutes=${minutes}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    });
  }

  it('lists every event, as a window from the epoch would', async () => {
    const all = await raw(server, 'GET', `${base}/Events?StartDate=1970-01-01T00:00:00Z`);
    const huge = await raw(server, 'GET', `${base}/Events?Minutes=1000000000000`);
    expect(huge.body.events.map((e: { sid: string }) => e.sid)).toEqual(all.body.events.map((e: { sid: string }) => e.sid));
    expect(huge.body.events.length).toBeGreaterThan(0);
    expect(new URL(huge.body.meta.url).searchParams.get('StartDate')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('reports the window it covered from the epoch', async () => {
    const res = await raw(server, 'GET', `${base}/CumulativeStatistics?Minutes=1000000000000`);
    expect(res.body.start_time).toBe('1970-01-01T00:00:00Z');
  });
});

describe('Page and PageSize beyond exact integers', () => {
  it.each(['99999999999999999999999', '9007199254740993', '9007199254740991'])('refuses Page=%s in Twilio format', async (page) => {
    const res = await raw(server, 'GET', `${base}/Tasks?Page=${page}&PageSize=1000`);
    expect(res.status).toBe(400);
    expect(errorShapeProblem(res.status, JSON.stringify(res.body))).toBeNull();
    expect(res.body.message).toContain('Page');
  });

  it('refuses a PageSize beyond exact integers rather than reading it as 1000', async () => {
    const res = await raw(server, 'GET', `${base}/Tasks?PageSize=99999999999999999999999`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('PageSize');
  });

  it('still serves the largest page for a large PageSize, as twilio-node sends its limit', async () => {
    const res = await raw(server, 'GET', `${base}/Tasks?PageSize=5000`);
    expect(res.status).toBe(200);
    expect(res.body.meta.page_size).toBe(1000);
  });

  it('still serves a far page that exists as a number', async () => {
    const res = await raw(server, 'GET', `${base}/Tasks?Page=1000000&PageSize=1000`);
    expect(res.status).toBe(200);
    expect(res.body.meta.page).toBe(1000000);
    expect(res.body.tasks).toEqual([]);
  });
});
