import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './api/app.js';
import { metricsApp } from './api/metrics-route.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { applyConfigFile } from './connector/config-file.js';
import { applyAtStartup } from './setup/startup.js';
import { DAY_MS } from './connector/state/connector-state.js';
import { createVoiceConnector } from './connector/voice-connector.js';
import { createWorkerBridge } from './realtime/create-worker-bridge.js';
import { withWebhooks } from '../webhooks/index.js';
import { RoutingEngine } from './engine/engine.js';
import { deliveryConsumerName } from './events/consumer-name.js';
import { startDelivery } from './events/delivery.js';
import { MemoryStore } from './store/memory/memory-store.js';
import { openDurableMemoryStore } from './store/journal/durable-memory-store.js';
import { keptCredentials } from './kept-credentials.js';
import { RedisStore } from './store/redis/redis-store.js';
import { createHttpServer } from './sockets/http-server.js';
import { loadDotEnv } from './dot-env.js';
import { flushTraces } from './telemetry/trace-shutdown.js';
import type { RoutingStore } from './store/routing-store.js';
import { SwitchboardMetrics } from './telemetry/metrics/switchboard-metrics.js';
import { announce, configureLogs, log } from './telemetry/log.js';

/** How long in-flight requests get to finish on shutdown before connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

/** Redis when REDIS_URL is set (many processes, one Redis); otherwise the embedded store (one process). */
async function createStore(config: Config): Promise<RoutingStore> {
  const eventRetentionMs = config.eventRetentionMinutes * 60_000;
  if (config.redisUrl) {
    try {
      return await RedisStore.connect(config.redisUrl, { prefix: config.redisPrefix, eventRetentionMs, cluster: config.redisCluster });
    } catch (err) {
      throw new StartupError(`cannot reach Redis at REDIS_URL=${withoutPassword(config.redisUrl)}: ${reasonOf(err)}`);
    }
  }
  if (!config.dataDir) return new MemoryStore({ eventRetentionMs });
  try {
    return openDurableMemoryStore(config.dataDir, { eventRetentionMs, sync: config.dataSync });
  } catch (err) {
    throw new StartupError(`cannot open the embedded store at DATA_DIR=${config.dataDir}: ${reasonOf(err)}`);
  }
}

/** A start-up failure an operator can act on from its message alone: printed without a stack. */
class StartupError extends Error {}

