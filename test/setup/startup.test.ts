import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../helpers/both-stores.js';
import { sharedRedisEnv, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { documentFile } from './fixture.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/support-line.yaml', import.meta.url));
const credentials = { TWILIO_ACCOUNT_SID: 'AC' + randomBytes(16).toString('hex'), TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex') };

/** The example's workspace as the server serves it: its sid, and how many events and workers it has. */
async function supportLine(server: ServerProcess) {
  const workspaces = (await server.client.taskrouter.v1.workspaces.list()).filter((w) => w.friendlyName === 'Support line');
  const ws = server.client.taskrouter.v1.workspaces(workspaces[0]!.sid);
  const [events, workers, queues] = await Promise.all([ws.events.list(), ws.workers.list(), ws.taskQueues.list()]);
  return { count: workspaces.length, events: events.length, workers: workers.map((w) => w.friendlyName).sort(), queues: queues.length };
}

describe('start-up with SWITCHBOARD_CONFIG', () => {
  it('applies the file before serving, and a restart finds nothing to change (embedded store)', async () => {
    const first = await startServerProcess({ ...credentials, SWITCHBOARD_CONFIG: EXAMPLE });
    let before;
    try {
      expect(first.output()).toContain("+ create workspace 'Support line'");
      before = await supportLine(first);
      expect(before).toMatchObject({ count: 1, workers: ['Alice', 'Bruno', 'Carmen'], queues: 3 });
    } finally {
      await first.stop();
    }
    const again = await startServerProcess({ ...credentials, SWITCHBOARD_CONFIG: EXAMPLE, DATA_DIR: first.dataDir });
    try {
      expect(again.output()).toContain('nothing to change');
      expect(await supportLine(again)).toEqual(before);
    } finally {
      await again.stop();
    }
  });

  describe('with Redis', () => {
    const prefix = `sbtest:setup-startup:${randomBytes(4).toString('hex')}:`;
    afterAll(async () => {
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    });

    it('instances starting together apply the file one after the other: everything is created once', async () => {
      const env = { ...sharedRedisEnv(TEST_REDIS_URL, prefix), SWITCHBOARD_CONFIG: EXAMPLE };
      const servers = await Promise.all([startServerProcess(env), startServerProcess(env), startServerProcess(env)]);
      try {
        const outputs = servers.map((s) => s.output());
        expect(outputs.filter((o) => o.includes("+ create workspace 'Support line'"))).toHaveLength(1);
        expect(outputs.filter((o) => o.includes('nothing to change'))).toHaveLength(2);
        const seen = await Promise.all(servers.map(supportLine));
        for (const line of seen) expect(line).toEqual(seen[0]);
        expect(seen[0]).toMatchObject({ count: 1, workers: ['Alice', 'Bruno', 'Carmen'], queues: 3 });
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    });
  });

  it('refuses to start on a file with a problem, naming the file, the path and the problem', async () => {
    const file = await documentFile({ workspaces: [{ friendly_name: 'Broken', task_queues: [{ friendly_name: 'Q', target_workers: 'skills HAS' }] }] });
    await expect(startServerProcess({ ...credentials, SWITCHBOARD_CONFIG: file })).rejects.toThrow(
      new RegExp(`Configuration error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: workspaces\\[0\\]\\.task_queues\\[0\\]\\.target_workers: `),
    );
  });
});
