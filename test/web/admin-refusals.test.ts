import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorServer, type ConnectorServer } from '../connector/harness.js';
import { basicHeader, chooseWorkspace, openConsole, openSection, rowWith, signInAsAdmin, unique } from './admin-console.js';
import { useBrowser } from './browser.js';

let server: ConnectorServer;
beforeAll(async () => {
  server = await startConnectorServer();
});
afterAll(() => server.close());
// Chromium logs every answer of 400 the page reads as a failed resource; here those answers are what is under test.
const browser = useBrowser({ allowedErrors: /the server responded with a status of 400/ });

describe('the admin console, given input the server refuses', () => {
  it("shows the server's error for input it refuses, and nothing changes", async () => {
    const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: `Refusals ${unique()}` });
    const queue = await server.client.taskrouter.v1.workspaces(ws.sid).taskQueues.create({ friendlyName: 'Everyone', targetWorkers: '1==1' });
    const workflow = await server.client.taskrouter.v1.workspaces(ws.sid).workflows.create({
      friendlyName: 'Calls',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    });
    const numbersBefore = await (await fetch(`${server.url}/v1/Connector/PhoneNumbers`, { headers: basicHeader(server) })).json();
    const menusBefore = await (await fetch(`${server.url}/v1/Connector/IvrMenus`, { headers: basicHeader(server) })).json();

    const page = await openConsole(browser, `${server.url}/admin`);
    await signInAsAdmin(page, server.accountSid, server.authToken);
    await chooseWorkspace(page, ws.friendlyName);

    await openSection(page, 'Phone numbers');
    const newNumber = page.getByRole('form', { name: 'New phone number' });
    await newNumber.getByLabel('Phone number (E.164)').fill('555 CALL NOW');
    await newNumber.getByLabel('Workflow').selectOption({ label: 'Calls' });
    await newNumber.getByRole('button', { name: 'Create number' }).click();
    await expect.poll(() => newNumber.getByRole('alert').textContent()).toMatch(/number/i);

    await openSection(page, 'IVR menus');
    const newMenu = page.getByRole('form', { name: 'New IVR menu' });
    await newMenu.getByLabel('Menu name').fill(`refused-${unique()}`);
    await newMenu.getByLabel('Prompt').fill('Press 1.');
    await newMenu.getByLabel('Answer 1 digits').fill('1');
    await newMenu.getByLabel('Answer 1 sets attributes (JSON)').fill('{"from": "+15550000000"}');
    await newMenu.getByRole('button', { name: 'Create menu' }).click();
    await expect.poll(() => newMenu.getByRole('alert').textContent()).toMatch(/must not set from/);

    // The workflow's JSON is checked by the server's own validator before it can be saved.
    await openSection(page, 'Workflows');
    await (await rowWith(page, 'Workflows', 'Calls')).getByRole('button', { name: 'Edit workflow Calls' }).click();
    const editor = page.getByRole('form', { name: 'Edit workflow Calls' });
    await editor.getByRole('tab', { name: 'JSON' }).click();
    const missing = 'WQ' + '0'.repeat(32);
    await editor.getByLabel('Configuration (JSON)').fill(JSON.stringify({ task_routing: { default_filter: { queue: missing } } }));
    await expect.poll(() => editor.getByRole('alert').textContent()).toBe(`task_routing.default_filter.queue: unknown TaskQueue ${missing}`);
    expect(await editor.getByRole('button', { name: 'Save workflow' }).isDisabled()).toBe(true);
    // The server says the same of it.
    await expect(
      server.client.taskrouter.v1
        .workspaces(ws.sid)
        .workflows(workflow.sid)
        .update({ configuration: JSON.stringify({ task_routing: { default_filter: { queue: missing } } }) }),
    ).rejects.toMatchObject({
      status: 400,
      message: `task_routing.default_filter.queue: unknown TaskQueue ${missing}`,
    });

    expect(await (await fetch(`${server.url}/v1/Connector/PhoneNumbers`, { headers: basicHeader(server) })).json()).toEqual(numbersBefore);
    expect(await (await fetch(`${server.url}/v1/Connector/IvrMenus`, { headers: basicHeader(server) })).json()).toEqual(menusBefore);
    expect((await server.client.taskrouter.v1.workspaces(ws.sid).workflows(workflow.sid).fetch()).configuration).toBe(workflow.configuration);
  });
});
