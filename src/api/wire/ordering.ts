import { badRequest } from '../../core/errors.js';

/** A sort key of a list: how to read it from a record. */
export type SortKeys<T> = Record<string, (record: T) => number | string>;

/** One parsed `Ordering` term. */
export interface OrderingTerm {
  field: string;
  descending: boolean;
}

/**
 * Parses an `Ordering` parameter (`Field:asc|desc`, comma-combinable, direction defaulting to asc) against the
 * fields a list allows. Unknown fields, directions and repeated fields are 400/20001.
 */
export function parseOrdering(text: string, allowed: readonly string[]): OrderingTerm[] {
  const terms: OrderingTerm[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [field = '', direction = 'asc', extra] = part.split(':').map((s) => s.trim());
    if (extra !== undefined || !allowed.includes(field)) {
      throw badRequest(`Ordering must be a comma list of ${allowed.join(', ')} each with :asc or :desc, got '${part}'`);
    }
    const dir = direction.toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Ordering direction must be asc or desc, got '${direction}'`);
    if (terms.some((t) => t.field === field)) throw badRequest(`Ordering names ${field} more than once`);
    terms.push({ field, descending: dir === 'desc' });
  }
  if (terms.length === 0) throw badRequest('Ordering must name at least one field');
  return terms;
}

/**
 * Sorts a copy of `records` by `terms`; ties keep the incoming order (creation order, from the store), so paging
 * through an unchanged list is stable.
 */
export function sortBy<T>(records: readonly T[], terms: readonly OrderingTerm[], keys: SortKeys<T>): T[] {
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => {
      for (const { field, descending } of terms) {
        const key = keys[field]!;
        const x = key(a.record);
        const y = key(b.record);
        if (x < y) return descending ? 1 : -1;
        if (x > y) return descending ? -1 : 1;
      }
      return a.index - b.index;
    })
    .map((e) => e.record);
}
