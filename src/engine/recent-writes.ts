/**
 * The recent-writes hint: the records this process's commits wrote last, kept as they were written. A task's
 * lifecycle comes back to the records its previous step wrote (accepting works on the reservation, task and worker
 * the reservation was committed with; completing, on what accepting wrote), so the first attempt of those steps
 * takes them from here instead of reading them again: two of a lifecycle's six requests to the store. It is only a
 * hint, on either store: the records taken are checked unchanged at commit (another writer, here or in another
 * instance, makes the commit lose the race and the next attempt reads), and an error the attempt meets with them (they
 * may come from different commits, so together describe no state that ever was) is met again on records read
 * afresh before it stands (context.ts). Judged by requests and lifecycles/s in
 * `bench/engine-vs-bullmq.ts` (docs/performance-engine.md).
 */
import type { AnyRecord, Kind, RecordByKind } from '../core/model.js';
import type { Linked, RecordLink, RoutingStore } from '../store/routing-store.js';

/** Records kept; the oldest written go first. A lifecycle's records are back within moments, or never. */
const KEPT = 10_000;

export class RecentWrites {
  private readonly records = new Map<string, AnyRecord>();

  /** Keeps what a commit just applied: the records it wrote, and forgets those it deleted. */
  remember(ws: string, written: Iterable<{ kind: Kind; record: AnyRecord }>, deleted: Iterable<{ kind: Kind; sid: string }>): void {
    for (const { kind, record } of written) {
      const key = `${ws}|${kind}:${record.sid}`;
      this.records.delete(key);
      this.records.set(key, record);
    }
    for (const { kind, sid } of deleted) this.records.delete(`${ws}|${kind}:${sid}`);
    for (const key of this.records.keys()) {
      if (this.records.size <= KEPT) break;
      this.records.delete(key);
    }
  }

  /** A record with its linked records, as `getLinked` reads them, when every one of them is kept; else undefined. */
  linked<K extends Kind>(ws: string, kind: K, sid: string, links: readonly RecordLink[]): Linked<K> | undefined {
    const record = this.records.get(`${ws}|${kind}:${sid}`) as RecordByKind[K] | undefined;
    if (!record) return undefined;
    const linked: AnyRecord[] = [];
    for (const link of links) {
      const linkedSid = (record as unknown as Record<string, unknown>)[link.property];
      if (typeof linkedSid !== 'string') return undefined;
      const found = this.records.get(`${ws}|${link.kind}:${linkedSid}`);
      if (!found) return undefined;
      linked.push(found);
    }
    return { record, linked };
  }
}

/** What `readLinked` needs of a change: whether its attempt may take kept records, and the checks at commit. */
export interface HintedChange {
  readonly mayUseHints: boolean;
  usedHints: boolean;
  require(kind: Kind, record: AnyRecord): void;
}

/**
 * A record with its linked records: on an attempt that may, the ones kept in `recent`, each then checked unchanged
 * at commit; else read from the store.
 */
export async function readLinked<K extends Kind>(
  recent: RecentWrites,
  store: RoutingStore,
  change: HintedChange,
  ws: string,
  kind: K,
  sid: string,
  links: readonly RecordLink[],
): Promise<Linked<K>> {
  const kept = change.mayUseHints ? recent.linked(ws, kind, sid, links) : undefined;
  if (!kept) return store.getLinked(ws, kind, sid, links);
  change.usedHints = true;
  change.require(kind, kept.record!);
  kept.linked.forEach((record, i) => change.require(links[i]!.kind, record!));
  return kept;
}
