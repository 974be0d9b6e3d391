import { jwtDecode } from 'jwt-decode';
import { describe, expect, it } from 'vitest';
import { verifyTaskRouterToken } from '../../src/access/taskrouter-token.js';
import { eventually, randomCaller, type ConnectorServer, useSimulatedTwilio } from '../connector/harness.js';
import { SIGNING_KEY } from '../realtime/sdk-helpers.js';
import type { TwilioSim } from '../twilio-sim/index.js';
import { basicHeader, chooseWorkspace, openConsole, openSection, rowWith, signInAsAdmin, unique } from './admin-console.js';
import { screenshot, useBrowser } from './browser.js';

let sim: TwilioSim;
let server: ConnectorServer;
useSimulatedTwilio({ clockSpeed: 100, startEngine: true, apiKeys: [SIGNING_KEY] }, (twilio) => ({ sim, server } = twilio));
const browser = useBrowser();

const randomNumber = () => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

const openAdmin = (hash = '') => openConsole(browser, `${server.url}/admin${hash}`);

async function workspaceNamed(name: string) {
  const all = await server.client.taskrouter.v1.workspaces.list();
  return all.find((w) => w.friendlyName === name)!;
}

describe('the admin console', () => {
  it('an admin builds a call centre through the page, and a call routes by its IVR answer', async () => {
    const page = await openAdmin();
    await signInAsAdmin(page, server.accountSid, server.authToken);

    const workspaceName = `Support desk ${unique()}`;
    await page.getByLabel('New workspace').fill(workspaceName);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect.poll(() => page.getByLabel('Workspace', { exact: true }).locator('option:checked').textContent()).toBe(workspaceName);
    const ws = await workspaceNamed(workspaceName);

    // A queue: a mistyped expression is caught as it is typed, with its position, and cannot be saved.
    await openSection(page, 'Task queues');
    const newQueue = page.getByRole('form', { name: 'New queue' });
    await newQueue.getByLabel('Queue name').fill('Sales');
    await newQueue.getByLabel('Target workers').fill("skills HAS 'sales' AND");
    const problem = newQueue.getByRole('alert');
    await expect.poll(() => problem.textContent()).toMatch(/at column 23/);
    expect(await newQueue.getByLabel('Target workers').getAttribute('aria-invalid')).toBe('true');
    expect(await newQueue.locator('.expression-error mark').count()).toBe(1);
    expect(await newQueue.getByRole('button', { name: 'Create queue' }).isDisabled()).toBe(true);
    await screenshot(page, 'admin-expression-error');
    await newQueue.getByLabel('Target workers').fill("skills HAS 'sales'");
    expect(await newQueue.getByRole('alert').count()).toBe(0);
    await newQueue.getByRole('button', { name: 'Create queue' }).click();
    await rowWith(page, 'Task queues', 'Sales');
    await newQueue.getByLabel('Queue name').fill('Support');
    await newQueue.getByLabel('Target workers').fill("skills HAS 'support'");
    await newQueue.getByRole('button', { name: 'Create queue' }).click();
    await rowWith(page, 'Task queues', 'Support');
    const queues = await server.client.taskrouter.v1.workspaces(ws.sid).taskQueues.list();
    const sales = queues.find((q) => q.friendlyName === 'Sales')!;
    const support = queues.find((q) => q.friendlyName === 'Support')!;
    expect(sales.targetWorkers).toBe("skills HAS 'sales'");

    // A workflow, built in the form: sales callers to Sales, everyone else to Support.
    await openSection(page, 'Workflows');
    const newWorkflow = page.getByRole('form', { name: 'New workflow' });
    await newWorkflow.getByLabel('Workflow name').fill('Calls');
    await newWorkflow.getByRole('button', { name: 'Add filter' }).click();
    await newWorkflow.getByLabel('Filter 1 name').fill('Sales callers');
    await newWorkflow.getByLabel('Filter 1 expression').fill("department == 'sales'");
    await newWorkflow.getByLabel('Filter 1 target 1 queue').selectOption({ label: 'Sales' });
    await newWorkflow.getByLabel('Filter 1 target 1 priority').fill('5');
    await newWorkflow.getByLabel('Default queue').selectOption({ label: 'Support' });
    // The same configuration as JSON (reached from the keyboard), and back to the form.
    await newWorkflow.getByRole('tab', { name: 'Form' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => newWorkflow.getByLabel('Configuration (JSON)').inputValue()).toContain(`"queue": "${sales.sid}"`);
    expect(await newWorkflow.getByRole('tab', { name: 'JSON' }).getAttribute('aria-selected')).toBe('true');
    await newWorkflow.getByRole('tab', { name: 'Form' }).click();
    expect(await newWorkflow.getByLabel('Filter 1 expression').inputValue()).toBe("department == 'sales'");
    await newWorkflow.getByRole('button', { name: 'Create workflow' }).click();
    await rowWith(page, 'Workflows', 'Calls');
    const [workflow] = await server.client.taskrouter.v1.workspaces(ws.sid).workflows.list();
    expect(JSON.parse(workflow!.configuration)).toEqual({
      task_routing: {
        filters: [{ filter_friendly_name: 'Sales callers', expression: "department == 'sales'", targets: [{ queue: sales.sid, priority: 5 }] }],
        default_filter: { queue: support.sid },
      },
    });

    // A worker with skills and a contact URI.
    await openSection(page, 'Workers');
    const newWorker = page.getByRole('form', { name: 'New worker' });
    await newWorker.getByLabel('Worker name').fill('alice');
    await newWorker.getByLabel('Contact URI').fill('client:alice');
    await newWorker.getByLabel('Attributes (JSON)').fill('{"skills": ["sales"]}');
    await newWorker.getByRole('button', { name: 'Create worker' }).click();
    await rowWith(page, 'Workers', 'alice');
    const [alice] = await server.client.taskrouter.v1.workspaces(ws.sid).workers.list();
    expect(JSON.parse(alice!.attributes)).toEqual({ skills: ['sales'], contact_uri: 'client:alice' });

    // An IVR menu whose answers set the department.
    await openSection(page, 'IVR menus');
    const menuName = `main-${unique()}`;
    const newMenu = page.getByRole('form', { name: 'New IVR menu' });
    await newMenu.getByLabel('Menu name').fill(menuName);
    await newMenu.getByLabel('Prompt').fill('Press 1 for sales, 2 for support.');
    await newMenu.getByLabel('Answer 1 digits').fill('1');
    await newMenu.getByLabel('Answer 1 sets attributes (JSON)').fill('{"department": "sales"}');
    await newMenu.getByRole('button', { name: 'Add answer' }).click();
    await newMenu.getByLabel('Answer 2 digits').fill('2');
    await newMenu.getByLabel('Answer 2 sets attributes (JSON)').fill('{"department": "support"}');
    await newMenu.getByRole('button', { name: 'Create menu' }).click();
    await rowWith(page, 'IVR menus', menuName);

    // The phone number: the workflow, and the menu callers answer first.
    await openSection(page, 'Phone numbers');
    const number = randomNumber();
    const newNumber = page.getByRole('form', { name: 'New phone number' });
    await newNumber.getByLabel('Phone number (E.164)').fill(number);
    await newNumber.getByLabel('Workflow').selectOption({ label: 'Calls' });
    await newNumber.getByLabel('IVR menu').selectOption({ label: menuName });
    await newNumber.getByRole('button', { name: 'Create number' }).click();
    await rowWith(page, 'Phone numbers', number);
    await screenshot(page, 'admin');

    // A caller presses 1: the task carries the answer and waits in Sales.
    const call = sim.inboundCall({ from: randomCaller(), to: number, webhookUrl: `${server.url}/webhooks/voice` });
    call.press('1');
    const task = await eventually(async () => (await server.client.taskrouter.v1.workspaces(ws.sid).tasks.list())[0], 'the call’s task');
    expect(JSON.parse(task.attributes)).toMatchObject({ department: 'sales', to: number, call_sid: call.sid });
    expect(task.workflowSid).toBe(workflow!.sid);
    expect(task.taskQueueSid).toBe(sales.sid);

    // The events log: the task's events, newest first, as the Events API lists them.
    await openSection(page, 'Events');
    await page.getByLabel('Resource SID').fill(task.sid);
    await page.getByRole('button', { name: 'Show events' }).click();
    const types = page.getByRole('table', { name: 'Events' }).locator('tbody tr td:nth-child(2)');
    await expect.poll(() => types.allTextContents()).toContain('task.created');
    const listed = await server.client.taskrouter.v1.workspaces(ws.sid).events.list({ taskSid: task.sid });
    expect(await types.allTextContents()).toEqual(listed.map((e) => e.eventType));
    expect(listed.map((e) => e.eventDate.getTime())).toEqual(listed.map((e) => e.eventDate.getTime()).sort((a, b) => b - a));

    call.hangUp();
    await sim.quiesce();
  });

  it("issues an agent's sign-in link carrying a worker token for that worker", async () => {
    const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: `Links ${unique()}` });
    const bob = await server.client.taskrouter.v1.workspaces(ws.sid).workers.create({ friendlyName: 'bob' });
    const page = await openAdmin();
    await signInAsAdmin(page, server.accountSid, server.authToken);
    await chooseWorkspace(page, ws.friendlyName);
    await openSection(page, 'Workers');
    await (await rowWith(page, 'Workers', 'bob')).getByRole('button', { name: 'Sign-in link for bob' }).click();
    const form = page.getByRole('form', { name: 'Sign-in link for bob' });
    await form.getByLabel('Valid for (hours)').fill('2');
    await form.getByRole('button', { name: 'Issue link' }).click();
    const field = form.getByLabel('Agent sign-in link');
    await field.waitFor();
    const link = new URL(await field.inputValue());
    expect(link.origin + link.pathname).toBe(`${server.url}/agent`);
    const token = new URLSearchParams(link.hash.slice(1)).get('token')!;
    const claims = verifyTaskRouterToken(token, [SIGNING_KEY], server.accountSid, Date.now());
    expect(claims).toMatchObject({ workspaceSid: ws.sid, workerSid: bob.sid, role: 'worker' });
    const { exp, iat } = jwtDecode<{ exp: number; iat: number }>(token);
    expect(exp - iat).toBe(7200);

    // Bob's channels: he takes two chats at once.
    await form.getByRole('button', { name: 'Close' }).click();
    await (await rowWith(page, 'Workers', 'bob')).getByRole('button', { name: 'Edit worker bob' }).click();
    await page.getByLabel('chat capacity').fill('2');
    await page.getByRole('button', { name: 'Save chat' }).click();
    await expect
      .poll(async () => (await server.client.taskrouter.v1.workspaces(ws.sid).workers(bob.sid).workerChannels('chat').fetch()).configuredCapacity)
      .toBe(2);
  });

  it('signed in with an admin token, manages its own workspace and leaves the account-wide connector alone', async () => {
    const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: `Token ${unique()}` });
    const res = await fetch(`${server.url}/v1/Workspaces/${ws.sid}/Tokens`, {
      method: 'POST',
      headers: { ...basicHeader(server), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Role=admin',
    });
    const { token } = (await res.json()) as { token: string };
    const page = await openAdmin(`#token=${token}`);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    expect(await page.getByLabel('Workspace', { exact: true }).locator('option:checked').textContent()).toBe(ws.friendlyName);
    const newQueue = page.getByRole('form', { name: 'New queue' });
    await newQueue.getByLabel('Queue name').fill('Escalations');
    await newQueue.getByLabel('Target workers').fill('worker.level > 2');
    await newQueue.getByRole('button', { name: 'Create queue' }).click();
    await rowWith(page, 'Task queues', 'Escalations');

    await openSection(page, 'Activities');
    const newActivity = page.getByRole('form', { name: 'New activity' });
    await newActivity.getByLabel('Activity name').fill('Lunch');
    await newActivity.getByRole('button', { name: 'Create activity' }).click();
    await rowWith(page, 'Activities', 'Lunch');
    await openSection(page, 'Workspace');
    await page.getByLabel('Name', { exact: true }).fill(`${ws.friendlyName} (renamed)`);
    await page.getByLabel('Default activity').selectOption({ label: 'Lunch' });
    await page.getByRole('button', { name: 'Save workspace' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = await server.client.taskrouter.v1.workspaces(ws.sid).fetch();
    expect(saved.friendlyName).toBe(`${ws.friendlyName} (renamed)`);
    expect(saved.defaultActivityName).toBe('Lunch');
    expect((await server.client.taskrouter.v1.workspaces(ws.sid).taskQueues.list()).map((q) => q.friendlyName)).toContain('Escalations');
    await openSection(page, 'Phone numbers');
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/sign in with an API key/);
  });

  it('pages through the events log, newest first, and filters it by type', async () => {
    const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: `Busy ${unique()}` });
    const workspace = server.client.taskrouter.v1.workspaces(ws.sid);
    const [available, offline] = await Promise.all(['Available', 'Offline'].map(async (name) => (await workspace.activities.list({ friendlyName: name }))[0]!));
    const carol = await workspace.workers.create({ friendlyName: 'carol' });
    for (let i = 0; i < 60; i++) await workspace.workers(carol.sid).update({ activitySid: i % 2 === 0 ? available!.sid : offline!.sid });
    const updates = await workspace.events.list({ eventType: 'worker.activity.update' });
    expect(updates).toHaveLength(60);

    const page = await openAdmin();
    await signInAsAdmin(page, server.accountSid, server.authToken);
    await chooseWorkspace(page, ws.friendlyName);
    await openSection(page, 'Events');
    const rows = page.getByRole('table', { name: 'Events' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Older events' }).click();
    const all = await workspace.events.list();
    await expect.poll(() => rows.count()).toBe(all.length);
    expect(await page.getByRole('button', { name: 'Older events' }).count()).toBe(0);
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(all.map((e) => e.eventType));

    await page.getByLabel('Event type').fill('worker.activity.update');
    await page.getByRole('button', { name: 'Show events' }).click();
    await expect.poll(async () => new Set(await rows.locator('td:nth-child(2)').allTextContents())).toEqual(new Set(['worker.activity.update']));
    expect(await rows.count()).toBe(50);
  });
});
