import type { Request } from 'express';

/** A TaskRouter-style sid: two capital letters and 32 hex digits. */
const SID_SEGMENT = /\/([A-Z]{2})[0-9a-fA-F]{32}(?=\/|$)/g;

/** What requests no route matched are named by: their paths are the client's choice, so they are not told apart. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The route template a request was served by, as `/v1/Workspaces/:ws/Tasks/:wt`: the matched route's own pattern
 * after the path of the routers it is mounted under, whose parameters (all sids) read as `:` and the sid's prefix.
 * Express keeps the mount patterns to itself, so the mount path is read from the request with its sids replaced.
 * Read once the response is finished; a request no route matched (a 404, a static asset, one refused before its
 * route) reads as UNMATCHED_ROUTE.
 */
export function routeTemplate(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route !== 'string') return UNMATCHED_ROUTE;
  const mount = req.baseUrl.replace(SID_SEGMENT, (_, prefix: string) => `/:${prefix.toLowerCase()}`);
  return route === '/' && mount ? mount : `${mount}${route}`;
}
