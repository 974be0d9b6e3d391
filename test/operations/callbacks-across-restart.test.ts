import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { deploymentCredentials, startServerProcess } from '../helpers/server-process.js';

let receiver: Receiver | undefined;
afterEach(async () => receiver?.close());

describe('event callbacks on the embedded store across a clean restart', () => {
  it('delivers after the restart what the receiver refused before it, each event once it is accepted', async () => {
    receiver = await startReceiver();
    // The customer's receiver is down for now.
    receiver.answer('/events', { status: 503 });
    const env = deploymentCredentials();
    const first = await startServerProcess(env);
    const tr = first.client.taskrouter.v1;
    const ws = (await tr.workspaces.create({ friendlyName: 'Kept callbacks', eventCallbackUrl: receiver.url('/events') })).sid;
    const queue = await tr.workspaces(ws).taskQueues.create({ friendlyName: 'Support', targetWorkers: '1==1' });
    await expect.poll(() => receiver!.at('/events').length, { timeout: 10_000 }).toBeGreaterThan(0);
    const refused = new Set(receiver.at('/events').map((r) => r.params.EventType));
    expect(refused).toContain('workspace.created');
    await first.stop();

    receiver.answer('/events', { status: 204 });
    const before = receiver.at('/events').length;
    const second = await startServerProcess({ ...env, DATA_DIR: first.dataDir });
    try {
      // Waiting retries keep their due times (seconds at most here): the workspace's first events arrive again, and then
      // the queue's, in the order they happened.
      await expect
        .poll(
          () =>
            receiver!
              .at('/events')
              .slice(before)
              .map((r) => r.params.ResourceSid),
          { timeout: 30_000, interval: 100 },
        )
        .toEqual(expect.arrayContaining([ws, queue.sid]));
      const delivered = receiver.at('/events').slice(before);
      const created = delivered.filter((r) => r.params.EventType === 'task-queue.created');
      expect(created.map((r) => r.params.ResourceSid)).toEqual([queue.sid]);
      const sids = delivered.map((r) => r.params.Sid);
      expect(new Set(sids).size).toBe(sids.length);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
