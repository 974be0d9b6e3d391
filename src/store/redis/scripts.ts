import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedisClient } from './connection.js';

/** Reply of `commit`: `[1]` (with the workspace's earliest timer when it set timers), or a negative code with what failed (see lua/commit.lua). */
export type CommitReply = [number, string?, string?];
/** Reply of `claimTimers`: claimed `id, due` pairs and the earliest due left (null when none). */
export type ClaimTimersReply = [string[], string | null];

/** The Lua scripts, callable on a connection they were defined on. */
export interface ScriptCommands {
  /** Variable key count: `numKeys` comes first, then the keys, then the arguments. */
  commit(numKeys: number, ...keysThenArgs: string[]): Promise<CommitReply>;
  claimTimers(timers: string, now: string, leasedDue: string, limit: string): Promise<ClaimTimersReply>;
  registerWorkspace(workspaces: string, sequence: string, workspaceSid: string): Promise<number>;
  rangeRecords(index: string, records: string, start: string, limit: string): Promise<Array<string | null>>;
  /** Variable key count: `numKeys` record hashes, then for each a count and its fields. */
  readRecords(numKeys: number, ...keysThenArgs: string[]): Promise<Array<string | null>>;
  /** 2 opened now, 1 open already, 0 closed already, -1 closed now. */
  syncFeed(stream: string, gate: string, retries: string, order: string, group: string, gateSid: string, property: string, notBefore: string, consumerIdleMs: string): Promise<number>;
  /** See lua/takeDeliveries-3.lua for the reply's layout. */
  takeDeliveries(stream: string, retries: string, order: string, group: string, consumer: string, now: string, count: string, leaseMs: string, ordered: string, pendingLimit: string, cursor: string): Promise<Array<string | number>>;
  ackDeliveries(stream: string, retries: string, order: string, group: string, consumer: string, releaseOrder: string, ...ids: string[]): Promise<number>;
  retryDelivery(stream: string, retries: string, order: string, group: string, consumer: string, id: string, dueAt: string, releaseOrder: string): Promise<number>;
  renewDeliveries(stream: string, order: string, group: string, consumer: string, leaseMs: string, mode: 'renew' | 'release', ...ids: string[]): Promise<number>;
  feedBacklog(stream: string, group: string): Promise<number[]>;
}

/** `<command>-<numKeys>.lua`, or `<command>.lua` when the caller passes the key count. */
const SCRIPT_FILES = [
  'commit.lua',
  'claimTimers-1.lua',
  'registerWorkspace-2.lua',
  'rangeRecords-2.lua',
  'readRecords.lua',
  'syncFeed-4.lua',
  'takeDeliveries-3.lua',
  'ackDeliveries-3.lua',
  'retryDelivery-3.lua',
  'renewDeliveries-2.lua',
  'feedBacklog-1.lua',
];

let sources: Array<{ name: string; numberOfKeys?: number; lua: string }> | undefined;

/**
 * Defines the scripts as commands on `redis` (BullMQ style): ioredis sends EVALSHA and falls back to EVAL once
 * when the server does not know a script yet, so each script body crosses the wire once per connection.
 */
export function defineScripts(redis: RedisClient): ScriptCommands {
  sources ??= loadSources();
  for (const { name, numberOfKeys, lua } of sources) {
    redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { lua, numberOfKeys });
  }
  return redis as unknown as ScriptCommands;
}

function loadSources(): Array<{ name: string; numberOfKeys?: number; lua: string }> {
  const dir = luaDirectory();
  return SCRIPT_FILES.map((file) => {
    const [, name, keys] = /^(\w+)(?:-(\d+))?\.lua$/.exec(file)!;
    const lua = readFileSync(join(dir, file), 'utf8');
    return keys === undefined ? { name: name!, lua } : { name: name!, numberOfKeys: Number(keys), lua };
  });
}

/** The top-level `lua/` folder, found upward from this module so it works from sources and from the build. */
function luaDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'lua');
    if (existsSync(join(candidate, SCRIPT_FILES[0]!))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('The lua/ scripts folder was not found above the Redis store module');
    dir = parent;
  }
}
