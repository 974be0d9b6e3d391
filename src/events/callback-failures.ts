import type { FailureThrottle } from '../telemetry/failure-throttle.js';
import { scrubbedTarget } from '../telemetry/log-redaction.js';
import type { CallbackFetch } from './callback-http.js';
import { failureOf } from './signed-post.js';

/**
 * `fetch`, with what each callback host answers reported to `failures`: a host that refuses or fails every callback
 * is logged once with the reason, then counted per interval, and once more when it answers 2xx again.
 */
export function watchedCallbacks(fetch: CallbackFetch, failures: FailureThrottle): CallbackFetch {
  return async (url, init) => {
    const host = originOf(url);
    const fields = { host, url: scrubbedTarget(url) };
    try {
      const res = await fetch(url, init);
      if (res.status >= 200 && res.status < 300) failures.succeeded(host, { host });
      else failures.failed(host, failureOf({ ok: false, status: res.status, body: '' }), fields);
      return res;
    } catch (error) {
      // Shutting down aborts callbacks in flight: that says nothing about the receiver.
      if (!init.signal?.aborted) failures.failed(host, failureOf({ ok: false, status: null, body: '', error }), fields);
      throw error;
    }
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
