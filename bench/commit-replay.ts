/**
 * Where a commit's Redis time goes. One task's lifecycle is run and each of its commits and candidate reads is kept;
 * then each is replayed alone, many times, against variants of lua/commit.lua with a part left out, and Redis's
 * server time per call is read from INFO commandstats. Replays rewrite what the commit wrote (its version checks are
 * left out so it applies again), so they measure the work of that very commit on a warm Redis.
 *
 * A new task's commit is also replayed against a floor (FLOOR below): the same writes in the cheapest calls any
 * layout of one slot allows, and once more with every record and event half as long. No layout storing that data
 * could do the commit in less, which tells whether a goal for Redis's time per assignment can be met on the Redis at
 * hand.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:commit-replay
 *
 * Options (env): WORKERS (default 1000), REPLAYS (2000 per variant, in four rounds taken in turn), WARM (50 lifecycles
 * run first, uncounted: a longer warm-up leaves the workspace as a busy one holds it, with finished tasks, timers and a
 * full events stream). docs/performance.md holds the figures and what they say.
 */
import { Redis } from 'ioredis';
import { RoutingEngine } from '../src/engine/engine.js';
import type { CommitBatch, RoutingStore } from '../src/store/routing-store.js';
import { encodeCommit, timerDue } from '../src/store/redis/commit-args.js';
import { encodeEvents } from '../src/store/redis/event-codec.js';
import { KeySpace, type WorkspaceKeys } from '../src/store/redis/keys.js';
import { RedisStore } from '../src/store/redis/redis-store.js';
import { scriptSource } from '../src/store/redis/scripts.js';
import { calibrateRedis, formatCalibration, removeKeys } from './redis-stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKERS = Number(process.env.WORKERS ?? 1000);
const REPLAYS = Number(process.env.REPLAYS ?? 2000);
const WARM = Number(process.env.WARM ?? 50);
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

/**
 * A lower bound for a commit's Redis time: the same writes in the cheapest calls a one-slot layout allows. All records
 * in one hash (one HMGET checks every version, one HSET writes every record), one creation-order set, every index
 * entry in one sorted set (one ZADD, one ZREM), every counter in one hash with one HINCRBY each (reading them all in
 * one HMGET and writing the sums back in one HSET measured slower; docs/performance.md, "The floor"), the timers' sets and
 * clears in one call each, and the events as one stream entry with no id bookkeeping.
 * It leaves out what a real layout also needs (unique keys, announcing timers, removing counters back at zero, reading
 * a workspace's indexes apart), so a layout storing the same data cannot commit it in less.
 */
const FLOOR = `
local n = 1
local function take() n = n + 1; return ARGV[n - 1] end
local count = tonumber(take())
if count > 0 then
  local fields, wanted = {}, {}
  for i = 1, count do fields[i] = take(); wanted[i] = take() end
  local current = redis.call('HMGET', KEYS[1], unpack(fields))
  for i = 1, count do if (current[i] or '') ~= wanted[i] then return {-1, fields[i]} end end
end
count = tonumber(take())
local writes, created = {}, {}
for i = 1, count do
  local field, version, json, new = take(), take(), take(), take()
  writes[#writes + 1] = field; writes[#writes + 1] = json
  writes[#writes + 1] = 'v:' .. field; writes[#writes + 1] = version
  if new == '1' then created[#created + 1] = field end
end
if count > 0 then redis.call('HSET', KEYS[1], unpack(writes)) end
if #created > 0 then
  local seq, order = redis.call('HINCRBY', KEYS[2], 'seq', #created) - #created, {}
  for i, field in ipairs(created) do order[#order + 1] = seq + i; order[#order + 1] = field end
  redis.call('ZADD', KEYS[3], unpack(order))
end
for _, op in ipairs({'ZADD', 'ZREM'}) do
  count = tonumber(take())
  local members = {}
  for i = 1, count do
    if op == 'ZADD' then members[#members + 1] = 0 end
    members[#members + 1] = take()
  end
  if count > 0 then redis.call(op, KEYS[4], unpack(members)) end
end
count = tonumber(take())
for i = 1, count do redis.call('HINCRBY', KEYS[5], take(), take()) end
for _, op in ipairs({'ZADD', 'ZREM'}) do
  count = tonumber(take())
  local timers = {}
  for i = 1, count do
    if op == 'ZADD' then timers[#timers + 1] = take() end
    timers[#timers + 1] = take()
  end
  if count > 0 then redis.call(op, KEYS[6], unpack(timers)) end
end
count = tonumber(take())
local entry = {}
for i = 1, count do entry[#entry + 1] = 'event'; entry[#entry + 1] = take() end
if count > 0 then redis.call('XADD', KEYS[7], 'MAXLEN', '~', '100000', '*', unpack(entry)) end
return {1}
`;