/** REDIS_URL as it may be printed: any password in it replaced. */
function withoutPassword(urls: string): string {
  return urls.replace(/(\/\/[^:@/]*:)[^@/]*@/g, '$1***@');
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${code} ${err.message}` : err.message;
}

/**
 * Last resort for an error no caller caught: logged with its stack, and the process keeps serving. Every request and
 * socket handler catches its own errors; one that slips past must cost that request, not every call in progress.
 */
function reportUncaught(): void {
  process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception (the process keeps running)'));
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (the process keeps running)'));
}

async function main(): Promise<void> {
  reportUncaught();
  loadDotEnv();
  const config = loadConfig(process.env);
  configureLogs({ level: config.logLevel, format: config.logFormat, production: config.production });
  const store = await createStore(config);
  if (config.credentialsGenerated && config.dataDir && !config.redisUrl) {
    // The embedded store keeps its data, so the pair that reaches it is kept with it.
    Object.assign(config, keptCredentials(config.dataDir, { accountSid: config.accountSid, authToken: config.authToken }));
  }
  if (config.credentialsGenerated) {
    // Printed so a first run can be used right away; set both variables to choose them.
    const kept = config.dataDir && !config.redisUrl ? `kept in ${config.dataDir}` : 'generated for this run';
    announce(`No TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN set; ${kept}:\n  TWILIO_ACCOUNT_SID=${config.accountSid}\n  TWILIO_AUTH_TOKEN=${config.authToken}`);
  }
  const engine = new RoutingEngine({ store, accountSid: config.accountSid, callbackUrls: config.callbackUrls });
  // Without PUBLIC_URL, URLs point at the port actually bound (PORT=0 picks one at listen time).
  let publicUrl = config.publicUrl;
  // The composition root: the connector's call flows, and Twilio's webhooks mounted on them.
  const connector = withWebhooks(
    createVoiceConnector({
      engine,
      accountSid: config.accountSid,
      authToken: config.authToken,
      apiKeys: config.apiKeys,
      publicUrl: () => publicUrl,
      twilioApiBaseUrl: config.twilioApiBaseUrl,
      // Calls are placed only with real credentials and a URL Twilio can reach for the agent legs' TwiML.
      placeCalls: !config.credentialsGenerated && config.publicUrlConfigured,
      tokens: { apiKeySid: config.twilioApiKeySid, apiKeySecret: config.twilioApiKeySecret, twimlAppSid: config.twimlAppSid },
      // Replies need real credentials only; delivery reports also need a URL Twilio can reach.
      sendMessages: !config.credentialsGenerated,
      deliveryReports: !config.credentialsGenerated && config.publicUrlConfigured,
      mediaUrl: config.mediaUrl,
      retention: { conversationMs: config.conversationRetentionDays * DAY_MS },
    }),
  );
  if (config.setupConfigPath) {
    const redis = config.redisUrl ? { redisUrl: config.redisUrl, prefix: config.redisPrefix, cluster: config.redisCluster } : null;
    const applied = await applyAtStartup(config.setupConfigPath, { engine, directory: connector.directory, callbackUrls: config.callbackUrls, redis });
    log.info({ file: config.setupConfigPath, plan: applied }, 'Configuration file applied');
  }
  if (config.connectorConfigPath) {
    const applied = await applyConfigFile(connector.directory, config.connectorConfigPath);
    log.info({ phone_numbers: applied.phoneNumbers, ivr_menus: applied.ivrMenus }, 'Voice connector configuration applied');
  }
  engine.start();
  // With Redis, every process delivers a share of every workspace's callbacks, under a name of its own.
  const delivery = startDelivery({
    engine,
    authToken: config.authToken,
    accountSid: config.accountSid,
    consumer: deliveryConsumerName(),
    callbackUrls: config.callbackUrls,
  });
  // The worker SDK's sockets: tokens signed by any configured API key.
  const workerBridge = createWorkerBridge(
    engine,
    () => publicUrl,
    { accountSid: config.accountSid, keys: config.apiKeys },
    { offlineGraceMs: config.workerDisconnectGraceSeconds * 1000 },
  );
  const metrics = new SwitchboardMetrics({ engine, sessions: () => workerBridge.hub.countsByWorkspace(), delivery: () => delivery.stats() });
  const app = createApp({
    engine,
    config: { accountSid: config.accountSid, authToken: config.authToken, apiKeys: config.apiKeys, publicUrl: () => publicUrl },
    connector,
    workerSockets: workerBridge,
    conferenceControls: connector.conferences ?? undefined,
    metrics,
  });
  const server: Server = createHttpServer(app);
  // Scrapers that cannot send credentials get a port of their own, reachable only where METRICS_HOST says.
  const metricsServer = config.metricsPort === null ? null : createHttpServer(metricsApp(metrics));
  metricsServer?.once('error', (err) => {
    process.stderr.write(`Start-up failed: cannot serve metrics on ${config.metricsHost}:${config.metricsPort}: ${reasonOf(err)}\n`);
    process.exit(1);
  });
  metricsServer?.listen(config.metricsPort ?? 0, config.metricsHost, () => {
    const { address, port } = metricsServer.address() as AddressInfo;
    const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`;
    announce(`Prometheus metrics on ${url}`, { url });
  });
  server.listen(config.port, () => {
    const { port } = server.address() as AddressInfo;
    if (!config.publicUrlConfigured) publicUrl = `http://localhost:${port}`;
    const store = config.redisUrl ? 'Redis store' : 'embedded store';
    announce(`Switchboard TaskRouter API listening on port ${port} (${store}, public URL ${publicUrl})`, { port });
    if (!connector.telephony) log.info('Voice connector: reservation instructions disabled (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and PUBLIC_URL)');
  });
  connector.media.attach(server);
  workerBridge.attach(server);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${signal} received, shutting down`);
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    server.closeIdleConnections();
    // Open WebSockets would keep the server from closing: agents' SDKs reconnect to another instance or to this one
    // restarted; closing the media sockets ends the calls bridged through them.
    await workerBridge.close();
    await connector.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    metricsServer?.closeAllConnections();
    await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
    metrics.close();
    await engine.stop();
    await delivery.stop();
    await store.close();
    await flushTraces();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

// Whatever the log's level and format, the reason the process did not start goes to stderr as a plain line.
main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`Configuration error: ${err.message}\n`);
  else if (err instanceof StartupError) process.stderr.write(`Start-up failed: ${err.message}\n`);
  else process.stderr.write(`Start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
