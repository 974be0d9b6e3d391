import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventRecord, WorkspaceRecord } from '../../src/core/model.js';
import type { DeliveryLogger } from '../../src/events/logger.js';
import type { OutboxEntry } from '../../src/events/outbox.js';
import { RedisOutbox } from '../../src/events/redis-outbox.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';

const GROUP = 'event-callbacks';
const LEASE_MS = 300;
/** Each test has keys of its own: an outbox looks at every workspace under its prefix. */
let prefix = '';
const quiet: DeliveryLogger = { info: () => {}, warn: () => {}, error: () => {} };
let redis: Redis;
const stores: RedisStore[] = [];
const outboxes: RedisOutbox[] = [];

beforeAll(() => {
  redis = new Redis(testRedisUrl());
});
beforeEach(() => {
  prefix = uniquePrefix();
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

/** An outbox for EventCallbackUrl as a process named `consumer` runs it, polling often. */
function outboxOn(store: RedisStore, consumer: string, options: { inOrder?: boolean; pendingLimit?: number } = {}): RedisOutbox {
  const outbox = new RedisOutbox({
    feed: store.eventFeed(GROUP, consumer, LEASE_MS),
    gate: { kind: 'workspace', property: 'eventCallbackUrl', ownRecord: true },
    gateChanged: (event) => event.eventType.startsWith('workspace.'),
    inOrder: options.inOrder ?? false,
    pendingLimit: options.pendingLimit ?? 100,
    pollMs: 20,
    logger: quiet,
  });
  outboxes.push(outbox);
  return outbox;
}

let n = 0;
function event(workspaceSid: string, eventType = 'task.created', eventDate = Date.now()): EventRecord {
  n += 1;
  return {
    sid: `EV${String(n).padStart(32, '0')}`,
    workspaceSid,
    eventType,
    eventDate,
    resourceType: 'task',
    resourceSid: 'WT1',
    description: '',
    actorType: null,
    actorSid: null,
    data: {},
  };
}

/** Registers a workspace (with an EventCallbackUrl, or none) as the engine would, dated `at`. */
async function workspace(store: RedisStore, url: string | null, at = Date.now(), name?: string): Promise<string> {
  const sid = `WS${(n += 1)}${Math.random().toString(16).slice(2)}`;
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
async function setUrl(store: RedisStore, ws: string, url: string | null): Promise<EventRecord> {
  const current = (await store.get(ws, 'workspace', ws))!;
  const record = { ...current, eventCallbackUrl: url, dateUpdated: Date.now(), version: current.version + 1 };
  const updated = event(ws, 'workspace.updated');
  await store.commit(ws, { expect: [{ kind: 'workspace', sid: ws, version: current.version }], put: [{ kind: 'workspace', record }], events: [updated] });
  return updated;
}

/** Commits `count` events to the workspace, one commit each, and tells `hinted` about them as the engine would. */
async function commitEvents(store: RedisStore, ws: string, count: number, hinted?: RedisOutbox, eventDate?: number): Promise<EventRecord[]> {
  const events: EventRecord[] = [];
  for (let i = 0; i < count; i++) {
    const e = event(ws, 'task.created', eventDate);
    await store.commit(ws, { events: [e] });
    hinted?.notice(e);
    events.push(e);
  }
  return events;
}

/** Takes until something comes back (the outbox syncs and polls in the background), or `ms` pass. */
async function takeSoon(outbox: RedisOutbox, max = 10, ms = 2_000): Promise<OutboxEntry[]> {
  const end = Date.now() + ms;
  for (;;) {
    const taken = await outbox.take(max);
    if (taken.length > 0 || Date.now() > end) return taken;
    await sleep(10);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sids = (items: Array<OutboxEntry | EventRecord>) => items.map((e) => ('event' in e ? e.event.sid : e.sid));
const eventsKey = (ws: string) => `${prefix}{${ws}}:events`;
const groupsOf = async (ws: string) => ((await redis.xinfo('GROUPS', eventsKey(ws))) as unknown[][]).map((g) => g[1]);
const openList = () => `${prefix}{registry}:delivery:${GROUP}`;
const pendingOf = async (ws: string) => Number((await redis.xpending(eventsKey(ws), GROUP))[0]);

describe('RedisOutbox', () => {
  it("hands out a workspace's events once, oldest first, on its first attempt; done settles them", async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    const ws = await workspace(store, 'https://receiver.test/events');
    const committed = await commitEvents(store, ws, 3, a);

    const taken = await takeSoon(a);
    expect(sids(taken)).toEqual(sids(committed));
    expect(taken.map((e) => e.attempt)).toEqual([0, 0, 0]);
    expect(await outboxOn(await connect(), 'b').take(10)).toEqual([]);
    expect(await a.size()).toBeGreaterThan(0);
    for (const entry of taken) await a.done(entry.id);
    expect(await a.size()).toBe(0);
    expect(await pendingOf(ws)).toBe(0);
  });

  it('opens the group of a workspace whose name holds text the Lua JSON reader refuses (an escaped lone surrogate)', async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    const ws = await workspace(store, 'https://receiver.test/events', Date.now(), 'odd \ud800 name');
    const committed = await commitEvents(store, ws, 2, a);
    expect(sids(await takeSoon(a))).toEqual(sids(committed));
  });

  it('never gives two outboxes the same entry at the same time', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a'), outboxOn(storeB, 'b')];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    const committed = await commitEvents(storeA, ws, 40);
    a.notice(committed[0]!);
    b.notice(committed[0]!);

    const held = { a: [] as OutboxEntry[], b: [] as OutboxEntry[] };
    for (let round = 0; held.a.length + held.b.length < committed.length && round < 200; round++) {
      const [fromA, fromB] = await Promise.all([a.take(3), b.take(3)]);
      held.a.push(...fromA);
      held.b.push(...fromB);
      await sleep(5);
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

    const [first] = await takeSoon(a);
    expect(first!.event.sid).toBe(committed[0]!.sid);
    expect(await a.take(10)).toEqual([]);
    expect(await takeSoon(b, 10, 200)).toEqual([]);
    await a.done(first!.id);
    const [second] = await takeSoon(b);
    expect(second!.event.sid).toBe(committed[1]!.sid);
    expect(await a.take(10)).toEqual([]);
  });

  it('sets a failed entry aside until due without holding up the next, then offers it anywhere with its attempts', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a', { inOrder: true }), outboxOn(storeB, 'b', { inOrder: true })];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    const [e1, e2] = await commitEvents(storeA, ws, 2, a);

    const [first] = await takeSoon(a);
    const due = Date.now() + 200;
    await a.retryLater(first!.id, due);
    const [next] = await takeSoon(a);
    expect(next!.event.sid).toBe(e2!.sid);
    await a.done(next!.id);

    b.notice(e1!);
    const [retried] = await takeSoon(b);
    expect(Date.now()).toBeGreaterThanOrEqual(due - 5);
    expect(retried).toMatchObject({ attempt: 1, event: { sid: e1!.sid } });
    await b.retryLater(retried!.id, Date.now());
    const [again] = await takeSoon(a);
    expect(again).toMatchObject({ attempt: 2, event: { sid: e1!.sid } });
    await a.done(again!.id);
    expect(await a.size()).toBe(0);
  });

  it('re-offers an entry whose taker stopped without settling it, once its lease ran out, as a further attempt', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a', { inOrder: true }), outboxOn(storeB, 'b', { inOrder: true })];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    const [e1] = await commitEvents(storeA, ws, 1, a);
    const [taken] = await takeSoon(a);
    expect(taken!.event.sid).toBe(e1!.sid);

    // The taker's connection goes away: it can neither renew nor settle, as if its process had died. The other
    // outbox hears of nothing: it finds the workspace in the list of open groups.
    await storeA.close();
    const lost = Date.now();
    const [recovered] = await takeSoon(b, 10, 5_000);
    expect(Date.now() - lost).toBeGreaterThanOrEqual(LEASE_MS * 0.8);
    expect(recovered).toMatchObject({ attempt: 1, event: { sid: e1!.sid } });
    await b.done(recovered!.id);
    expect(await pendingOf(ws)).toBe(0);
  });

  it('keeps what it is delivering from being re-offered while it renews, and hands it back on close', async () => {
    const [storeA, storeB] = [await connect(), await connect()];
    const [a, b] = [outboxOn(storeA, 'a'), outboxOn(storeB, 'b')];
    const ws = await workspace(storeA, 'https://receiver.test/events');
    const [e1] = await commitEvents(storeA, ws, 1, a);
    const [taken] = await takeSoon(a);
    b.notice(e1!);
    expect(await takeSoon(b, 10, LEASE_MS * 3)).toEqual([]);

    await a.close();
    const [handedBack] = await takeSoon(b, 10, 500);
    // The interrupted attempt does not count.
    expect(handedBack).toMatchObject({ attempt: 0, event: { sid: taken!.event.sid } });
  });

  it("opens a workspace's group at the change that set its receiver, never with an older backlog", async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    // A receiver set ten minutes ago, events since, and no group yet (delivery was not running): none of those.
    const long = Date.now() - 600_000;
    const configured = await workspace(store, 'https://receiver.test/events', long);
    await commitEvents(store, configured, 2, undefined, long + 1_000);
    // No receiver while these happen; then one is set.
    const later = await workspace(store, null);
    const before = await commitEvents(store, later, 2, a);
    await sleep(50);
    const updated = await setUrl(store, later, 'https://receiver.test/later');
    const after = await commitEvents(store, later, 2);
    a.notice(updated);
    const fresh = await commitEvents(store, configured, 1, a);

    const taken: OutboxEntry[] = [];
    for (let round = 0; round < 50 && taken.length < 4; round++) taken.push(...(await takeSoon(a, 10, 100)));
    expect(sids(taken).sort()).toEqual(sids([updated, ...after, ...fresh]).sort());
    expect(sids(taken)).not.toContain(before[0]!.sid);
  });

  it('keeps no group for a workspace without a receiver, and drops it with what was pending when the receiver goes', async () => {
    const store = await connect();
    const a = outboxOn(store, 'a');
    const ws = await workspace(store, null);
    await commitEvents(store, ws, 2, a);
    expect(await takeSoon(a, 10, 200)).toEqual([]);
    expect(await groupsOf(ws)).toEqual([]);

    a.notice(await setUrl(store, ws, 'https://receiver.test/events'));
    const [taken] = await takeSoon(a);
    expect(await groupsOf(ws)).toEqual([GROUP]);
    expect(await redis.zrange(openList(), 0, -1)).toEqual([ws]);
    a.notice(await setUrl(store, ws, null));
    await commitEvents(store, ws, 3, a);
    expect(await takeSoon(a, 10, 200)).toEqual([]);
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
    const [taken] = await takeSoon(a);
    await a.retryLater(taken!.id, Date.now() + 30);
    await redis.xtrim(eventsKey(ws), 'MAXLEN', 0);

    expect(await takeSoon(a, 10, 300)).toEqual([]);
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

    const taken = await takeSoon(a);
    expect(sids(taken)).toEqual(sids(committed.slice(0, 3)));
    for (const entry of taken) await a.retryLater(entry.id, Date.now() + 60_000);
    expect(await takeSoon(a, 10, 200)).toEqual([]);
    expect(await pendingOf(ws)).toBe(3);
    expect(a.longestBacklog).toBe(3);
  });
});
