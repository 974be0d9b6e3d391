/**
 * Where a commit's Redis time goes. One task's lifecycle is run and each of its commits and candidate reads is kept;
 * then each is replayed alone, many times, against variants of lua/commit.lua with a part left out, and Redis's
 * server time per call is read from INFO commandstats. Replays rewrite what the commit wrote (its version checks are
 * left out so it applies again), so they measure the work of that very commit on a warm Redis.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:commit-replay
 *
 * Options (env): WORKERS (default 1000), REPLAYS (2000 per variant, in four rounds taken in turn).
 */
import { Redis } from 'ioredis';
import { RoutingEngine } from '../src/engine/engine.js';
import type { CommitBatch, RoutingStore } from '../src/store/routing-store.js';
import { encodeCommit } from '../src/store/redis/commit-args.js';
import { KeySpace } from '../src/store/redis/keys.js';
import { RedisStore } from '../src/store/redis/redis-store.js';
import { scriptSource } from '../src/store/redis/scripts.js';
import { calibrateRedis, formatCalibration, removeKeys } from './redis-stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = Number(process.env.WORKERS ?? 1000);
const REPLAYS = Number(process.env.REPLAYS ?? 2000);
const ROUNDS = 4;
const PREFIX = `sbbench:replay:${process.pid}:`;

/** Each variant is commit.lua with one edit; an edit that no longer applies stops the benchmark. */
function edited(lua: string, from: string, to: string): string {
  if (!lua.includes(from)) throw new Error(`commit.lua changed: cannot find ${JSON.stringify(from.slice(0, 60))}`);
  return lua.replace(from, to);
}

const source = scriptSource('commit.lua');
const whole = edited(source, 'if current ~= ARGV[at + 3] then return', 'if false then return');
const VARIANTS: Record<string, string> = {
  whole,
  'arguments only': edited(whole, '-- Checks first, writes after', 'do return {1} end --'),
  'without events': edited(whole, 'if eventCount > 0 then', 'if false then'),
  'events as one stream entry': edited(
    whole,
    `  for i = 0, eventCount - 1 do
    local at = eventAt + i * 3
    if ARGV[at + 2] == '1' then
      redis.call('XADD', events, 'MAXLEN', '~', ARGV[1], ids[i], 'event', ARGV[at + 1], 'base', base)
    else
      redis.call('XADD', events, 'MAXLEN', '~', ARGV[1], ids[i], 'event', ARGV[at + 1])
    end
  end`,
    `  local one = {}
  for i = 0, eventCount - 1 do one[#one + 1] = 'event'; one[#one + 1] = ARGV[eventAt + i * 3 + 1] end
  redis.call('XADD', events, 'MAXLEN', '~', ARGV[1], ids[eventCount - 1], unpack(one))`,
  ),
  'without counters': edited(whole, 'for i = 0, counterCount - 1 do', 'for i = 0, -1 do'),
};

interface Kept {
  what: string;
  commit?: { ws: string; batch: CommitBatch };
  /** A read, replayed as made or, for a candidate read, with windows of one and of four records. */
  reads?: Record<string, () => Promise<unknown>>;
}

/** Keeps, under the current label, every commit and candidate read the engine makes through the store. */
function keeping(store: RoutingStore, kept: Kept[], label: () => string | null): RoutingStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const what = label();
        if (what && prop === 'commit') kept.push({ what: `${what}: commit`, commit: { ws: args[0] as string, batch: args[1] as CommitBatch } });
        if (what && prop === 'rangeIndexRecords') {
          const [ws, index, kind, limit, after] = args as [string, string, 'worker', number, string | undefined];
          const window = (size: number) => () => target.rangeIndexRecords(ws, index, kind, size, after);
          kept.push({ what: `${what}: candidate read (a window of ${limit})`, reads: { 'window of 1': window(1), 'window of 4': window(4) } });
        }
        if (what && prop === 'getLinked') {
          kept.push({ what: `${what}: read with links`, reads: { 'as made': () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args) } });
        }
        return value.apply(target, args);
      };
    },
  });
}

async function evalshaUsec(admin: Redis): Promise<{ calls: number; usec: number }> {
  const m = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(await admin.info('commandstats'));
  return m ? { calls: Number(m[1]), usec: Number(m[2]) } : { calls: 0, usec: 0 };
}

