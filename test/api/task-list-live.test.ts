import { describe, expect, it, vi } from 'vitest';
import { bothStores } from '../helpers/both-stores.js';
import { startServer } from '../helpers/server.js';

const STORES = bothStores('task-list');

describe.each(STORES)('Task lists of live tasks (%s store)', (_name, makeStore) => {
  it('come from the index of pending and reserved tasks of the scope named, never from every task', async () => {
    const server = await startServer({ store: await makeStore() });
    try {
      const tr = server.client.taskrouter.v1.workspaces((await server.client.taskrouter.v1.workspaces.create({ friendlyName: 'live list' })).sid);
      const nobody = await tr.taskQueues.create({ friendlyName: 'Nobody', targetWorkers: '1==2' });
      const everyone = await tr.taskQueues.create({ friendlyName: 'Everyone', targetWorkers: '1==1' });
      const config = (q: string) => JSON.stringify({ task_routing: { filters: [], default_filter: { queue: q } } });
      const toNobody = await tr.workflows.create({ friendlyName: 'To nobody', configuration: config(nobody.sid) });
      const toEveryone = await tr.workflows.create({ friendlyName: 'To everyone', configuration: config(everyone.sid) });
      const available = (await tr.activities.list({ available: 'true' }))[0]!.sid;
      await tr.workers.create({ friendlyName: 'only agent', activitySid: available });

      const a1 = await tr.tasks.create({ workflowSid: toNobody.sid });
      const a2 = await tr.tasks.create({ workflowSid: toNobody.sid });
      const a3 = await tr.tasks.create({ workflowSid: toNobody.sid });
      await tr.tasks(a2.sid).update({ assignmentStatus: 'canceled', reason: 'gone' });
      // The one agent takes the first and the second waits.
      const b1 = await tr.tasks.create({ workflowSid: toEveryone.sid });
      const b2 = await tr.tasks.create({ workflowSid: toEveryone.sid });
      expect((await tr.tasks(b1.sid).fetch()).assignmentStatus).toBe('reserved');
      const sids = (list: Array<{ sid: string }>) => list.map((t) => t.sid).sort();

      const list = vi.spyOn(server.engine.store, 'list');
      expect(sids(await tr.tasks.list({ assignmentStatus: ['pending'], taskQueueSid: nobody.sid }))).toEqual(sids([a1, a3]));
      expect(sids(await tr.tasks.list({ assignmentStatus: ['reserved'], workflowSid: toEveryone.sid }))).toEqual([b1.sid]);
      expect(sids(await tr.tasks.list({ assignmentStatus: ['pending', 'reserved'] }))).toEqual(sids([a1, a3, b1, b2]));
      expect(sids(await tr.tasks.list({ assignmentStatus: ['pending'], taskQueueSid: everyone.sid, workflowSid: toNobody.sid }))).toEqual([]);
      expect(list.mock.calls.filter(([, kind]) => kind === 'task')).toEqual([]);

      // Any other status is listed from every task.
      expect(sids(await tr.tasks.list({ assignmentStatus: ['pending', 'canceled'], workflowSid: toNobody.sid }))).toEqual(sids([a1, a2, a3]));
      expect(list.mock.calls.filter(([, kind]) => kind === 'task')).toHaveLength(1);
      list.mockRestore();
    } finally {
      await server.close();
    }
  });
});
