import type { SimEnv } from '../core/env.js';
import type { FetchTarget, Geo, HttpMethod } from '../core/types.js';
import { SimCall } from './call.js';
import { placeLeg } from './ringing.js';
import { runCall } from './runner.js';
import type { StatusCallbackConfig } from './status-callbacks.js';

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A call arriving at one of the account's numbers. */
export interface InboundCallOptions {
  from: string;
  to: string;
  /** The number's voice webhook. */
  webhookUrl: string;
  /** Default POST. */
  method?: HttpMethod;
  /** Extra parameters sent with every request of the call (CallerName, ForwardedFrom, SIP headers…). */
  params?: Record<string, string>;
  /** Overrides the location fields guessed from the numbers. */
  geo?: { from?: Geo; to?: Geo };
  /** The number's status callback URL (Twilio reports only `completed` for these). */
  statusCallback?: string;
  statusCallbackMethod?: HttpMethod;
}

/**
 * Starts an inbound call: it rings (the first webhook says `CallStatus=ringing`), and Twilio answers it when the
 * TwiML starts doing something. The call object is returned before anything is requested, so a test can queue the
 * caller's key presses first.
 */
export function startInboundCall(env: SimEnv, o: InboundCallOptions): SimCall {
  const call = new SimCall(
    env,
    {
      direction: 'inbound',
      from: o.from,
      to: o.to,
      extraParams: o.params,
      geo: o.geo,
      ...(o.statusCallback && {
        statusCallback: { url: o.statusCallback, method: o.statusCallbackMethod ?? 'POST', events: new Set(['completed']) },
      }),
    },
    'ringing',
  );
  env.background(nextTick().then(() => runCall(env, call, { kind: 'fetch', target: { url: o.webhookUrl, method: o.method ?? 'POST', purpose: 'voice' } })));
  return call;
}

/** A call placed through `POST …/Calls.json`. */
export interface ApiCallRequest {
  from: string;
  to: string;
  target: FetchTarget;
  timeoutSeconds: number;
  statusCallback?: StatusCallbackConfig;
}

/**
 * Starts a REST-created call: `queued` now (what the create call returns), then `initiated`, `ringing` at the
 * endpoint, and on answer the TwiML (`Url` fetched with `CallStatus=in-progress`, or the inline `Twiml`) runs on the
 * answered leg. Unanswered, it ends `no-answer`, `busy` or `failed`.
 */
export function startApiCall(env: SimEnv, request: ApiCallRequest): SimCall {
  const leg = new SimCall(env, { direction: 'outbound-api', from: request.from, to: request.to, statusCallback: request.statusCallback }, 'queued');
  leg.pendingTarget = request.target;
  env.background(
    runCall(env, leg, {
      kind: 'custom',
      run: async (scope) => {
        // Let the create request's response go out before the first callback, as it does from Twilio.
        await scope.race(nextTick());
        const placed = await placeLeg(env, leg, scope, request.timeoutSeconds * 1000);
        if (placed !== 'in-progress') {
          leg.end('callee', placed);
          return;
        }
        return leg.pendingTarget!;
      },
    }),
  );
  return leg;
}
