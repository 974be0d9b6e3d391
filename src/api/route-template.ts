import type { Express } from 'express';

/** What an express 5 router keeps of each `use`/`route` it was given: its path as written, and how it matches. */
interface RouterLayer {
  route?: { _handlesMethod(method: string): boolean };
  handle: { stack?: RouterLayer[] };
  match(path: string): false | { path: string; pattern: unknown };
}

/**
 * The route template a request was served by, mount paths included (`/v1/Workspaces/:ws/Tasks/:wt`), found by
 * following the app's routers the way express routed it. Express keeps only the innermost route's own path on the
 * request, and the concrete URL would put a sid in every line's route. Undefined when no route takes the request.
 */
export function routeTemplate(app: Express, method: string, url: string): string | undefined {
  const question = url.indexOf('?');
  const path = question < 0 ? url : url.slice(0, question);
  return templateIn((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, path, method);
}

function templateIn(stack: RouterLayer[], path: string, method: string): string | undefined {
  for (const layer of stack) {
    const match = matchOf(layer, path);
    if (!match || typeof match.pattern !== 'string') continue;
    if (layer.route) {
      if (layer.route._handlesMethod(method)) return match.pattern;
      continue;
    }
    const inner = layer.handle.stack;
    if (!inner) continue;
    const found = templateIn(inner, path.slice(match.path.length) || '/', method);
    if (found !== undefined) return joined(match.pattern, found);
  }
  return undefined;
}

function matchOf(layer: RouterLayer, path: string): ReturnType<RouterLayer['match']> {
  try {
    return layer.match(path);
  } catch {
    // A parameter that cannot be decoded: express answers 400 without routing further.
    return false;
  }
}

function joined(mount: string, inner: string): string {
  return (mount === '/' ? '' : mount) + (inner === '/' ? '' : inner) || '/';
}
