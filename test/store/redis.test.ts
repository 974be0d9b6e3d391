import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CommitConflict } from '../../src/core/errors.js';
import { newSid, timedSid } from '../../src/core/sid.js';
import type { KeySpace } from '../../src/store/redis/keys.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { asStoredEvent, eventRecord, taskRecord, workerRecord, workspaceRecord } from './records.js';
import { storeCases } from './store.cases.js';
import { keysUnder, removeKeys, testRedisUrl, uniquePrefix } from './redis-test-server.js';

const filePrefix = uniquePrefix();
let stores = 0;
/** Each store gets its own namespace under the file's prefix, so every test starts from an empty Redis. */
const freshPrefix = (): string => `${filePrefix}${stores++}:`;

/** The store's key layout, to look at its keys from outside. */
const keysOf = (store: RedisStore): KeySpace => (store as unknown as { keys: KeySpace }).keys;

/** The commands Redis ran while `work` ran (MONITOR), each as one line. */
async function commandsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const monitor = new Redis(testRedisUrl(), { monitor: true, lazyConnect: true });
  // Other test files share this Redis: lines about their commands can arrive in the same read as MONITOR's answer,
  // before ioredis enters its monitoring state, and it reports them as a "command queue state error". They predate
  // `work`, so the listener is in place before connecting and the error is ignored.
  monitor.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    monitor.once('monitoring', () => resolve());
    monitor.connect().catch(reject);
  });
  const seen: string[] = [];
  monitor.on('monitor', (_time: string, args: string[]) => seen.push(args.join(' ')));
  try {
    await work();
    // MONITOR lines arrive after the replies of the commands they report.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    monitor.disconnect();
  }
  return seen;
}

afterAll(() => removeKeys(filePrefix));

describe('redis store', () => storeCases((options) => RedisStore.connect(testRedisUrl(), { ...options, prefix: freshPrefix() })));

