import { randomBytes } from 'node:crypto';
import { CallbackAllowListError, CallbackUrlPolicy } from './core/callback-url.js';
import { DEFAULT_CONVERSATION_RETENTION_DAYS } from './connector/state/connector-state.js';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './telemetry/log.js';

/** Everything the server reads from its environment. */
export interface Config {
  port: number;
  /** Externally visible base URL, without a trailing slash: absolute URLs in responses are built on it. */
  publicUrl: string;
  /** The API's HTTP Basic pair (also the Twilio credentials the voice connector uses). */
  accountSid: string;
  authToken: string;
  /** True when the pair was generated at start-up because none was configured. */
  credentialsGenerated: boolean;
  /** Unset → the embedded memory store. */
  redisUrl: string | null;
  /** REDIS_URL lists nodes of a Redis Cluster. */
  redisCluster: boolean;
  /** Prepended to every Redis key, so several deployments can share one Redis. */
  redisPrefix: string;
  /** Twilio's REST base URL; overridden to talk to a simulator. */
  twilioApiBaseUrl: string;
  /** True when PUBLIC_URL was set: Twilio can only reach (and sign for) a URL the operator gave. */
  publicUrlConfigured: boolean;
  /** The voice connector's configuration file (CONNECTOR_CONFIG), applied at start-up; null = none. */
  connectorConfigPath: string | null;
  /** The configuration file (SWITCHBOARD_CONFIG) of workspaces, workers, numbers and menus, applied at start-up; null = none. */
  setupConfigPath: string | null;
  /** API key pair that signs Voice SDK tokens; null when not configured. */
  twilioApiKeySid: string | null;
  twilioApiKeySecret: string | null;
  /**
   * Every API key accepted as a Basic pair, besides the account pair: the signing pair above first, then those of
   * TWILIO_API_KEYS (more keys at once, for rotation).
   */
  apiKeys: Array<{ sid: string; secret: string }>;
  /** TwiML App the Voice SDK's outgoing calls run. */
  twimlAppSid: string | null;
  /** MEDIA_URL: the ws(s) base URL Twilio's Media Streams connect to; null = PUBLIC_URL as ws(s). */
  mediaUrl: string | null;
  /** How long events are kept (minutes). */
  eventRetentionMinutes: number;
  /** Where the embedded store keeps its data (DATA_DIR); null keeps nothing (DATA_DIR=off). */
  dataDir: string | null;
  /** When the embedded store's journal reaches the disk (DATA_SYNC): after each commit, or every second. */
  dataSync: 'always' | 'everysec';
  /** How long a closed SMS conversation and its messages are kept (days). */
  conversationRetentionDays: number;
  /** How long a worker SDK's last session may be gone before its worker is taken offline (seconds). */
  workerDisconnectGraceSeconds: number;
  /** Where callbacks may go: public addresses, plus the loopback and private ones CALLBACK_ALLOWED_NETWORKS names. */
  callbackUrls: CallbackUrlPolicy;
  /** A second port serving only /metrics, without credentials (METRICS_PORT); null: /metrics on the API port only. */
  metricsPort: number | null;
  /** The address the metrics port binds to (METRICS_HOST): loopback unless the operator opens it. */
  metricsHost: string;
  production: boolean;
  /** LOG_LEVEL: the least severe lines written. */
  logLevel: LogLevel;
  /** LOG_FORMAT: JSON lines, lines for people, or `auto` (pretty on a terminal outside production). */
  logFormat: LogFormat;
}

/** A configuration problem that must stop start-up. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const API_KEY_SID = /^SK[0-9a-fA-F]{32}$/;
const APP_SID = /^AP[0-9a-fA-F]{32}$/;
/** Thirty days, TaskRouter's own Events horizon. */
const DEFAULT_EVENT_RETENTION_MINUTES = 43_200;

