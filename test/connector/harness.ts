import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { ApiKey } from '../../src/api/auth.js';
import type { MediaLimits } from '../../src/connector/media/media-connector.js';
import { createVoiceConnector, type VoiceConnector, type VoiceConnectorOptions } from '../../src/connector/voice-connector.js';
import type { TaskRecord } from '../../src/core/model.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { withWebhooks } from '../../webhooks/index.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startTwilioSim, type TwilioSim, type TwilioSimOptions } from '../twilio-sim/index.js';

/** The API with the voice connector mounted, on a free port. */
export interface ConnectorServer extends TestServer {
  connector: VoiceConnector;
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
  /** Bounds of the media relay other than the defaults (heartbeat, idle streams). */
  mediaLimits?: Partial<MediaLimits>;
  /** API keys: Basic pairs, and the signers of the worker SDK's tokens. */
  apiKeys?: ApiKey[];
}

export async function startConnectorServer(options: ConnectorServerOptions = {}): Promise<ConnectorServer> {
  let connector!: VoiceConnector;
  const server = await startServer({
    store: options.store,
    accountSid: options.accountSid,
    authToken: options.authToken,
    apiKeys: options.apiKeys,
    bridge: { bootstrapSettleMs: 20, maxHoldMs: 1000 },
    engine: { timerIntervalMs: 50, sweepIntervalMs: 500 },
    startEngine: options.startEngine,
    connector: (engine, { accountSid, authToken, publicUrl }) =>
      (connector = withWebhooks(
        createVoiceConnector({
          engine,
          accountSid,
          authToken,
          publicUrl,
          twilioApiBaseUrl: options.twilioApiBaseUrl ?? 'https://api.twilio.com',
          placeCalls: options.twilioApiBaseUrl !== undefined,
          tokens: options.tokens ?? { apiKeySid: null, apiKeySecret: null, twimlAppSid: null },
          mediaLimits: options.mediaLimits,
        }),
      )),
  });
  return { ...server, connector };
}

/** A Twilio simulator and a connector server placing calls through it, with the credentials they share. */
export interface SimulatedTwilio {
  sim: TwilioSim;
  server: ConnectorServer;
  accountSid: string;
  authToken: string;
}

/**
 * Starts a Twilio simulator and a connector server on it before a file's tests and closes both after them; after
 * each test, whatever the simulator flagged (invalid TwiML, failed webhooks, skipped features other than
 * `allowedWarnings`) fails it. `ready` receives them once started.
 */
export function useSimulatedTwilio(
  options: {
    clockSpeed: number;
    startEngine?: boolean;
    allowedWarnings?: RegExp;
    /** More simulator options (media pacing…). */
    sim?: Partial<TwilioSimOptions>;
    mediaLimits?: Partial<MediaLimits>;
    apiKeys?: ApiKey[];
    /** Opens the routing store (the embedded one when absent). */
    store?: () => Promise<RoutingStore>;
  },
  ready: (twilio: SimulatedTwilio) => void,
): void {
  const accountSid = 'AC' + randomBytes(16).toString('hex');
  const authToken = randomBytes(16).toString('hex');
  let sim: TwilioSim | undefined;
  let server: ConnectorServer | undefined;
  beforeAll(async () => {
    sim = await startTwilioSim({ ...options.sim, accountSid, authToken, clockSpeed: options.clockSpeed });
    server = await startConnectorServer({
      store: await options.store?.(),
      accountSid,
      authToken,
      twilioApiBaseUrl: sim.url,
      startEngine: options.startEngine,
      mediaLimits: options.mediaLimits,
      apiKeys: options.apiKeys,
    });
    ready({ sim, server, accountSid, authToken });
  });
  afterAll(async () => {
    await sim?.close();
    await server?.close();
  });
  afterEach(() => {
    const allowed = options.allowedWarnings;
    expect(sim!.errors).toEqual([]);
    expect(sim!.warnings.filter((w) => !allowed?.test((w as { message?: string }).message ?? ''))).toEqual([]);
  });
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
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A random caller in San Francisco's 415 area code, as `+1415555NNNN`. */
export const randomCaller = (): string => `+1415555${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`;

/** Waits for the center's one and only task. */
export async function onlyTask(server: ConnectorServer, center: CallCenter): Promise<TaskRecord> {
  return eventually(async () => {
    const tasks = await server.engine.store.list(center.workspaceSid, 'task');
    return tasks.length === 1 ? tasks[0] : undefined;
  }, "the call's task");
}

/** Waits until task `taskSid` reaches assignment status `status`. */
export async function taskIn(server: ConnectorServer, center: CallCenter, taskSid: string, status: string): Promise<TaskRecord> {
  return eventually(async () => {
    const task = await server.engine.store.get(center.workspaceSid, 'task', taskSid);
    return task?.assignmentStatus === status ? task : undefined;
  }, `task ${status}`);
}

/** Waits for a pending reservation of task `taskSid` (for worker `workerSid`, when given). */
export async function pendingReservation(server: ConnectorServer, center: CallCenter, taskSid: string, workerSid?: string) {
  return eventually(async () => {
    const reservations = await server.engine.reservationsOf(center.workspaceSid, { taskSid });
    return reservations.find((r) => r.status === 'pending' && (workerSid === undefined || r.workerSid === workerSid));
  }, 'a pending reservation');
}

/** POSTs a form signed as Twilio signs webhooks, to `path` (with query) on the server. */
export async function signedWebhook(
  server: Pick<ConnectorServer, 'url' | 'authToken'>,
  path: string,
  params: Record<string, string>,
  signature?: string | null,
): Promise<{ status: number; type: string; body: string }> {
  const url = server.url + path;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const sig = signature === undefined ? twilio.getExpectedTwilioSignature(server.authToken, url, params) : signature;
  if (sig !== null) headers['X-Twilio-Signature'] = sig;
  const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}
