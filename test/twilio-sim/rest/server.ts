import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SimEnv } from '../core/env.js';
import { RestError, notFound } from './errors.js';
import { accountBase } from './serialize.js';
import { callRoutes } from './calls.js';
import { queueRoutes } from './queues.js';
import { messageRoutes } from './messages.js';
import { conferenceRoutes } from './conferences.js';

/** One REST request the simulator served, for assertions. */
export interface RestRecord {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Form parameters; a repeated key keeps its last value (see `multi`). */
  params: Record<string, string>;
  /** Every value of every form parameter, in order (`StatusCallbackEvent` is sent once per event). */
  multi: Record<string, string[]>;
  status: number;
  response: unknown;
  /** Simulated epoch ms. */
  at: number;
}

/** A parsed request handed to a route. */
export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  multi: Record<string, string[]>;
}

/** A route's answer: status and JSON body (none for 204). */
export interface RestReply {
  status: number;
  body?: unknown;
}

/** A route below `/2010-04-01/Accounts/{AccountSid}`. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Matched against the path after the account prefix, e.g. `/Calls/(CA[0-9a-f]{32})\.json`. */
  pattern: RegExp;
  handle(env: SimEnv, req: RestRequest, match: RegExpExecArray): RestReply | Promise<RestReply>;
}

const ROUTES: Route[] = [...callRoutes, ...queueRoutes, ...conferenceRoutes, ...messageRoutes];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function authorized(env: SimEnv, header: string | undefined): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return decoded.slice(0, colon) === env.options.accountSid && decoded.slice(colon + 1) === env.options.authToken;
}

async function dispatch(env: SimEnv, req: RestRequest, authHeader: string | undefined): Promise<RestReply> {
  if (!authorized(env, authHeader)) {
    throw new RestError(401, 20003, 'Authenticate');
  }
  const base = accountBase(env.options.accountSid);
  if (!req.path.startsWith(`${base}/`)) throw notFound(req.path);
  const rest = req.path.slice(base.length);
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(rest);
    if (!match || match[0] !== rest) continue;
    pathMatched = true;
    if (route.method === req.method) return route.handle(env, req, match);
  }
  if (pathMatched) throw new RestError(405, 20004, `Method ${req.method} not allowed on ${req.path}`);
  throw notFound(req.path);
}

/**
 * The REST side of the simulator: the 2010-04-01 API our server calls, with HTTP Basic auth (account SID and auth
 * token), form-encoded input, JSON output, Twilio-shaped errors. Every request is recorded in `records`.
 */
export function createRestServer(env: SimEnv, records: RestRecord[]): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const raw = await readBody(req);
      const form = new URLSearchParams((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded') || req.method === 'POST' ? raw : '');
      const multi: Record<string, string[]> = {};
      for (const [k, v] of form) (multi[k] ??= []).push(v);
      const params = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1]!]));
      const request: RestRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, params, multi };

      let reply: RestReply;
      try {
        reply = await dispatch(env, request, req.headers.authorization);
      } catch (err) {
        if (!(err instanceof RestError)) {
          const message = err instanceof Error ? err.message : String(err);
          reply = { status: 500, body: new RestError(500, 20500, `Internal simulator error: ${message}`).toJSON() };
        } else {
          reply = { status: err.status, body: err.toJSON() };
        }
      }
      records.push({
        method: request.method,
        path: request.path,
        query: Object.fromEntries(url.searchParams),
        params,
        multi,
        status: reply.status,
        response: reply.body ?? null,
        at: env.clock.now(),
      });
      if (reply.status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      const body = JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Twilio-Request-Id': `RQ${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}`,
      });
      res.end(body);
    })().catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
}
