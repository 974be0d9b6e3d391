/**
 * The REST benchmark's floor: the same four operations a lifecycle's requests ask for (create the task, list its
 * reservations, accept the pending one, complete the task), by CONCURRENCY callers of the routing engine in this
 * process, with no HTTP, on the store the server uses (the embedded store journaled in a fresh directory, or Redis
 * with REDIS_URL), in a workspace shaped as the server's (WORKERS available workers, one queue taking every task).
 * What a request costs here is what the engine alone costs: a REST request can cost no less than an empty express
 * request plus this, whatever is done about the layers between them.
 *
 *   node dist/bench/rest/engine-floor.js         (prints one JSON line: lifecycles, seconds, CPU µs per operation)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RoutingEngine } from '../../src/engine/engine.js';
import { openDurableMemoryStore } from '../../src/store/journal/durable-memory-store.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { removeKeys } from '../redis-stats.js';

const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const SECONDS = Number(process.env.SECONDS ?? 10);
const WARM_UP_SECONDS = Number(process.env.WARM_UP_SECONDS ?? 3);
const WORKERS = Number(process.env.WORKERS ?? 64);
const PREFIX = `sbfloor:${process.pid}:`;

async function openStore(dataDir: string): Promise<RoutingStore> {
  if (!process.env.REDIS_URL) return openDurableMemoryStore(dataDir);
  const { RedisStore } = await import('../../src/store/redis/redis-store.js');
  return RedisStore.connect(process.env.REDIS_URL, { prefix: PREFIX });
}

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-rest-floor-'));
const store = await openStore(dataDir);
const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
const ws = (await engine.createWorkspace({ friendlyName: 'REST floor' })).sid;
const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
const queue = (await engine.createTaskQueue(ws, { friendlyName: 'All', targetWorkers: '1==1' })).sid;
const workflowSid = (
  await engine.createWorkflow(ws, { friendlyName: 'All', configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } }) })
).sid;
for (let i = 0; i < WORKERS; i++) await engine.createWorker(ws, { friendlyName: `agent-${i}`, activitySid: available });
engine.start();

/** One lifecycle: the engine calls the four requests' routes make. */
async function lifecycle(): Promise<void> {
  const task = await engine.createTask(ws, { workflowSid, attributes: '{"bench":true}' });
  let reservation: string | undefined;
  while (!reservation) reservation = (await engine.reservationsOf(ws, { taskSid: task.sid })).find((r) => r.status === 'pending')?.sid;
  await engine.updateReservation(ws, { taskSid: task.sid }, reservation, { reservationStatus: 'accepted' });
  await engine.updateTask(ws, task.sid, { assignmentStatus: 'completed', reason: 'bench' });
}

// The embedded store answers within the same turn, so the callers would starve a timer: they watch the clock.
const windowOpens = performance.now() + WARM_UP_SECONDS * 1000;
const windowCloses = windowOpens + SECONDS * 1000;
const window = { lifecycles: 0, opened: 0, closed: 0, cpuAtOpen: null as NodeJS.CpuUsage | null, cpuUsed: null as NodeJS.CpuUsage | null };
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let now = performance.now(); now < windowCloses; now = performance.now()) {
      if (now >= windowOpens && window.cpuAtOpen === null) {
        window.cpuAtOpen = process.cpuUsage();
        window.opened = now;
      }
      await lifecycle();
      if (window.cpuAtOpen === null || window.cpuUsed !== null) continue;
      window.lifecycles += 1;
      // The first caller to see the window closed reads the CPU; the others finish their lifecycle uncounted.
      if (performance.now() >= windowCloses) {
        window.cpuUsed = process.cpuUsage(window.cpuAtOpen);
        window.closed = performance.now();
      }
    }
  }),
);
await engine.stop();
await store.close();
if (process.env.REDIS_URL) await removeKeys(process.env.REDIS_URL, PREFIX);
rmSync(dataDir, { recursive: true, force: true });
const { lifecycles, cpuUsed } = window;
const cpuUs = cpuUsed ? cpuUsed.user + cpuUsed.system : NaN;
process.stdout.write(JSON.stringify({ lifecycles, seconds: (window.closed - window.opened) / 1000, cpuUsPerOperation: cpuUs / (lifecycles * 4) }) + '\n');