/** A commit laid out for FLOOR, under keys of its own in the workspace's slot. */
function encodeFloor(keys: WorkspaceKeys, batch: CommitBatch): { keys: string[]; args: string[] } {
  const floorKeys = ['records', 'meta', 'order', 'index', 'counters', 'timers', 'events'].map((name) => `${keys.base}floor:${name}`);
  const args: string[] = [];
  const expect = batch.expect ?? [];
  args.push(String(expect.length));
  for (const e of expect) args.push(`${e.kind}:${e.sid}`, e.version === null ? '' : String(e.version));
  const puts = batch.put ?? [];
  args.push(String(puts.length));
  for (const p of puts) args.push(`${p.kind}:${p.record.sid}`, String(p.record.version), JSON.stringify(p.record), p.created ? '1' : '0');
  for (const op of ['add', 'remove']) {
    const entries = (batch.index ?? []).filter((i) => i.op === op);
    args.push(String(entries.length), ...entries.map((i) => `${i.index}\u0000${i.member}`));
  }
  const counters = batch.counters ?? [];
  args.push(String(counters.length));
  for (const c of counters) args.push(`${c.group}\u0000${c.key}`, String(c.delta));
  const timers = [...new Map((batch.timers ?? []).map((t) => [t.id, t])).values()];
  const sets = timers.flatMap((t) => (t.op === 'set' ? [timerDue(t.due), t.id] : []));
  const clears = timers.flatMap((t) => (t.op === 'clear' ? [t.id] : []));
  args.push(String(sets.length / 2), ...sets, String(clears.length), ...clears);
  const events = encodeEvents(batch.events ?? []);
  args.push(String(events.length), ...events.map((e) => e.json));
  return { keys: floorKeys, args };
}

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
  return Object.entries(times)
    .map(([name, us]) => `${name} ${us.toFixed(1)} µs`)
    .join('; ');
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
    await engine.createWorkflow(ws, {
      friendlyName: 'wf',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    })
  ).sid;
  for (let i = 0; i < WORKERS; i++)
    await engine.createWorker(ws, { friendlyName: `w${i}`, activitySid: available, attributes: JSON.stringify({ skills: ['support'] }) });
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
  for (let i = 0; i < WARM; i++) await lifecycle();
  kept.length = 0;
  await lifecycle();

  const keys = new KeySpace(PREFIX);
  const shas: Record<string, string> = {};
  for (const [name, lua] of Object.entries(VARIANTS)) shas[name] = (await admin.script('LOAD', lua)) as string;
  // As with the variants, the checks are made and their outcome ignored, so the replay applies again.
  const floorSha = (await admin.script('LOAD', edited(FLOOR, 'then return {-1, fields[i]} end', 'then end'))) as string;
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
        const asNewTask = (sha: string, layout: { keys: string[] }, args: string[]) => () => {
          const sid = `WT${(n++).toString(16).padStart(32, '0')}`;
          return admin.evalsha(sha, layout.keys.length, ...layout.keys, ...args.map((a) => a.split(created).join(sid)));
        };
        const floor = encodeFloor(keys.workspace(sid), batch);
        calls['whole, as a new task'] = asNewTask(shas.whole!, encoded, encoded.args);
        calls['floor, as a new task'] = asNewTask(floorSha, floor, floor.args);
        // Records and events as JSON half as long, as a more compact encoding might store them.
        const halved = floor.args.map((a) => (a.startsWith('{') ? a.slice(0, a.length >> 1) : a));
        calls['floor, half the bytes'] = asNewTask(floorSha, floor, halved);
      }
      console.log(
        `${k.what} (${encoded.keys.length} keys, ${encoded.args.length} arguments, ${(bytes / 1024).toFixed(1)} KB): ${timings(await timeInTurn(admin, calls))}`,
      );
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
