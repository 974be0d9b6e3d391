import type { WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { sdkToken, SIGNING_KEY } from '../realtime/sdk-helpers.js';
import { screenshot, useBrowser } from './browser.js';
import { boardWorkspace, eventually, rowNames, rowText, tileValue, wallboardLink, type BoardWorkspace } from './wallboard-helpers.js';

describe('the wallboard, as a supervisor uses it', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ apiKeys: [SIGNING_KEY], startEngine: true, engine: { timerIntervalMs: 50 } });
  });
  afterAll(() => server.close());
  const browser = useBrowser();

  /** Alice (Support) holds a call she accepted; a sales caller waits for Bob, who is offline. */
  async function busyCentre(): Promise<BoardWorkspace & { call: string; sale: string }> {
    const w = await boardWorkspace(server);
    const tr = server.client.taskrouter.v1.workspaces(w.workspaceSid);
    await tr.workers(w.alice).update({ activitySid: w.activities.Available });
    const call = await tr.tasks.create({ workflowSid: w.workflowSid, attributes: JSON.stringify({ from: '+15550200' }) });
    const [reservation] = await tr.tasks(call.sid).reservations.list();
    await tr.tasks(call.sid).reservations(reservation!.sid).update({ reservationStatus: 'accepted' });
    const sale = await tr.tasks.create({ workflowSid: w.workflowSid, attributes: JSON.stringify({ type: 'sales', from: '+15550201' }) });
    return { ...w, call: call.sid, sale: sale.sid };
  }

  it('shows what happened before it opened: tasks held and waiting, and the day’s figures', async () => {
    const w = await busyCentre();
    const tr = server.client.taskrouter.v1.workspaces(w.workspaceSid);
    for (const [friendlyName, skill, activity] of [
      ['Carol', 'support', w.activities.Break],
      ['Dan', 'sales', w.activities.Unavailable],
    ] as const) {
      await tr.workers.create({ friendlyName, attributes: JSON.stringify({ skills: [skill] }), activitySid: activity });
    }
    await tr.tasks.create({ workflowSid: w.workflowSid, attributes: JSON.stringify({ type: 'sales', name: 'Dana Scully' }), priority: 5 });
    const page = await browser.open(wallboardLink(server, w.workspaceSid));
    await eventually(() => tileValue(page, 'Tasks waiting'), '2');
    expect(await rowText(page, 'Agents', 'Alice')).toContain('+15550200');
    expect(await tileValue(page, 'Agents busy')).toBe('3');
    expect(await rowText(page, 'Waiting tasks', '+15550201 default')).toContain('Sales');
    expect(await tileValue(page, 'Service level, today')).toBe('100%');
    // The chart's hour is rebuilt from the Events API: one task has waited, and one waits now.
    expect(await page.getByRole('region', { name: 'Last hour' }).textContent()).toContain('at most 2 in the last hour');
    await screenshot(page, 'wallboard');
  });

  it('changes an agent’s activity', async () => {
    const w = await busyCentre();
    const page = await browser.open(wallboardLink(server, w.workspaceSid));
    await page.getByRole('combobox', { name: 'Change activity of Bob' }).selectOption({ label: 'Break' });
    await eventually(async () => (await server.client.taskrouter.v1.workspaces(w.workspaceSid).workers(w.bob).fetch()).activityName, 'Break');
    await eventually(async () => (await rowText(page, 'Agents', 'Bob'))?.includes('Break'), true);
  });

  it('cancels a stuck waiting task with a reason, after asking, and counts it abandoned', async () => {
    const w = await busyCentre();
    const tr = server.client.taskrouter.v1.workspaces(w.workspaceSid);
    const page = await browser.open(wallboardLink(server, w.workspaceSid));
    const waiting = page.getByRole('table', { name: 'Waiting tasks' });
    await waiting.getByRole('button', { name: 'Cancel task +15550201' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel task +15550201?' });
    // Thinking better of it changes nothing.
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await tr.tasks(w.sale).fetch()).assignmentStatus).toBe('pending');

    await waiting.getByRole('button', { name: 'Cancel task +15550201' }).click();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Caller already called back');
    await dialog.getByRole('button', { name: 'Cancel task' }).click();
    await eventually(async () => {
      const task = await tr.tasks(w.sale).fetch();
      return [task.assignmentStatus, task.reason];
    }, ['canceled', 'Caller already called back']);
    await eventually(() => tileValue(page, 'Abandoned, 30 min'), '1');
    await eventually(() => tileValue(page, 'Tasks waiting'), '0');
  });

  it('force-completes a task an agent holds, freeing the agent', async () => {
    const w = await busyCentre();
    const tr = server.client.taskrouter.v1.workspaces(w.workspaceSid);
    const page = await browser.open(wallboardLink(server, w.workspaceSid));
    await page.getByRole('table', { name: 'Agents' }).getByRole('button', { name: 'Complete task +15550200' }).click();
    await page.getByRole('dialog', { name: 'Complete task +15550200?' }).getByRole('button', { name: 'Complete task' }).click();
    await eventually(async () => (await tr.tasks(w.call).fetch()).assignmentStatus, 'completed');
    await eventually(async () => (await rowText(page, 'Agents', 'Alice'))?.includes('+15550200'), false);
    await eventually(() => tileValue(page, 'Agents available'), '1');
  });

  it('filters queues, agents and waiting tasks by queue, and agents by activity; takes another service level threshold', async () => {
    const w = await busyCentre();
    const page = await browser.open(wallboardLink(server, w.workspaceSid));
    await eventually(() => rowNames(page, 'Agents'), ['Alice', 'Bob']);
    expect(await rowNames(page, 'Queues')).toEqual(['Sales', 'Support']);

    await page.getByRole('combobox', { name: 'Queue', exact: true }).selectOption({ label: 'Support' });
    await eventually(() => rowNames(page, 'Agents'), ['Alice']);
    expect(await rowNames(page, 'Queues')).toEqual(['Support']);
    expect(await page.getByRole('table', { name: 'Waiting tasks' }).textContent()).toContain('Nobody is waiting');
    expect(await tileValue(page, 'Tasks waiting')).toBe('0');

    await page.getByRole('combobox', { name: 'Queue', exact: true }).selectOption({ label: 'All queues' });
    await page.getByRole('combobox', { name: 'Activity', exact: true }).selectOption({ label: 'Offline' });
    await eventually(() => rowNames(page, 'Agents'), ['Bob']);
    expect(await tileValue(page, 'Tasks waiting')).toBe('1');

    // A stricter threshold: the statistics are read again, split there.
    await page.getByRole('spinbutton', { name: 'Service level threshold (seconds)' }).fill('5');
    await page.getByRole('spinbutton', { name: 'Service level threshold (seconds)' }).press('Enter');
    await eventually(async () => page.getByRole('group', { name: 'Service level, today' }).textContent(), 'Service level, today100%1 of 1 within 5s');
  });

  it('reopens a dropped feed and reads the board again, so nothing that happened meanwhile is missed', async () => {
    const w = await boardWorkspace(server);
    const tr = server.client.taskrouter.v1.workspaces(w.workspaceSid);
    const page = await browser.open('about:blank');
    // The page's feed goes through Playwright, which can cut it, and hold the reconnection until told.
    const feeds: WebSocketRoute[] = [];
    let letReconnect = () => {};
    const reconnectAllowed = new Promise<void>((resolve) => (letReconnect = resolve));
    await page.routeWebSocket(/\/v1\/wschannels/, async (ws) => {
      feeds.push(ws);
      if (feeds.length > 1) await reconnectAllowed;
      ws.connectToServer();
    });
    await page.goto(wallboardLink(server, w.workspaceSid));
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await tr.tasks.create({ workflowSid: w.workflowSid, attributes: '{}' });
    await eventually(() => tileValue(page, 'Tasks waiting'), '1');

    await feeds[0]!.close();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    await tr.tasks.create({ workflowSid: w.workflowSid, attributes: '{}' });
    letReconnect();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await eventually(() => tileValue(page, 'Tasks waiting'), '2');
    expect(feeds.length).toBe(2);
  });

  describe('when the API refuses', () => {
    // The browser reports each refused request on its console; the page shows the refusal itself, as tested here.
    // A link expiring as the feed connects has its socket refused too, which the browser reports the same way.
    const browser = useBrowser({ allowedErrors: /Failed to load resource: the server responded with a status of (400|401)|WebSocket connection to .* failed/ });

    it('shows the API’s refusal when an action comes too late, and changes nothing', async () => {
      const w = await busyCentre();
      const tr = server.client.taskrouter.v1.workspaces(w.workspaceSid);
      const page = await browser.open(wallboardLink(server, w.workspaceSid));
      await page.getByRole('table', { name: 'Waiting tasks' }).getByRole('button', { name: 'Cancel task +15550201' }).click();
      // Meanwhile Bob comes in and takes the caller: the task can no longer be canceled.
      await tr.workers(w.bob).update({ activitySid: w.activities.Available });
      const [reservation] = await tr.tasks(w.sale).reservations.list();
      await tr.tasks(w.sale).reservations(reservation!.sid).update({ reservationStatus: 'accepted' });
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel task' }).click();
      await page.getByRole('alert').waitFor();
      expect((await tr.tasks(w.sale).fetch()).assignmentStatus).toBe('assigned');
    });

    it('signs in with the account pair, picks a workspace and follows it live', async () => {
      const w = await boardWorkspace(server, 'Second floor');
      const page = await browser.open(`${server.url}/wallboard`);
      await page.getByRole('textbox', { name: 'Key or account SID' }).fill(server.accountSid);
      await page.getByLabel('Secret').fill('not the token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The page says so itself: the API sends its pages no Basic challenge, which would open the browser's own dialog.
      await page.getByRole('alert').waitFor();
      const challenge = async (headers: Record<string, string>) =>
        (await fetch(`${server.url}/v1/Workspaces`, { headers: { Authorization: `Basic ${btoa('AC0:wrong')}`, ...headers } })).headers.get('www-authenticate');
      expect(await challenge({ 'Sec-Fetch-Site': 'same-origin' })).toBeNull();
      expect(await challenge({})).toMatch(/^Basic/);
      await page.getByLabel('Secret').fill(server.authToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('combobox', { name: 'Workspace' }).selectOption({ label: 'Second floor' });
      await page.getByRole('button', { name: 'Show the wallboard' }).click();
      await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
      await server.client.taskrouter.v1.workspaces(w.workspaceSid).tasks.create({ workflowSid: w.workflowSid, attributes: '{}' });
      await eventually(() => tileValue(page, 'Tasks waiting'), '1');
    }, 20_000);

    it('refuses a worker’s sign-in link, and stops with a message when its own link expires', async () => {
      const w = await boardWorkspace(server);
      const workerLink = `${server.url}/wallboard#token=${sdkToken(server, { workspaceSid: w.workspaceSid, workerSid: w.alice, role: 'worker' })}`;
      const page = await browser.open(workerLink);
      expect(await page.getByRole('alert').textContent()).toContain('admin token');

      // Whether it expires before the board is read or after, the page stops and says why.
      const shortLived = await browser.open(`${server.url}/wallboard#token=${sdkToken(server, { workspaceSid: w.workspaceSid, role: 'admin' }, 2)}`);
      await shortLived.getByRole('status').filter({ hasText: 'Stopped' }).waitFor({ timeout: 15_000 });
      expect(await shortLived.getByRole('alert').textContent()).toMatch(/expired/i);
    }, 20_000);
  });
});
