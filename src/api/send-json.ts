import type { Response } from 'express';

/**
 * Sends `body` as the JSON answer with `status`: the API's resources, lists and errors all leave through here.
 * Written straight to the response rather than through express's `res.json`, whose content-type negotiation and
 * charset handling cost a few percent of a request (docs/performance.md, "The REST path"). A conditional GET (the
 * API's records carry an ETag) still goes through express, which answers 304 when the client's copy is fresh.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  const { headers } = res.req;
  if (headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) {
    res.status(status).json(body);
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
