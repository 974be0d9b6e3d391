import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores } from '../helpers/both-stores.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { SIGNING_KEY } from '../realtime/sdk-helpers.js';
import { screenshot, useBrowser } from './browser.js';
import { boardWorkspace, eventually, rowText, tileValue, wallboardLink } from './wallboard-helpers.js';

describe.each(bothStores('wallboard'))('the wallboard follows tasks and agents live (%s store)', (storeName, openStore) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ store: await openStore(), apiKeys: [SIGNING_KEY], startEngine: true, engine: { timerIntervalMs: 50 } });
  });
  afterAll(() => server.close());
  const browser = useBrowser();

  it('counts waiting tasks, longest wait, agents by activity, service level and abandoned tasks as they change', async () => {
    const w = await boardWorkspace(server);
    const tr = server.client.taskrouter.v1.workspaces(w.workspaceSid);
    const page = await browser.open(wallboardLink(server, w.workspaceSid));
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await eventually(() => tileValue(page, 'Tasks waiting'), '0');
    expect(await tileValue(page, 'Longest wait')).toBe('—');
    expect(await tileValue(page, 'Agents offline')).toBe('2');
    expect(await tileValue(page, 'Service level, 30 min')).toBe('—');

    // A caller comes in: nobody is available, so they wait in Support.
    const call = await tr.tasks.create({ workflowSid: w.workflowSid, attributes: JSON.stringify({ from: '+15550100' }) });
    await eventually(() => tileValue(page, 'Tasks waiting'), '1');
    await eventually(async () => /^\d+s$/.test((await tileValue(page, 'Longest wait')) ?? ''), true);
    await eventually(async () => (await rowText(page, 'Queues', 'Support'))?.startsWith('Support1'), true);
    expect(await rowText(page, 'Waiting tasks', '+15550100 default')).toContain('in queue');

    // Alice comes in: her row follows, and the caller is offered to her.
    await tr.workers(w.alice).update({ activitySid: w.activities.Available });
    await eventually(async () => (await rowText(page, 'Agents', 'Alice'))?.includes('Available'), true);
    await eventually(async () => (await rowText(page, 'Waiting tasks', '+15550100 default'))?.includes('offered to Alice'), true);
    expect(await tileValue(page, 'Agents offline')).toBe('1');

    // She accepts: nobody waits, the service level counts one answer within 20 s, and she holds the task.
    const [reservation] = await tr.tasks(call.sid).reservations.list();
    await tr.tasks(call.sid).reservations(reservation!.sid).update({ reservationStatus: 'accepted' });
    await eventually(() => tileValue(page, 'Tasks waiting'), '0');
    await eventually(() => tileValue(page, 'Service level, 30 min'), '100%');
    expect(await tileValue(page, 'Service level, today')).toBe('100%');
    await eventually(async () => (await rowText(page, 'Agents', 'Alice'))?.includes('+15550100'), true);
    expect(await tileValue(page, 'Agents busy')).toBe('1');

    // A sales caller waits for Bob, who is offline, and hangs up: abandoned, and the service level drops to 1 of 2.
    const sale = await tr.tasks.create({ workflowSid: w.workflowSid, attributes: JSON.stringify({ type: 'sales', from: '+15550101' }) });
    await eventually(async () => (await rowText(page, 'Queues', 'Sales'))?.startsWith('Sales1'), true);
    await tr.tasks(sale.sid).update({ assignmentStatus: 'canceled', reason: 'hang up' });
    await eventually(() => tileValue(page, 'Abandoned, 30 min'), '1');
    await eventually(() => tileValue(page, 'Service level, 30 min'), '50%');
    await eventually(async () => (await rowText(page, 'Queues', 'Sales'))?.startsWith('Sales0'), true);

    // Alice finishes: her task leaves her row.
    await tr.tasks(call.sid).update({ assignmentStatus: 'wrapping' });
    await eventually(async () => (await rowText(page, 'Agents', 'Alice'))?.includes('wrapping'), true);
    await tr.tasks(call.sid).update({ assignmentStatus: 'completed', reason: 'done' });
    await eventually(async () => (await rowText(page, 'Agents', 'Alice'))?.includes('+15550100'), false);
    if (storeName === 'memory') await screenshot(page, 'wallboard-live');
  });
});
