import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line written while serving one request (or WebSocket upgrade) carries. */
export interface RequestContext {
  requestId: string;
}

const requests = new AsyncLocalStorage<RequestContext>();

/** An incoming id is kept only when it cannot garble a log line or a header: short, and of URL-safe characters. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:=+/@-]{1,128}$/;

/** The request id a client or proxy sent in `X-Request-Id`, when it is sane; a fresh one otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** Runs `fn` (and everything it starts, awaited or not) as part of the request `requestId`. */
export function inRequest<T>(requestId: string, fn: () => T): T {
  return requests.run({ requestId }, fn);
}

/**
 * Runs `fn` as part of no request: for work that outlives the request that happened to start it (a delivery loop, a
 * connection opened on first use), whose lines would otherwise carry that request's id forever.
 */
export function outsideRequests<T>(fn: () => T): T {
  return requests.exit(fn);
}

/** The id of the request the caller is serving, if any. */
export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}
