import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { createApp } from '../../src/api/app.js';
import type { ApiKey } from '../../src/api/auth.js';
import { createWorkerBridge, type BridgeTimings } from '../../src/realtime/create-worker-bridge.js';
import type { WorkerBridge } from '../../src/realtime/worker-bridge.js';
import type { CallbackUrlPolicy } from '../../src/core/callback-url.js';
import type { Clock } from '../../src/engine/clock.js';
import { RoutingEngine, type EngineOptions } from '../../src/engine/engine.js';
import type { ServedConnector } from '../../webhooks/index.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { SwitchboardMetrics } from '../../src/telemetry/metrics/switchboard-metrics.js';
import { LOOPBACK_CALLBACKS } from './callbacks.js';
import { listenOnFreePort } from './listen.js';
import { RewritingRequestClient } from './server-process.js';

/** A running API server on a free port, with the real twilio client pointed at it. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:49152`. */
  url: string;
  accountSid: string;
  authToken: string;
  /** The API keys accepted as Basic pairs and as signers of TaskRouter tokens. */
  apiKeys: ApiKey[];
  engine: RoutingEngine;
  /** The worker SDK's sockets at `/v1/wschannels`. */
  bridge: WorkerBridge;
  client: twilio.Twilio;
  /** The Prometheus figures served at /metrics, when asked for. */
  metrics: SwitchboardMetrics | null;
  close: () => Promise<void>;
}

export interface TestServerOptions {
  /** A fresh memory store by default. */
  store?: RoutingStore;
  clock?: Clock;
  accountSid?: string;
  authToken?: string;
  apiKeys?: ApiKey[];
  /** Timings of the worker SDK's sockets (short ones make tests quick). */
  bridge?: Partial<BridgeTimings>;
  /** How often the engine looks for due timers and sweeps queues, once started. */
  engine?: Pick<EngineOptions, 'timerIntervalMs' | 'sweepIntervalMs'>;
  /** Which callback URLs the API accepts; loopback receivers by default. */
  callbackUrls?: CallbackUrlPolicy;
  /** Start the engine's timer and sweep loops; otherwise tests move a clock and run due timers themselves. */
  startEngine?: boolean;
  /** Builds a voice connector to mount, given the engine, the credentials and the URL (known once it listens). */
  connector?: (engine: RoutingEngine, server: { accountSid: string; authToken: string; publicUrl: () => string }) => ServedConnector;
  /** Serve Prometheus figures at /metrics. */
  metrics?: boolean;
}

/** Starts the API on port 0, with the real twilio client pointed at it. */
export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const accountSid = options.accountSid ?? 'AC' + randomBytes(16).toString('hex');
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const store = options.store ?? new MemoryStore();
  const callbackUrls = options.callbackUrls ?? LOOPBACK_CALLBACKS;
  const engine = new RoutingEngine({ store, accountSid, clock: options.clock, callbackUrls, ...options.engine });
  let url = '';
  const connector = options.connector?.(engine, { accountSid, authToken, publicUrl: () => url });
  const apiKeys = options.apiKeys ?? [];
  const bridge = createWorkerBridge(engine, () => url, { accountSid, keys: apiKeys }, options.bridge);
  const metrics = options.metrics ? new SwitchboardMetrics({ engine, sessions: () => bridge.hub.countsByWorkspace() }) : null;
  const app = createApp({
    engine,
    config: { accountSid, authToken, apiKeys, publicUrl: () => url },
    connector,
    workerSockets: bridge,
    conferenceControls: connector?.conferences ?? undefined,
    metrics: metrics ?? undefined,
  });
  const listening = await listenOnFreePort(app);
  url = listening.url;
  connector?.media.attach(listening.server);
  bridge.attach(listening.server);
  if (options.startEngine) engine.start();
  const client = twilio(accountSid, authToken, { httpClient: new RewritingRequestClient(new URL(url)) });
  return {
    url,
    accountSid,
    authToken,
    apiKeys,
    engine,
    bridge,
    client,
    metrics,
    close: async () => {
      metrics?.close();
      await bridge.close();
      await connector?.close();
      await listening.close();
      await engine.stop();
      await store.close();
    },
  };
}
