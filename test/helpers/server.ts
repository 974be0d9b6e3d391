import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { createApp } from '../../src/api/app.js';
import type { Clock } from '../../src/engine/clock.js';
import { RoutingEngine } from '../../src/engine/engine.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { listenOnFreePort } from './listen.js';
import { RewritingRequestClient } from './server-process.js';

/** A running API server on a free port, with the real twilio client pointed at it. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:49152`. */
  url: string;
  accountSid: string;
  authToken: string;
  engine: RoutingEngine;
  client: twilio.Twilio;
  close: () => Promise<void>;
}

/**
 * Starts the API on port 0 over `store` (a fresh memory store by default). The engine's timer loop is not started:
 * tests move an adjustable clock and call `engine.runDueTimers()` themselves.
 */
export async function startServer(options: { store?: RoutingStore; clock?: Clock } = {}): Promise<TestServer> {
  const accountSid = 'AC' + randomBytes(16).toString('hex');
  const authToken = randomBytes(16).toString('hex');
  const store = options.store ?? new MemoryStore();
  const engine = new RoutingEngine({ store, accountSid, clock: options.clock });
  let url = '';
  const app = createApp({ engine, config: { accountSid, authToken, publicUrl: () => url } });
  const listening = await listenOnFreePort(app);
  url = listening.url;
  const client = twilio(accountSid, authToken, { httpClient: new RewritingRequestClient(new URL(url)) });
  return {
    url,
    accountSid,
    authToken,
    engine,
    client,
    close: async () => {
      await listening.close();
      await engine.stop();
      await store.close();
    },
  };
}
