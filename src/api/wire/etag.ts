import type { Request, Response } from 'express';

/**
 * Optimistic concurrency on the wire. The ETag is the record's version; twilio-node passes `ifMatch` back verbatim
 * in `If-Match`, and callers also use the bare `task_version` from events, so the quoted, weak and bare forms are all
 * accepted. The engine compares the bare version.
 */

/** Sets the `ETag` header for a record. */
export function setEtag(res: Response, record: { version: number }): void {
  res.setHeader('ETag', `"${record.version}"`);
}

/** The version an `If-Match` header asks for, without quotes or weak prefix; undefined when absent or `*`. */
export function ifMatch(req: Request): string | undefined {
  const header = req.get('If-Match');
  if (header === undefined) return undefined;
  const value = header
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1')
    .trim();
  return value === '' || value === '*' ? undefined : value;
}
