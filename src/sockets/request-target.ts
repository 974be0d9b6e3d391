/** The part of an HTTP request target the server acts on: where it points, never whose host it names. */
export interface RequestTarget {
  /** The path, percent-encoded as parsed, e.g. `/webhooks/media`. */
  path: string;
  query: URLSearchParams;
  /** The path and query exactly as the client sent them: what Twilio signed after our base URL. */
  pathAndQuery: string;
}

/** Schemes an absolute-form target may name: the ones a request can reach this server by. */
const SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;
/** Any host will do: only the path and query of the parsed target are read. */
const ANY_ORIGIN = 'http://localhost';

/**
 * Reads a request target (`req.url`) in origin form (`/path?query`) or absolute form
 * (`http://host:port/path?query`, which HTTP/1.1 servers must accept): an absolute-form target contributes only its
 * path and query. Null for anything else, and for a target the URL standard rejects (a port out of range, a broken
 * IPv6 literal, `*`), so a caller answers 400 instead of throwing.
 */
export function readRequestTarget(target: string | undefined): RequestTarget | null {
  if (!target) return null;
  let pathAndQuery: string;
  let url: URL;
  try {
    if (target.startsWith('/')) {
      pathAndQuery = target;
      // Appended to a base rather than resolved against it: `//host/x` stays the path `//host/x`.
      url = new URL(ANY_ORIGIN + target);
    } else {
      const authority = ABSOLUTE_FORM.exec(target);
      if (!authority) return null;
      url = new URL(target);
      if (!SCHEMES.has(url.protocol)) return null;
      pathAndQuery = target.slice(authority[0].length) || '/';
    }
  } catch {
    return null;
  }
  const fragment = pathAndQuery.indexOf('#');
  if (fragment >= 0) pathAndQuery = pathAndQuery.slice(0, fragment);
  if (!pathAndQuery.startsWith('/')) pathAndQuery = `/${pathAndQuery}`;
  return { path: url.pathname, query: url.searchParams, pathAndQuery };
}

/**
 * Whether `readRequestTarget` reads `target`, without building what it reads: the HTTP server asks this of every
 * request, and an origin-form target always reads (appended to a base, a path the URL standard cannot reject), so it
 * is not parsed twice, here and in the router (docs/performance.md, "The REST path").
 */
export function isRoutableTarget(target: string | undefined): boolean {
  return target?.startsWith('/') === true || readRequestTarget(target) !== null;
}
