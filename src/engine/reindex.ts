import type { WorkerRecord } from '../core/model.js';
import { transact, type EngineContext } from './context.js';
import { workerEntries } from './derived/worker-indexer.js';
import { matchingQueueSids } from './worker-state.js';
import type { WorkspaceConfig } from './workspace-config.js';

const CHUNK = 200;

/**
 * Recomputes queue membership and index entries of every worker after a queue or channel changed, a chunk of
 * workers per commit. `previous` is the configuration the existing entries were computed with (entries are removed
 * as they were written). Returns the workers that may now take tasks they could not before.
 */
export async function rebuildWorkers(ctx: EngineContext, workspaceSid: string, previous: WorkspaceConfig): Promise<string[]> {
  const workers = await ctx.store.list(workspaceSid, 'worker');
  const gained: string[] = [];
  for (let i = 0; i < workers.length; i += CHUNK) {
    const sids = workers.slice(i, i + CHUNK).map((w) => w.sid);
    await transact(ctx, workspaceSid, async (config, change) => {
      const fresh = await ctx.store.getMany(workspaceSid, 'worker', sids);
      for (const worker of fresh) {
        if (!worker) continue;
        const next: WorkerRecord = { ...worker, queueSids: matchingQueueSids(worker, config, change.now) };
        const before = workerEntries(worker, previous);
        const after = workerEntries(next, config);
        const changed = next.queueSids.join() !== worker.queueSids.join() || !before.equals(after);
        if (!changed) continue;
        change.put('worker', worker, next, previous);
        if (before.gainsIn(after)) gained.push(worker.sid);
      }
    });
  }
  return gained;
}