/**
 * Reads the configuration from `env`. Outside production a missing credential pair is generated, so a first run
 * works with nothing set; in production it is refused, because a generated pair would change on every restart.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = positiveInt(env.PORT, 'PORT', 3000, true);
  const publicUrl = absoluteUrl(env.PUBLIC_URL || `http://localhost:${port}`, 'PUBLIC_URL');

  let accountSid = env.TWILIO_ACCOUNT_SID?.trim() || '';
  let authToken = env.TWILIO_AUTH_TOKEN?.trim() || '';
  let credentialsGenerated = false;
  if (!accountSid || !authToken) {
    if (production) {
      throw new ConfigError('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set when NODE_ENV=production: they are the API credentials');
    }
    accountSid ||= 'AC' + randomBytes(16).toString('hex');
    authToken ||= randomBytes(16).toString('hex');
    credentialsGenerated = true;
  }
  if (!ACCOUNT_SID.test(accountSid)) throw new ConfigError('TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits');
  const redisUrl = env.REDIS_URL?.trim() || null;
  if (redisUrl && credentialsGenerated) {
    // Each process would generate a pair of its own: a client would be let in by one instance and refused by the next.
    throw new ConfigError(
      'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set when REDIS_URL is: every process sharing the store must accept the same credentials',
    );
  }

  return {
    port,
    publicUrl,
    accountSid,
    authToken,
    credentialsGenerated,
    redisUrl,
    redisPrefix: redisPrefix(env.REDIS_PREFIX ?? 'switchboard:'),
    redisCluster: flag(env.REDIS_CLUSTER, 'REDIS_CLUSTER'),
    twilioApiBaseUrl: absoluteUrl(env.TWILIO_API_BASE_URL || 'https://api.twilio.com', 'TWILIO_API_BASE_URL'),
    eventRetentionMinutes: positiveInt(env.EVENT_RETENTION_MINUTES, 'EVENT_RETENTION_MINUTES', DEFAULT_EVENT_RETENTION_MINUTES, false),
    dataDir: dataDir(env.DATA_DIR),
    dataSync: dataSync(env.DATA_SYNC),
    workerDisconnectGraceSeconds: positiveInt(env.WORKER_DISCONNECT_GRACE_SECONDS, 'WORKER_DISCONNECT_GRACE_SECONDS', 3, true),
    conversationRetentionDays: positiveInt(env.SMS_CONVERSATION_RETENTION_DAYS, 'SMS_CONVERSATION_RETENTION_DAYS', DEFAULT_CONVERSATION_RETENTION_DAYS, false),
    production,
    publicUrlConfigured: Boolean(env.PUBLIC_URL?.trim()),
    connectorConfigPath: env.CONNECTOR_CONFIG?.trim() || null,
    setupConfigPath: env.SWITCHBOARD_CONFIG?.trim() || null,
    mediaUrl: env.MEDIA_URL?.trim() ? webSocketUrl(env.MEDIA_URL.trim(), 'MEDIA_URL') : null,
    callbackUrls: callbackAllowList(env.CALLBACK_ALLOWED_NETWORKS ?? ''),
    metricsPort: metricsPort(env.METRICS_PORT),
    metricsHost: env.METRICS_HOST?.trim() || '127.0.0.1',
    logLevel: oneOf(env.LOG_LEVEL, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf(env.LOG_FORMAT, 'LOG_FORMAT', LOG_FORMATS, 'auto'),
    ...voiceTokenConfig(env),
  };
}

/** The API keys and Voice SDK token settings: the signing key pair comes whole or not at all. */
function voiceTokenConfig(env: NodeJS.ProcessEnv): Pick<Config, 'twilioApiKeySid' | 'twilioApiKeySecret' | 'twimlAppSid' | 'apiKeys'> {
  const twilioApiKeySid = env.TWILIO_API_KEY_SID?.trim() || null;
  const twilioApiKeySecret = env.TWILIO_API_KEY_SECRET?.trim() || null;
  const twimlAppSid = env.TWIML_APP_SID?.trim() || null;
  if (Boolean(twilioApiKeySid) !== Boolean(twilioApiKeySecret)) throw new ConfigError('TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET must be set together');
  if (twilioApiKeySid && !API_KEY_SID.test(twilioApiKeySid)) throw new ConfigError('TWILIO_API_KEY_SID must be SK followed by 32 hex digits');
  if (twimlAppSid && !APP_SID.test(twimlAppSid)) throw new ConfigError('TWIML_APP_SID must be AP followed by 32 hex digits');
  const apiKeys = twilioApiKeySid && twilioApiKeySecret ? [{ sid: twilioApiKeySid, secret: twilioApiKeySecret }] : [];
  for (const key of extraApiKeys(env.TWILIO_API_KEYS)) {
    if (apiKeys.some((known) => known.sid === key.sid)) throw new ConfigError(`TWILIO_API_KEYS names ${key.sid} twice (or again after TWILIO_API_KEY_SID)`);
    apiKeys.push(key);
  }
  return { twilioApiKeySid, twilioApiKeySecret, twimlAppSid, apiKeys };
}