describe('redis store shared by connections', () => {
  const opened: RedisStore[] = [];
  const pair = async (): Promise<[RedisStore, RedisStore]> => {
    const prefix = freshPrefix();
    const both = await Promise.all([RedisStore.connect(testRedisUrl(), { prefix }), RedisStore.connect(testRedisUrl(), { prefix })]);
    opened.push(...both);
    return both;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('lets exactly one of two connections win each version', async () => {
    const [a, b] = await pair();
    const ws = newSid('WS');
    const task = taskRecord(ws);
    await a.commit(ws, { expect: [{ kind: 'task', sid: task.sid, version: null }], put: [{ kind: 'task', record: task }] });
    const winners: string[] = [];
    for (let version = 1; version <= 200; version++) {
      const attempt = (store: RedisStore, name: string) =>
        store.commit(ws, {
          expect: [{ kind: 'task', sid: task.sid, version }],
          put: [{ kind: 'task', record: { ...task, version: version + 1, attributes: JSON.stringify({ name }) } }],
          events: [eventRecord(ws, Date.now(), name)],
        });
      const outcomes = await Promise.allSettled([attempt(a, 'a'), attempt(b, 'b')]);
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i === 0 ? 'a' : 'b'] : []));
      expect(won).toHaveLength(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(CommitConflict);
      winners.push(won[0]!);
      const stored = (await b.get(ws, 'task', task.sid))!;
      expect(stored.version).toBe(version + 1);
      expect(JSON.parse(stored.attributes)).toEqual({ name: won[0] });
    }
    expect((await a.listEvents(ws, 0)).map((e) => e.eventType)).toEqual(winners);
  });

  it('loses no update when both connections retry read-modify-write commits', async () => {
    const [a, b] = await pair();
    const ws = newSid('WS');
    const task = taskRecord(ws);
    await a.commit(ws, { expect: [{ kind: 'task', sid: task.sid, version: null }], put: [{ kind: 'task', record: task }] });
    let conflicts = 0;
    const increment = async (store: RedisStore): Promise<void> => {
      for (;;) {
        const current = (await store.get(ws, 'task', task.sid))!;
        try {
          await store.commit(ws, {
            expect: [{ kind: 'task', sid: task.sid, version: current.version }],
            put: [{ kind: 'task', record: { ...current, version: current.version + 1, priority: current.priority + 1 } }],
          });
          return;
        } catch (err) {
          if (!(err instanceof CommitConflict)) throw err;
          conflicts += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: 200 }, (_, i) => increment(i % 2 === 0 ? a : b)));
    const final = (await a.get(ws, 'task', task.sid))!;
    expect(final.priority).toBe(200);
    expect(final.version).toBe(201);
    expect(conflicts).toBeGreaterThan(0);
  });

  it('gives a contested unique key to exactly one sid', async () => {
    const [a, b] = await pair();
    const ws = newSid('WS');
    for (let round = 0; round < 50; round++) {
      const key = `worker:name-${round}`;
      const outcomes = await Promise.allSettled([
        a.commit(ws, { unique: [{ op: 'claim', key, sid: 'WKa' }] }),
        b.commit(ws, { unique: [{ op: 'claim', key, sid: 'WKb' }] }),
      ]);
      const winner = outcomes[0].status === 'fulfilled' ? 'WKa' : 'WKb';
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await b.lookupUnique(ws, key)).toBe(winner);
    }
  });

  it('never hands one due timer to both connections within a lease', async () => {
    const [a, b] = await pair();
    const workspaces = [newSid('WS'), newSid('WS'), newSid('WS')];
    const all = new Set<string>();
    for (const ws of workspaces) {
      const timers = Array.from({ length: 100 }, (_, i) => ({ op: 'set' as const, id: `ttl:${i}`, due: 1_000 + i }));
      await a.commit(ws, { timers });
      for (const t of timers) all.add(`${ws}/${t.id}`);
    }
    const claimed: string[] = [];
    const drain = async (store: RedisStore): Promise<void> => {
      for (;;) {
        const due = await store.claimDueTimers(5_000, 7, 60_000);
        if (due.length === 0 && (await store.nextTimerDue())! > 5_000) return;
        claimed.push(...due.map((t) => `${t.workspaceSid}/${t.id}`));
      }
    };
    await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    expect(claimed).toHaveLength(all.size);
    expect(new Set(claimed)).toEqual(all);
    expect(await b.nextTimerDue()).toBe(65_000);
  });

  it('finds a timer whose commit was sure a sooner one covered it, when that one is gone', async () => {
    const [a, b] = await pair();
    const ws = newSid('WS');
    // a learns that the workspace holds a timer due at 1000, so later timers need no announcement from a.
    await a.commit(ws, { timers: [{ op: 'set', id: 'first', due: 1_000 }] });
    // b clears it, and a timer scan then forgets the workspace, which holds no timer any more.
    await b.commit(ws, { timers: [{ op: 'clear', id: 'first' }] });
    expect(await b.claimDueTimers(2_000, 10, 60_000)).toEqual([]);
    expect(await b.nextTimerDue()).toBeNull();
    // a's hint is stale: its commit is refused unannounced, announced, and sent again.
    await a.commit(ws, { timers: [{ op: 'set', id: 'second', due: 3_000 }], events: [eventRecord(ws, 3_000, 'once')] });
    expect(await b.nextTimerDue()).toBe(3_000);
    expect(await b.claimDueTimers(3_000, 10, 60_000)).toEqual([{ workspaceSid: ws, id: 'second', due: 3_000 }]);
    expect((await b.listEvents(ws, 0)).map((e) => e.eventType)).toEqual(['once']);
  });

  it('never lets the timer registry run late, whatever connections set, clear and claim at once', async () => {
    const [a, b] = await pair();
    const stores = [a, b];
    const workspaces = [newSid('WS'), newSid('WS')];
    const timerKey = (ws: string) => keysOf(a).workspace(ws).timers;
    const registry = keysOf(a).timerWorkspaces;
    const admin = new Redis(testRedisUrl());
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    let now = 0;
    const set = new Map<string, number>();
    const claimed = new Set<string>();
    let sets = 0;
    try {
      for (let round = 0; round < 200; round++) {
        // Three operations race each round, each on a timer of its own: sets (sooner or later than what is held),
        // clears, and claims.
        const first = random(6);
        await Promise.all(
          [0, 1, 2].map(async (n) => {
            const store = stores[random(2)]!;
            const ws = workspaces[n % 2]!;
            const id = `t${(first + n) % 6}`;
            const kind = random(10);
            if (kind < 4) {
              const due = now + 1 + random(100);
              set.set(`${ws}/${id}`, due);
              sets += 1;
              await store.commit(ws, { timers: [{ op: 'set', id, due }] });
            } else if (kind < 7) {
              set.delete(`${ws}/${id}`);
              await store.commit(ws, { timers: [{ op: 'clear', id }] });
            } else {
              for (const t of await store.claimDueTimers(now, 5, 1_000_000)) claimed.add(`${t.workspaceSid}/${t.id}@${t.due}`);
            }
          }),
        );
        now += random(100);
        // Once the round's follow-up announcements are out, the registry scores each workspace at or before its
        // earliest timer: early is allowed (a visit too many), late is a timer firing late.
        await new Promise((resolve) => setTimeout(resolve, 2));
        for (const ws of workspaces) {
          const [, held] = await admin.zrange(timerKey(ws), 0, 0, 'WITHSCORES');
          if (held === undefined) continue;
          const score = await admin.zscore(registry, ws);
          expect(score, `${ws} holds a timer due at ${held}`).not.toBeNull();
          expect(Number(score)).toBeLessThanOrEqual(Number(held));
        }
      }
      // Everything still set is found by a claim at the end of time.
      for (;;) {
        const due = await a.claimDueTimers(Number.MAX_SAFE_INTEGER, 50, 1_000_000);
        if (due.length === 0) break;
        for (const t of due) claimed.add(`${t.workspaceSid}/${t.id}@${t.due}`);
      }
      const missed = [...set].filter(([timer, due]) => !claimed.has(`${timer}@${due}`));
      expect(sets).toBeGreaterThan(100);
      expect(set.size).toBeGreaterThan(0);
      expect(missed).toEqual([]);
    } finally {
      await admin.quit();
    }
  });

  it('reads records asked for together in one call, each caller getting its own', async () => {
    const [a] = await pair();
    const ws = newSid('WS');
    const tasks = [taskRecord(ws), taskRecord(ws), taskRecord(ws)];
    const worker = workerRecord(ws);
    await a.commit(ws, { put: [...tasks.map((record) => ({ kind: 'task' as const, record })), { kind: 'worker', record: worker }] });
    let read: unknown[] = [];
    const seen = await commandsDuring(async () => {
      read = await Promise.all([
        a.get(ws, 'task', tasks[0]!.sid),
        a.getMany(ws, 'task', [tasks[2]!.sid, 'WTnone', tasks[1]!.sid]),
        a.get(ws, 'reservation', 'WRnone'),
        a.get(ws, 'task', tasks[0]!.sid),
        a.getMany(ws, 'worker', [worker.sid]),
      ]);
    });
    const [first, many, missing, sameAgain, workers] = read;
    expect(first).toEqual(tasks[0]);
    expect(many).toEqual([tasks[2], null, tasks[1]]);
    expect(missing).toBeNull();
    expect(sameAgain).toEqual(tasks[0]);
    expect(workers).toEqual([worker]);
    const calls = seen.filter((line) => line.includes(`{${ws}}`) && !line.startsWith('HMGET'));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/^eval(sha)? /);
  });

  it("stores a commit's events relative to its last one and reads each back exactly", async () => {
    const [a] = await pair();
    const ws = newSid('WS');
    const task = { workspace_sid: ws, task_sid: newSid('WT'), task_attributes: '{"skill":1}', task_priority: '0', task_queue_name: 'q' };
    const event = (eventType: string, data: Record<string, string | null>) => asStoredEvent({ ...eventRecord(ws, 1_000, eventType), data });
    const events = [
      event('task.created', { ...task, task_assignment_status: 'pending' }),
      event('task-queue.entered', { ...task, task_assignment_status: 'pending', note: 'unknown key' }),
      event('workflow.target-matched', { ...task, task_assignment_status: 'pending', workflow_filter_name: null }),
      // Little in common with the last one: stored whole.
      event('worker.activity.update', { worker_sid: newSid('WK'), worker_name: 'w' }),
      event('reservation.created', { ...task, task_assignment_status: 'reserved', worker_sid: newSid('WK'), worker_name: 'alice' }),
    ];
    await a.commit(ws, { events });
    expect(await a.listEvents(ws, 0)).toEqual(events);
    const stream = keysOf(a).workspace(ws).events;
    const admin = new Redis(testRedisUrl());
    const entries = await admin.xrange(stream, '-', '+');
    await admin.quit();
    const [last] = entries.at(-1)!;
    expect(entries.map(([, fields]) => fields[3] ?? 'whole')).toEqual([last, last, last, 'whole', 'whole']);
    expect(entries[0]![1][1]!.length).toBeLessThan(entries[4]![1][1]!.length * 0.6);
  });

  it('lists a kind larger than a page in creation order, one bounded read per page, leaving out what is deleted', async () => {
    const [a] = await pair();
    const ws = newSid('WS');
    const tasks = Array.from({ length: 1_201 }, () => taskRecord(ws));
    for (let i = 0; i < tasks.length; i += 300) {
      await a.commit(ws, { put: tasks.slice(i, i + 300).map((record) => ({ kind: 'task' as const, record })) });
    }
    await a.commit(ws, { delete: [{ kind: 'task', sid: tasks[700]!.sid }] });
    let listed: unknown[] = [];
    const seen = await commandsDuring(async () => {
      listed = await a.list(ws, 'task');
    });
    expect(listed).toEqual(tasks.filter((_, i) => i !== 700));
    const order = keysOf(a).workspace(ws).order('task');
    const reads = seen.filter((line) => /^zrange /i.test(line) && line.includes(order));
    expect(reads).toHaveLength(3);
    expect(reads.every((read) => read.endsWith('LIMIT 0 500 WITHSCORES'))).toBe(true);
    const ours = seen.filter((line) => line.includes(`{${ws}}`));
    expect(ours.filter((line) => /^hmget /i.test(line)).map((line) => line.split(' ').length - 2)).toEqual([500, 500, 200]);
    expect(ours.some((line) => /^hgetall /i.test(line))).toBe(false);
  });

  it('lists a long stream of events a page per read, decoding events whose base lies in the next page', async () => {
    const [a] = await pair();
    const ws = newSid('WS');
    const events = Array.from({ length: 1_050 }, (_, i) => eventRecord(ws, 1_000 + i));
    // Commits of 150: the one of events 450–599 keeps its base, the last, past the first page of 500.
    for (let i = 0; i < events.length; i += 150) await a.commit(ws, { events: events.slice(i, i + 150) });
    let listed: unknown[] = [];
    const seen = await commandsDuring(async () => {
      listed = await a.listEvents(ws, 0);
    });
    expect(listed).toEqual(events);
    const stream = keysOf(a).workspace(ws).events;
    const reads = seen.filter((line) => line.startsWith('xrange') && line.includes(stream));
    expect(reads.map((read) => read.split(' ').slice(-2).join(' '))).toEqual(['COUNT 500', 'COUNT 500', 'COUNT 500']);
  });

  it('looks for an event by sid near its date, never through the whole stream', async () => {
    const [a] = await pair();
    const ws = newSid('WS');
    for (let i = 0; i < 2_000; i += 100) await a.commit(ws, { events: Array.from({ length: 100 }, (_, j) => eventRecord(ws, 1_000 + i + j)) });
    const wanted = (await a.listEvents(ws, 2_500))[0]!;
    const found: unknown[] = [];
    const seen = await commandsDuring(async () => {
      found.push(await a.getEvent(ws, wanted.sid), await a.getEvent(ws, timedSid('EV', 1_500)));
    });
    expect(found).toEqual([wanted, null]);
    // Other test files share this Redis and read streams of their own.
    const stream = keysOf(a).workspace(ws).events;
    const reads = seen.filter((line) => line.startsWith('xrange') && line.includes(stream));
    expect(reads.length).toBeGreaterThan(0);
    // Pages of 100 from the sid's date on, and the one read of a base: never a read from the stream's start.
    for (const read of reads) expect(read).toMatch(/ \(?\d+-\d+ \+ COUNT 100$| (\d+-\d+) \1$/);
    expect(reads[0]).toContain(' 2500-0 + COUNT 100');
  });

  it('announces nothing for a timer due after one the workspace holds', async () => {
    const [a] = await pair();
    const ws = newSid('WS');
    await a.commit(ws, { timers: [{ op: 'set', id: 'first', due: 1_000 }] });
    const registry = keysOf(a).timerWorkspaces;
    const seen = await commandsDuring(async () => {
      await a.commit(ws, { timers: [{ op: 'set', id: 'later', due: 2_000 }] });
      await a.commit(ws, { timers: [{ op: 'set', id: 'sooner', due: 500 }] });
    });
    const announcements = seen.filter((line) => line.includes(registry));
    expect(announcements.map((line) => line.split(' ').slice(-2).join(' '))).toEqual([`500 ${ws}`, `500 ${ws}`]);
    expect(await a.claimDueTimers(2_000, 10, 60_000)).toHaveLength(3);
  });
});