/** Server time per call of `call`, run `REPLAYS` times in `ROUNDS` rounds taken in turn with the others given. */
async function timeInTurn(admin: Redis, calls: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  const total: Record<string, { calls: number; usec: number }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of Object.entries(calls)) {
      const before = await evalshaUsec(admin);
      for (let i = 0; i < REPLAYS / ROUNDS; i++) await call();
      const after = await evalshaUsec(admin);
      const t = (total[name] ??= { calls: 0, usec: 0 });
      t.calls += after.calls - before.calls;
      t.usec += after.usec - before.usec;
    }
  }
  return Object.fromEntries(Object.entries(total).map(([name, t]) => [name, t.usec / t.calls]));
}

function timings(times: Record<string, number>): string {
  return Object.entries(times).map(([name, us]) => `${name} ${us.toFixed(1)} µs`).join('; ');
}

async function main(): Promise<void> {
  const admin = new Redis(REDIS_URL);
  const redisStore = await RedisStore.connect(REDIS_URL, { prefix: PREFIX });
  const kept: Kept[] = [];
  let label: string | null = null;
  const store = keeping(redisStore, kept, () => label);
  const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
  const ws = (await engine.createWorkspace({ friendlyName: 'bench' })).sid;
  const available = (await store.list(ws, 'activity')).find((a) => a.available)!.sid;
  const queue = await engine.createTaskQueue(ws, { friendlyName: 'q', targetWorkers: '1==1' });
  const workflowSid = (
    await engine.createWorkflow(ws, { friendlyName: 'wf', configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }) })
  ).sid;
  for (let i = 0; i < WORKERS; i++) await engine.createWorker(ws, { friendlyName: `w${i}`, activitySid: available, attributes: JSON.stringify({ skills: ['support'] }) });
  const lifecycle = async (): Promise<void> => {
    label = 'create';
    const task = await engine.createTask(ws, { workflowSid, attributes: JSON.stringify({ type: 'support', customer: 'c123' }) });
    label = 'accept';
    await engine.updateReservation(ws, { taskSid: task.sid }, task.pendingReservations[0]!.sid, { reservationStatus: 'accepted' });
    label = 'complete';
    await engine.updateTask(ws, task.sid, { assignmentStatus: 'completed', reason: 'done' });
    label = null;
  };
  // Warm: later lifecycles find the workspace's keys, streams and timers as a running one would.
  for (let i = 0; i < 50; i++) await lifecycle();
  kept.length = 0;
  await lifecycle();

  const keys = new KeySpace(PREFIX);
  const shas: Record<string, string> = {};
  for (const [name, lua] of Object.entries(VARIANTS)) shas[name] = (await admin.script('LOAD', lua)) as string;
  for (const k of kept) {
    if (k.commit) {
      const { ws: sid, batch } = k.commit;
      // Announced as the store would announce it, so the script does not send the replay back to announce its timers.
      const dues = (batch.timers ?? []).flatMap((t) => (t.op === 'set' ? [t.due] : []));
      const announced = dues.length > 0 ? Math.min(...dues) : null;
      const encoded = encodeCommit(keys.workspace(sid), batch, { maxEvents: 100_000, horizonMs: 0 }, false, announced);
      const bytes = [...encoded.keys, ...encoded.args].reduce((n, a) => n + Buffer.byteLength(a), 0);
      const run = (sha: string) => () => admin.evalsha(sha, encoded.keys.length, ...encoded.keys, ...encoded.args);
      const calls = Object.fromEntries(Object.keys(VARIANTS).map((name) => [name, run(shas[name]!)]));
      // Replayed as it is, a commit that creates a task overwrites what the first replay created; real traffic adds a
      // new task each time (new hash fields, new index members), so that is replayed too, under fresh sids.
      const created = batch.put?.find((p) => p.kind === 'task' && p.created)?.record.sid;
      if (created) {
        let n = 0;
        calls['whole, as a new task'] = () => {
          const sid = `WT${(n++).toString(16).padStart(32, '0')}`;
          return admin.evalsha(shas.whole!, encoded.keys.length, ...encoded.keys, ...encoded.args.map((a) => a.split(created).join(sid)));
        };
      }
      console.log(`${k.what} (${encoded.keys.length} keys, ${encoded.args.length} arguments, ${(bytes / 1024).toFixed(1)} KB): ${timings(await timeInTurn(admin, calls))}`);
    } else if (k.reads) {
      console.log(`${k.what}: ${timings(await timeInTurn(admin, k.reads))}`);
    }
  }
  console.log(formatCalibration(await calibrateRedis(REDIS_URL)));

  await redisStore.close();
  await admin.quit();
  await removeKeys(REDIS_URL, PREFIX);
}

await main();
