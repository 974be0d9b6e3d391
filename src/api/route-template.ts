import type { Request } from 'express';

/** A TaskRouter-style sid: two capital letters and 32 hex digits. */
const SID = /^([A-Z]{2})[0-9a-fA-F]{32}$/;

/** What requests no route matched are named by: their paths are the client's choice, so they are not told apart. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Where a request keeps its route and the template worked out from it, and the mark of an app that follows routes. */
const ROUTE = Symbol('route');
const TEMPLATE = Symbol('route template');
const FOLLOWING = Symbol('following routes');

type FollowedRequest = Request & { [ROUTE]?: unknown; [TEMPLATE]?: string };

/**
 * Express sets `req.route` as it hands a request to its route, the one moment both the route and the mount path are
 * those of that route (by the end of a request express has restored the mount path of the routers it left, as when
 * an error is answered by the app's handler); the setter takes the template then. The accessor sits on the app's
 * request prototype, defined once: defined on each request, it cost about 1 % of a request, and made per request
 * (closures over its state) it gave each request object a hidden class of its own, which made every read of a
 * request's properties in express, its router and the body parser megamorphic (docs/performance.md, "The REST path").
 */
const ROUTE_ACCESSOR = {
  configurable: true,
  enumerable: true,
  get(this: FollowedRequest): unknown {
    return this[ROUTE];
  },
  set(this: FollowedRequest, value: unknown) {
    // The router names the route, then the route itself does again as it dispatches: once is enough.
    if (value === this[ROUTE] && value !== undefined) return;
    this[ROUTE] = value;
    this[TEMPLATE] = templateOf(this, value);
  },
};

/**
 * Follows requests through routing so that `routeTemplate` can name their route once the response is done. Call it
 * for each request before routing (any number of times): the first call for an app makes all its requests
 * followed. A request that did not come through express (no app) is not followed.
 */
export function followRoute(req: Request): void {
  const requests = (req.app as { request?: object } | undefined)?.request as (object & { [FOLLOWING]?: true }) | undefined;
  if (!requests || Object.hasOwn(requests, FOLLOWING)) return;
  Object.defineProperty(requests, 'route', ROUTE_ACCESSOR);
  requests[FOLLOWING] = true;
}

/**
 * The route template a followed request was served by, as `/v1/Workspaces/:ws/Tasks/:wt`; UNMATCHED_ROUTE for one
 * no route took (a 404, a static asset, one refused before its route) or one not followed.
 */
export function routeTemplate(req: Request): string {
  return (req as FollowedRequest)[TEMPLATE] ?? UNMATCHED_ROUTE;
}

/**
 * The route's own pattern after the path of the routers it is mounted under. Express keeps mount patterns to itself,
 * so the mount path is read from the request: a segment holding a parameter's value (routers merge their parents'
 * parameters) reads as that parameter, and any sid left as `:` and its prefix, so no value a client chose ends up in
 * the template.
 */
function templateOf(req: Request, route: unknown): string {
  const path = (route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  // Requests to the same route under sids of the same kinds share a template: it is worked out once per shape
  // (a few percent of a request otherwise; docs/performance.md, "The REST path"). Shapes holding other values a
  // client chose are not kept past a bound, so no client can grow the table.
  const shape = `${req.baseUrl.replace(SID_SEGMENT, '/$1')}\0${path}`;
  const known = templatesByShape.get(shape);
  if (known !== undefined) return known;
  const template = mountedTemplate(req, path);
  if (templatesByShape.size < MAX_SHAPES) templatesByShape.set(shape, template);
  return template;
}

/** A sid as a whole path segment: what varies between requests to the same route. */
const SID_SEGMENT = /\/([A-Z]{2})[0-9a-fA-F]{32}(?=\/|$)/g;
const MAX_SHAPES = 1_000;
const templatesByShape = new Map<string, string>();

function mountedTemplate(req: Request, path: string): string {
  const params = new Map(Object.entries((req.params ?? {}) as Record<string, unknown>).map(([name, value]) => [String(value), name]));
  const mount = req.baseUrl
    .split('/')
    .map((segment) => {
      const param = params.get(segment) ?? params.get(decoded(segment));
      if (param !== undefined) return `:${param}`;
      const sid = SID.exec(segment);
      return sid ? `:${sid[1]!.toLowerCase()}` : segment;
    })
    .join('/');
  return path === '/' && mount ? mount : `${mount}${path}`;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
