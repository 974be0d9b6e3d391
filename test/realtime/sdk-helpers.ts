import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { Worker } from 'twilio-taskrouter';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** The API key the test servers sign TaskRouter tokens with. */
export const SIGNING_KEY = { sid: 'SK' + randomBytes(16).toString('hex'), secret: randomBytes(16).toString('hex') };

/** A TaskRouter token as a deployment's backend signs it with twilio-node. */
export function sdkToken(server: TestServer, grant: { workspaceSid: string; workerSid?: string; role: 'worker' | 'admin' }, ttl = 600): string {
  const token = new twilio.jwt.AccessToken(server.accountSid, SIGNING_KEY.sid, SIGNING_KEY.secret, { identity: grant.workerSid ?? 'watcher', ttl });
  token.addGrant(new twilio.jwt.AccessToken.TaskRouterGrant(grant));
  return token.toJwt();
}

/** The SDK's options pointing it at `server`. */
export function bridgeOptions(server: TestServer): { ebServer: string; wsServer: string; logLevel: string } {
  return { ebServer: `${server.url}/v1/wschannels`, wsServer: `${server.url.replace(/^http/, 'ws')}/v1/wschannels`, logLevel: 'silent' };
}

/** The real SDK's Worker, connected and bootstrapped (`ready`). */
export async function readyWorker(
  server: TestServer,
  workspaceSid: string,
  workerSid: string,
  options: Record<string, unknown> = {},
  token = sdkToken(server, { workspaceSid, workerSid, role: 'worker' }),
): Promise<Worker> {
  const worker = new Worker(token, { ...bridgeOptions(server), ...options } as object);
  await new Promise<void>((resolve, reject) => {
    worker.once('ready', () => resolve());
    worker.once('error', (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
  });
  return worker;
}

/** Resolves with the first emission of `event` by `emitter`. */
export function next<T = unknown>(emitter: { once(event: string, listener: (value: T) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve));
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A workspace whose one workflow routes every task to one queue every worker is in. */
export interface OneQueueWorkspace {
  workspaceSid: string;
  available: string;
  offline: string;
  queueSid: string;
  workflowSid: string;
}

export async function oneQueueWorkspace(server: TestServer, friendlyName: string): Promise<OneQueueWorkspace> {
  const tr = server.client.taskrouter.v1.workspaces((await server.client.taskrouter.v1.workspaces.create({ friendlyName })).sid);
  const activities = await tr.activities.list();
  const queue = await tr.taskQueues.create({ friendlyName: 'All', targetWorkers: '1 == 1' });
  const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queue.sid } } });
  const workflow = await tr.workflows.create({ friendlyName: 'All', configuration });
  return {
    workspaceSid: (await tr.fetch()).sid,
    available: activities.find((a) => a.friendlyName === 'Available')!.sid,
    offline: activities.find((a) => a.friendlyName === 'Offline')!.sid,
    queueSid: queue.sid,
    workflowSid: workflow.sid,
  };
}

/**
 * A server for worker SDK tests on `store`: tokens signed with SIGNING_KEY, the engine's timers running (offers time
 * out), frames released soon after each bootstrap.
 */
export function startSdkServer(store: RoutingStore): Promise<TestServer> {
  return startServer({ store, apiKeys: [SIGNING_KEY], startEngine: true, engine: { timerIntervalMs: 50 }, bridge: { bootstrapSettleMs: 20, maxHoldMs: 1000 } });
}
