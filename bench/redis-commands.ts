/**
 * Redis cost per routing operation, command by command (see redis-stats.ts for what is counted).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/redis-commands.ts
 */
import { Redis } from 'ioredis';
import { RoutingEngine } from '../src/engine/engine.js';
import { RedisStore } from '../src/store/redis/redis-store.js';
import { measureRedis, type RedisCost } from './redis-stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = Number(process.env.WORKERS ?? 1000);
const SAMPLES = Number(process.env.SAMPLES ?? 500);

const admin = new Redis(REDIS_URL);
const store = await RedisStore.connect(REDIS_URL, { prefix: `sbbench:cmd:${process.pid}:` });
const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
const ws = (await engine.createWorkspace({ friendlyName: 'bench' })).sid;
const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
const queue = await engine.createTaskQueue(ws, { friendlyName: 'q', targetWorkers: '1==1' });
const wf = await engine.createWorkflow(ws, { friendlyName: 'wf', configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }) });
for (let i = 0; i < WORKERS; i++) await engine.createWorker(ws, { friendlyName: `w${i}`, activitySid: available });

const report = (what: string, cost: RedisCost): void =>
  console.log(`${what}: ${cost.commands.toFixed(1)} commands, scripts ${cost.scriptUsec.toFixed(1)} µs (commandstats), Redis CPU ${cost.cpuUsec.toFixed(1)} µs per task`, cost.perOp);

const reserved: Array<{ task: string; reservation: string }> = [];
report('create → reserve', await measureRedis(REDIS_URL, SAMPLES, async () => {
  for (let i = 0; i < SAMPLES; i++) {
    const t = await engine.createTask(ws, { workflowSid: wf.sid });
    reserved.push({ task: t.sid, reservation: t.pendingReservations[0]!.sid });
  }
}));
report('accept + complete', await measureRedis(REDIS_URL, SAMPLES, async () => {
  for (const r of reserved) {
    await engine.updateReservation(ws, { taskSid: r.task }, r.reservation, { reservationStatus: 'accepted' });
    await engine.updateTask(ws, r.task, { assignmentStatus: 'completed', reason: 'bench' });
  }
}));

const keys = await admin.keys(`sbbench:cmd:${process.pid}:*`);
if (keys.length) await admin.del(...keys);
await store.close();
await admin.quit();
