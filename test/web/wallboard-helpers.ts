import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestServer } from '../helpers/server.js';
import { sdkToken } from '../realtime/sdk-helpers.js';

/** A contact centre to watch: two queues by skill, a workflow sending sales tasks to Sales and the rest to Support. */
export interface BoardWorkspace {
  workspaceSid: string;
  activities: Record<'Offline' | 'Available' | 'Unavailable' | 'Break', string>;
  sales: string;
  support: string;
  workflowSid: string;
  alice: string;
  bob: string;
}

export async function boardWorkspace(server: TestServer, friendlyName = 'Support centre'): Promise<BoardWorkspace> {
  const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName });
  const tr = server.client.taskrouter.v1.workspaces(ws.sid);
  await tr.activities.create({ friendlyName: 'Break', available: false });
  const activities = Object.fromEntries((await tr.activities.list()).map((a) => [a.friendlyName, a.sid])) as BoardWorkspace['activities'];
  const sales = await tr.taskQueues.create({ friendlyName: 'Sales', targetWorkers: "skills HAS 'sales'" });
  const support = await tr.taskQueues.create({ friendlyName: 'Support', targetWorkers: "skills HAS 'support'" });
  const configuration = JSON.stringify({
    task_routing: {
      filters: [{ filter_friendly_name: 'Sales', expression: "type == 'sales'", targets: [{ queue: sales.sid }] }],
      default_filter: { queue: support.sid },
    },
  });
  const workflow = await tr.workflows.create({ friendlyName: 'Front door', configuration, taskReservationTimeout: 600 });
  const alice = await tr.workers.create({ friendlyName: 'Alice', attributes: JSON.stringify({ skills: ['support'] }) });
  const bob = await tr.workers.create({ friendlyName: 'Bob', attributes: JSON.stringify({ skills: ['sales'] }) });
  return { workspaceSid: ws.sid, activities, sales: sales.sid, support: support.sid, workflowSid: workflow.sid, alice: alice.sid, bob: bob.sid };
}

/** The wallboard's sign-in link for a supervisor of `workspaceSid`. */
export function wallboardLink(server: TestServer, workspaceSid: string): string {
  return `${server.url}/wallboard#token=${sdkToken(server, { workspaceSid, role: 'admin' }, 3600)}`;
}

/** The figure a tile shows. */
export function tileValue(page: Page, name: string): Promise<string | null> {
  return page.getByRole('group', { name }).locator('.tile-value').textContent();
}

/** Waits until `read` gives `expected` (the page follows the server a moment later). */
export async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  await expect.poll(read, { timeout: 10_000, interval: 50 }).toEqual(expected);
}

/** The text of the table row whose header cell is `name`, in the table labelled `table`. */
export function rowText(page: Page, table: string, name: string): Promise<string | null> {
  return page
    .getByRole('table', { name: table })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name }) })
    .first()
    .textContent();
}

/** Names of the row headers of the table labelled `table`. */
export function rowNames(page: Page, table: string): Promise<string[]> {
  return page.getByRole('table', { name: table }).getByRole('rowheader').allTextContents();
}
