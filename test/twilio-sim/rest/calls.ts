import type { SimEnv } from '../core/env.js';
import { rfc2822 } from '../core/ids.js';
import type { FetchTarget, HttpMethod } from '../core/types.js';
import { MediaStreamClient } from '../media/stream-client.js';
import type { SimCall } from '../voice/call.js';
import { startApiCall } from '../voice/start.js';
import { parseProgressEvents, type StatusCallbackConfig } from '../voice/status-callbacks.js';
import { RestError, invalidParameter, missingParameter, notFound } from './errors.js';
import { accountBase, callJson, page } from './serialize.js';
import type { RestRequest, Route } from './server.js';

const CA = '(CA[0-9a-fA-F]{32})';

function method(value: string | undefined, name: string): HttpMethod {
  if (value === undefined || value === '') return 'POST';
  const upper = value.toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw invalidParameter(name, 'must be GET or POST');
  return upper;
}

function absoluteUrl(value: string, name: string, code: number): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return url.toString();
  } catch {
    throw new RestError(400, code, `${name} is not a valid URL: ${value}`);
  }
}

/** Url or Twiml from a create or update request (null when neither is given). */
function twimlTarget(req: RestRequest): FetchTarget | null {
  const { params } = req;
  if (params.Twiml !== undefined) return { twiml: params.Twiml, purpose: 'redirect' };
  if (params.Url !== undefined) {
    return { url: absoluteUrl(params.Url, 'Url', 21205), method: method(params.Method, 'Method'), purpose: 'redirect' };
  }
  return null;
}

function statusCallbackFrom(req: RestRequest): StatusCallbackConfig | undefined {
  const url = req.params.StatusCallback;
  if (!url) return undefined;
  const events = parseProgressEvents(req.multi.StatusCallbackEvent);
  if (typeof events === 'string') throw invalidParameter('StatusCallbackEvent', `unknown event "${events}"`, 21626);
  return {
    url: absoluteUrl(url, 'StatusCallback', 21609),
    method: method(req.params.StatusCallbackMethod, 'StatusCallbackMethod'),
    events,
  };
}

function findCall(env: SimEnv, sid: string, path: string): SimCall {
  const call = env.calls.get(sid);
  if (!call) throw notFound(path);
  return call;
}

const IGNORED_CREATE_PARAMS = ['SendDigits', 'Record', 'MachineDetection', 'AsyncAmd', 'RecordingChannels', 'Trim'];

/**
 * `Calls` and `Calls/{CA}/Streams`: create (To, From, Url|Twiml, Method, StatusCallback, StatusCallbackEvent…,
 * Timeout), fetch, list, and update (Url|Twiml redirects a live call; `Status=completed` hangs up; `Status=canceled`
 * cancels a call that has not been answered and leaves an answered one alone).
 */
