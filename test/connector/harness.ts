import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { createApp } from '../../src/api/app.js';
import { createVoiceConnector, type VoiceConnector, type VoiceConnectorOptions } from '../../src/connector/voice-connector.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { listenOnFreePort } from '../helpers/listen.js';
import { RewritingRequestClient } from '../helpers/server-process.js';

/** The API with the voice connector mounted, on a free port. */
export interface ConnectorServer {
  url: string;
  accountSid: string;
  authToken: string;
  engine: RoutingEngine;
  connector: VoiceConnector;
  /** The real twilio client, its TaskRouter requests sent to this server. */
  client: twilio.Twilio;
  close(): Promise<void>;
}

export interface ConnectorServerOptions {
  store?: RoutingStore;
  accountSid?: string;
  authToken?: string;
  /** Twilio's REST base (a simulator); without it the connector places no calls. */
  twilioApiBaseUrl?: string;
  tokens?: VoiceConnectorOptions['tokens'];
  /** Start the engine's timer and sweep loops (reservation timeouts fire on their own). */
  startEngine?: boolean;
}

export async function startConnectorServer(options: ConnectorServerOptions = {}): Promise<ConnectorServer> {
  const accountSid = options.accountSid ?? 'AC' + randomBytes(16).toString('hex');
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const store = options.store ?? new MemoryStore();
  const engine = new RoutingEngine({ store, accountSid, timerIntervalMs: 50, sweepIntervalMs: 500 });
  let url = '';
  const connector = createVoiceConnector({
    engine,
    accountSid,
    authToken,
    publicUrl: () => url,
    twilioApiBaseUrl: options.twilioApiBaseUrl ?? 'https://api.twilio.com',
    placeCalls: options.twilioApiBaseUrl !== undefined,
    tokens: options.tokens ?? { apiKeySid: null, apiKeySecret: null, twimlAppSid: null },
  });
  const app = createApp({ engine, config: { accountSid, authToken, publicUrl: () => url }, connector });
  const listening = await listenOnFreePort(app);
  url = listening.url;
  connector.media.attach(listening.server);
  if (options.startEngine) engine.start();
  const client = twilio(accountSid, authToken, { httpClient: new RewritingRequestClient(new URL(url)) });
  return {
    url,
    accountSid,
    authToken,
    engine,
    connector,
    client,
    close: async () => {
      await connector.close();
      await listening.close();
      await engine.stop();
      await store.close();
    },
  };
}

/** A workspace ready to take calls: activities, a voice-capable queue, one workflow to it. */
export interface CallCenter {
  workspaceSid: string;
  workflowSid: string;
  queueSid: string;
  available: string;
  offline: string;
  wrapUp: string;
}

export async function createCallCenter(server: ConnectorServer, options: { reservationTimeout?: number } = {}): Promise<CallCenter> {
  const ws = await server.client.taskrouter.v1.workspaces.create({ friendlyName: `Support ${randomBytes(3).toString('hex')}` });
  const workspace = server.client.taskrouter.v1.workspaces(ws.sid);
  const available = await workspace.activities.create({ friendlyName: 'Ready', available: true });
  const offline = await workspace.activities.create({ friendlyName: 'Away', available: false });
  const wrapUp = await workspace.activities.create({ friendlyName: 'After call', available: false });
  const queue = await workspace.taskQueues.create({ friendlyName: 'Everyone', targetWorkers: '1==1' });
  const workflow = await workspace.workflows.create({
    friendlyName: 'Calls',
    configuration: JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } }),
    taskReservationTimeout: options.reservationTimeout ?? 120,
  });
  return { workspaceSid: ws.sid, workflowSid: workflow.sid, queueSid: queue.sid, available: available.sid, offline: offline.sid, wrapUp: wrapUp.sid };
}

/** Waits until `probe` returns something other than undefined/false, checking every 20 ms, for at most `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** POSTs a form signed as Twilio signs webhooks, to `path` (with query) on the server. */
export async function signedWebhook(server: Pick<ConnectorServer, 'url' | 'authToken'>, path: string, params: Record<string, string>, signature?: string | null): Promise<{ status: number; type: string; body: string }> {
  const url = server.url + path;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const sig = signature === undefined ? twilio.getExpectedTwilioSignature(server.authToken, url, params) : signature;
  if (sig !== null) headers['X-Twilio-Signature'] = sig;
  const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}
