import { BlockList, isIP } from 'node:net';
import type { Outcome } from './http-exchange.js';
import type { ConcreteRequest } from './request-model.js';

/**
 * What every answer must satisfy, whatever was asked: an answer at all, never a 5xx (no store outage happens in a
 * fuzz run), every 4xx in Twilio's error format with its status, nothing changed by a refused request, bodies in a
 * content type the route does not read refused rather than ignored, and callbacks never aimed at this machine or its
 * network.
 */

/** The rules, by name. */
export type Rule =
  | 'no-answer'
  | 'server-error'
  | 'error-shape'
  | 'state-changed'
  | 'unparsed-body-accepted'
  | 'callback-url-accepted'
  | 'attributes-over-limit'
  | 'failure-logged'
  | 'process-exit';

/** One broken rule. */
export interface Violation {
  rule: Rule;
  detail: string;
}

const TWILIO_ERROR_KEYS = ['code', 'message', 'more_info', 'status'];
/** Callback parameters, and the resources (create and update) that read them. */
const CALLBACK_PARAMS: Array<[string, RegExp]> = [
  ['EventCallbackUrl', /^\/v1\/Workspaces(\/[^/?]+)?\/?(\?|$)/],
  ['AssignmentCallbackUrl', /^\/v1\/Workspaces\/[^/?]+\/Workflows(\/[^/?]+)?\/?(\?|$)/],
  ['FallbackAssignmentCallbackUrl', /^\/v1\/Workspaces\/[^/?]+\/Workflows(\/[^/?]+)?\/?(\?|$)/],
];

/** Judges one exchange. `changed` is the snapshot difference when one was taken, null when none. */
export function judge(request: ConcreteRequest, outcome: Outcome, changed: string | null): Violation[] {
  if (outcome.kind === 'no-answer') return [{ rule: 'no-answer', detail: outcome.reason }];
  const violations: Violation[] = [];
  const { status, text } = outcome;
  if (status >= 500) violations.push({ rule: 'server-error', detail: `${status} ${excerpt(text)}` });
  if (status >= 400 && status < 500) {
    const problem = request.method === 'HEAD' ? null : errorShapeProblem(status, text);
    if (problem) violations.push({ rule: 'error-shape', detail: `${status}: ${problem}` });
    if (changed !== null) violations.push({ rule: 'state-changed', detail: `${status} ${excerpt(text)}; ${changed}` });
  }
  if (status >= 200 && status < 300) {
    if (request.method === 'POST' && request.body && request.body.length > 0 && request.mediaType && !reads(request)) {
      violations.push({ rule: 'unparsed-body-accepted', detail: `${status} to a ${request.mediaType} body the route does not read` });
    }
    if (request.method === 'POST' && bodyIsRead(request)) {
      for (const [name, resource] of CALLBACK_PARAMS) {
        if (!resource.test(request.pathAndQuery)) continue;
        for (const url of sentValues(request, name)) {
          if (isLocalUrl(url)) violations.push({ rule: 'callback-url-accepted', detail: `${status} with ${name}=${url}` });
        }
      }
    }
  }
  return violations;
}

/** Why a 4xx body is not Twilio's `{code, message, more_info, status}` with the HTTP status; null when it is. */
export function errorShapeProblem(status: number, text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${excerpt(text) || '(empty body)'}`;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return `not an object: ${excerpt(text)}`;
  const record = body as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.join() !== TWILIO_ERROR_KEYS.join()) return `keys ${keys.join(', ')}`;
  if (typeof record.code !== 'number' || typeof record.message !== 'string' || typeof record.more_info !== 'string' || typeof record.status !== 'number') {
    return `wrong types: ${excerpt(text)}`;
  }
  if (record.status !== status) return `status ${String(record.status)} in a ${status} answer`;
  return null;
}

/** Whether the route parses a body of the request's media type. */
function reads(request: ConcreteRequest): boolean {
  const type = request.mediaType;
  if (type === 'application/x-www-form-urlencoded') return true;
  if (type === 'application/json') {
    if (request.surface === 'connector') return true;
    // The bulk real-time statistics take the JSON body TaskRouter documents.
    if (request.surface === 'api' && /\/TaskQueues\/RealTimeStatistics\/?(\?|$)/.test(request.pathAndQuery)) return true;
  }
  // Paths nobody serves answer 404 whatever the body; anything else that answers 2xx ignored the body.
  return request.surface === 'other';
}

/**
 * The values of parameter `name` as the server reads them: from the form body on the wire (a JSON text sent as a
 * form is one odd key, not the parameters the generator meant), or from the generator's model when the body went
 * compressed.
 */
function sentValues(request: ConcreteRequest, name: string): string[] {
  const encoded = request.headers.some(([header]) => header.toLowerCase() === 'content-encoding');
  if (encoded || request.mediaType !== 'application/x-www-form-urlencoded' || request.body === null) return request.params.get(name) ?? [];
  return new URLSearchParams(request.body.toString('utf8')).getAll(name);
}

function bodyIsRead(request: ConcreteRequest): boolean {
  return request.body !== null && request.mediaType !== null && reads(request) && request.surface !== 'other';
}

const LOCAL = new BlockList();
for (const [net, bits] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
  ['0.0.0.0', 8],
  ['100.64.0.0', 10],
] as const) {
  LOCAL.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::1', 128],
  ['fe80::', 10],
  ['fc00::', 7],
  ['::', 128],
] as const)
  LOCAL.addSubnet(net, bits, 'ipv6');

/** Whether a URL points at this machine, its link or a private network. */
export function isLocalUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 0) return false;
  return LOCAL.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** The first 300 characters of a text, on one line. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? flat.slice(0, 299) + '…' : flat;
}
