import { badRequest } from '../core/errors.js';
import { decodePageToken, encodePageToken, MAX_PAGE_SIZE } from '../api/wire/pagination.js';
import type { TwilioParams } from '../api/wire/params.js';

/**
 * A list as the worker SDK pages it: `contents`, then `after_sid` to ask for the next page with (`AfterSid`), or —
 * when the request named an `Ordering` — `meta.next_token` (`NextToken`); null on the last page.
 */
export interface BridgeList {
  contents: unknown[];
  after_sid: string | null;
  meta: { next_token: string | null };
}

/**
 * One page of `records` for the SDK's `PageSize`. Without an `Ordering` records go by sid, so a page boundary holds
 * even when the record at it is deleted between two pages: the next page starts at the first sid after it. With
 * one, `records` keep the order given and pages are counted by position.
 */
export function bridgePage<T extends { sid: string }>(records: readonly T[], params: TwilioParams, payload: (record: T) => unknown): BridgeList {
  const size = params.int('PageSize') ?? MAX_PAGE_SIZE;
  if (size < 1 || size > MAX_PAGE_SIZE) throw badRequest(`PageSize must be between 1 and ${MAX_PAGE_SIZE}`);
  if (params.has('Ordering')) {
    const token = params.string('NextToken');
    const offset = token === undefined ? 0 : decodePageToken(token);
    const end = offset + size;
    return { contents: records.slice(offset, end).map(payload), after_sid: null, meta: { next_token: end < records.length ? encodePageToken(end) : null } };
  }
  const after = params.string('AfterSid');
  const bySid = [...records].sort((a, b) => (a.sid < b.sid ? -1 : a.sid > b.sid ? 1 : 0));
  const from = after === undefined ? bySid : bySid.filter((r) => r.sid > after);
  const page = from.slice(0, size);
  return { contents: page.map(payload), after_sid: from.length > size ? page[page.length - 1]!.sid : null, meta: { next_token: null } };
}
