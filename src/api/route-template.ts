import type { Request } from 'express';

/** A TaskRouter-style sid: two capital letters and 32 hex digits. */
const SID = /^([A-Z]{2})[0-9a-fA-F]{32}$/;

/** What requests no route matched are named by: their paths are the client's choice, so they are not told apart. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** The template of each request followed, once its route is known. */
const templates = new WeakMap<Request, { template: string }>();

/**
 * Follows a request through routing so that `routeTemplate` can name its route once the response is done. Call it
 * before routing (any number of times). By the end of a request express has restored the mount path and parameters
 * of the routers it left (an error answered by the app's handler), so the template is taken when express hands the
 * request to its route, the one moment both are those of that route.
 */
export function followRoute(req: Request): void {
  if (templates.has(req)) return;
  const followed = { template: UNMATCHED_ROUTE };
  templates.set(req, followed);
  let route: unknown = req.route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: unknown) => {
      route = value;
      followed.template = templateOf(req, value);
    },
  });
}

/**
 * The route template a followed request was served by, as `/v1/Workspaces/:ws/Tasks/:wt`; UNMATCHED_ROUTE for one
 * no route took (a 404, a static asset, one refused before its route) or one not followed.
 */
export function routeTemplate(req: Request): string {
  return templates.get(req)?.template ?? UNMATCHED_ROUTE;
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
