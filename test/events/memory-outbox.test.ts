import { describe, expect, it, vi } from 'vitest';
import type { EventRecord } from '../../src/core/model.js';
import { MemoryOutbox } from '../../src/events/memory-outbox.js';
import { EVENT_CALLBACK_RETRY, retryDelay } from '../../src/events/retry-policy.js';

let n = 0;
function event(workspaceSid: string, eventType = 'task.created'): EventRecord {
  n += 1;
  return {
    sid: `EV${String(n).padStart(32, '0')}`,
    workspaceSid,
    eventType,
    eventDate: n,
    resourceType: 'task',
    resourceSid: 'WT1',
    description: '',
    actorType: null,
    actorSid: null,
    data: {},
  };
}

describe('MemoryOutbox', () => {
  it("hands out one entry per workspace at a time when in order, each workspace's in arrival order", async () => {
    const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: true });
    const a = [event('WSa'), event('WSa'), event('WSa')];
    const b = [event('WSb')];
    for (const e of [...a, ...b]) outbox.add(e);
    const first = await outbox.take(10);
    expect(first.map((e) => e.event.sid)).toEqual([a[0]!.sid, b[0]!.sid]);
    expect(await outbox.take(10)).toEqual([]);
    await outbox.done(first[0]!.id);
    expect((await outbox.take(10)).map((e) => e.event.sid)).toEqual([a[1]!.sid]);
    expect(await outbox.size()).toBe(3);
  });

  it('drops the oldest entry of a workspace at its limit, leaving other workspaces alone', async () => {
    const drops: number[] = [];
    const outbox = new MemoryOutbox({ limitPerWorkspace: 3, inOrder: false, onDrop: (_ws, count) => drops.push(count) });
    const flood = Array.from({ length: 5 }, () => event('WSa'));
    const calm = event('WSb');
    for (const e of flood) outbox.add(e);
    outbox.add(calm);
    expect(outbox.dropped).toBe(2);
    expect(drops).toEqual([1, 2]);
    expect(outbox.longestBacklog).toBe(3);
    const taken = await outbox.take(10);
    expect(taken.map((e) => e.event.sid).sort()).toEqual([...flood.slice(2).map((e) => e.sid), calm.sid].sort());
  });

  it('sets a retried entry aside until due, without holding back the entries after it', async () => {
    const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: true });
    const [first, second] = [event('WSa'), event('WSa')];
    outbox.add(first);
    outbox.add(second);
    const [taken] = await outbox.take(1);
    let woken = 0;
    outbox.onReady(() => void (woken += 1));
    await outbox.retryLater(taken!.id, Date.now() + 30);
    const [next] = await outbox.take(1);
    expect(next!.event.sid).toBe(second.sid);
    await outbox.done(next!.id);
    expect(await outbox.take(1)).toEqual([]);
    await new Promise<void>((resolve) => outbox.onReady(resolve));
    const [retry] = await outbox.take(1);
    expect(retry).toMatchObject({ attempt: 1, event: { sid: first.sid } });
    expect(woken).toBeGreaterThan(0);
    await outbox.done(retry!.id);
    expect(await outbox.size()).toBe(0);
    await outbox.close();
  });

  it('wakes its takers for a retry that falls due while its timer reads the clock', async () => {
    // The timer reads the wall clock once to see what is due and once to set itself again: a retry falling due in
    // between must not be missed by both. Timers are faked so that only the outbox reads the clock here.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const now = vi.spyOn(Date, 'now').mockImplementation(() => 1_000);
    try {
      const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: false });
      outbox.add(event('WSa'));
      const [taken] = await outbox.take(1);
      await outbox.retryLater(taken!.id, 1_005);
      let woken = 0;
      outbox.onReady(() => void (woken += 1));
      // The timer fires a millisecond early by the wall clock, which then ticks to the due time.
      let reads = 0;
      now.mockImplementation(() => (reads++ === 0 ? 1_004 : 1_005));
      vi.advanceTimersByTime(5);
      vi.advanceTimersByTime(5);
      expect(woken).toBeGreaterThan(0);
      const [retry] = await outbox.take(1);
      expect(retry).toMatchObject({ attempt: 1 });
    } finally {
      now.mockRestore();
      vi.useRealTimers();
    }
  });

  it('serves workspaces in turn', async () => {
    const outbox = new MemoryOutbox({ limitPerWorkspace: 10, inOrder: false });
    for (let i = 0; i < 3; i++) outbox.add(event('WSa'));
    outbox.add(event('WSb'));
    const taken = await outbox.take(2);
    expect(taken.map((e) => e.event.workspaceSid)).toEqual(['WSa', 'WSb']);
  });
});

describe('retry delays', () => {
  it('double from the initial delay up to the cap, within ±20%', () => {
    const middle = () => 0.5;
    const delays = Array.from({ length: EVENT_CALLBACK_RETRY.attempts - 1 }, (_, i) => retryDelay(EVENT_CALLBACK_RETRY, i + 1, middle));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000]);
    expect(retryDelay(EVENT_CALLBACK_RETRY, 1, () => 0)).toBe(800);
    expect(retryDelay(EVENT_CALLBACK_RETRY, 1, () => 1)).toBe(1_200);
  });
});
