import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { TestServer } from '../helpers/server.js';
import { oneQueueWorkspace, readyWorker, sdkToken, startSdkServer, type OneQueueWorkspace } from '../realtime/sdk-helpers.js';
import { BACKGROUND_TAB_PROBE, chooseActivity, connected, eventually, signInLink } from './agent-helpers.js';
import { useBrowser } from './browser.js';

/** Offers that end without the agent taking them, activity set elsewhere, token renewal, and transfers. */
describe('the agent desktop as work comes and goes', () => {
  let server: TestServer;
  // Each test has a workspace of its own, so that no other test's agents are offered its work.
  let center: OneQueueWorkspace;
  beforeAll(async () => {
    server = await startSdkServer(new MemoryStore());
  });
  beforeEach(async () => {
    center = await oneQueueWorkspace(server, 'Offers');
  });
  afterAll(() => server.close());
  const browser = useBrowser();
  const workspace = () => server.client.taskrouter.v1.workspaces(center.workspaceSid);

  /** A fresh agent, signed in at the desk and Available. */
  async function agentAtDesk(name: string, link?: (workerSid: string) => Promise<string>, contextOptions: Parameters<typeof browser.open>[1] = {}) {
    const worker = await workspace().workers.create({ friendlyName: name });
    const page = await browser.open(await (link ?? ((sid) => signInLink(server, center.workspaceSid, sid)))(worker.sid), contextOptions);
    await connected(page);
    await chooseActivity(page, 'Available');
    await eventually(async () => (await workspace().workers(worker.sid).fetch()).activityName).toBe('Available');
    return { worker, page };
  }

  const activityShown = (page: Awaited<ReturnType<typeof agentAtDesk>>['page']) =>
    page.getByRole('combobox', { name: 'Activity' }).locator('option:checked').textContent();

  it('rejecting an offer takes it off the screen and tells TaskRouter', async () => {
    const { worker, page } = await agentAtDesk('Rita');
    const task = await workspace().tasks.create({ workflowSid: center.workflowSid, attributes: JSON.stringify({ name: 'Grace Hopper' }) });
    const offer = page.getByRole('article', { name: 'Incoming default: Grace Hopper' });
    await offer.getByRole('button', { name: 'Reject' }).click();
    await eventually(() => offer.count()).toBe(0);
    const reservations = await workspace().tasks(task.sid).reservations.list();
    expect(reservations.map((r) => [r.workerSid, r.reservationStatus])).toEqual([[worker.sid, 'rejected']]);
    expect(await page.getByRole('article').count()).toBe(0);
  });

  it('an offer that times out, or whose task is canceled, disappears; the activity the timeout sets shows', async () => {
    const quick = await workspace().workflows.create({
      friendlyName: 'Quick',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: center.queueSid } } }),
      taskReservationTimeout: 3,
    });
    const { worker, page } = await agentAtDesk('Tim');
    const timedOut = await workspace().tasks.create({ workflowSid: quick.sid, attributes: JSON.stringify({ name: 'Timed Out' }) });
    const offer = page.getByRole('article', { name: 'Incoming default: Timed Out' });
    await offer.waitFor();
    await eventually(() => offer.count()).toBe(0);
    expect((await workspace().tasks(timedOut.sid).reservations.list()).map((r) => r.reservationStatus)).toEqual(['timeout']);
    const after = (await workspace().workers(worker.sid).fetch()).activityName;
    await eventually(() => activityShown(page)).toBe(after);
    // The timed-out task waits for the next agent; out of the way, so the next offer is the one canceled.
    await workspace().tasks(timedOut.sid).remove();

    await chooseActivity(page, 'Available');
    const canceled = await workspace().tasks.create({ workflowSid: center.workflowSid, attributes: JSON.stringify({ name: 'Changed Mind' }) });
    const second = page.getByRole('article', { name: 'Incoming default: Changed Mind' });
    await second.waitFor();
    await workspace().tasks(canceled.sid).update({ assignmentStatus: 'canceled', reason: 'customer hung up' });
    await eventually(() => second.count()).toBe(0);
  });

  it('an offer rings, and in a background tab shows a browser notification', async () => {
    const { page } = await agentAtDesk('Nora', undefined, { permissions: ['notifications'] });
    // The tab is made to look hidden, and the tones and notifications the page makes are counted.
    await page.addInitScript(BACKGROUND_TAB_PROBE);
    await page.reload();
    await connected(page);
    await page.getByRole('button', { name: 'Turn on ring and notifications' }).click();
    await eventually(() => page.getByRole('button', { name: 'Turn on ring and notifications' }).count()).toBe(0);

    const seen = () => page.evaluate<{ tones: number; notifications: Array<{ title: string; body?: string }> }>('window.seen');
    expect(await seen()).toEqual({ tones: 0, notifications: [] });
    await workspace().tasks.create({ workflowSid: center.workflowSid, attributes: JSON.stringify({ name: 'Ring Ring' }) });
    await page.getByRole('article', { name: 'Incoming default: Ring Ring' }).waitFor();
    await eventually(async () => (await seen()).notifications).toEqual([{ title: 'Incoming default', body: 'Ring Ring · All' }]);
    await eventually(async () => (await seen()).tones).toBeGreaterThan(0);
  });

  it('follows an activity change made elsewhere (a supervisor)', async () => {
    const { worker, page } = await agentAtDesk('Sue');
    await workspace().workers(worker.sid).update({ activitySid: center.offline });
    await eventually(() => activityShown(page)).toBe('Offline');
    await eventually(() => page.getByLabel('Time in activity').textContent()).toMatch(/^Offline · /);
  });

  it('renews a short-lived token before it runs out and stays connected on the new one', { timeout: 45_000 }, async () => {
    let firstToken = '';
    const { worker, page } = await agentAtDesk('Rene', async (sid) => {
      firstToken = sdkToken(server, { workspaceSid: center.workspaceSid, workerSid: sid, role: 'worker' }, 12);
      return `${server.url}/agent#token=${firstToken}`;
    });
    const expiresAt = JSON.parse(Buffer.from(firstToken.split('.')[1]!, 'base64url').toString()).exp * 1000;
    const saved = async () =>
      JSON.parse((await page.evaluate<string | null>("sessionStorage.getItem('switchboard.agent.credentials')")) ?? '{}').token as string;
    await expect.poll(saved, { timeout: 15_000 }).not.toBe(firstToken);
    // Past the first token's end, the worker still works: its socket came back on the renewed token.
    await expect.poll(() => Date.now() > expiresAt + 1500, { timeout: 15_000, interval: 250 }).toBe(true);
    await connected(page);
    const task = await workspace().tasks.create({ workflowSid: center.workflowSid, attributes: JSON.stringify({ name: 'After Renewal' }) });
    await page.getByRole('article', { name: 'Incoming default: After Renewal' }).getByRole('button', { name: 'Accept' }).click();
    await eventually(async () => (await workspace().tasks(task.sid).fetch()).assignmentStatus).toBe('assigned');
    expect((await workspace().tasks(task.sid).reservations.list())[0]?.workerSid).toBe(worker.sid);
    await page.getByRole('button', { name: 'Wrap up' }).click();
    await page.getByRole('button', { name: 'Complete' }).click();
    await eventually(async () => (await workspace().tasks(task.sid).fetch()).assignmentStatus).toBe('completed');
  });

  it('transfers a task cold to another agent, who takes it; the first agent completes their part', async () => {
    const { page } = await agentAtDesk('Tara');
    const bob = await workspace().workers.create({ friendlyName: 'Bob' });
    const task = await workspace().tasks.create({ workflowSid: center.workflowSid, attributes: JSON.stringify({ name: 'Moving On' }) });
    await page.getByRole('article', { name: 'Incoming default: Moving On' }).getByRole('button', { name: 'Accept' }).click();
    const card = page.getByRole('article', { name: 'Moving On · default' });
    await card.waitFor();

    const bobsDesk = await readyWorker(server, center.workspaceSid, bob.sid);
    await workspace().workers(bob.sid).update({ activitySid: center.available });
    const offered = new Promise<{ accept: () => Promise<unknown>; task: { sid: string } }>((resolve) => bobsDesk.on('reservationCreated', resolve));
    const target = card.getByRole('combobox', { name: 'Transfer to' });
    await target.focus();
    await eventually(() => target.getByRole('option', { name: 'Bob (Available)' }).count()).toBe(1);
    await target.selectOption({ label: 'Bob (Available)' });
    await card.getByRole('radio', { name: 'Cold' }).check();
    await card.getByRole('button', { name: 'Transfer' }).click();
    const reservation = await offered;
    expect(reservation.task.sid).toBe(task.sid);
    await reservation.accept();

    await card.getByRole('button', { name: 'Complete' }).click();
    await eventually(() => card.count()).toBe(0);
    const reservations = await workspace().tasks(task.sid).reservations.list();
    expect(reservations.map((r) => [r.workerSid, r.reservationStatus]).sort()).toEqual(
      [
        [bob.sid, 'accepted'],
        [reservations.find((r) => r.workerSid !== bob.sid)!.workerSid, 'completed'],
      ].sort(),
    );
    expect((await workspace().tasks(task.sid).fetch()).assignmentStatus).toBe('assigned');
    bobsDesk.disconnect();
  });

  it('starts a warm transfer to a queue, shows it under way, and cancels it: the task stays with the agent', async () => {
    const { worker, page } = await agentAtDesk('Wanda');
    const task = await workspace().tasks.create({ workflowSid: center.workflowSid, attributes: JSON.stringify({ name: 'Second Opinion' }) });
    await page.getByRole('article', { name: 'Incoming default: Second Opinion' }).getByRole('button', { name: 'Accept' }).click();
    const card = page.getByRole('article', { name: 'Second Opinion · default' });
    await card.waitFor();
    const colleague = await workspace().workers.create({ friendlyName: 'Colleague' });
    const colleaguesDesk = await readyWorker(server, center.workspaceSid, colleague.sid);
    await workspace().workers(colleague.sid).update({ activitySid: center.available });

    await card.getByRole('combobox', { name: 'Transfer to' }).selectOption({ label: 'All' });
    await card.getByRole('button', { name: 'Transfer' }).click();
    await eventually(async () => (await workspace().tasks(task.sid).reservations.list()).find((r) => r.workerSid === colleague.sid)?.reservationStatus).toBe(
      'pending',
    );
    const underWay = card.getByRole('status');
    await eventually(() => underWay.textContent()).toMatch(/^Transfer \(warm\) to All under way/);
    await underWay.getByRole('button', { name: 'Cancel transfer' }).click();
    await card.getByRole('button', { name: 'Transfer' }).waitFor();
    await eventually(async () => (await workspace().tasks(task.sid).reservations.list()).map((r) => [r.workerSid, r.reservationStatus]).sort()).toEqual(
      [
        [colleague.sid, 'rescinded'],
        [worker.sid, 'accepted'],
      ].sort(),
    );
    colleaguesDesk.disconnect();
  });
});