describe('redis store keys', () => {
  const opened: RedisStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  const connect = async (prefix: string): Promise<RedisStore> => {
    const store = await RedisStore.connect(testRedisUrl(), { prefix });
    opened.push(store);
    return store;
  };

  it('puts every key of a workspace under its hash tag, and deleting it removes them all', async () => {
    const prefix = freshPrefix();
    const store = await connect(prefix);
    const [ws, other] = [newSid('WS'), newSid('WS')];
    for (const sid of [ws, other]) {
      const worker = workerRecord(sid);
      await store.commit(sid, {
        put: [
          { kind: 'workspace', record: workspaceRecord(sid) },
          { kind: 'worker', record: worker },
          { kind: 'task', record: taskRecord(sid) },
        ],
        index: [
          { op: 'add', index: 'members:q', member: worker.sid },
          { op: 'add', index: `reservations:${worker.sid}`, member: '000000000000001:WR1' },
        ],
        unique: [{ op: 'claim', key: 'worker:alice', sid: worker.sid }],
        timers: [{ op: 'set', id: 'ttl:1', due: 10 }],
        events: [eventRecord(sid, Date.now())],
      });
    }
    const keys = await keysUnder(prefix);
    for (const key of keys) expect(key).toMatch(new RegExp(`^${prefix}\\{(${ws}|${other}|registry)\\}:`));
    expect(keys.filter((k) => k.includes(`{${ws}}`)).length).toBeGreaterThanOrEqual(10);

    await store.commit(ws, { delete: [{ kind: 'workspace', sid: ws }] });
    const left = await keysUnder(prefix);
    expect(left.filter((k) => k.includes(ws))).toEqual([]);
    expect(left.filter((k) => k.includes(`{${other}}`)).sort()).toEqual(keys.filter((k) => k.includes(`{${other}}`)).sort());
  });

  it('refuses a prefix with braces', async () => {
    await expect(RedisStore.connect(testRedisUrl(), { prefix: 'a{b}:' })).rejects.toThrow();
  });
});

describe('redis store connection', () => {
  // The timeout is the point: connecting must give up rather than retry forever.
  it('fails to connect to a Redis that is not there', { timeout: 10_000 }, async () => {
    await expect(RedisStore.connect('redis://127.0.0.1:1')).rejects.toThrow();
  });

  it('rejects calls after close', async () => {
    const store = await RedisStore.connect(testRedisUrl(), { prefix: freshPrefix() });
    await store.close();
    await expect(store.get(newSid('WS'), 'task', newSid('WT'))).rejects.toThrow();
    await store.close();
  });
});
