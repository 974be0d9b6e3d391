import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as requested. */
  path: string;
  /** The absolute URL the request was sent to (what a Twilio signature covers). */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The form body decoded; a repeated key keeps its last value. */
  params: Record<string, string>;
}

/** How the receiver answers one request. */
export interface ReceiverReply {
  /** 204 unless given. */
  status?: number;
  body?: string;
  contentType?: string;
  /** Wait this long before answering (a slow or hung receiver). */
  delayMs?: number;
  /** Answer only once this settles: the test decides when (a promise that never settles hangs the request). */
  until?: Promise<unknown>;
}

/**
 * An HTTP endpoint on a free port standing in for a customer's webhook receiver: it records every request and
 * answers as scripted, per path.
 */
export interface Receiver {
  /** Absolute URL of `path` on the receiver. */
  url(path?: string): string;
  /** Every request so far, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** Requests to one path (query excluded). */
  at(path: string): ReceivedRequest[];
  /** How `path` answers from now on, once any scripted replies are used up. */
  answer(path: string, reply: ReceiverReply): void;
  /** Replies for the next requests to `path`, one each, before its standing answer applies again. */
  script(path: string, ...replies: ReceiverReply[]): void;
  /** Closes the port and cuts connections, hung ones included. */
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const standing = new Map<string, ReceiverReply>();
  const scripted = new Map<string, ReceiverReply[]>();
  const timers = new Set<NodeJS.Timeout>();
  let base = '';

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const pathname = path.split('?')[0]!;
      requests.push({
        method: req.method ?? '',
        path,
        url: base + path,
        headers: req.headers,
        body,
        params: Object.fromEntries(new URLSearchParams(body)),
      });
      const reply = scripted.get(pathname)?.shift() ?? standing.get(pathname) ?? {};
      const send = () => {
        if (res.destroyed) return;
        const headers: Record<string, string> = {};
        if (reply.contentType) headers['Content-Type'] = reply.contentType;
        res.writeHead(reply.status ?? 204, headers);
        res.end(reply.body ?? '');
      };
      if (reply.until) return void reply.until.finally(send);
      if (!reply.delayMs) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, reply.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: (path = '/') => base + path,
    requests,
    at: (path) => requests.filter((r) => r.path.split('?')[0] === path),
    answer: (path, reply) => void standing.set(path, reply),
    script: (path, ...replies) => void scripted.set(path, [...(scripted.get(path) ?? []), ...replies]),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** JSON answer with the content type TaskRouter expects from an assignment callback. */
export function jsonReply(body: unknown, extra: ReceiverReply = {}): ReceiverReply {
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body), ...extra };
}

/** A reply the test releases when it chooses: `reply` waits until `release()` is called. */
export function heldReply(reply: ReceiverReply): { reply: ReceiverReply; release: () => void } {
  let release!: () => void;
  const until = new Promise<void>((resolve) => (release = resolve));
  return { reply: { ...reply, until }, release };
}
