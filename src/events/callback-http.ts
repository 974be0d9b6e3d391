import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { CallbackRefused, type CallbackUrlPolicy } from '../core/callback-url.js';
import { callbackLookup } from '../net/callback-lookup.js';

/** What a signed POST needs of an HTTP client: fetch's call shape, answered with a status and a body stream. */
export type CallbackFetch = (url: string, init: RequestInit) => Promise<Pick<Response, 'status' | 'body'>>;

/** The HTTP client callbacks are sent with, and how to let go of its connections. */
export interface CallbackHttp {
  fetch: CallbackFetch;
  close(): Promise<void>;
}

/**
 * An HTTP client that only reaches what `policy` admits. The URL is checked before anything is sent — it may have
 * been stored before the policy changed, and an address written in it is never looked up — and every host name is
 * checked again at connect time through a guarded `lookup` on the connection pool, whatever DNS answers by then.
 * `resolve` replaces the system resolver (tests map names to loopback addresses with it).
 */
export function callbackHttp(policy: CallbackUrlPolicy, resolve?: LookupFunction): CallbackHttp {
  const agent = new Agent({ connect: { lookup: callbackLookup(policy, resolve) } });
  return {
    fetch: async (url, init) => {
      const refusal = policy.refusalOfUrl(url);
      if (refusal) throw new CallbackRefused(`the URL ${refusal}`);
      return undiciFetch(url, { ...init, dispatcher: agent });
    },
    close: () => agent.close(),
  };
}
