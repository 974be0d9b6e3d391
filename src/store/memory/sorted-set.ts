/**
 * A set of strings kept in byte order (the order Redis ZRANGEBYLEX uses for members of equal score), so the memory
 * store answers range queries the way the Redis store does.
 */
export class SortedStringSet {
  private readonly items: string[] = [];

  get size(): number {
    return this.items.length;
  }

  add(member: string): void {
    const at = this.search(member);
    if (this.items[at] !== member) this.items.splice(at, 0, member);
  }

  remove(member: string): void {
    const at = this.search(member);
    if (this.items[at] === member) this.items.splice(at, 1);
  }

  has(member: string): boolean {
    return this.items[this.search(member)] === member;
  }

  /** Up to `limit` members strictly after `after` (or from the start). */
  range(limit: number, after?: string): string[] {
    let from = 0;
    if (after !== undefined) {
      from = this.search(after);
      if (this.items[from] === after) from += 1;
    }
    return this.items.slice(from, from + limit);
  }

  /** 0-based position of `member`, or null when absent. */
  rank(member: string): number | null {
    const at = this.search(member);
    return this.items[at] === member ? at : null;
  }

  first(): string | undefined {
    return this.items[0];
  }

  /** Index of the first member not less than `member` in byte order. */
  private search(member: string): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.items[mid]!, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Byte-order comparison of two strings (UTF-16 code-unit order equals byte order for the ASCII keys used here). */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
