import type { SimEnv } from '../core/env.js';
import type { SimQueue } from '../voice/queues.js';
import { RestError, invalidParameter, missingParameter, notFound } from './errors.js';
import { memberJson, page, queueJson } from './serialize.js';
import type { RestRequest, Route } from './server.js';

const QU = '(QU[0-9a-fA-F]{32})';
/** Queues the REST API creates are capped at 100 unless MaxSize says otherwise (`<Enqueue>` ones at 1000). */
const REST_DEFAULT_MAX_SIZE = 100;
const MAX_SIZE_LIMIT = 5000;

function findQueue(env: SimEnv, sid: string, path: string): SimQueue {
  const queue = env.queues.get(sid);
  if (!queue) throw notFound(path);
  return queue;
}

function maxSizeOf(req: RestRequest, fallback: number): number {
  const raw = req.params.MaxSize;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIZE_LIMIT) {
    throw invalidParameter('MaxSize', `must be an integer between 1 and ${MAX_SIZE_LIMIT}`);
  }
  return n;
}

function checkName(env: SimEnv, name: string, except?: SimQueue): void {
  if (name.length > 64) throw invalidParameter('FriendlyName', 'at most 64 characters');
  const clash = env.queues.byName(name);
  if (clash && clash !== except) throw new RestError(400, 22003, `A queue named "${name}" already exists`);
}

/**
 * `Queues` and `Queues/{QU}/Members`. Updating a member (by call SID or `Front`) dequeues it: its `<Enqueue>` action
 * is requested at once with `QueueResult=redirected`, then the member runs the TwiML at `Url`.
 */
export const queueRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /\/Queues\.json/,
    handle(env, req) {
      const name = req.params.FriendlyName;
      if (!name) throw missingParameter('FriendlyName');
      checkName(env, name);
      const queue = env.queues.create(name, maxSizeOf(req, REST_DEFAULT_MAX_SIZE));
      return { status: 201, body: queueJson(env.options.accountSid, queue) };
    },
  },
  {
    method: 'GET',
    pattern: /\/Queues\.json/,
    handle(env, req) {
      const records = env.queues.all().map((q) => queueJson(env.options.accountSid, q));
      return { status: 200, body: page(req.path, 'queues', records, req.query) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`/Queues/${QU}\\.json`),
    handle(env, req, m) {
      return { status: 200, body: queueJson(env.options.accountSid, findQueue(env, m[1]!, req.path)) };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`/Queues/${QU}\\.json`),
    handle(env, req, m) {
      const queue = findQueue(env, m[1]!, req.path);
      if (req.params.FriendlyName !== undefined) {
        checkName(env, req.params.FriendlyName, queue);
        queue.friendlyName = req.params.FriendlyName;
      }
      queue.maxSize = maxSizeOf(req, queue.maxSize);
      queue.dateUpdated = env.clock.now();
      return { status: 200, body: queueJson(env.options.accountSid, queue) };
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`/Queues/${QU}\\.json`),
    handle(env, req, m) {
      const queue = findQueue(env, m[1]!, req.path);
      if (queue.currentSize) throw new RestError(400, 20009, 'Cannot delete a queue that has members');
      env.queues.delete(queue.sid);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`/Queues/${QU}/Members\\.json`),
    handle(env, req, m) {
      const queue = findQueue(env, m[1]!, req.path);
      const records = queue.members.map((member, i) => memberJson(env.options.accountSid, member, i + 1));
      return { status: 200, body: page(req.path, 'queue_members', records, req.query) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`/Queues/${QU}/Members/(CA[0-9a-fA-F]{32}|Front)\\.json`),
    handle(env, req, m) {
      const queue = findQueue(env, m[1]!, req.path);
      const member = m[2] === 'Front' ? queue.members[0] : queue.memberFor(m[2]!);
      if (!member) throw notFound(req.path);
      return { status: 200, body: memberJson(env.options.accountSid, member, queue.position(member)) };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`/Queues/${QU}/Members/(CA[0-9a-fA-F]{32}|Front)\\.json`),
    handle(env, req, m) {
      const queue = findQueue(env, m[1]!, req.path);
      const member = m[2] === 'Front' ? queue.members[0] : queue.memberFor(m[2]!);
      if (!member) throw notFound(req.path);
      const url = req.params.Url;
      if (!url) throw missingParameter('Url', 21205);
      try {
        if (!/^https?:$/.test(new URL(url).protocol)) throw new Error('scheme');
      } catch {
        throw new RestError(400, 21205, `Url is not a valid URL: ${url}`);
      }
      const rawMethod = (req.params.Method ?? 'POST').toUpperCase();
      if (rawMethod !== 'GET' && rawMethod !== 'POST') throw invalidParameter('Method', 'must be GET or POST');
      const body = memberJson(env.options.accountSid, member, queue.position(member));
      queue.remove(member);
      member.dequeue({ kind: 'rest', url, method: rawMethod });
      return { status: 200, body };
    },
  },
];
