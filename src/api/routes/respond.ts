import type { Request, Response } from 'express';
import { pageBody, pageSlice, readPageRequest } from '../wire/pagination.js';
import { setEtag } from '../wire/etag.js';
import type { WireContext } from '../wire/serialize/index.js';
import { sendJson } from '../send-json.js';

/** Sends one resource; versioned records also get their ETag. */
export function sendRecord(res: Response, status: 200 | 201, body: unknown, record?: { version: number }): void {
  if (record) setEtag(res, record);
  sendJson(res, status, body);
}

/** Sends the requested page of `records` (filtered and ordered) under `key`. */
export function sendList<T>(
  req: Request,
  res: Response,
  ctx: Pick<WireContext, 'publicUrl'>,
  key: string,
  records: readonly T[],
  serialize: (record: T) => unknown,
): void {
  const paging = readPageRequest(req.query);
  sendJson(res, 200, pageBody(req, ctx.publicUrl, key, pageSlice(records, paging).map(serialize), records.length, paging));
}

/** 204 with no body, as TaskRouter answers a delete. */
export function sendDeleted(res: Response): void {
  res.status(204).end();
}
