/**
 * The reserving hint: workers this process is offering a task right now, in a transaction whose commit has not
 * settled yet, by idle index, and the looks at each index under way. Tasks created together in one queue would otherwise all read the head of its idle
 * index, find the same longest-idle worker, and all but one lose the race at commit and retry, each loss a wasted
 * commit and read; so matching passes over workers held here, and reads as many more candidates as there are workers held and
 * other looks under way (looks read in turn, and each holds what it takes as its read lands, before the next lands). It is only a hint:
 * a worker passed over whose reservation then fails is offered again by the next look, and every commit still checks
 * the versions it relied on, so nothing held here can decide anything durable. Judged by the commits per lifecycle
 * and lifecycles/s at 16 callers on one queue in `bench/engine-vs-bullmq.ts` (docs/performance-engine.md).
 */
import type { IndexName } from './derived/schema.js';

/** Something that says when it is settled: a change, once its commit has landed or failed, or its build threw. */
export interface Settles {
  whenSettled(done: () => void): void;
}

export class ReservingWorkers {
  /** Workers held, by workspace and idle index; a worker offered by two transactions at once is held twice. */
  private readonly held = new Map<string, Map<string, number>>();

  /** Looks at each index whose read has not landed yet, by workspace and idle index. */
  private readonly looking = new Map<string, number>();

  /**
   * Starts a look at an index: `extra` is how many more candidates than it wants it should read (workers held, and
   * other looks under way that will take theirs first); `landed` is called once its read is in.
   */
  look(ws: string, index: IndexName): { extra: number; landed: () => void } {
    const key = `${ws}|${index}`;
    const looking = this.looking.get(key) ?? 0;
    this.looking.set(key, looking + 1);
    let open = true;
    return {
      extra: looking + (this.held.get(key)?.size ?? 0),
      landed: () => {
        if (!open) return;
        open = false;
        const left = (this.looking.get(key) ?? 1) - 1;
        if (left > 0) this.looking.set(key, left);
        else this.looking.delete(key);
      },
    };
  }

  isHeld(ws: string, index: IndexName, workerSid: string): boolean {
    return this.held.get(`${ws}|${index}`)?.has(workerSid) ?? false;
  }

  /** Holds `workerSids` until `by` settles. */
  hold(ws: string, index: IndexName, workerSids: string[], by: Settles): void {
    if (workerSids.length === 0) return;
    const key = `${ws}|${index}`;
    let workers = this.held.get(key);
    if (!workers) this.held.set(key, (workers = new Map()));
    for (const sid of workerSids) workers.set(sid, (workers.get(sid) ?? 0) + 1);
    by.whenSettled(() => {
      for (const sid of workerSids) {
        const left = (workers.get(sid) ?? 1) - 1;
        if (left > 0) workers.set(sid, left);
        else workers.delete(sid);
      }
      if (workers.size === 0 && this.held.get(key) === workers) this.held.delete(key);
    });
  }
}
