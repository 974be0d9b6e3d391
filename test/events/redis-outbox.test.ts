import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceRecord } from '../../src/core/model.js';
import type { TaskRouterEvent } from '../../src/core/events/index.js';
import type { OutboxEntry } from '../../src/events/outbox.js';
import { RedisOutbox } from '../../src/events/redis-outbox.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { ScriptClock } from '../statistics/fixture.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import { eventRecord } from '../store/records.js';
import { newSid } from '../../src/core/sid.js';

const GROUP = 'event-callbacks';
/** Long enough never to run out by itself during a test: a test that needs a lease to run out ages it (`age`). */
const LEASE_MS = 60_000;
/** The background poll never runs during a test: tests run poll rounds themselves (`pollAndTake`). */
const POLL_MS = 3_600_000;
/** Each test has keys of its own: an outbox looks at every workspace under its prefix. */
let prefix = '';
/** The processes' common clock: it dates records and events, and decides which retries are due. */
let clock: ScriptClock;
let redis: Redis;
const stores: RedisStore[] = [];
const outboxes: RedisOutbox[] = [];

beforeAll(() => {
  redis = new Redis(testRedisUrl());
});
beforeEach(() => {
  prefix = uniquePrefix();
  clock = new ScriptClock(Date.now());
});
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.close()));
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await removeKeys(prefix);
});
afterAll(async () => {
  await redis.quit();
});

/** A store on its own connection, as another process would have. */
async function connect(): Promise<RedisStore> {
  const store = await RedisStore.connect(testRedisUrl(), { prefix });
  stores.push(store);
  return store;
}

/** An outbox for EventCallbackUrl as a process named `consumer` runs it. */
function outboxOn(store: RedisStore, consumer: string, options: { inOrder?: boolean; pendingLimit?: number } = {}): RedisOutbox {
  const outbox = new RedisOutbox({
    feed: store.eventFeed(GROUP, consumer, LEASE_MS),
    gate: { kind: 'workspace', property: 'eventCallbackUrl', ownRecord: true },
    gateChanged: (event) => event.eventType.startsWith('workspace.'),
    inOrder: options.inOrder ?? false,
    pendingLimit: options.pendingLimit ?? 100,
    pollMs: POLL_MS,
    clock,
  });
  outboxes.push(outbox);
  return outbox;
}

const event = (workspaceSid: string, eventType = 'task.created', eventDate = clock.now()): TaskRouterEvent => eventRecord(workspaceSid, eventDate, eventType);

/** Registers a workspace (with an EventCallbackUrl, or none) as the engine would, dated `at`. */
async function workspace(store: RedisStore, url: string | null, at = clock.now(), name?: string): Promise<string> {
  const sid = newSid('WS');
  const record: WorkspaceRecord = {
    sid,
    accountSid: 'AC1',
    friendlyName: name ?? sid,
    dateCreated: at,
    dateUpdated: at,
    version: 0,
    eventCallbackUrl: url,
    eventsFilter: null,
    multiTaskEnabled: true,
    prioritizeQueueOrder: 'FIFO',
    defaultActivitySid: null,
    timeoutActivitySid: null,
  };
  await store.commit(sid, { expect: [{ kind: 'workspace', sid, version: null }], put: [{ kind: 'workspace', record }] });
  return sid;
}

/** Sets or clears the workspace's EventCallbackUrl now, with the `workspace.updated` event the engine commits. */
async function setUrl(store: RedisStore, ws: string, url: string | null): Promise<TaskRouterEvent> {
  const current = (await store.get(ws, 'workspace', ws))!;
  const record = { ...current, eventCallbackUrl: url, dateUpdated: clock.now(), version: current.version + 1 };
  const updated = event(ws, 'workspace.updated');
  await store.commit(ws, { expect: [{ kind: 'workspace', sid: ws, version: current.version }], put: [{ kind: 'workspace', record }], events: [updated] });
  return updated;
}

/** Commits `count` events to the workspace, one commit each, and tells `hinted` about them as the engine would. */
async function commitEvents(store: RedisStore, ws: string, count: number, hinted?: RedisOutbox, eventDate?: number): Promise<TaskRouterEvent[]> {
  const events: TaskRouterEvent[] = [];
  for (let i = 0; i < count; i++) {
    const e = event(ws, 'task.created', eventDate);
    await store.commit(ws, { events: [e] });
    hinted?.notice(e);
    events.push(e);
  }
  return events;
}

