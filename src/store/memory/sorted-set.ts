import { OrderedSet } from '@js-sdsl/ordered-set';

/**
 * A set of strings kept in byte order (the order Redis ZRANGEBYLEX uses for members of equal score), so the memory
 * store answers range queries the way the Redis store does. A balanced tree with subtree sizes, as Redis's skiplist
 * is: adding, removing and ranking take O(log n), so an assignment costs the same however many idle workers an index
 * holds (a sorted array moved every member behind the head of the index on each reservation). Judged by the cost
 * comparison in `bench/assignment.ts` (docs/performance.md, "Assignment cost against workspace size").
 */
export class SortedStringSet {
  private readonly tree = new OrderedSet<string>([], compareBytes, true);

  get size(): number {
    return this.tree.size();
  }

  add(member: string): void {
    this.tree.insert(member);
  }

  remove(member: string): void {
    this.tree.eraseElementByKey(member);
  }

  has(member: string): boolean {
    return !this.tree.find(member).equals(this.tree.end());
  }

  /** Up to `limit` members strictly after `after` (or from the start). */
  range(limit: number, after?: string): string[] {
    const out: string[] = [];
    const end = this.tree.end();
    for (let it = after === undefined ? this.tree.begin() : this.tree.upperBound(after); out.length < limit && !it.equals(end); it.next()) {
      out.push(it.pointer);
    }
    return out;
  }

  /** 0-based position of `member`, or null when absent. */
  rank(member: string): number | null {
    const it = this.tree.find(member);
    return it.equals(this.tree.end()) ? null : it.index;
  }

  first(): string | undefined {
    return this.tree.front();
  }
}

/** Byte-order comparison of two strings (UTF-16 code-unit order equals byte order for the ASCII keys used here). */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
