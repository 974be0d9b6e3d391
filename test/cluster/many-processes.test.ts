import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { sharedRedisEnv, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { checkConsistency } from '../routing/consistency.js';
import { removeKeys, testRedisUrl } from '../store/redis-test-server.js';

const WORKERS = 300;
const TASKS = 2_000;
const prefix = `sbtest:cluster:${randomBytes(4).toString('hex')}:`;
const env = sharedRedisEnv(testRedisUrl(), prefix);
const processes: ServerProcess[] = [];

afterAll(async () => {
  for (const p of processes) await p.stop('SIGKILL');
  await removeKeys(prefix);
});

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** Deterministic pseudo-random numbers, so a failing run can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
}

it(
  'three processes on one Redis: random accepts, rejects and timeouts, one process killed — nothing assigned twice, nothing lost',
  { timeout: 240_000 },
  async () => {
    const rand = random(Number(process.env.SEED ?? 7));
    for (let i = 0; i < 3; i++) processes.push(await startServerProcess(env));
    const apis = processes.map((p) => p.client.taskrouter.v1);
    const alive = () => processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null).map((p) => p.client.taskrouter.v1);
    const anyApi = () => {
      const a = alive();
      return a[Math.floor(rand() * a.length)]!;
    };

    const ws = await apis[0]!.workspaces.create({ friendlyName: 'cluster' });
    const activities = await apis[0]!.workspaces(ws.sid).activities.list();
    const available = activities.find((a) => a.friendlyName === 'Available')!.sid;
    const queues = [];
    for (const team of ['a', 'b', 'c']) {
      queues.push(
        await apis[0]!
          .workspaces(ws.sid)
          .taskQueues.create({ friendlyName: team, targetWorkers: `team == '${team}'`, maxReservedWorkers: team === 'c' ? 2 : 1 }),
      );
    }
    const workflow = await apis[0]!.workspaces(ws.sid).workflows.create({
      friendlyName: 'wf',
      taskReservationTimeout: 2,
      configuration: JSON.stringify({
        task_routing: { filters: queues.map((q, i) => ({ expression: `team == '${'abc'[i]}'`, targets: [{ queue: q.sid }] })) },
      }),
    });

    const workerSids: string[] = [];
    await pool(
      Array.from({ length: WORKERS }, (_, i) => i),
      20,
      async (i) => {
        const api = apis[i % 3]!.workspaces(ws.sid);
        const w = await api.workers.create({ friendlyName: `w${i}`, activitySid: available, attributes: JSON.stringify({ team: 'abc'[i % 3] }) });
        if (i % 4 === 0) await api.workers(w.sid).workerChannels('default').update({ capacity: 2 });
        workerSids.push(w.sid);
      },
    );

    const store = await RedisStore.connect(testRedisUrl(), { prefix });
    let created = 0;
    let killed = false;
    const actions = { accepted: 0, rejected: 0, ignored: 0 };
    const ignored = new Set<string>();

    // Agents: answer pending reservations at random (accept and complete, reject, or let them time out), and bring
    // workers that timed out back online.
    let creating = true;
    const agents = (async () => {
      for (;;) {
        const tasks = await store.list(ws.sid, 'task');
        const open = tasks.filter((t) => t.assignmentStatus !== 'completed' && t.assignmentStatus !== 'canceled');
        if (!creating && open.length === 0) return;
        const pending = (await store.list(ws.sid, 'reservation')).filter((r) => r.status === 'pending' && !ignored.has(r.sid));
        await pool(pending, 16, async (r) => {
          const roll = rand();
          const api = anyApi().workspaces(ws.sid);
          try {
            if (roll < 0.7) {
              await api.workers(r.workerSid).reservations(r.sid).update({ reservationStatus: 'accepted' });
              await api.tasks(r.taskSid).update({ assignmentStatus: 'completed', reason: 'done' });
              actions.accepted++;
            } else if (roll < 0.85) {
              await api.tasks(r.taskSid).reservations(r.sid).update({ reservationStatus: 'rejected' });
              actions.rejected++;
            } else {
              ignored.add(r.sid);
              actions.ignored++;
            }
          } catch (err) {
            // Another agent or a timeout got there first (400), or the process was just killed: both are fine here.
            if ((err as { status?: number }).status !== 400 && !killed) throw err;
          }
        });
        const workers = await store.list(ws.sid, 'worker');
        const away = workers.filter((w) => w.activitySid !== available);
        await pool(away, 8, async (w) => {
          await anyApi()
            .workspaces(ws.sid)
            .workers(w.sid)
            .update({ activitySid: available })
            .catch((err) => {
              if (!killed) throw err;
            });
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    await pool(
      Array.from({ length: TASKS }, (_, i) => i),
      12,
      async (i) => {
        if (i === TASKS / 3 && !killed) {
          killed = true;
          await processes[2]!.stop('SIGKILL');
        }
        await anyApi()
          .workspaces(ws.sid)
          .tasks.create({ workflowSid: workflow.sid, attributes: JSON.stringify({ team: 'abc'[i % 3], n: i }) })
          .catch((err) => {
            // A request in flight to the killed process may fail; it is simply not created.
            if (!killed) throw err;
            return null;
          })
          .then((t) => {
            if (t) created++;
          });
      },
    );
    creating = false;
    await Promise.race([agents, new Promise((_, reject) => setTimeout(() => reject(new Error('tasks still open after 150 s')), 150_000))]);

    const tasks = await store.list(ws.sid, 'task');
    expect(tasks.length).toBeGreaterThanOrEqual(created);
    expect(tasks.filter((t) => t.assignmentStatus !== 'completed')).toEqual([]);
    expect(actions.accepted).toBeGreaterThanOrEqual(created);
    expect(actions.rejected).toBeGreaterThan(0);
    expect(actions.ignored).toBeGreaterThan(0);
    const timedOut = (await store.list(ws.sid, 'reservation')).filter((r) => r.status === 'timeout');
    expect(timedOut.length).toBeGreaterThan(0);
    await checkConsistency(store, ws.sid, true);
    console.log(`${created} tasks over ${WORKERS} workers: ${actions.accepted} accepted, ${actions.rejected} rejected, ${timedOut.length} timed out`);
    await store.close();
  },
);
