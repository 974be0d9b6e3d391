import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothStores } from '../helpers/both-stores.js';
import type { TestServer } from '../helpers/server.js';
import { oneQueueWorkspace, startSdkServer, type OneQueueWorkspace } from '../realtime/sdk-helpers.js';
import { chooseActivity, connected, eventually, signInLink } from './agent-helpers.js';
import { screenshot, useBrowser } from './browser.js';

describe.each(bothStores('agent-desktop'))("an agent's day at the desktop (%s store)", (storeName, openStore) => {
  let server: TestServer;
  let center: OneQueueWorkspace;
  beforeAll(async () => {
    server = await startSdkServer(await openStore());
    center = await oneQueueWorkspace(server, `Desk ${storeName}`);
  });
  afterAll(() => server.close());
  const browser = useBrowser();

  it('signs in with a link, goes available, accepts a task created through the API, sees it, wraps up and completes it', async () => {
    const workspace = server.client.taskrouter.v1.workspaces(center.workspaceSid);
    const alice = await workspace.workers.create({
      friendlyName: 'Alice',
      attributes: JSON.stringify({ crm_url_template: 'https://crm.example.com/customers?phone={{task.from}}&order={{task.order.id}}' }),
    });
    const page = await browser.open(await signInLink(server, center.workspaceSid, alice.sid));
    // The token leaves the address bar at once; the tab keeps it for reloads.
    expect(new URL(page.url()).hash).toBe('');
    await connected(page);
    await eventually(() => page.getByRole('banner').textContent()).toContain('Alice');
    await chooseActivity(page, 'Available');
    await eventually(async () => (await workspace.workers(alice.sid).fetch()).activityName).toBe('Available');
    await eventually(() => page.getByLabel('Time in activity').textContent()).toMatch(/^Available · \d+s$/);

    const task = await workspace.tasks.create({
      workflowSid: center.workflowSid,
      priority: 5,
      attributes: JSON.stringify({ name: 'Ada Lovelace', from: '+15551230000', order: { id: 'A-17' } }),
    });
    const offer = page.getByRole('article', { name: 'Incoming default: Ada Lovelace' });
    await offer.waitFor();
    const offered = await offer.textContent();
    for (const fact of ['Queue: All', 'Priority: 5', '+15551230000', '{"id":"A-17"}']) expect(offered).toContain(fact);
    await eventually(() => offer.getByRole('timer', { name: 'Time left to answer' }).textContent()).toMatch(/left$/);
    await offer.getByRole('button', { name: 'Accept' }).click();

    const card = page.getByRole('article', { name: 'Ada Lovelace · default' });
    await card.waitFor();
    await eventually(() => offer.count()).toBe(0);
    expect(await card.getByRole('definition').allTextContents()).toEqual(expect.arrayContaining(['Ada Lovelace', '+15551230000']));
    expect(await card.getByRole('link', { name: 'Open in CRM' }).getAttribute('href')).toBe(
      'https://crm.example.com/customers?phone=%2B15551230000&order=A-17',
    );
    expect((await workspace.tasks(task.sid).fetch()).assignmentStatus).toBe('assigned');
    await eventually(() => page.getByRole('row', { name: /default/ }).textContent()).toContain('1 of 1');

    await card.getByLabel('Wrap-up notes').fill('Refund agreed for order A-17.');
    await card.getByRole('button', { name: 'Save notes' }).click();
    await eventually(async () => JSON.parse((await workspace.tasks(task.sid).fetch()).attributes).wrapup_notes).toBe('Refund agreed for order A-17.');
    await screenshot(page, storeName === 'memory' ? 'agent' : `agent-${storeName}`);

    await card.getByRole('button', { name: 'Wrap up' }).click();
    await card.getByRole('button', { name: 'Complete' }).click();
    await eventually(() => card.count()).toBe(0);
    const done = await workspace.tasks(task.sid).fetch();
    expect(done.assignmentStatus).toBe('completed');
    expect(JSON.parse(done.attributes)).toMatchObject({ name: 'Ada Lovelace', wrapup_notes: 'Refund agreed for order A-17.' });
  });
});
