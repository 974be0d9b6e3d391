import type { Request } from 'express';
import { badRequest, TwilioError } from '../../core/errors.js';

/** TaskRouter page-size bounds (OpenAPI: 1–1000, default 50). */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** Which slice of a list a request asks for. */
export interface PageRequest {
  pageSize: number;
  /** Page number as the client counts it (reported back in `meta.page`). */
  page: number;
  /** Index of the first record of the page. */
  offset: number;
  /** The token the request came with, echoed in `meta.url`. */
  pageToken: string | null;
}

/** The JSON body of a list response: the records under `key`, and `meta`. */
export type PageBody = Record<string, unknown> & { meta: PageMeta };

/** TaskRouter's list `meta`: twilio-node reads the records from `body[meta.key]` and follows `next_page_url`. */
export interface PageMeta {
  first_page_url: string;
  key: string;
  next_page_url: string | null;
  page: number;
  page_size: number;
  previous_page_url: string | null;
  url: string;
}

const TOKEN_PREFIX = 'PT';

/** An opaque page token: where the page starts. */
export function encodePageToken(offset: number): string {
  return TOKEN_PREFIX + Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

/** The offset a token stands for; throws 400/21481 (Invalid PageToken) when it is not one of ours. */
export function decodePageToken(token: string): number {
  const invalid = (): TwilioError => new TwilioError(21481, 400, 'Invalid PageToken');
  if (!token.startsWith(TOKEN_PREFIX)) throw invalid();
  const body = token.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw invalid();
  const match = /^o:(\d{1,12})$/.exec(Buffer.from(body, 'base64url').toString('utf8'));
  if (!match) throw invalid();
  return Number(match[1]);
}

/** Reads `PageSize`, `Page` and `PageToken` from the query string. */
export function readPageRequest(query: Record<string, unknown>): PageRequest {
  const requested = intParam(query.PageSize, 'PageSize') ?? DEFAULT_PAGE_SIZE;
  if (requested < 1) throw badRequest('PageSize must be at least 1');
  // twilio-node sends `limit` as PageSize when no page size is given (`list({limit: 5000})`), so a larger size is
  // served as the largest page rather than refused; the client then follows next_page_url for the rest.
  const pageSize = Math.min(requested, MAX_PAGE_SIZE);
  const page = intParam(query.Page, 'Page') ?? 0;
  if (page < 0) throw badRequest('Page must be 0 or more');
  // The page's first record must be an exact integer for the page and its links to name the same place.
  if (!Number.isSafeInteger(page * pageSize)) throw badRequest(`Page ${page} of ${pageSize} records is out of range`);
  const rawToken = lastString(query.PageToken);
  const pageToken = rawToken === undefined || rawToken === '' ? null : rawToken;
  // Without a token, Page alone positions the page (Twilio calls Page client state; honouring it is harmless).
  const offset = pageToken === null ? page * pageSize : decodePageToken(pageToken);
  return { pageSize, page, offset, pageToken };
}

/** The records of the requested page, out of the whole filtered and ordered list. */
export function pageSlice<T>(records: readonly T[], paging: PageRequest): T[] {
  return records.slice(paging.offset, paging.offset + paging.pageSize);
}

/**
 * A list response: `items` (the page, serialized) under `key`, and `meta` for a list of `total` records. URLs are
 * absolute on `publicUrl` and keep the request's filters, because twilio-node follows `next_page_url` verbatim.
 * `pinned` filters are added to the links when the request did not send them: a list whose bounds move with time
 * (the Events window) pins them so later pages slice the same list as the first.
 */
export function pageBody(
  req: Request,
  publicUrl: string,
  key: string,
  items: unknown[],
  total: number,
  paging: PageRequest,
  pinned: Record<string, string> = {},
): PageBody {
  const { pageSize, page, offset } = paging;
  const link = listUrl(req, publicUrl, pinned);
  const nextOffset = offset + pageSize;
  const meta: PageMeta = {
    first_page_url: link({ PageSize: pageSize, Page: 0 }),
    key,
    next_page_url: nextOffset < total ? link({ PageSize: pageSize, Page: page + 1, PageToken: encodePageToken(nextOffset) }) : null,
    page,
    page_size: pageSize,
    previous_page_url: page > 0 && offset > 0 ? link({ PageSize: pageSize, Page: page - 1, PageToken: encodePageToken(Math.max(0, offset - pageSize)) }) : null,
    url: link({ PageSize: pageSize, Page: page, ...(paging.pageToken ? { PageToken: paging.pageToken } : {}) }),
  };
  return { [key]: items, meta };
}

/** Builds URLs of the same list: its absolute path and filters, with the given paging parameters. */
function listUrl(req: Request, publicUrl: string, pinned: Record<string, string>): (paging: Record<string, string | number>) => string {
  const original = new URL(req.originalUrl, 'http://placeholder');
  const filters = new URLSearchParams();
  for (const [name, value] of original.searchParams) {
    if (name !== 'PageSize' && name !== 'Page' && name !== 'PageToken') filters.append(name, value);
  }
  for (const [name, value] of Object.entries(pinned)) if (!filters.has(name)) filters.append(name, value);
  return (paging) => {
    const params = new URLSearchParams(filters);
    for (const [name, value] of Object.entries(paging)) params.append(name, String(value));
    return `${publicUrl}${original.pathname}?${params.toString()}`;
  };
}

function lastString(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest('Paging parameters must be strings');
  return value;
}

function intParam(raw: unknown, name: string): number | undefined {
  const text = lastString(raw);
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) throw badRequest(`${name} must be an integer, got '${text}'`);
  const value = Number(text);
  // Beyond 2^53 the digits sent are not the number read, and links would echo it as `1e+23`.
  if (!Number.isSafeInteger(value)) throw badRequest(`${name} is out of range, got '${text}'`);
  return value;
}
