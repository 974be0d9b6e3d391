/**
 * Redis cost per routing operation, command by command (see redis-stats.ts for what is counted).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:redis-commands
 */
import { Redis } from 'ioredis';
import { RoutingEngine } from '../src/engine/engine.js';
import { RedisStore } from '../src/store/redis/redis-store.js';
import { calibrateRedis, formatCalibration, formatRedisCost, measureRedis, removeKeys, type RedisCost } from './redis-stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = Number(process.env.WORKERS ?? 1000);
const SAMPLES = Number(process.env.SAMPLES ?? 500);

const admin = new Redis(REDIS_URL);
const store = await RedisStore.connect(REDIS_URL, { prefix: `sbbench:cmd:${process.pid}:` });
const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
const ws = (await engine.createWorkspace({ friendlyName: 'bench' })).sid;
const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
const queue = await engine.createTaskQueue(ws, { friendlyName: 'q', targetWorkers: '1==1' });
const wf = await engine.createWorkflow(ws, {
  friendlyName: 'wf',
  configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
});
for (let i = 0; i < WORKERS; i++) await engine.createWorker(ws, { friendlyName: `w${i}`, activitySid: available });

const report = (what: string, cost: RedisCost): void => console.log(`${what}, per task: ${formatRedisCost(cost)}`, cost.perOp);

const reserved: Array<{ task: string; reservation: string }> = [];
report(
  'create → reserve',
  await measureRedis(REDIS_URL, SAMPLES, async () => {
    for (let i = 0; i < SAMPLES; i++) {
      const t = await engine.createTask(ws, { workflowSid: wf.sid });
      reserved.push({ task: t.sid, reservation: t.pendingReservations[0]!.sid });
    }
  }),
);
report(
  'accept + complete',
  await measureRedis(REDIS_URL, SAMPLES, async () => {
    for (const r of reserved) {
      await engine.updateReservation(ws, { taskSid: r.task }, r.reservation, { reservationStatus: 'accepted' });
      await engine.updateTask(ws, r.task, { assignmentStatus: 'completed', reason: 'bench' });
    }
  }),
);

// The other way round: tasks wait, then each worker coming online takes one (its activity change, then the
// reservation of the waiting task, two commits).
const offline = (await store.list(ws, 'activity')).find((a) => !a.available)!.sid;
const all = await store.list(ws, 'worker');
for (const w of all) await engine.updateWorker(ws, w.sid, { activitySid: offline });
const workers = all.slice(0, SAMPLES);
for (let i = 0; i < workers.length; i++) await engine.createTask(ws, { workflowSid: wf.sid });
report(
  'worker available → reserve a waiting task',
  await measureRedis(REDIS_URL, workers.length, async () => {
    for (const w of workers) {
      if ((await engine.updateWorker(ws, w.sid, { activitySid: available })).activitySid !== available) throw new Error('worker not updated');
    }
  }),
);

const waiting = (await store.list(ws, 'task')).filter((t) => t.assignmentStatus === 'pending').length;
if (waiting > 0) throw new Error(`${waiting} tasks still wait: the workers did not take them`);
const taken = (await store.list(ws, 'reservation')).filter((r) => r.status === 'pending').length;
if (taken !== workers.length) throw new Error(`${taken} reservations for ${workers.length} workers`);

console.log(formatCalibration(await calibrateRedis(REDIS_URL)));

await removeKeys(REDIS_URL, `sbbench:cmd:${process.pid}:`);
await store.close();
await admin.quit();
