import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { jsonReply, startReceiver, type ReceivedRequest, type Receiver } from '../helpers/receiver.js';
import { sharedRedisEnv, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { removeKeys, testRedisUrl } from '../store/redis-test-server.js';

const prefix = `sbtest:delivery:${randomBytes(4).toString('hex')}:`;
const env = sharedRedisEnv(testRedisUrl(), prefix);
const processes: ServerProcess[] = [];
let receiver: Receiver;
let store: RedisStore;
let redis: Redis;

beforeAll(async () => {
  receiver = await startReceiver();
  store = await RedisStore.connect(testRedisUrl(), { prefix });
  redis = new Redis(testRedisUrl());
  processes.push(...(await Promise.all([0, 1, 2].map(() => startServerProcess(env)))));
}, 60_000);

afterAll(async () => {
  for (const p of processes) await p.stop('SIGKILL');
  await receiver?.close();
  await store?.close();
  await redis?.quit();
  await removeKeys(prefix);
});

async function until<T>(what: () => Promise<T> | T, ok: (value: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const api = (i: number, ws: string) => processes[i % processes.length]!.client.taskrouter.v1.workspaces(ws);
const eventsKey = (ws: string) => `${prefix}{${ws}}:events`;
/** How often each value occurs. */
const tally = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());
const sidsOf = (requests: ReceivedRequest[]) => requests.map((r) => r.params.Sid!);

/** A workspace whose events go to `eventPath`, with a queue for everyone and a workflow into it. */
async function workspace(eventPath: string, assignmentPath?: string) {
  const ws = await processes[0]!.client.taskrouter.v1.workspaces.create({ friendlyName: `delivery ${eventPath}`, eventCallbackUrl: receiver.url(eventPath) });
  const activities = await api(0, ws.sid).activities.list();
  const available = activities.find((a) => a.friendlyName === 'Available')!.sid;
  const queue = await api(1, ws.sid).taskQueues.create({ friendlyName: 'all', targetWorkers: '1==1' });
  const workflow = await api(2, ws.sid).workflows.create({
    friendlyName: 'all',
    configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    ...(assignmentPath ? { assignmentCallbackUrl: receiver.url(assignmentPath) } : {}),
  });
  return { sid: ws.sid, available, workflow: workflow.sid };
}

it('delivers every event and every assignment callback once across three processes, failures retried, in order', { timeout: 90_000 }, async () => {
  // The first two event callbacks fail; the assignment receiver accepts every reservation.
  receiver.script('/events', { status: 500 }, { status: 503 });
  receiver.answer('/assign', jsonReply({ instruction: 'accept' }));
  const w = await workspace('/events', '/assign');
  for (let i = 0; i < 3; i++) await api(i, w.sid).workers.create({ friendlyName: `agent ${i}`, activitySid: w.available });

  // Six task lives, each created, accepted (by whichever process delivers its assignment callback) and completed
  // through different processes.
  const tasks: string[] = [];
  for (let round = 0; round < 2; round++) {
    const created = await Promise.all([0, 1, 2].map((i) => api(i, w.sid).tasks.create({ workflowSid: w.workflow, attributes: JSON.stringify({ round, i }) })));
    for (const [i, task] of created.entries()) {
      const assigned = await until(
        () =>
          api(i + 1, w.sid)
            .tasks(task.sid)
            .fetch(),
        (t) => t.assignmentStatus === 'assigned',
        20_000,
      );
      expect(assigned.assignmentStatus).toBe('assigned');
      await api(i + 1, w.sid)
        .tasks(task.sid)
        .update({ assignmentStatus: 'wrapping', reason: 'done talking' });
      await api(i + 2, w.sid)
        .tasks(task.sid)
        .update({ assignmentStatus: 'completed', reason: 'resolved' });
      tasks.push(task.sid);
    }
  }

  const stream = await store.listEvents(w.sid, 0);
  const all = new Set(stream.map((e) => e.sid));
  const answered = () => receiver.at('/events').slice(2);
  await until(answered, (got) => new Set(sidsOf(got)).size >= all.size, 30_000);
  // Settled everywhere before counting: nothing pending could still be sent again.
  const settled = async () => [
    (await redis.xpending(eventsKey(w.sid), 'event-callbacks'))[0],
    (await redis.xpending(eventsKey(w.sid), 'assignment-callbacks'))[0],
  ];
  expect(await until(settled, (counts) => counts.every((c) => c === 0), 10_000)).toEqual([0, 0]);

  const [failedFirst, failedSecond] = receiver.at('/events');
  const delivered = sidsOf(answered());
  expect(new Set(delivered)).toEqual(all);
  expect([...tally(delivered).values()].every((count) => count === 1)).toBe(true);
  expect(delivered).toContain(failedFirst!.params.Sid);
  expect(delivered).toContain(failedSecond!.params.Sid);
  // One in flight per workspace across processes: apart from the two retried, the receiver saw the stream's order.
  const retried = new Set([failedFirst!.params.Sid, failedSecond!.params.Sid]);
  const inStreamOrder = stream.map((e) => e.sid).filter((sid) => !retried.has(sid));
  expect(delivered.filter((sid) => !retried.has(sid))).toEqual(inStreamOrder);

  const reservations = stream.filter((e) => e.eventType === 'reservation.created').map((e) => e.resourceSid);
  expect(reservations).toHaveLength(tasks.length);
  const assignments = receiver.at('/assign').map((r) => r.params.ReservationSid!);
  expect(assignments.sort()).toEqual(reservations.sort());
  expect(receiver.at('/assign').every((r) => r.params.WorkspaceSid === w.sid)).toBe(true);
});

it("finishes a killed process's pending deliveries on the surviving processes", { timeout: 90_000 }, async () => {
  // The receiver hangs: whichever process takes the workspace's next event keeps it in flight.
  let release!: () => void;
  receiver.answer('/hung', { until: new Promise<void>((resolve) => (release = resolve)) });
  const w = await workspace('/hung');
  for (let i = 0; i < 4; i++) await api(i, w.sid).workers.create({ friendlyName: `worker ${i}` });

  const pending = await until(
    () => redis.xpending(eventsKey(w.sid), 'event-callbacks', '-', '+', 10) as Promise<Array<[string, string, number, number]>>,
    (entries) => entries.length > 0,
    10_000,
  );
  expect(pending).toHaveLength(1);
  const [streamId, consumer] = pending[0]!;
  const pid = Number(/-(\d+)-[0-9a-f]{8}$/.exec(consumer)![1]);
  const holder = processes.find((p) => p.child.pid === pid)!;
  const [entry] = (await redis.xrange(eventsKey(w.sid), streamId, streamId)) as Array<[string, string[]]>;
  const inFlight = (JSON.parse(entry![1][1]!) as { sid: string }).sid;
  await until(
    () => receiver.at('/hung'),
    (got) => got.some((r) => r.params.Sid === inFlight),
    5_000,
  );

  await holder.stop('SIGKILL');
  processes.splice(processes.indexOf(holder), 1);
  const killedAt = Date.now();
  receiver.answer('/hung', {});
  release();

  const all = new Set((await store.listEvents(w.sid, 0)).map((e) => e.sid));
  await until(
    () => sidsOf(receiver.at('/hung')),
    (got) => got.filter((sid) => sid === inFlight).length >= 2 && new Set(got).size >= all.size,
    45_000,
  );
  const counts = tally(sidsOf(receiver.at('/hung')));
  expect(new Set(counts.keys())).toEqual(all);
  // The event the killed process had in flight was sent again by a survivor once its lease ran out; every other
  // event once.
  expect(counts.get(inFlight)).toBe(2);
  expect([...counts].filter(([sid]) => sid !== inFlight).every(([, count]) => count === 1)).toBe(true);
  console.log(`event in flight at the killed process delivered again ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
  expect((await redis.xpending(eventsKey(w.sid), 'event-callbacks'))[0]).toBe(0);
});
