import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitConflict } from '../../src/core/errors.js';
import type { Kind, RecordByKind, TaskRecord } from '../../src/core/model.js';
import { newSid, timedSid } from '../../src/core/sid.js';
import { pendingIndex, pendingMember, timeMember } from '../../src/engine/derived/schema.js';
import type { CommitBatch, RecordWrite, RoutingStore } from '../../src/store/routing-store.js';
import { asStoredEvent, eventRecord, taskRecord, workerRecord, workspaceRecord } from './records.js';

/** Options a store under test is built with; stores ignore what they don't support. */
export interface StoreCaseOptions {
  eventRetentionMs?: number;
  maxEventsPerWorkspace?: number;
}

const MAX_PRIORITY = 2_147_483_647;
const LATE = 2 ** 41;
/** Events are dated around now: older ones fall outside the retention and are trimmed. */
const NOW = Date.now();

/**
 * Behaviour every RoutingStore shows, whatever it is built on. Each test gets a fresh, empty store from
 * `makeStore`; a behaviour that passes on one store and fails on another is a bug in the latter.
 */
export function storeCases(makeStore: (options?: StoreCaseOptions) => Promise<RoutingStore>): void {
  let store: RoutingStore;
  const opened: RoutingStore[] = [];
  const open = async (options?: StoreCaseOptions): Promise<RoutingStore> => {
    const made = await makeStore(options);
    opened.push(made);
    return made;
  };
  let ws: string;

  beforeEach(async () => {
    store = await open();
    ws = newSid('WS');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  const create = async <K extends Kind>(workspaceSid: string, kind: K, record: RecordByKind[K]): Promise<void> => {
    await store.commit(workspaceSid, { expect: [{ kind, sid: record.sid, version: null }], put: [{ kind, record } as RecordWrite] });
  };

  const conflictOf = async (promise: Promise<unknown>): Promise<unknown> => {
    try {
      await promise;
    } catch (err) {
      return err;
    }
    throw new Error('expected a CommitConflict');
  };

  describe('records', () => {
    it('gets what was put, and null for what was not', async () => {
      const worker = workerRecord(ws);
      expect(await store.get(ws, 'worker', worker.sid)).toBeNull();
      await create(ws, 'worker', worker);
      expect(await store.get(ws, 'worker', worker.sid)).toEqual(worker);
      expect(await store.get(ws, 'task', worker.sid)).toBeNull();
    });

    it('hands out copies: changing a returned record changes nothing stored', async () => {
      const worker = workerRecord(ws);
      await create(ws, 'worker', worker);
      const read = (await store.get(ws, 'worker', worker.sid))!;
      read.friendlyName = 'changed';
      read.queueSids.push('WQx');
      expect(await store.get(ws, 'worker', worker.sid)).toEqual(worker);
    });

    it('getMany answers in the order asked, with null for missing sids', async () => {
      const [a, b] = [taskRecord(ws), taskRecord(ws)];
      await create(ws, 'task', a);
      await create(ws, 'task', b);
      const missing = newSid('WT');
      expect(await store.getMany(ws, 'task', [b.sid, missing, a.sid, b.sid])).toEqual([b, null, a, b]);
      expect(await store.getMany(ws, 'task', [])).toEqual([]);
    });

    it('lists in creation order, keeping a record in place when it is updated', async () => {
      const sids = ['WK' + 'c'.repeat(32), 'WK' + 'a'.repeat(32), 'WK' + 'f'.repeat(32), 'WK' + 'b'.repeat(32)];
      for (const sid of sids) await create(ws, 'worker', workerRecord(ws, sid));
      const updated = { ...workerRecord(ws, sids[1]), friendlyName: 'renamed', version: 2 };
      await store.commit(ws, { expect: [{ kind: 'worker', sid: sids[1]!, version: 1 }], put: [{ kind: 'worker', record: updated }] });
      const listed = await store.list(ws, 'worker');
      expect(listed.map((w) => w.sid)).toEqual(sids);
      expect(listed[1]).toEqual(updated);
    });

    it('lists a deleted and re-created record last', async () => {
      const [a, b, c] = [workerRecord(ws), workerRecord(ws), workerRecord(ws)];
      for (const w of [a, b, c]) await create(ws, 'worker', w);
      await store.commit(ws, { expect: [{ kind: 'worker', sid: a.sid, version: 1 }], delete: [{ kind: 'worker', sid: a.sid }] });
      expect((await store.list(ws, 'worker')).map((w) => w.sid)).toEqual([b.sid, c.sid]);
      await create(ws, 'worker', a);
      expect((await store.list(ws, 'worker')).map((w) => w.sid)).toEqual([b.sid, c.sid, a.sid]);
    });

    it('keeps kinds apart and lists nothing for an empty kind', async () => {
      const sid = newSid('WT');
      await create(ws, 'task', taskRecord(ws, sid));
      expect(await store.get(ws, 'reservation', sid)).toBeNull();
      expect(await store.list(ws, 'reservation')).toEqual([]);
      expect(await store.list(newSid('WS'), 'task')).toEqual([]);
    });

    it('lists every workspace in creation order, and gets each from its own workspace', async () => {
      const workspaces = [workspaceRecord('WS' + 'f'.repeat(32)), workspaceRecord('WS' + '0'.repeat(32)), workspaceRecord()];
      for (const w of workspaces) await create(w.sid, 'workspace', w);
      expect((await store.list('', 'workspace')).map((w) => w.sid)).toEqual(workspaces.map((w) => w.sid));
      const [, second, third] = workspaces as [RecordByKind['workspace'], RecordByKind['workspace'], RecordByKind['workspace']];
      expect(await store.get(second.sid, 'workspace', second.sid)).toEqual(second);
      expect(await store.getMany(third.sid, 'workspace', [third.sid, newSid('WS')])).toEqual([third, null]);
    });
  });

  describe('commit', () => {
    /** A workspace holding one worker (v1), a claimed name, an index entry, a timer and an event. */
    async function seeded() {
      const worker = workerRecord(ws);
      await store.commit(ws, {
        expect: [{ kind: 'worker', sid: worker.sid, version: null }],
        put: [{ kind: 'worker', record: worker }],
        index: [{ op: 'add', index: 'members:WQ1', member: worker.sid }],
        unique: [{ op: 'claim', key: 'worker:alice', sid: worker.sid }],
        timers: [{ op: 'set', id: `idle:${worker.sid}`, due: 5_000 }],
        events: [eventRecord(ws, NOW + 1_000)],
      });
      return worker;
    }

    async function snapshot() {
      return {
        workers: await store.list(ws, 'worker'),
        tasks: await store.list(ws, 'task'),
        members: await store.rangeIndex(ws, 'members:WQ1', 100),
        other: await store.rangeIndex(ws, 'members:WQ2', 100),
        alice: await store.lookupUnique(ws, 'worker:alice'),
        bob: await store.lookupUnique(ws, 'worker:bob'),
        next: await store.nextTimerDue(),
        events: await store.listEvents(ws, 0),
      };
    }

    /** A batch touching every part of the store; applying it would change everything `snapshot` reads. */
    function everything(worker: RecordByKind['worker'], expect: CommitBatch['expect']): CommitBatch {
      return {
        expect,
        put: [{ kind: 'task', record: taskRecord(ws) }],
        delete: [{ kind: 'worker', sid: worker.sid }],
        index: [
          { op: 'remove', index: 'members:WQ1', member: worker.sid },
          { op: 'add', index: 'members:WQ2', member: worker.sid },
        ],
        unique: [
          { op: 'release', key: 'worker:alice', sid: worker.sid },
          { op: 'claim', key: 'worker:bob', sid: worker.sid },
        ],
        timers: [
          { op: 'clear', id: `idle:${worker.sid}` },
          { op: 'set', id: 'other', due: 1 },
        ],
        events: [eventRecord(ws, NOW + 2_000)],
      };
    }

    it('applies every part of a batch when its checks hold', async () => {
      const worker = await seeded();
      await store.commit(ws, everything(worker, [{ kind: 'worker', sid: worker.sid, version: 1 }]));
      const after = await snapshot();
      expect(after.workers).toEqual([]);
      expect(after.tasks).toHaveLength(1);
      expect(after.members).toEqual([]);
      expect(after.other).toEqual([worker.sid]);
      expect(after.alice).toBeNull();
      expect(after.bob).toBe(worker.sid);
      expect(after.next).toBe(1);
      expect(after.events.map((e) => e.eventDate)).toEqual([NOW + 1_000, NOW + 2_000]);
    });

    it('applies nothing when an expected version has moved on', async () => {
      const worker = await seeded();
      const before = await snapshot();
      const err = await conflictOf(store.commit(ws, everything(worker, [{ kind: 'worker', sid: worker.sid, version: 0 }])));
      expect(err).toBeInstanceOf(CommitConflict);
      expect(await snapshot()).toEqual(before);
    });

    it('applies nothing when only the last of several checks fails', async () => {
      const worker = await seeded();
      const task = taskRecord(ws);
      await create(ws, 'task', task);
      const before = await snapshot();
      const batch = everything(worker, [
        { kind: 'worker', sid: worker.sid, version: 1 },
        { kind: 'task', sid: task.sid, version: 1 },
        { kind: 'task', sid: task.sid, version: 7 },
      ]);
      expect(await conflictOf(store.commit(ws, batch))).toBeInstanceOf(CommitConflict);
      expect(await snapshot()).toEqual(before);
    });

    it('applies nothing when a unique key is held by another sid', async () => {
      const worker = await seeded();
      const rival = workerRecord(ws);
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:bob', sid: rival.sid }] });
      const before = await snapshot();
      const err = await conflictOf(store.commit(ws, everything(worker, [{ kind: 'worker', sid: worker.sid, version: 1 }])));
      expect(err).toBeInstanceOf(CommitConflict);
      expect(await snapshot()).toEqual(before);
    });

    it('treats a null expectation as "must not exist yet"', async () => {
      const task = taskRecord(ws);
      await create(ws, 'task', task);
      expect(await conflictOf(create(ws, 'task', { ...task, version: 5 }))).toBeInstanceOf(CommitConflict);
      expect(await store.get(ws, 'task', task.sid)).toEqual(task);
      const absent = newSid('WT');
      const requireAbsent = store.commit(ws, { expect: [{ kind: 'task', sid: absent, version: 1 }] });
      expect(await conflictOf(requireAbsent)).toBeInstanceOf(CommitConflict);
      // The same sid under another kind is another record.
      await store.commit(ws, { expect: [{ kind: 'reservation', sid: task.sid, version: null }] });
    });

    it('checks versions without writing (require)', async () => {
      const task = taskRecord(ws, undefined, 3);
      await create(ws, 'task', task);
      await store.commit(ws, { expect: [{ kind: 'task', sid: task.sid, version: 3 }], events: [eventRecord(ws, NOW)] });
      expect(await store.get(ws, 'task', task.sid)).toEqual(task);
      expect(await store.listEvents(ws, 0)).toHaveLength(1);
    });

    it('deletes a record so it can be created anew', async () => {
      const task = taskRecord(ws);
      await create(ws, 'task', task);
      await store.commit(ws, { expect: [{ kind: 'task', sid: task.sid, version: 1 }], delete: [{ kind: 'task', sid: task.sid }] });
      expect(await store.get(ws, 'task', task.sid)).toBeNull();
      expect(await store.getMany(ws, 'task', [task.sid])).toEqual([null]);
      await create(ws, 'task', { ...task, version: 1 });
      expect(await store.get(ws, 'task', task.sid)).toEqual(task);
    });

    it('accepts an empty batch', async () => {
      await store.commit(ws, {});
      await store.commit(ws, { expect: [], put: [], delete: [], index: [], unique: [], timers: [], events: [] });
      expect(await store.list(ws, 'task')).toEqual([]);
    });
  });

  describe('unique keys', () => {
    it('claims, re-claims for the same sid, refuses other sids, and releases only for the holder', async () => {
      const [a, b] = [newSid('WK'), newSid('WK')];
      expect(await store.lookupUnique(ws, 'worker:alice')).toBeNull();
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: a }] });
      expect(await store.lookupUnique(ws, 'worker:alice')).toBe(a);
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: a }] });
      const taken = store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: b }] });
      expect(await conflictOf(taken)).toBeInstanceOf(CommitConflict);
      await store.commit(ws, { unique: [{ op: 'release', key: 'worker:alice', sid: b }] });
      expect(await store.lookupUnique(ws, 'worker:alice')).toBe(a);
      await store.commit(ws, { unique: [{ op: 'release', key: 'worker:alice', sid: a }] });
      expect(await store.lookupUnique(ws, 'worker:alice')).toBeNull();
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: b }] });
      expect(await store.lookupUnique(ws, 'worker:alice')).toBe(b);
    });

    it('moves a name in one batch: release the old, claim the new', async () => {
      const a = newSid('WK');
      await store.commit(ws, { unique: [{ op: 'claim', key: 'worker:alice', sid: a }] });
      await store.commit(ws, {
        unique: [
          { op: 'release', key: 'worker:alice', sid: a },
          { op: 'claim', key: 'worker:alicia', sid: a },
        ],
      });
      expect(await store.lookupUnique(ws, 'worker:alice')).toBeNull();
      expect(await store.lookupUnique(ws, 'worker:alicia')).toBe(a);
    });
  });

  describe('ordered indexes', () => {
    const add = async (index: string, members: string[]): Promise<void> => {
      await store.commit(ws, { index: members.map((member) => ({ op: 'add' as const, index, member })) });
    };

    /** Every pairing of extreme priorities and times, shuffled, with the order routing must see them in. */
    function extremes(order: 'FIFO' | 'LIFO') {
      const tasks: Array<{ priority: number; time: number; sid: string }> = [];
      for (const priority of [0, 1, 10, MAX_PRIORITY - 1, MAX_PRIORITY]) {
        for (const time of [0, 1, 1_700_000_000_000, LATE - 1, LATE]) tasks.push({ priority, time, sid: newSid('WT') });
      }
      const expected = [...tasks]
        .sort((x, y) => y.priority - x.priority || (order === 'FIFO' ? x.time - y.time : y.time - x.time))
        .map((t) => pendingMember(t.priority, t.time, order, t.sid));
      const shuffled = tasks.map((t) => pendingMember(t.priority, t.time, order, t.sid)).sort(() => Math.random() - 0.5);
      return { expected, shuffled };
    }

    it('orders pending tasks by priority, then oldest first (FIFO), at the extremes', async () => {
      const { expected, shuffled } = extremes('FIFO');
      const index = pendingIndex(newSid('WQ'), newSid('TC'));
      await add(index, shuffled);
      expect(await store.rangeIndex(ws, index, 1_000)).toEqual(expected);
      expect(await store.countIndex(ws, index)).toBe(expected.length);
    });

    it('orders pending tasks by priority, then newest first (LIFO), at the extremes', async () => {
      const { expected, shuffled } = extremes('LIFO');
      const index = pendingIndex(newSid('WQ'), newSid('TC'));
      await add(index, shuffled);
      expect(await store.rangeIndex(ws, index, 1_000)).toEqual(expected);
    });

    it('breaks ties of priority and time by sid', async () => {
      const sids = [newSid('WT'), newSid('WT'), newSid('WT')];
      await add(
        'pending:q:c',
        sids.map((sid) => pendingMember(5, 100, 'FIFO', sid)),
      );
      expect(await store.rangeIndex(ws, 'pending:q:c', 10)).toEqual([...sids].sort().map((sid) => pendingMember(5, 100, 'FIFO', sid)));
    });

    it('orders idle workers longest idle first', async () => {
      const members = [timeMember(LATE, 'WKa'), timeMember(0, 'WKz'), timeMember(1_700_000_000_000, 'WKb'), timeMember(0, 'WKc')];
      await add('idle:q:c', members);
      expect(await store.rangeIndex(ws, 'idle:q:c', 10)).toEqual([members[3], members[1], members[2], members[0]]);
    });

    it('pages with `after` exclusive and `limit`', async () => {
      const { expected, shuffled } = extremes('FIFO');
      await add('pending:q:c', shuffled);
      const walked: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.rangeIndex(ws, 'pending:q:c', 4, after);
        expect(page.length).toBeLessThanOrEqual(4);
        if (page.length === 0) break;
        walked.push(...page);
        after = page[page.length - 1];
      }
      expect(walked).toEqual(expected);
      expect(await store.rangeIndex(ws, 'pending:q:c', 2, expected[5])).toEqual(expected.slice(6, 8));
      expect(await store.rangeIndex(ws, 'pending:q:c', 10, expected.at(-1))).toEqual([]);
      expect(await store.rangeIndex(ws, 'pending:q:c', 0)).toEqual([]);
    });

    it('starts after a value that is not a member', async () => {
      await add('idle:q:c', ['000000000000010:WKa', '000000000000020:WKb', '000000000000030:WKc']);
      expect(await store.rangeIndex(ws, 'idle:q:c', 10, '000000000000015')).toEqual(['000000000000020:WKb', '000000000000030:WKc']);
      expect(await store.rangeIndex(ws, 'idle:q:c', 10, '000000000000020:WKb')).toEqual(['000000000000030:WKc']);
      expect(await store.rangeIndex(ws, 'idle:q:c', 10, '')).toHaveLength(3);
    });

    it('removes members, ignores unknown ones, and empties', async () => {
      await add('members:q', ['WKa', 'WKb']);
      await store.commit(ws, {
        index: [
          { op: 'remove', index: 'members:q', member: 'WKa' },
          { op: 'remove', index: 'members:q', member: 'WKnope' },
          { op: 'remove', index: 'members:other', member: 'WKb' },
        ],
      });
      expect(await store.rangeIndex(ws, 'members:q', 10)).toEqual(['WKb']);
      await store.commit(ws, { index: [{ op: 'remove', index: 'members:q', member: 'WKb' }] });
      expect(await store.rangeIndex(ws, 'members:q', 10)).toEqual([]);
      expect(await store.countIndex(ws, 'members:q')).toBe(0);
      await add('members:q', ['WKb', 'WKb']);
      expect(await store.countIndex(ws, 'members:q')).toBe(1);
    });

    it('ranges an index together with the records its members name', async () => {
      const a = taskRecord(ws, newSid('WT'));
      const b = taskRecord(ws, newSid('WT'));
      const gone = newSid('WT');
      await store.commit(ws, {
        put: [
          { kind: 'task', record: a },
          { kind: 'task', record: b },
        ],
        index: [
          { op: 'add', index: 'p', member: pendingMember(5, 1, 'FIFO', a.sid) },
          { op: 'add', index: 'p', member: pendingMember(1, 1, 'FIFO', b.sid) },
          { op: 'add', index: 'p', member: pendingMember(9, 1, 'FIFO', gone) },
        ],
      });
      const all = await store.rangeIndexRecords(ws, 'p', 'task', 10);
      expect(all.map((x) => x.record?.sid ?? null)).toEqual([null, a.sid, b.sid]);
      expect({ member: all[1]!.member, record: all[1]!.record }).toEqual({ member: pendingMember(5, 1, 'FIFO', a.sid), record: a });
      const rest = await store.rangeIndexRecords(ws, 'p', 'task', 1, all[1]!.member);
      expect(rest.map((x) => x.record?.sid)).toEqual([b.sid]);
      expect(await store.rangeIndexRecords(ws, 'missing', 'task', 10)).toEqual([]);
    });

    it('reads a record with the records it names, nulls where a link names nothing or what is gone', async () => {
      const worker = workerRecord(ws);
      const task: TaskRecord = { ...taskRecord(ws), workerSid: worker.sid, reservationSid: newSid('WR') };
      await store.commit(ws, {
        put: [
          { kind: 'task', record: task },
          { kind: 'worker', record: worker },
        ],
      });
      const links = [
        { property: 'workerSid', kind: 'worker' },
        { property: 'reservationSid', kind: 'reservation' },
        { property: 'workflowSid', kind: 'workflow' },
        { property: 'priority', kind: 'task' },
      ] as const;
      expect(await store.getLinked(ws, 'task', task.sid, links)).toEqual({ record: task, linked: [worker, null, null, null] });
      expect(await store.getLinked(ws, 'task', newSid('WT'), links)).toEqual({ record: null, linked: [null, null, null, null] });
      expect(await store.getLinked(ws, 'worker', worker.sid, [])).toEqual({ record: worker, linked: [] });
      // Any string a record holds, a lone surrogate included (JSON.stringify escapes it), leaves its links readable.
      const odd: TaskRecord = { ...taskRecord(ws), reason: 'a\ud800b', workerSid: worker.sid };
      await store.commit(ws, { put: [{ kind: 'task', record: odd }] });
      expect(await store.getLinked(ws, 'task', odd.sid, links)).toEqual({ record: odd, linked: [worker, null, null, null] });
    });

    it('reads the heads of several indexes with their records at once, each in its own order', async () => {
      const [a, b, c] = [taskRecord(ws, newSid('WT')), taskRecord(ws, newSid('WT')), taskRecord(ws, newSid('WT'))];
      await store.commit(ws, {
        put: [a, b, c].map((record) => ({ kind: 'task' as const, record })),
        index: [
          { op: 'add', index: 'p1', member: pendingMember(1, 1, 'FIFO', a.sid) },
          { op: 'add', index: 'p1', member: pendingMember(9, 1, 'FIFO', b.sid) },
          { op: 'add', index: 'p1', member: pendingMember(5, 1, 'FIFO', c.sid) },
          { op: 'add', index: 'p2', member: pendingMember(3, 1, 'FIFO', c.sid) },
        ],
      });
      const heads = await store.rangeIndexHeads(ws, ['p1', 'missing', 'p2'], 'task', 2);
      expect(heads.map((head) => head.map((x) => x.record?.sid))).toEqual([[b.sid, c.sid], [], [c.sid]]);
      expect({ member: heads[2]![0]!.member, record: heads[2]![0]!.record }).toEqual({ member: pendingMember(3, 1, 'FIFO', c.sid), record: c });
      expect(await store.rangeIndexHeads(ws, [], 'task', 2)).toEqual([]);
    });

    it('a commit asked to read index heads answers them as they stand once its own writes are applied', async () => {
      const [a, b, c] = [taskRecord(ws, newSid('WT')), taskRecord(ws, newSid('WT')), taskRecord(ws, newSid('WT'))];
      await store.commit(ws, {
        put: [a, b].map((record) => ({ kind: 'task' as const, record })),
        index: [
          { op: 'add', index: 'p1', member: pendingMember(1, 1, 'FIFO', a.sid) },
          { op: 'add', index: 'p1', member: pendingMember(9, 1, 'FIFO', b.sid) },
        ],
      });
      // The read sees this commit's writes: b leaves p1, c arrives in p2 (a timer too, so the reply also carries it).
      const heads = await store.commit(ws, {
        put: [{ kind: 'task', record: c }],
        index: [
          { op: 'remove', index: 'p1', member: pendingMember(9, 1, 'FIFO', b.sid) },
          { op: 'add', index: 'p2', member: pendingMember(3, 1, 'FIFO', c.sid) },
        ],
        timers: [{ op: 'set', id: 'ttl:x', due: NOW + 1000 }],
        readAfter: { kind: 'task', indexes: ['p1', 'missing', 'p2'], limit: 2 },
      });
      expect(heads!.map((head) => head.map((x) => x.record?.sid))).toEqual([[a.sid], [], [c.sid]]);
      expect({ member: heads![2]![0]!.member, record: heads![2]![0]!.record }).toEqual({ member: pendingMember(3, 1, 'FIFO', c.sid), record: c });
      expect(await store.nextTimerDue()).toBe(NOW + 1000);
      // Nothing asked, nothing answered.
      expect(await store.commit(ws, { index: [{ op: 'remove', index: 'p2', member: pendingMember(3, 1, 'FIFO', c.sid) }] })).toBeUndefined();
    });

    it('ranks a member by byte order, and answers null for a non-member', async () => {
      const members = [pendingMember(MAX_PRIORITY, 5, 'FIFO', 'WTa'), pendingMember(7, 1, 'FIFO', 'WTb'), pendingMember(7, 2, 'FIFO', 'WTc')];
      await store.commit(ws, { index: members.map((member) => ({ op: 'add' as const, index: 'p', member })) });
      expect(await Promise.all(members.map((m) => store.rankInIndex(ws, 'p', m)))).toEqual([0, 1, 2]);
      expect(await store.rankInIndex(ws, 'p', pendingMember(1, 1, 'FIFO', 'WTz'))).toBeNull();
      expect(await store.rankInIndex(ws, 'nothing', members[0]!)).toBeNull();
    });

    it('keeps indexes apart by name', async () => {
      await add('members:q1', ['WKa']);
      await add('members:q2', ['WKb']);
      expect(await store.rangeIndex(ws, 'members:q1', 10)).toEqual(['WKa']);
      expect(await store.countIndex(ws, 'members:q3')).toBe(0);
    });
  });

  describe('timers', () => {
    const setTimers = async (workspaceSid: string, timers: Array<[string, number]>): Promise<void> => {
      await store.commit(workspaceSid, { timers: timers.map(([id, due]) => ({ op: 'set' as const, id, due })) });
    };

    it('knows the earliest timer, or none', async () => {
      expect(await store.nextTimerDue()).toBeNull();
      await setTimers(ws, [
        ['res:WR1', 5_000],
        ['ttl:WT1', 3_000],
      ]);
      expect(await store.nextTimerDue()).toBe(3_000);
      await setTimers(newSid('WS'), [['ttl:WT2', 2_000]]);
      expect(await store.nextTimerDue()).toBe(2_000);
    });

    it('claims due timers in due order and leaves the rest', async () => {
      await setTimers(ws, [
        ['c', 3_000],
        ['a', 1_000],
        ['late', 9_000],
        ['b', 2_000],
      ]);
      expect(await store.claimDueTimers(3_000, 10, 30_000)).toEqual([
        { workspaceSid: ws, id: 'a', due: 1_000 },
        { workspaceSid: ws, id: 'b', due: 2_000 },
        { workspaceSid: ws, id: 'c', due: 3_000 },
      ]);
      expect(await store.nextTimerDue()).toBe(9_000);
      expect(await store.claimDueTimers(3_000, 10, 30_000)).toEqual([]);
    });

    it("applies a batch's timer operations in order when it names a timer twice", async () => {
      await setTimers(ws, [
        ['kept', 1_000],
        ['dropped', 1_500],
      ]);
      await store.commit(ws, {
        timers: [
          { op: 'clear', id: 'kept' },
          { op: 'set', id: 'kept', due: 2_000 },
          { op: 'set', id: 'dropped', due: 2_500 },
          { op: 'clear', id: 'dropped' },
          { op: 'set', id: 'moved', due: 4_000 },
          { op: 'set', id: 'moved', due: 3_000 },
        ],
      });
      expect(await store.claimDueTimers(10_000, 10, 30_000)).toEqual([
        { workspaceSid: ws, id: 'kept', due: 2_000 },
        { workspaceSid: ws, id: 'moved', due: 3_000 },
      ]);
    });

    it('hides a claimed timer for its lease, then offers it again', async () => {
      await setTimers(ws, [['res:WR1', 1_000]]);
      expect(await store.claimDueTimers(2_000, 10, 500)).toEqual([{ workspaceSid: ws, id: 'res:WR1', due: 1_000 }]);
      expect(await store.nextTimerDue()).toBe(2_500);
      expect(await store.claimDueTimers(2_499, 10, 500)).toEqual([]);
      expect(await store.claimDueTimers(2_500, 10, 500)).toEqual([{ workspaceSid: ws, id: 'res:WR1', due: 2_500 }]);
      expect(await store.nextTimerDue()).toBe(3_000);
    });

    it('forgets cleared timers and moves re-set ones', async () => {
      await setTimers(ws, [
        ['a', 1_000],
        ['b', 2_000],
        ['c', 3_000],
      ]);
      await store.commit(ws, {
        timers: [
          { op: 'clear', id: 'a' },
          { op: 'set', id: 'b', due: 8_000 },
          { op: 'clear', id: 'never-set' },
        ],
      });
      expect(await store.nextTimerDue()).toBe(3_000);
      expect(await store.claimDueTimers(5_000, 10, 1_000)).toEqual([{ workspaceSid: ws, id: 'c', due: 3_000 }]);
      await store.commit(ws, {
        timers: [
          { op: 'clear', id: 'b' },
          { op: 'clear', id: 'c' },
        ],
      });
      expect(await store.nextTimerDue()).toBeNull();
      expect(await store.claimDueTimers(LATE, 10, 1_000)).toEqual([]);
    });

    it('claims the earliest across workspaces up to the limit', async () => {
      const [first, second] = ['WS' + '1'.repeat(32), 'WS' + '2'.repeat(32)];
      await setTimers(first, [
        ['x', 1_000],
        ['y', 5_000],
        ['z', 5_000],
      ]);
      await setTimers(second, [
        ['x', 2_000],
        ['a', 5_000],
      ]);
      expect(await store.claimDueTimers(10_000, 2, 60_000)).toEqual([
        { workspaceSid: first, id: 'x', due: 1_000 },
        { workspaceSid: second, id: 'x', due: 2_000 },
      ]);
      // Equal dues come in workspace order, then id order.
      expect(await store.claimDueTimers(10_000, 2, 60_000)).toEqual([
        { workspaceSid: first, id: 'y', due: 5_000 },
        { workspaceSid: first, id: 'z', due: 5_000 },
      ]);
      expect(await store.claimDueTimers(10_000, 5, 60_000)).toEqual([{ workspaceSid: second, id: 'a', due: 5_000 }]);
      expect(await store.nextTimerDue()).toBe(70_000);
    });

    it('keeps times from zero to 2^41 ms and whole milliseconds', async () => {
      await setTimers(ws, [
        ['zero', 0],
        ['late', LATE],
        ['fraction', 10.7],
      ]);
      expect(await store.nextTimerDue()).toBe(0);
      expect(await store.claimDueTimers(LATE - 1, 10, LATE)).toEqual([
        { workspaceSid: ws, id: 'zero', due: 0 },
        { workspaceSid: ws, id: 'fraction', due: 10 },
      ]);
      expect(await store.nextTimerDue()).toBe(LATE);
      expect(await store.claimDueTimers(LATE, 10, 1)).toEqual([{ workspaceSid: ws, id: 'late', due: LATE }]);
      expect(await store.nextTimerDue()).toBe(LATE + 1);
    });

    it('sets no timer when the commit fails', async () => {
      const run = store.commit(ws, { expect: [{ kind: 'task', sid: newSid('WT'), version: 1 }], timers: [{ op: 'set', id: 't', due: 1 }] });
      expect(await conflictOf(run)).toBeInstanceOf(CommitConflict);
      expect(await store.nextTimerDue()).toBeNull();
      expect(await store.claimDueTimers(10, 10, 10)).toEqual([]);
    });

    it('claims nothing for a zero limit', async () => {
      await setTimers(ws, [['a', 1]]);
      expect(await store.claimDueTimers(10, 0, 10)).toEqual([]);
      expect(await store.nextTimerDue()).toBe(1);
    });
  });

  describe('events', () => {
    const append = async (dates: number[]): Promise<void> => {
      await store.commit(ws, { events: dates.map((d) => eventRecord(ws, NOW + d)) });
    };

    it('keeps events in the order committed and lists them since a date, inclusive', async () => {
      const first = [eventRecord(ws, NOW + 1_000, 'workspace.created'), eventRecord(ws, NOW + 2_000), eventRecord(ws, NOW + 2_000, 'task.updated')];
      await store.commit(ws, { events: first });
      const later = eventRecord(ws, NOW + 3_000, 'task.canceled');
      await store.commit(ws, { events: [later] });
      expect(await store.listEvents(ws, 0)).toEqual([...first, later]);
      expect(await store.listEvents(ws, NOW + 2_000)).toEqual([first[1], first[2], later]);
      expect(await store.listEvents(ws, NOW + 2_001)).toEqual([later]);
      expect(await store.listEvents(ws, NOW + 3_001)).toEqual([]);
    });

    it('finds an event by its sid, among many, and null for one it does not hold', async () => {
      // The first 300 share one millisecond: finding the last of them pages through the ones before it.
      const dates = Array.from({ length: 600 }, (_, i) => (i < 300 ? 0 : (i - 299) * 1_000));
      for (let i = 0; i < dates.length; i += 30) await append(dates.slice(i, i + 30));
      const all = await store.listEvents(ws, 0);
      // The 96th is stored relative to the 120th, which lies past the page of 100 that finds it.
      for (const wanted of [all[0]!, all[95]!, all[299]!, all[599]!]) expect(await store.getEvent(ws, wanted.sid)).toEqual(wanted);
      expect(await store.getEvent(ws, timedSid('EV', NOW + 100_000))).toBeNull();
      expect(await store.getEvent(ws, timedSid('EV', NOW + 10_000_000))).toBeNull();
      expect(await store.getEvent(ws, 'EVnot-a-sid')).toBeNull();
      expect(await store.getEvent(newSid('WS'), all[0]!.sid)).toBeNull();
    });

    it('gives every field of an event back as committed: actors, nulls, known and unknown data keys, any text', async () => {
      const event = asStoredEvent({
        ...eventRecord(ws, NOW + 1_000, 'reservation.created'),
        actorType: 'account',
        actorSid: 'AC' + 'a'.repeat(32),
        description: 'Résérvation « 1 » — 予約 "quoted" \\ back',
        data: {
          workspace_sid: ws,
          task_attributes: JSON.stringify({ language: 'français', nested: { list: [1, 2] } }),
          task_queue_target_expression: 'languages HAS "fr"',
          worker_time_in_previous_activity_ms: '0',
          task_canceled_reason: null,
          custom_field: 'kept as named',
          '42': 'a key of digits',
          '=x': 'a key that starts with the escape',
        },
      });
      await store.commit(ws, { events: [event, eventRecord(ws, NOW + 1_000)] });
      const [stored] = await store.listEvents(ws, 0);
      expect(stored).toEqual(event);
    });

    it('keeps an event dated before the previous one in commit order, filtered by its own date', async () => {
      await append([5_000, 7_000]);
      await append([6_000, 0]);
      const dates = async (since: number) => (await store.listEvents(ws, NOW + since)).map((e) => e.eventDate - NOW);
      expect(await dates(0)).toEqual([5_000, 7_000, 6_000, 0]);
      expect(await dates(5_500)).toEqual([7_000, 6_000]);
      expect(await dates(6_500)).toEqual([7_000]);
    });

    it('lists nothing for a workspace without events', async () => {
      expect(await store.listEvents(ws, 0)).toEqual([]);
    });

    it('keeps about the newest `maxEventsPerWorkspace` events', async () => {
      store = await open({ maxEventsPerWorkspace: 10 });
      const dates = Array.from({ length: 400 }, (_, i) => i);
      for (let i = 0; i < dates.length; i += 50) await append(dates.slice(i, i + 50));
      const kept = (await store.listEvents(ws, 0)).map((e) => e.eventDate);
      expect(kept.length).toBeGreaterThanOrEqual(10);
      expect(kept.length).toBeLessThan(dates.length);
      expect(kept).toEqual(dates.slice(-kept.length).map((d) => NOW + d));
    });

    it('drops events older than the retention when appending', async () => {
      store = await open({ eventRetentionMs: 60_000 });
      await append(Array.from({ length: 400 }, (_, i) => i - 3_600_000));
      await append([0]);
      const kept = (await store.listEvents(ws, 0)).map((e) => e.eventDate);
      expect(kept.length).toBeLessThan(401);
      expect(kept.at(-1)).toBe(NOW);
    });
  });

  describe('counters', () => {
    it('moves counters by their deltas, per group, and forgets those back at zero', async () => {
      await store.commit(ws, {
        counters: [
          { group: 'ws', key: 'status:pending', delta: 2 },
          { group: 'ws', key: 'status:reserved', delta: 1 },
          { group: 'q:A', key: 'status:pending', delta: 1 },
        ],
      });
      await store.commit(ws, {
        counters: [
          { group: 'ws', key: 'status:pending', delta: -1 },
          { group: 'ws', key: 'status:reserved', delta: -1 },
        ],
      });
      expect(await store.readCounters(ws, 'ws')).toEqual({ 'status:pending': 1 });
      expect(await store.readCounters(ws, 'q:A')).toEqual({ 'status:pending': 1 });
      expect(await store.readCounters(ws, 'q:B')).toEqual({});
      expect(await store.readCounters(newSid('WS'), 'ws')).toEqual({});
    });

    it('moves no counter when the commit fails', async () => {
      await create(ws, 'task', taskRecord(ws, 'WT1', 1));
      await conflictOf(store.commit(ws, { expect: [{ kind: 'task', sid: 'WT1', version: 7 }], counters: [{ group: 'ws', key: 'x', delta: 1 }] }));
      expect(await store.readCounters(ws, 'ws')).toEqual({});
    });
  });

  describe('workspace deletion', () => {
    async function populate(workspaceSid: string) {
      const workspace = workspaceRecord(workspaceSid);
      const worker = workerRecord(workspaceSid);
      const task = taskRecord(workspaceSid);
      await store.commit(workspaceSid, {
        expect: [{ kind: 'workspace', sid: workspaceSid, version: null }],
        put: [
          { kind: 'workspace', record: workspace },
          { kind: 'worker', record: worker },
          { kind: 'task', record: task },
        ],
        index: [
          { op: 'add', index: 'members:q', member: worker.sid },
          { op: 'add', index: 'pending:q:c', member: pendingMember(1, 1, 'FIFO', task.sid) },
        ],
        unique: [{ op: 'claim', key: 'worker:alice', sid: worker.sid }],
        counters: [{ group: 'ws', key: 'status:pending', delta: 1 }],
        timers: [{ op: 'set', id: `ttl:${task.sid}`, due: 1_000 }],
        events: [eventRecord(workspaceSid, NOW, 'workspace.created')],
      });
      return { workspace, worker, task };
    }

    const deleteWorkspace = async (workspaceSid: string, version: number): Promise<void> => {
      await store.commit(workspaceSid, {
        expect: [{ kind: 'workspace', sid: workspaceSid, version }],
        delete: [{ kind: 'workspace', sid: workspaceSid }],
        events: [eventRecord(workspaceSid, NOW + 1, 'workspace.deleted')],
      });
    };

    it('removes everything of the workspace and nothing of another', async () => {
      const other = newSid('WS');
      const kept = await populate(other);
      const gone = await populate(ws);
      await deleteWorkspace(ws, 1);

      expect(await store.get(ws, 'workspace', ws)).toBeNull();
      expect(await store.get(ws, 'worker', gone.worker.sid)).toBeNull();
      expect(await store.list(ws, 'task')).toEqual([]);
      expect(await store.rangeIndex(ws, 'members:q', 10)).toEqual([]);
      expect(await store.countIndex(ws, 'pending:q:c')).toBe(0);
      expect(await store.lookupUnique(ws, 'worker:alice')).toBeNull();
      expect(await store.listEvents(ws, 0)).toEqual([]);
      expect(await store.readCounters(ws, 'ws')).toEqual({});
      expect(await store.readCounters(other, 'ws')).toEqual({ 'status:pending': 1 });
      expect((await store.list('', 'workspace')).map((w) => w.sid)).toEqual([other]);

      expect(await store.get(other, 'worker', kept.worker.sid)).toEqual(kept.worker);
      expect(await store.rangeIndex(other, 'members:q', 10)).toEqual([kept.worker.sid]);
      expect(await store.lookupUnique(other, 'worker:alice')).toBe(kept.worker.sid);
      expect(await store.listEvents(other, 0)).toHaveLength(1);
      expect(await store.nextTimerDue()).toBe(1_000);
      expect(await store.claimDueTimers(5_000, 10, 1_000)).toEqual([{ workspaceSid: other, id: `ttl:${kept.task.sid}`, due: 1_000 }]);
    });

    it('leaves no timer behind', async () => {
      await populate(ws);
      await deleteWorkspace(ws, 1);
      expect(await store.nextTimerDue()).toBeNull();
      expect(await store.claimDueTimers(LATE, 10, 1)).toEqual([]);
    });

    it('deletes nothing when the workspace changed meanwhile', async () => {
      const { worker } = await populate(ws);
      expect(await conflictOf(deleteWorkspace(ws, 0))).toBeInstanceOf(CommitConflict);
      expect(await store.get(ws, 'worker', worker.sid)).toEqual(worker);
      expect(await store.list('', 'workspace')).toHaveLength(1);
      expect(await store.nextTimerDue()).toBe(1_000);
    });

    it('lets the same sid be used again, listed last', async () => {
      const other = newSid('WS');
      await populate(ws);
      await populate(other);
      await deleteWorkspace(ws, 1);
      const { worker } = await populate(ws);
      expect((await store.list('', 'workspace')).map((w) => w.sid)).toEqual([other, ws]);
      expect((await store.list(ws, 'worker')).map((w) => w.sid)).toEqual([worker.sid]);
      expect(await store.listEvents(ws, 0)).toHaveLength(1);
    });
  });

  describe('isolation between workspaces', () => {
    it('keeps records, indexes, unique keys, timers and events of equal names apart', async () => {
      const other = newSid('WS');
      const sid = newSid('WK');
      const mine = workerRecord(ws, sid, 1, 'mine');
      const theirs = workerRecord(other, sid, 1, 'theirs');
      for (const [w, record, member, holder, due] of [
        [ws, mine, 'WKa', 'WKmine', 1_000],
        [other, theirs, 'WKb', 'WKtheirs', 2_000],
      ] as const) {
        await store.commit(w, {
          expect: [{ kind: 'worker', sid, version: null }],
          put: [{ kind: 'worker', record }],
          index: [{ op: 'add', index: 'members:q', member }],
          unique: [{ op: 'claim', key: 'worker:x', sid: holder }],
          timers: [{ op: 'set', id: 'res:1', due }],
          events: [eventRecord(w, NOW + due)],
        });
      }
      expect(await store.get(ws, 'worker', sid)).toEqual(mine);
      expect(await store.get(other, 'worker', sid)).toEqual(theirs);
      expect(await store.rangeIndex(ws, 'members:q', 10)).toEqual(['WKa']);
      expect(await store.countIndex(other, 'members:q')).toBe(1);
      expect(await store.lookupUnique(other, 'worker:x')).toBe('WKtheirs');
      expect((await store.listEvents(ws, 0)).map((e) => e.eventDate)).toEqual([NOW + 1_000]);
      expect(await store.claimDueTimers(1_500, 10, 10_000)).toEqual([{ workspaceSid: ws, id: 'res:1', due: 1_000 }]);
      expect(await store.claimDueTimers(2_000, 10, 10_000)).toEqual([{ workspaceSid: other, id: 'res:1', due: 2_000 }]);
    });
  });
}
