import { badRequest, unauthorized } from '../core/errors.js';
import { TwilioParams } from '../api/wire/params.js';

/**
 * One request of the worker SDK. It never calls the REST API: every call is a POST to its `ebServer` whose body is
 * JSON text `{url, method, params, token}` — sent as `application/x-www-form-urlencoded`, axios's default for a
 * string, so the body is read as JSON whatever its Content-Type says.
 */
export interface BridgeRequest {
  /** The resource path, `Workspaces/WS…/Workers/WK…`, split into its segments. */
  path: string[];
  method: 'GET' | 'POST';
  params: TwilioParams;
  /** The params as Twilio's form strings, for an operation that renames one of the SDK's. */
  form: Record<string, unknown>;
  token: string;
}

/** The envelope in `text`, or a 400 (401 without a token) saying what is wrong with it. */
export function readBridgeRequest(text: string): BridgeRequest {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('The request body must be JSON: {url, method, params, token}');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object: {url, method, params, token}');
  const { url, method, params, token } = body as Record<string, unknown>;
  if (typeof token !== 'string' || token === '') throw unauthorized('A token is required');
  if (typeof url !== 'string' || url === '') throw badRequest('url is required');
  if (method !== 'GET' && method !== 'POST') throw badRequest(`method must be GET or POST, got ${JSON.stringify(method)}`);
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) throw badRequest('params must be an object');
  const form = formValues((params ?? {}) as Record<string, unknown>);
  return { path: pathOf(url), method, params: new TwilioParams(form), form, token };
}

/** `Workspaces/WS…/…`, with or without a leading slash or `v1/`/`v2/`, as segments; the query, if any, is not part of it. */
function pathOf(url: string): string[] {
  const segments = url
    .split('?')[0]!
    .split('/')
    .filter((s) => s !== '');
  return /^v\d$/.test(segments[0] ?? '') ? segments.slice(1) : segments;
}

/**
 * The SDK's JSON-typed params (`PageSize: 1000`, `Attributes: {…}`, `RejectPendingReservations: true`) as the
 * strings Twilio's form parameters are, so one parser serves the REST API and the bridge: objects become their JSON
 * text, numbers and booleans their words, and null means not sent.
 */
function formValues(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(formValue) : formValue(value);
  }
  return out;
}

function formValue(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}
