import type { Kind, RecordByKind } from '../../core/model.js';
import type { IndexWindow } from '../routing-store.js';

/**
 * Index windows as lua/includes/rangeHeads.lua lays them out in `reply`, from `at` on: for each window a count, then
 * member and record JSON pairs. Each record is parsed only when looked at.
 */
export function indexWindows<K extends Kind>(reply: ReadonlyArray<string | number | null | undefined>, at: number): Array<IndexWindow<K>> {
  const windows: Array<IndexWindow<K>> = [];
  while (at < reply.length) {
    const count = Number(reply[at++]);
    const found: IndexWindow<K> = [];
    for (let i = 0; i < count; i++, at += 2) found.push(new IndexedRecord<RecordByKind[K]>(String(reply[at]), reply[at + 1] as string | null));
    windows.push(found);
  }
  return windows;
}

/**
 * A member of an index window with its record parsed when looked at: matching reads a window of candidates and mostly
 * takes the first, so the others are never parsed. A class rather than an object literal with a getter, which V8
 * builds in slow (dictionary) mode; this runs for every candidate of every assignment. Judged by
 * `bench/store-devices.ts` (docs/performance.md, "Devices in the Redis store").
 */
class IndexedRecord<R> {
  private parsed: R | null | undefined;

  constructor(
    readonly member: string,
    private readonly json: string | null,
  ) {}

  get record(): R | null {
    if (this.parsed === undefined) this.parsed = this.json ? (JSON.parse(this.json) as R) : null;
    return this.parsed;
  }
}
