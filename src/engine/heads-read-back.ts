import type { Kind } from '../core/model.js';
import type { CommitBatch, IndexWindow } from '../store/routing-store.js';
import type { Change, CommitRead } from './change.js';
import type { IndexName } from './derived/schema.js';

/**
 * The read-after hint. A change that frees a worker (a task completed, a reservation ended) has the worker look for
 * work right after it commits, and that look starts by reading the heads of the worker's pending indexes. The commit
 * reads those heads itself once it is applied (`CommitBatch.readAfter`), in the same call, and the look uses them when
 * it wants the same indexes: one request to the store fewer per freed worker. Kept because of the requests per
 * lifecycle `bench/redis-commands.ts` counts (docs/performance.md, "Hints in the routing core").
 */

/** Heads a commit reads back for the look that follows it. */
export class HeadsReadBack implements CommitRead {
  private windows: Array<IndexWindow<'task'>> | undefined;

  constructor(
    private readonly indexes: readonly IndexName[],
    private readonly limit: number,
  ) {}

  /** What the commit is asked to read. */
  get request(): NonNullable<CommitBatch['readAfter']> {
    return { kind: 'task', indexes: [...this.indexes], limit: this.limit };
  }

  /** Takes what the commit read: windows of tasks, as `request` asked. */
  landed(windows: Array<IndexWindow<Kind>> | undefined): void {
    this.windows = windows as Array<IndexWindow<'task'>> | undefined;
  }

  /** The heads of `indexes` as the commit left them, when it read those; undefined: read them now. */
  headsOf(indexes: readonly IndexName[]): Array<IndexWindow<'task'>> | undefined {
    if (!this.windows || this.indexes.length !== indexes.length) return undefined;
    return this.indexes.every((index, i) => index === indexes[i]) ? this.windows : undefined;
  }
}

/**
 * Asks `change`'s commit to read back the first `limit` members of `indexes`. A change makes one such read, so a
 * second ask gets undefined, as does an ask for no index.
 */
export function readHeadsWithCommit(change: Change, indexes: readonly IndexName[], limit: number): HeadsReadBack | undefined {
  if (indexes.length === 0) return undefined;
  const read = new HeadsReadBack(indexes, limit);
  return change.readAfterCommit(read) ? read : undefined;
}
