/**
 * Routing benchmark: how fast a task finds a worker, how many full task lifecycles per second, and whether the cost
 * of an assignment grows with the number of workers.
 *
 *   npm run bench                                    # embedded memory store
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench
 *
 * It runs the compiled build, as `npm start` does, not the sources through tsx: tsx keeps function names by renaming
 * every closure the code creates with Object.defineProperty, which turns each one into a slow object and keeps V8's
 * optimizer recompiling the hot paths on another core, so figures taken through tsx say little about the server
 * (docs/performance.md, "Running the benchmarks").
 *
 * Options (env): WORKERS (default 10000), QUEUES (100), RATE (tasks/s for the latency run, 500), SECONDS (5),
 * LARGE_WORKERS (100000: the large workspace of the assignment cost comparison).
 * The latency run follows one uncounted second at the same rate, so it measures the steady state.
 * On Redis it also reports Redis's cost per create → reservation and how fast this Redis runs scripts (see
 * redis-stats.ts), to compare runs taken at different times. docs/performance.md holds the figures and how to read them.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RoutingEngine } from '../src/engine/engine.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { openDurableMemoryStore } from '../src/store/journal/durable-memory-store.js';
import type { RoutingStore } from '../src/store/routing-store.js';
import { calibrateRedis, formatCalibration, formatRedisCost, measureRedis, removeKeys, type RedisCost } from './redis-stats.js';

const WORKERS = Number(process.env.WORKERS ?? 10_000);
const QUEUES = Number(process.env.QUEUES ?? 100);
const RATE = Number(process.env.RATE ?? 500);
const SECONDS = Number(process.env.SECONDS ?? 5);
const WARM_UP_SECONDS = 1;

const PREFIX = `sbbench:${process.pid}:`;

/**
 * Redis with REDIS_URL; else the embedded store, kept in a fresh directory under DATA_DIR when that is set (to
 * measure what its journal costs), or in memory only.
 */
async function makeStore(): Promise<RoutingStore> {
  if (!process.env.REDIS_URL && process.env.DATA_DIR) return openDurableMemoryStore(mkdtempSync(join(process.env.DATA_DIR, 'bench-')));
  if (!process.env.REDIS_URL) return new MemoryStore();
  const { RedisStore } = await import('../src/store/redis/redis-store.js');
  return RedisStore.connect(process.env.REDIS_URL, { prefix: PREFIX });
}

/** Removes the benchmark's keys from Redis. */
async function cleanUp(): Promise<void> {
  if (process.env.REDIS_URL) await removeKeys(process.env.REDIS_URL, PREFIX);
}

interface Setup {
  engine: RoutingEngine;
  store: RoutingStore;
  ws: string;
  workflowSid: string;
  workers: string[];
}

/** A workspace with `workers` available workers spread over `queues` queues (one skill each), on `on` or a new store. */
async function setup(workers: number, queues: number, on?: Pick<Setup, 'engine' | 'store'>): Promise<Setup> {
  const store = on?.store ?? (await makeStore());
  const engine = on?.engine ?? new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
  const ws = (await engine.createWorkspace({ friendlyName: 'bench' })).sid;
  const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
  const filters = [];
  for (let q = 0; q < queues; q++) {
    const queue = await engine.createTaskQueue(ws, { friendlyName: `q${q}`, targetWorkers: `skill == ${q}` });
    filters.push({ expression: `skill == ${q}`, targets: [{ queue: queue.sid }] });
  }
  const workflowSid = (await engine.createWorkflow(ws, { friendlyName: 'wf', configuration: JSON.stringify({ task_routing: { filters } }) })).sid;
  const sids: string[] = [];
  for (let i = 0; i < workers; i++) {
    sids.push((await engine.createWorker(ws, { friendlyName: `w${i}`, activitySid: available, attributes: JSON.stringify({ skill: i % queues }) })).sid);
  }
  return { engine, store, ws, workflowSid, workers: sids };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Create → reservation latency at a steady arrival rate; each reserved task is completed so workers free up. */
async function latencyRun(s: Setup, seconds: number): Promise<{ p50: number; p99: number; count: number }> {
  const latencies: number[] = [];
  const total = RATE * seconds;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      (async () => {
        const t0 = performance.now();
        const task = await s.engine.createTask(s.ws, { workflowSid: s.workflowSid, attributes: JSON.stringify({ skill: i % QUEUES }) });
        latencies.push(performance.now() - t0);
        await finish(s, task.sid, task.pendingReservations[0]?.sid);
      })(),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), count: latencies.length };
}

async function finish(s: Setup, taskSid: string, reservationSid: string | undefined): Promise<void> {
  if (!reservationSid) return;
  await s.engine.updateReservation(s.ws, { taskSid }, reservationSid, { reservationStatus: 'accepted' });
  await s.engine.updateTask(s.ws, taskSid, { assignmentStatus: 'completed', reason: 'bench' });
}

/**
 * Full lifecycles (create → reserve → accept → complete) as fast as `concurrency` callers can go, with the CPU time
 * each lifecycle took in this process and, on Redis, in Redis: which of the two runs out first bounds the rate.
 */
