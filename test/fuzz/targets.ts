import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createVoiceConnector } from '../../src/connector/voice-connector.js';
import { withWebhooks } from '../../webhooks/index.js';
import { CallbackUrlPolicy } from '../../src/core/callback-url.js';
import { MAX_ATTRIBUTES_LENGTH } from '../../src/core/validate.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { RoutingStore } from '../../src/store/routing-store.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import { startFakeTwilioRest, type FakeTwilioRest } from '../connector/fake-twilio-rest.js';
import { captureLogs, type LogLine } from '../helpers/log-capture.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { removeKeys, testRedisUrl, uniquePrefix } from '../store/redis-test-server.js';
import type { TargetInfo } from './request-model.js';
import { memorySnapshot, redisSnapshot, type Snapshot } from './snapshots.js';

/**
 * Servers the fuzz runs against: in this process on either store, its engine's timers and callback delivery not
 * running, so nothing but the request under test changes the store and its snapshots compare exactly; and as a child
 * process, as an operator runs it, on either store, where a crash shows as the process exiting (its timers and
 * delivery do run there, so its state is not compared). Every one has the connector mounted with Twilio's REST API
 * played by a loopback fake, so reservation instructions and SMS replies run without anything leaving this machine.
 */
export interface FuzzTarget {
  name: string;
  info: TargetInfo;
  /** The store's whole state, or null when this target's store cannot be read from here. */
  snapshot(): Promise<Snapshot | null>;
  /** Tasks whose attributes are longer than the API accepts, as `WS/WT (length)`; empty when none or unreadable. */
  oversizedAttributes(workspaceSids: string[]): Promise<string[]>;
  /** Null while the server runs; how it ended otherwise. */
  exited(): string | null;
  /** What the server logged as unexpected failures since the last call. */
  drainLoggedFailures(): string[];
  close(): Promise<void>;
}

/** Which target to start. */
export type TargetKind = 'in-process-memory' | 'in-process-redis' | 'process-memory' | 'process-redis';

export async function startTarget(kind: TargetKind): Promise<FuzzTarget> {
  switch (kind) {
    case 'in-process-memory':
      return startInProcess(null);
    case 'in-process-redis':
      return startInProcess(uniquePrefix());
    default:
      return startChild(kind === 'process-redis');
  }
}

/** In this process, on the embedded store, or on Redis under `redisPrefix`. */
async function startInProcess(redisPrefix: string | null): Promise<FuzzTarget> {
  const accountSid = 'AC' + randomBytes(16).toString('hex');
  const authToken = randomBytes(16).toString('hex');
  const fake = await startFakeTwilioRest(accountSid);
  const memory = redisPrefix === null ? new MemoryStore() : null;
  const store: RoutingStore = memory ?? (await RedisStore.connect(testRedisUrl(), { prefix: redisPrefix! }));
  const client = redisPrefix === null ? null : new Redis(testRedisUrl());
  // What the server logs at error level: unexpected failures a webhook answered with its apology TwiML rather than an error status.
  const logs = captureLogs('error');
  let server: TestServer;
  try {
    server = await startServer({
      store,
      accountSid,
      authToken,
      // A deployment's default: callbacks may reach public addresses only, and the oracle checks that they do.
      callbackUrls: CallbackUrlPolicy.publicOnly,
      connector: (engine, settings) =>
        withWebhooks(
          createVoiceConnector({
            engine,
            ...settings,
            twilioApiBaseUrl: fake.url,
            placeCalls: true,
            sendMessages: true,
            deliveryReports: true,
            tokens: { apiKeySid: 'SK' + randomBytes(16).toString('hex'), apiKeySecret: randomBytes(16).toString('hex'), twimlAppSid: null },
          }),
        ),
    });
  } catch (err) {
    logs.restore();
    await store.close();
    client?.disconnect();
    await fake.close();
    throw err;
  }
  return {
    name: `in-process, ${memory ? 'embedded' : 'Redis'} store`,
    info: { url: server.url, publicUrl: server.url, accountSid, authToken },
    snapshot: async () => (memory ? memorySnapshot(memory) : redisSnapshot(client!, redisPrefix!)),
    oversizedAttributes: (sids) => oversized(store, sids),
    exited: () => null,
    drainLoggedFailures: () => logs.lines.splice(0).map(failureText),
    close: async () => {
      logs.restore();
      await server.close();
      client?.disconnect();
      if (redisPrefix !== null) await removeKeys(redisPrefix);
      await fake.close();
    },
  };
}

async function startChild(redis: boolean): Promise<FuzzTarget> {
  const accountSid = 'AC' + randomBytes(16).toString('hex');
  const authToken = randomBytes(16).toString('hex');
  const fake: FakeTwilioRest = await startFakeTwilioRest(accountSid);
  const prefix = uniquePrefix();
  const env: Record<string, string> = {
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_API_KEY_SID: 'SK' + randomBytes(16).toString('hex'),
    TWILIO_API_KEY_SECRET: randomBytes(16).toString('hex'),
    CALLBACK_ALLOWED_NETWORKS: '',
    ...(redis ? { REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix } : {}),
  };
  let server: ServerProcess;
  try {
    server = await startServerProcess(env);
  } catch (err) {
    await fake.close();
    throw err;
  }
  let exit: string | null = null;
  let tail = '';
  const logged: string[] = [];
  const keep = (chunk: unknown) => {
    tail = (tail + String(chunk)).slice(-4_000);
  };
  let partial = '';
  server.child.stdout!.on('data', (chunk) => {
    keep(chunk);
    const lines = (partial + String(chunk)).split('\n');
    partial = lines.pop()!;
    logged.push(...failuresIn(lines));
  });
  server.child.stderr!.on('data', (chunk) => {
    keep(chunk);
    logged.push(String(chunk).slice(0, 500));
  });
  server.child.on('exit', (code, signal) => {
    exit = `exited with ${signal ?? code}; last output: ${tail.slice(-1_500)}`;
  });
  const port = new URL(server.url).port;
  const reader: RoutingStore | null = redis ? await RedisStore.connect(testRedisUrl(), { prefix }) : null;
  return {
    name: `child process, ${redis ? 'Redis' : 'embedded'} store`,
    // Without PUBLIC_URL the server names itself after the port it bound, on localhost; webhooks are signed over that.
    info: { url: server.url, publicUrl: `http://localhost:${port}`, accountSid, authToken },
    snapshot: async () => null,
    oversizedAttributes: async (sids) => (reader ? oversized(reader, sids) : []),
    exited: () => exit,
    drainLoggedFailures: () => logged.splice(0),
    close: async () => {
      await server.stop('SIGKILL');
      await reader?.close();
      if (redis) await removeKeys(prefix);
      await fake.close();
    },
  };
}

async function oversized(store: RoutingStore, workspaceSids: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const ws of workspaceSids) {
    for (const task of await store.list(ws, 'task')) {
      if (task.attributes.length > MAX_ATTRIBUTES_LENGTH) found.push(`${ws}/${task.sid} (${task.attributes.length} characters)`);
    }
  }
  return found;
}

/** A logged failure in a line of its own: the message, and the error's type and message. */
function failureText(line: LogLine): string {
  const err = line.err as { type?: string; message?: string } | undefined;
  return (err ? `${line.msg}: ${err.type}: ${err.message}` : line.msg).slice(0, 500);
}

/** The failures among a server process's JSON log lines. */
function failuresIn(lines: string[]): string[] {
  return lines
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as LogLine)
    .filter((line) => line.level === 'error' || line.level === 'fatal')
    .map(failureText);
}
