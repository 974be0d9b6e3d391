import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedStringSet } from '../../src/store/memory/sorted-set.js';

/** The model: a plain array kept sorted in byte order, each member once. */
class Model {
  items: string[] = [];
  add(m: string): void {
    if (!this.items.includes(m)) this.items = [...this.items, m].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  remove(m: string): void {
    this.items = this.items.filter((x) => x !== m);
  }
}

// Few distinct letters, so adds hit members already there and removes hit members present; the prefixes and ':'
// give members the shape index members have (zero-padded key, then a sid).
const member = fc
  .tuple(fc.constantFrom('', '0', '00', '01', 'a', 'b'), fc.constantFrom('', ':', ':WK'), fc.constantFrom('', 'x', 'y', 'z', 'xy'))
  .map((parts) => parts.join(''));

const operation = fc.oneof(fc.record({ op: fc.constant('add' as const), m: member }), fc.record({ op: fc.constant('remove' as const), m: member }));

describe("SortedStringSet (the memory store's index)", () => {
  it('answers size, first, has, rank and ranges as a sorted array of unique members would', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), fc.array(member, { maxLength: 8 }), fc.integer({ min: 0, max: 6 }), (ops, probes, limit) => {
        const set = new SortedStringSet();
        const model = new Model();
        for (const { op, m } of ops) {
          set[op](m);
          model[op](m);
        }
        expect(set.size).toBe(model.items.length);
        expect(set.first()).toBe(model.items[0]);
        expect(set.range(100)).toEqual(model.items);
        expect(set.range(limit)).toEqual(model.items.slice(0, limit));
        for (const probe of probes) {
          const at = model.items.indexOf(probe);
          expect(set.has(probe)).toBe(at >= 0);
          expect(set.rank(probe)).toBe(at >= 0 ? at : null);
          // Strictly after the probe, whether or not it is a member.
          expect(set.range(limit, probe)).toEqual(model.items.filter((x) => x > probe).slice(0, limit));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps its order and ranks through many adds and removes at the head (an idle index being worked through)', () => {
    const set = new SortedStringSet();
    const key = (n: number) => `${String(n).padStart(15, '0')}:WK${n}`;
    for (let n = 0; n < 5_000; n++) set.add(key(n));
    for (let n = 0; n < 20_000; n++) {
      set.remove(set.first()!);
      set.add(key(5_000 + n));
    }
    expect(set.size).toBe(5_000);
    expect(set.first()).toBe(key(20_000));
    expect(set.rank(key(22_500))).toBe(2_500);
    expect(set.range(2, key(24_997))).toEqual([key(24_998), key(24_999)]);
  });
});