async function throughputRun(s: Setup, seconds: number, concurrency = 32): Promise<{ rate: number; cpuUsec: number; redisCpuUsec?: number }> {
  let done = 0;
  const run = async (): Promise<void> => {
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, c) => {
        for (let i = c; performance.now() < end; i += concurrency) {
          const task = await s.engine.createTask(s.ws, { workflowSid: s.workflowSid, attributes: JSON.stringify({ skill: i % QUEUES }) });
          await finish(s, task.sid, task.pendingReservations[0]?.sid);
          done += 1;
        }
      }),
    );
  };
  const cpu = process.cpuUsage();
  const redis = process.env.REDIS_URL ? await measureRedis(process.env.REDIS_URL, 1, run) : (await run(), undefined);
  const used = process.cpuUsage(cpu);
  return { rate: done / seconds, cpuUsec: (used.user + used.system) / done, redisCpuUsec: redis && redis.cpuUsec / done };
}

/** Redis's cost of one create → reservation, tasks created one after another (then finished). */
async function redisPerAssignment(s: Setup, samples = 1000): Promise<RedisCost> {
  const reserved: Array<{ task: string; reservation?: string }> = [];
  const cost = await measureRedis(process.env.REDIS_URL!, samples, async () => {
    for (let i = 0; i < samples; i++) {
      const task = await s.engine.createTask(s.ws, { workflowSid: s.workflowSid, attributes: JSON.stringify({ skill: i % QUEUES }) });
      reserved.push({ task: task.sid, reservation: task.pendingReservations[0]?.sid });
    }
  });
  for (const r of reserved) await finish(s, r.task, r.reservation);
  return cost;
}

/**
 * Time of one assignment (create + reserve), one after another, in workspaces of different sizes (one queue each).
 * The workspaces share one process and store and take turns, a batch each per round, in alternating order, so the
 * machine's drift and the process's heap weigh on every size alike. Each batch's tasks are completed afterwards,
 * uncounted, which frees their workers.
 */
async function assignmentCost(sizes: number[], rounds = 10, batch = 50): Promise<Array<{ mean: number; p50: number }>> {
  const first = await setup(sizes[0]!, 1);
  const setups = [first];
  for (const size of sizes.slice(1)) setups.push(await setup(size, 1, first));
  const times: number[][] = sizes.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? setups.map((_, i) => i) : setups.map((_, i) => setups.length - 1 - i);
    for (const i of order) {
      const s = setups[i]!;
      const reserved: Array<{ task: string; reservation?: string }> = [];
      for (let n = 0; n < batch; n++) {
        const t0 = performance.now();
        const task = await s.engine.createTask(s.ws, { workflowSid: s.workflowSid, attributes: JSON.stringify({ skill: 0 }) });
        times[i]!.push(performance.now() - t0);
        if (task.assignmentStatus !== 'reserved') throw new Error('task not reserved');
        reserved.push({ task: task.sid, reservation: task.pendingReservations[0]?.sid });
      }
      for (const r of reserved) await finish(s, r.task, r.reservation);
    }
  }
  await first.store.close();
  await cleanUp();
  return times.map((t) => {
    const sorted = [...t].sort((a, b) => a - b);
    return { mean: t.reduce((a, b) => a + b, 0) / t.length, p50: percentile(sorted, 50) };
  });
}

async function main(): Promise<void> {
  const store = process.env.REDIS_URL ? 'redis' : process.env.DATA_DIR ? `memory, journaled in DATA_DIR` : 'memory';
  console.log(`store=${store} workers=${WORKERS} queues=${QUEUES}`);
  const s = await setup(WORKERS, QUEUES);
  // Steady state: the first second at the rate warms the process up (JIT, heap sizing after the setup) uncounted.
  const cold = await latencyRun(s, WARM_UP_SECONDS);
  console.log(`warm-up (not counted): p50 ${cold.p50.toFixed(2)} ms, p99 ${cold.p99.toFixed(2)} ms (${cold.count} tasks)`);
  const lat = await latencyRun(s, SECONDS);
  console.log(`create→reservation at ${RATE} tasks/s: p50 ${lat.p50.toFixed(2)} ms, p99 ${lat.p99.toFixed(2)} ms (${lat.count} tasks)`);
  const throughput = await throughputRun(s, SECONDS);
  const redisCpu = throughput.redisCpuUsec === undefined ? '' : `, Redis ${throughput.redisCpuUsec.toFixed(0)} µs`;
  console.log(
    `full lifecycle throughput: ${throughput.rate.toFixed(0)} tasks/s (CPU per lifecycle: this process ${throughput.cpuUsec.toFixed(0)} µs${redisCpu})`,
  );
  if (process.env.REDIS_URL) {
    const cost = await redisPerAssignment(s);
    console.log(`Redis per create→reservation: ${formatRedisCost(cost)}`);
    console.log(formatCalibration(await calibrateRedis(process.env.REDIS_URL)));
  }
  await s.store.close();
  await cleanUp();
  const largeLabel = process.env.LARGE_WORKERS ?? '100k';
  const [small, large] = await assignmentCost([1_000, Number(process.env.LARGE_WORKERS ?? 100_000)]);
  console.log(
    `per assignment: ${small!.mean.toFixed(3)} ms at 1k workers, ${large!.mean.toFixed(3)} ms at ${largeLabel} workers (ratio ${(large!.mean / small!.mean).toFixed(2)}); ` +
      `medians ${small!.p50.toFixed(3)} and ${large!.p50.toFixed(3)} ms (ratio ${(large!.p50 / small!.p50).toFixed(2)})`,
  );
}

await main();
