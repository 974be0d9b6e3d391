/**
 * The process's CPU spent by the Redis store's two CPU devices, each against what it replaces, on the arguments and
 * replies of a real routing commit:
 *
 * - a script call's command built as the store builds it (src/store/redis/script-call.ts), and by ioredis's own path,
 *   which copies the arguments with Array.prototype.flat;
 * - an index window read as the store reads it (src/store/redis/index-windows.ts), and with each member an object
 *   literal with a getter, as it was before, reading the first member's record as matching mostly does.
 *
 * Neither needs Redis. Both are a few µs of a lifecycle's hundreds, too little for bench/assignment.ts to tell apart
 * from noise on a busy machine, so they are timed here alone.
 *
 *   npx tsc -p tsconfig.bench.json && node dist/bench/store-devices.js
 *
 * Options (env): ROUNDS (5), CALLS (100000 per round and device).
 */
import { performance } from 'node:perf_hooks';
import { Command } from 'ioredis';
import type { Kind, RecordByKind } from '../src/core/model.js';
import { RoutingEngine } from '../src/engine/engine.js';
import { MemoryStore } from '../src/store/memory/memory-store.js';
import { encodeCommit } from '../src/store/redis/commit-args.js';
import { indexWindows } from '../src/store/redis/index-windows.js';
import { KeySpace } from '../src/store/redis/keys.js';
import { scriptCommand } from '../src/store/redis/script-call.js';
import type { CommitBatch, IndexWindow } from '../src/store/routing-store.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CALLS = Number(process.env.CALLS ?? 100_000);

/** The batch of a new task's commit (create and reserve), and a worker record as a candidate read returns it. */
async function routingCommit(): Promise<{ ws: string; batch: CommitBatch; workerJson: string }> {
  const store = new MemoryStore();
  const batches: CommitBatch[] = [];
  const commit = store.commit.bind(store);
  store.commit = (ws, batch) => {
    batches.push(batch);
    return commit(ws, batch);
  };
  const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
  const ws = (await engine.createWorkspace({ friendlyName: 'bench' })).sid;
  const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
  const queue = await engine.createTaskQueue(ws, { friendlyName: 'q', targetWorkers: '1==1' });
  const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } });
  const workflowSid = (await engine.createWorkflow(ws, { friendlyName: 'wf', configuration })).sid;
  const worker = await engine.createWorker(ws, { friendlyName: 'w', activitySid: available, attributes: JSON.stringify({ skills: ['support'] }) });
  batches.length = 0;
  await engine.createTask(ws, { workflowSid, attributes: JSON.stringify({ type: 'support', customer: 'c123' }) });
  const batch = batches.find((b) => b.put?.some((p) => p.kind === 'reservation'));
  if (!batch) throw new Error('the task was not reserved');
  const workerJson = JSON.stringify(await store.get(ws, 'worker', worker.sid));
  await store.close();
  return { ws, batch, workerJson };
}

/** As index windows were read before: each member an object literal with a getter. */
function literalWindows<K extends Kind>(reply: ReadonlyArray<string | number | null>, at: number): Array<IndexWindow<K>> {
  const windows: Array<IndexWindow<K>> = [];
  while (at < reply.length) {
    const count = Number(reply[at++]);
    const found: IndexWindow<K> = [];
    for (let i = 0; i < count; i++, at += 2) {
      const json = reply[at + 1] as string | null;
      let record: RecordByKind[K] | undefined;
      found.push({
        member: String(reply[at]),
        get record() {
          if (!json) return null;
          return (record ??= JSON.parse(json) as RecordByKind[K]);
        },
      });
    }
    windows.push(found);
  }
  return windows;
}

/** µs per call of `work`, `CALLS` calls; `sink` keeps the optimizer from dropping the work. */
function timed(work: () => number): number {
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) sink += work();
  const usec = ((performance.now() - started) * 1000) / CALLS;
  if (sink === -1) console.log(sink);
  return usec;
}

async function main(): Promise<void> {
  const { ws, batch, workerJson } = await routingCommit();
  const encoded = encodeCommit(new KeySpace('bench:').workspace(ws), batch, { maxEvents: 100_000, horizonMs: 0 }, false);
  const args = ['0'.repeat(40), String(encoded.keys.length), ...encoded.keys, ...encoded.args];
  // A candidate read of four workers, as lua/includes/rangeHeads.lua answers it.
  const reply = [4, ...[1, 2, 3, 4].flatMap((n) => [`0:${n}:WK${n}`, workerJson])];
  const firstRecord = (windows: Array<IndexWindow<'worker'>>): number => (windows[0]![0]!.record ? 1 : 0);

  console.log(`a routing commit: ${args.length} arguments; a window of 4 worker records of ${workerJson.length} bytes each`);
  for (let round = 0; round < ROUNDS; round++) {
    // Each pair in turn, the order alternating, so the machine's drift weighs on both alike.
    const pairs: Array<[string, () => number]> = [
      ['script command as the store builds it', () => scriptCommand('evalsha', [...args]).args.length],
      ["script command by ioredis's own path", () => new Command('evalsha', [...args], { replyEncoding: 'utf8' }).args.length],
      ['index window as the store reads it', () => firstRecord(indexWindows<'worker'>(reply, 0))],
      ['index window of getter literals', () => firstRecord(literalWindows<'worker'>(reply, 0))],
    ];
    const ordered = round % 2 === 0 ? pairs : [pairs[1]!, pairs[0]!, pairs[3]!, pairs[2]!];
    const times = new Map(ordered.map(([name, work]) => [name, timed(work)]));
    console.log(`round ${round + 1}: ` + pairs.map(([name]) => `${name} ${times.get(name)!.toFixed(2)} µs`).join('; '));
  }
}

await main();