export const callRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /\/Calls\.json/,
    handle(env, req) {
      const p = req.params;
      if (!p.To) throw missingParameter('To', 21201);
      if (!p.From) throw missingParameter('From', 21213);
      if (p.ApplicationSid !== undefined && p.Url === undefined && p.Twiml === undefined) {
        throw new RestError(400, 21205, 'ApplicationSid is not supported by the simulator; pass Url or Twiml');
      }
      const redirect = twimlTarget(req);
      if (!redirect) throw new RestError(400, 21205, 'Url, Twiml or ApplicationSid is required');
      const target: FetchTarget = { ...redirect, purpose: 'voice' };
      const timeout = p.Timeout === undefined ? 60 : Number(p.Timeout);
      if (!Number.isInteger(timeout) || timeout < 1 || timeout > 600) {
        throw invalidParameter('Timeout', 'must be an integer between 1 and 600', 21210);
      }
      const call = startApiCall(env, {
        from: p.From,
        to: p.To,
        target,
        timeoutSeconds: timeout,
        statusCallback: statusCallbackFrom(req),
      });
      for (const name of IGNORED_CREATE_PARAMS) {
        if (p[name] !== undefined) env.record(call.sid, { type: 'warning', message: `${name} is accepted but not simulated` });
      }
      return { status: 201, body: callJson(env.options.accountSid, call) };
    },
  },
  {
    method: 'GET',
    pattern: /\/Calls\.json/,
    handle(env, req) {
      const filters: [string, (c: SimCall) => string | undefined][] = [
        ['To', (c) => c.to],
        ['From', (c) => c.from],
        ['Status', (c) => c.status],
        ['ParentCallSid', (c) => c.parentCallSid],
      ];
      const calls = [...env.calls.values()]
        .filter((c) => filters.every(([k, get]) => !req.query.has(k) || get(c) === req.query.get(k)))
        .sort((a, b) => b.createdAt - a.createdAt);
      return {
        status: 200,
        body: page(
          req.path,
          'calls',
          calls.map((c) => callJson(env.options.accountSid, c)),
          req.query,
        ),
      };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`/Calls/${CA}\\.json`),
    handle(env, req, m) {
      return { status: 200, body: callJson(env.options.accountSid, findCall(env, m[1]!, req.path)) };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`/Calls/${CA}\\.json`),
    handle(env, req, m) {
      const call = findCall(env, m[1]!, req.path);
      const status = req.params.Status;
      if (status !== undefined && status !== 'completed' && status !== 'canceled') {
        throw invalidParameter('Status', 'must be completed or canceled', 21218);
      }
      const target = twimlTarget(req);
      if (target) {
        if (call.ended) throw new RestError(400, 21220, 'Call is not in-progress. Cannot redirect.');
        call.redirect(target);
      }
      if (status === 'completed' && !call.ended) call.end('api');
      if (status === 'canceled' && !call.ended && !call.answered) call.end('api', 'canceled');
      const callback = statusCallbackFrom(req);
      if (callback) call.statusCallback = callback;
      return { status: 200, body: callJson(env.options.accountSid, call) };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`/Calls/${CA}/Streams\\.json`),
    async handle(env, req, m) {
      const call = findCall(env, m[1]!, req.path);
      const p = req.params;
      if (!p.Url) throw missingParameter('Url');
      if (!/^wss?:\/\//i.test(p.Url)) throw invalidParameter('Url', 'must be a WebSocket URL');
      if (call.ended || !call.answered) throw new RestError(400, 21220, 'Call is not in-progress.');
      const customParameters: Record<string, string> = {};
      for (let i = 1; i <= 99; i++) {
        const name = p[`Parameter${i}.Name`];
        if (name !== undefined) customParameters[name] = p[`Parameter${i}.Value`] ?? '';
      }
      const track = p.Track ?? 'inbound_track';
      if (!['inbound_track', 'outbound_track', 'both_tracks'].includes(track)) {
        throw invalidParameter('Track', 'must be inbound_track, outbound_track or both_tracks');
      }
      const stream = new MediaStreamClient(env, call, {
        url: p.Url,
        name: p.Name ?? null,
        track: track as 'inbound_track',
        bidirectional: false,
        customParameters,
        ...(p.StatusCallback && {
          statusCallback: { url: p.StatusCallback, method: method(p.StatusCallbackMethod, 'StatusCallbackMethod') },
        }),
      });
      call.streams.push(stream);
      await stream.start();
      return { status: 201, body: streamJson(env, call, stream, 'in-progress') };
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`/Calls/${CA}/Streams/([^/]+)\\.json`),
    handle(env, req, m) {
      const call = findCall(env, m[1]!, req.path);
      const stream = call.streams.find((s) => s.streamSid === m[2] || s.spec.name === m[2]);
      if (!stream) throw notFound(req.path);
      if (req.params.Status !== 'stopped') throw invalidParameter('Status', 'must be stopped');
      stream.stop();
      return { status: 200, body: streamJson(env, call, stream, 'stopped') };
    },
  },
];

function streamJson(env: SimEnv, call: SimCall, stream: MediaStreamClient, status: string): Record<string, unknown> {
  return {
    sid: stream.streamSid,
    account_sid: env.options.accountSid,
    call_sid: call.sid,
    name: stream.spec.name,
    status,
    date_updated: rfc2822(env.clock.now()),
    uri: `${accountBase(env.options.accountSid)}/Calls/${call.sid}/Streams/${stream.streamSid}.json`,
  };
}
