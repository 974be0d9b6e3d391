import fc from 'fast-check';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../src/engine/clock.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { openDurableMemoryStore } from '../../src/store/journal/durable-memory-store.js';
import { checkConsistency } from '../routing/consistency.js';
import { applyRandomOperations, randomOperations } from '../routing/invariants.cases.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
/** The journal's segment files in `dir`, oldest first. */
function segments(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^journal-\d+\.log$/.test(name))
    .sort();
}

/**
 * What a `kill -9` now would leave of `dir`. The snapshot's writer works beside this thread, so files are copied in
 * the order that writer changes them the other way round: segments, then the snapshot (renamed into place before
 * the segments it covers are deleted). A segment deleted while being copied was covered by the snapshot copied after
 * it. The snapshot's temporary file is left out, as the store deletes it unread.
 */
function crashCopy(dir: string): string {
  const copy = dataDir();
  for (const name of [...segments(dir), 'snapshot.json']) {
    try {
      writeFileSync(join(copy, name), readFileSync(join(dir, name)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return copy;
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-'));
  dirs.push(dir);
  return dir;
}

describe('the embedded store kept in a data directory', () => {
  it('reopened from its directory, holds exactly what it held — from the journal alone or from a snapshot and the journal after it', async () => {
    await fc.assert(
      fc.asyncProperty(randomOperations, fc.constantFrom(64 * 1024 * 1024, 4_000, 20_000), async (ops, compactAfterBytes) => {
        const dir = dataDir();
        const store = openDurableMemoryStore(dir, { compactAfterBytes });
        const ws = await applyRandomOperations(store, new AdjustableClock(), ops);
        const held = store.snapshot();
        await store.close();

        const reopened = openDurableMemoryStore(dir, { compactAfterBytes });
        try {
          expect(reopened.snapshot()).toEqual(held);
          await checkConsistency(reopened, ws);
        } finally {
          await reopened.close();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('routes on after a restart: a worker made available takes the task that waited', async () => {
    const dir = dataDir();
    const accountSid = 'AC' + '0'.repeat(32);
    let store = openDurableMemoryStore(dir);
    let engine = new RoutingEngine({ store, accountSid });
    const ws = (await engine.createWorkspace({ friendlyName: 'restart' })).sid;
    const offline = (await store.list(ws, 'activity')).find((a) => a.friendlyName === 'Offline')!.sid;
    const available = (await store.list(ws, 'activity')).find((a) => a.friendlyName === 'Available')!.sid;
    const queue = await engine.createTaskQueue(ws, { friendlyName: 'q', targetWorkers: '1==1' });
    const workflow = await engine.createWorkflow(ws, {
      friendlyName: 'wf',
      configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    });
    const worker = await engine.createWorker(ws, { friendlyName: 'alice', activitySid: offline });
    const task = await engine.createTask(ws, { workflowSid: workflow.sid, attributes: '{"customer":"Ada"}' });
    await store.close();

    store = openDurableMemoryStore(dir);
    engine = new RoutingEngine({ store, accountSid });
    try {
      await engine.updateWorker(ws, worker.sid, { activitySid: available });
      const reserved = await store.get(ws, 'task', task.sid);
      expect(reserved!.assignmentStatus).toBe('reserved');
      expect((await store.list(ws, 'reservation')).map((r) => [r.taskSid, r.workerSid, r.status])).toEqual([[task.sid, worker.sid, 'pending']]);
      await checkConsistency(store, ws);
    } finally {
      await store.close();
    }
  });

  it('recovers exactly what was acknowledged from a crash at any moment, snapshots being written included', async () => {
    let writing = 0;
    await fc.assert(
      fc.asyncProperty(randomOperations, async (ops) => {
        const dir = dataDir();
        // Small enough that snapshots are written, and overtaken by further changes, many times in a run.
        const store = openDurableMemoryStore(dir, { compactAfterBytes: 6_000 });
        // A copy of the directory taken between two operations is what a `kill -9` at that moment leaves behind.
        const crashes: Array<{ dir: string; held: ReturnType<typeof store.snapshot> }> = [];
        await applyRandomOperations(store, new AdjustableClock(), ops, async () => {
          if (existsSync(join(dir, 'snapshot.json.tmp'))) writing += 1;
          crashes.push({ dir: crashCopy(dir), held: store.snapshot() });
          // The memory store answers without I/O; a snapshot is written while the event loop turns, as between requests.
          await new Promise((resolve) => setImmediate(resolve));
        });
        await store.close();
        for (const crash of crashes) {
          const reopened = openDurableMemoryStore(crash.dir);
          try {
            expect(reopened.snapshot()).toEqual(crash.held);
          } finally {
            await reopened.close();
          }
        }
      }),
      { numRuns: 6 },
    );
    // Some of those moments fell while a snapshot was being written.
    expect(writing).toBeGreaterThan(0);
  });

  it('drops a last line cut short by a crash, and refuses a journal damaged in the middle', async () => {
    const dir = dataDir();
    let store = openDurableMemoryStore(dir);
    const engine = new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) });
    const ws = (await engine.createWorkspace({ friendlyName: 'torn' })).sid;
    const held = store.snapshot();
    await store.close();
    const [journal] = segments(dir);
    const file = join(dir, journal!);
    appendFileSync(file, '[99,{"commit":["WS');
    store = openDurableMemoryStore(dir);
    expect(store.snapshot()).toEqual(held);
    await new RoutingEngine({ store, accountSid: 'AC' + '0'.repeat(32) }).createTaskQueue(ws, { friendlyName: 'after', targetWorkers: '1==1' });
    await store.close();
    expect(segments(dir)).toEqual([journal]);
    const lines = readFileSync(file, 'utf8').split('\n');
    // The torn line is gone and the next change starts a line of its own.
    expect(lines.every((line) => line === '' || Array.isArray(JSON.parse(line)))).toBe(true);

    writeFileSync(file, lines.map((line, i) => (i === 1 ? line.slice(0, 20) : line)).join('\n'));
    expect(() => openDurableMemoryStore(dir)).toThrow(/line 2 is not a journal entry/);
  });

  it('lets one store at a time use a directory, and takes over the lock of a process that died', async () => {
    const dir = dataDir();
    const store = openDurableMemoryStore(dir);
    expect(() => openDurableMemoryStore(dir)).toThrow(/already open in this process/);
    await store.close();
    writeFileSync(join(dir, 'LOCK'), `${process.ppid}\n`); // Another live process holds it.
    expect(() => openDurableMemoryStore(dir)).toThrow(/in use by process/);
    writeFileSync(join(dir, 'LOCK'), '2147483646\n'); // A pid no process has.
    await openDurableMemoryStore(dir).close();
  });
});
