/**
 * Redis cost per routing operation: the commands it runs (INFO commandstats; commands run inside a Lua script are
 * counted both on their own and within EVALSHA's time, so the per-command times overlap), the server time of its
 * scripts (EVALSHA's commandstats time: the atomic work, inner commands included) and Redis's own CPU time
 * (INFO cpu, user + system: the honest total, networking included).
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/redis-commands.ts
 */
import { Redis } from 'ioredis';
import { RoutingEngine } from '../src/engine/engine.js';
import { RedisStore } from '../src/store/redis/redis-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = Number(process.env.WORKERS ?? 1000);
const SAMPLES = Number(process.env.SAMPLES ?? 500);

type Stats = Map<string, { calls: number; usec: number }>;

async function cpuSeconds(redis: Redis): Promise<number> {
  const text = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(text)![1]);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function commandStats(redis: Redis): Promise<Stats> {
  const text = await redis.info('commandstats');
  const stats: Stats = new Map();
  for (const line of text.split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line.trim());
    if (m) stats.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return stats;
}

function delta(before: Stats, after: Stats, samples: number): { perOp: Record<string, number>; calls: number; usec: number; scriptUsec: number } {
  const perOp: Record<string, number> = {};
  let calls = 0;
  let usec = 0;
  let scriptUsec = 0;
  for (const [cmd, a] of after) {
    const b = before.get(cmd) ?? { calls: 0, usec: 0 };
    const c = a.calls - b.calls;
    if (c <= 0 || cmd === 'info') continue;
    perOp[cmd] = Number((c / samples).toFixed(2));
    perOp[`${cmd} µs`] = Number(((a.usec - b.usec) / samples).toFixed(1));
    calls += c;
    usec += a.usec - b.usec;
    if (cmd === 'evalsha' || cmd === 'eval') scriptUsec += a.usec - b.usec;
  }
  return { perOp, calls: calls / samples, usec: usec / samples, scriptUsec: scriptUsec / samples };
}

const admin = new Redis(REDIS_URL);
const store = await RedisStore.connect(REDIS_URL, { prefix: `sbbench:cmd:${process.pid}:` });
const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
const ws = (await engine.createWorkspace({ friendlyName: 'bench' })).sid;
const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
const queue = await engine.createTaskQueue(ws, { friendlyName: 'q', targetWorkers: '1==1' });
const wf = await engine.createWorkflow(ws, { friendlyName: 'wf', configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }) });
for (let i = 0; i < WORKERS; i++) await engine.createWorker(ws, { friendlyName: `w${i}`, activitySid: available });

let before = await commandStats(admin);
let cpuBefore = await cpuSeconds(admin);
const reserved: Array<{ task: string; reservation: string }> = [];
for (let i = 0; i < SAMPLES; i++) {
  const t = await engine.createTask(ws, { workflowSid: wf.sid });
  reserved.push({ task: t.sid, reservation: t.pendingReservations[0]!.sid });
}
const createCpu = ((await cpuSeconds(admin)) - cpuBefore) / SAMPLES;
const create = delta(before, await commandStats(admin), SAMPLES);
console.log(`create → reserve: ${create.calls.toFixed(1)} commands, scripts ${create.scriptUsec.toFixed(1)} µs (commandstats), Redis CPU ${(createCpu * 1e6).toFixed(1)} µs per task`, create.perOp);

before = await commandStats(admin);
cpuBefore = await cpuSeconds(admin);
for (const r of reserved) {
  await engine.updateReservation(ws, { taskSid: r.task }, r.reservation, { reservationStatus: 'accepted' });
  await engine.updateTask(ws, r.task, { assignmentStatus: 'completed', reason: 'bench' });
}
const finishCpu = ((await cpuSeconds(admin)) - cpuBefore) / SAMPLES;
const finish = delta(before, await commandStats(admin), SAMPLES);
console.log(`accept + complete: ${finish.calls.toFixed(1)} commands, scripts ${finish.scriptUsec.toFixed(1)} µs (commandstats), Redis CPU ${(finishCpu * 1e6).toFixed(1)} µs per task`, finish.perOp);

const keys = await admin.keys(`sbbench:cmd:${process.pid}:*`);
if (keys.length) await admin.del(...keys);
await store.close();
await admin.quit();