/** TWILIO_API_KEYS: `SK…:secret` pairs, comma-separated. */
function extraApiKeys(raw: string | undefined): Array<{ sid: string; secret: string }> {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    const sid = colon < 0 ? entry : entry.slice(0, colon);
    const secret = colon < 0 ? '' : entry.slice(colon + 1);
    // The secret is never echoed: the entry is named by its place and its sid.
    if (!API_KEY_SID.test(sid))
      throw new ConfigError(`TWILIO_API_KEYS entry ${i + 1} must start with an API key sid (SK followed by 32 hex digits), then ':' and its secret`);
    if (secret.length < 16) throw new ConfigError(`TWILIO_API_KEYS entry ${i + 1} (${sid}) needs its secret after ':', at least 16 characters`);
    return { sid, secret };
  });
}

/** CALLBACK_ALLOWED_NETWORKS: comma-separated CIDRs, addresses and host names; empty admits public addresses only. */
function callbackAllowList(raw: string): CallbackUrlPolicy {
  try {
    return CallbackUrlPolicy.parse(raw);
  } catch (err) {
    if (err instanceof CallbackAllowListError) throw new ConfigError(`CALLBACK_ALLOWED_NETWORKS: ${err.message}`);
    throw err;
  }
}

function positiveInt(raw: string | undefined, name: string, fallback: number, allowZero: boolean): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) throw new ConfigError(`${name} must be a positive integer, got ${raw}`);
  return value;
}

/** METRICS_PORT: unset for none, 0 for any free port. */
function metricsPort(raw: string | undefined): number | null {
  if (!raw?.trim()) return null;
  const port = positiveInt(raw, 'METRICS_PORT', 0, true);
  if (port > 65_535) throw new ConfigError(`METRICS_PORT must be a port number (0 to 65535), got ${raw}`);
  return port;
}

function absoluteUrl(raw: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got ${raw}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`${name} must be an http(s) URL`);
  return raw.replace(/\/+$/, '');
}

function webSocketUrl(raw: string, name: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute ws(s) URL, got ${raw}`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new ConfigError(`${name} must be a ws(s) URL (Twilio streams to wss://), got ${raw}`);
  if (parsed.search || parsed.hash) throw new ConfigError(`${name} must not have a query or fragment`);
  return raw.replace(/\/+$/, '');
}

function redisPrefix(raw: string): string {
  // A brace would turn the prefix into the hash tag and put every workspace in one Cluster slot.
  if (/[{}]/.test(raw)) throw new ConfigError('REDIS_PREFIX must not contain braces');
  return raw;
}

/** `true`/`1` or `false`/`0`; unset is false. */
function dataDir(raw: string | undefined): string | null {
  const dir = raw?.trim() || './data';
  return dir === 'off' ? null : dir;
}

function dataSync(raw: string | undefined): 'always' | 'everysec' {
  const value = raw?.trim() || 'everysec';
  if (value !== 'always' && value !== 'everysec') throw new ConfigError(`DATA_SYNC must be always or everysec, got '${value}'`);
  return value;
}

const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty', 'auto'];

/** One of `allowed` (case-insensitive); unset or empty is `fallback`. */
function oneOf<T extends string>(raw: string | undefined, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw?.trim().toLowerCase() || fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
  return value as T;
}

function flag(raw: string | undefined, name: string): boolean {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ConfigError(`${name} must be true or false`);
}