/**
 * Takes, and takes again each time the outbox signals it may have more (a hinted workspace was synced, an entry
 * settled), until it hands something out. What a hint announced is found this way, with no poll round.
 */
async function takeWhenReady(outbox: RedisOutbox, max = 10): Promise<OutboxEntry[]> {
  for (;;) {
    // Listening before taking, so a signal sent while the take runs is not missed.
    const signalled = new Promise<void>((resolve) => {
      const stop = outbox.onReady(() => {
        stop();
        resolve();
      });
    });
    const taken = await outbox.take(max);
    if (taken.length > 0) return taken;
    await signalled;
  }
}

/** Runs a poll round (how a process finds what others left: their hints never reach it), then takes. */
async function pollAndTake(outbox: RedisOutbox, max = 10): Promise<OutboxEntry[]> {
  await outbox.poll();
  return outbox.take(max);
}

const sids = (items: Array<OutboxEntry | TaskRouterEvent>) => items.map((e) => ('event' in e ? e.event.sid : e.sid));
const eventsKey = (ws: string) => `${prefix}{${ws}}:events`;
const orderKey = (ws: string) => `${prefix}{${ws}}:delivery:${GROUP}:order`;
const groupsOf = async (ws: string) => ((await redis.xinfo('GROUPS', eventsKey(ws))) as unknown[][]).map((g) => g[1]);
const openList = () => `${prefix}{registry}:delivery:${GROUP}`;
const pendingOf = async (ws: string) => Number((await redis.xpending(eventsKey(ws), GROUP))[0]);

/**
 * Lets `ms` pass for the workspace's leases. Redis measures them on its own clock, which no test can move: how long
 * each pending entry has gone unrenewed (its idle time) and how long the order lease has left. So they are aged by
 * `ms` instead: the entries keep their owner and delivery count, as when time simply passes.
 */
async function age(ws: string, ms: number): Promise<void> {
  const pending = (await redis.xpending(eventsKey(ws), GROUP, '-', '+', 1_000)) as Array<[string, string, number, number]>;
  for (const [id, owner, idle] of pending) await redis.xclaim(eventsKey(ws), GROUP, owner, 0, id, 'IDLE', idle + ms, 'JUSTID');
  const left = await redis.pttl(orderKey(ws));
  if (left > ms) await redis.pexpire(orderKey(ws), left - ms);
  else if (left > 0) await redis.del(orderKey(ws));
}

describe('RedisOutbox', () => {
  it("hands out a workspace's events once, oldest first, on its first attempt; done settles them", async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    const ws = await workspace(store, 'https://receiver.test/events');
    const committed = await commitEvents(store, ws, 3, a);

    const taken = await takeWhenReady(a);
    expect(sids(taken)).toEqual(sids(committed));
    expect(taken.map((e) => e.attempt)).toEqual([0, 0, 0]);
    expect(await pollAndTake(outboxOn(await connect(), 'b'))).toEqual([]);
    expect(await a.size()).toBeGreaterThan(0);
    for (const entry of taken) await a.done(entry.id);
    expect(await a.size()).toBe(0);
    expect(await pendingOf(ws)).toBe(0);
  });

  it('opens the group of a workspace whose name holds text the Lua JSON reader refuses (an escaped lone surrogate)', async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    const ws = await workspace(store, 'https://receiver.test/events', clock.now(), 'odd \ud800 name');
    const committed = await commitEvents(store, ws, 2, a);
    expect(sids(await takeWhenReady(a))).toEqual(sids(committed));
  });

  it('never gives two outboxes the same entry at the same time', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a'), outboxOn(storeB, 'b')];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    const committed = await commitEvents(storeA, ws, 40);
    a.notice(committed[0]!);
    b.notice(committed[0]!);
    await Promise.all([a.poll(), b.poll()]);

    // Both take at once, round after round, until neither finds anything more.
    const held = { a: [] as OutboxEntry[], b: [] as OutboxEntry[] };
    for (;;) {
      const [fromA, fromB] = await Promise.all([a.take(3), b.take(3)]);
      if (fromA.length + fromB.length === 0) break;
      held.a.push(...fromA);
      held.b.push(...fromB);
    }
    const all = [...sids(held.a), ...sids(held.b)];
    expect(all.sort()).toEqual(sids(committed).sort());
    expect(held.a.length).toBeGreaterThan(0);
    expect(held.b.length).toBeGreaterThan(0);
    expect(await pendingOf(ws)).toBe(committed.length);
  });

  it('in order, lets one outbox at a time take a workspace, one entry at a time, oldest first', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a', { inOrder: true }), outboxOn(storeB, 'b', { inOrder: true })];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    const committed = await commitEvents(storeA, ws, 3, a);
    b.notice(committed[0]!);

    const [first] = await takeWhenReady(a);
    expect(first!.event.sid).toBe(committed[0]!.sid);
    expect(await a.take(10)).toEqual([]);
    expect(await pollAndTake(b)).toEqual([]);
    await a.done(first!.id);
    const [second] = await pollAndTake(b);
    expect(second!.event.sid).toBe(committed[1]!.sid);
    expect(await a.take(10)).toEqual([]);
  });

  it('sets a failed entry aside until due by the clock without holding up the next, then offers it anywhere with its attempts', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a', { inOrder: true }), outboxOn(storeB, 'b', { inOrder: true })];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    const [e1, e2] = await commitEvents(storeA, ws, 2, a);

    const [first] = await takeWhenReady(a);
    expect(first!.event.sid).toBe(e1!.sid);
    await a.retryLater(first!.id, clock.now() + 60_000);
    const [next] = await a.take(10);
    expect(next!.event.sid).toBe(e2!.sid);
    await a.done(next!.id);

    // Not due a millisecond early, here or elsewhere; due on the clock, not on the wall clock.
    clock.advance(60_000 - 1);
    expect(await pollAndTake(a)).toEqual([]);
    expect(await pollAndTake(b)).toEqual([]);
    clock.advance(1);
    const [retried] = await pollAndTake(b);
    expect(retried).toMatchObject({ attempt: 1, event: { sid: e1!.sid } });
    await b.retryLater(retried!.id, clock.now());
    const [again] = await pollAndTake(a);
    expect(again).toMatchObject({ attempt: 2, event: { sid: e1!.sid } });
    await a.done(again!.id);
    expect(await a.size()).toBe(0);
  });

  it('looks again at once when asked after the clock passed a retry it set aside, without waiting for its timer', async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    const ws = await workspace(store, 'https://receiver.test/events');
    const [e1] = await commitEvents(store, ws, 1, a);
    const [taken] = await takeWhenReady(a);
    await a.retryLater(taken!.id, clock.now() + 60_000);
    expect(await a.take(10)).toEqual([]);

    clock.advance(60_000);
    let woken = 0;
    a.onReady(() => void (woken += 1));
    a.retriesDue();
    expect(woken).toBe(1);
    expect(await a.take(10)).toMatchObject([{ attempt: 1, event: { sid: e1!.sid } }]);
  });

  it('re-offers an entry whose taker stopped without settling it, once its lease ran out, as a further attempt', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a', { inOrder: true }), outboxOn(storeB, 'b', { inOrder: true })];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    const [e1] = await commitEvents(storeA, ws, 1, a);
    const [taken] = await takeWhenReady(a);
    expect(taken!.event.sid).toBe(e1!.sid);

    // The taker's connection goes away: it can neither renew nor settle, as if its process had died. The other
    // outbox hears of nothing: it finds the workspace in the list of open groups.
    // Redis's clock runs on meanwhile, so the check before the end keeps a margin.
    await storeA.close();
    await age(ws, LEASE_MS / 2);
    expect(await pollAndTake(b)).toEqual([]);
    await age(ws, LEASE_MS / 2);
    const [recovered] = await pollAndTake(b);
    expect(recovered).toMatchObject({ attempt: 1, event: { sid: e1!.sid } });
    await b.done(recovered!.id);
    expect(await pendingOf(ws)).toBe(0);
  });

  it('keeps what it is delivering from being re-offered while it renews, and hands it back on close', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a'), outboxOn(storeB, 'b')];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    await commitEvents(storeA, ws, 1, a);
    const [taken] = await takeWhenReady(a);

    // More than a lease passes, the taker renewing every third of it as its timer does.
    for (let i = 0; i < 3; i++) {
      await age(ws, LEASE_MS / 3);
      await a.renew();
    }
    await age(ws, (2 * LEASE_MS) / 3);
    expect(await pollAndTake(b)).toEqual([]);

    await a.close();
    const [handedBack] = await pollAndTake(b);
    // The interrupted attempt does not count.
    expect(handedBack).toMatchObject({ attempt: 0, event: { sid: taken!.event.sid } });
  });

  it("opens a workspace's group at the change that set its receiver, never with an older backlog", async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    // A receiver set ten minutes ago, events since, and no group yet (delivery was not running): none of those.
    const long = clock.now() - 600_000;
    const configured = await workspace(store, 'https://receiver.test/events', long);
    await commitEvents(store, configured, 2, undefined, long + 1_000);
    // No receiver while these happen; then one is set.
    const later = await workspace(store, null);
    const before = await commitEvents(store, later, 2, a);
    clock.advance(50);
    const updated = await setUrl(store, later, 'https://receiver.test/later');
    const after = await commitEvents(store, later, 2);
    a.notice(updated);
    const fresh = await commitEvents(store, configured, 1, a);

    const taken: OutboxEntry[] = [];
    while (taken.length < 4) taken.push(...(await takeWhenReady(a)));
    expect(await pollAndTake(a)).toEqual([]);
    expect(sids(taken).sort()).toEqual(sids([updated, ...after, ...fresh]).sort());
    expect(sids(taken)).not.toContain(before[0]!.sid);
  });

  it('keeps no group for a workspace without a receiver, and drops it with what was pending when the receiver goes', async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    const ws = await workspace(store, null);
    await commitEvents(store, ws, 2, a);
    expect(await pollAndTake(a)).toEqual([]);
    expect(await groupsOf(ws)).toEqual([]);

    clock.advance(1_000);
    const updated = await setUrl(store, ws, 'https://receiver.test/events');
    a.notice(updated);
    const [taken] = await takeWhenReady(a);
    expect(taken!.event.sid).toBe(updated.sid);
    expect(await groupsOf(ws)).toEqual([GROUP]);
    expect(await redis.zrange(openList(), 0, -1)).toEqual([ws]);
    clock.advance(1_000);
    a.notice(await setUrl(store, ws, null));
    await commitEvents(store, ws, 3, a);
    expect(await pollAndTake(a)).toEqual([]);
    expect(await groupsOf(ws)).toEqual([]);
    expect(await redis.zrange(openList(), 0, -1)).toEqual([]);
    await a.done(taken!.id);
    expect(await a.size()).toBe(0);
  });

  it('settles entries trimmed from the stream while waiting for a retry, and counts them', async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    const ws = await workspace(store, 'https://receiver.test/events');
    await commitEvents(store, ws, 1, a);
    const [taken] = await takeWhenReady(a);
    await a.retryLater(taken!.id, clock.now() + 30_000);
    await redis.xtrim(eventsKey(ws), 'MAXLEN', 0);

    clock.advance(30_000);
    a.retriesDue();
    expect(await a.take(10)).toEqual([]);
    expect(a.dropped).toBe(1);
    expect(await pendingOf(ws)).toBe(0);
    expect(await redis.zcard(`${prefix}{${ws}}:delivery:${GROUP}:retries`)).toBe(0);
    expect(await a.size()).toBe(0);
  });

  it('leaves new entries unread in the stream once a workspace has its limit pending', async () => {
    const store = await connect();
    const a = outboxOn(store, 'a', { pendingLimit: 3 });
    const ws = await workspace(store, 'https://receiver.test/events');
    const committed = await commitEvents(store, ws, 10, a);

    const taken = await takeWhenReady(a);
    expect(sids(taken)).toEqual(sids(committed.slice(0, 3)));
    for (const entry of taken) await a.retryLater(entry.id, clock.now() + 60_000);
    expect(await pollAndTake(a)).toEqual([]);
    expect(await pendingOf(ws)).toBe(3);
    expect(a.longestBacklog).toBe(3);
  });
});
