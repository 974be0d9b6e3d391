import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedisClient } from './connection.js';
import { sendScript } from './script-call.js';

/**
 * Reply of `commit`: `[1]` (with the workspace's earliest timer when it set timers, and then the heads it was asked to
 * read), or a negative code with what failed (see lua/commit.lua).
 */
export type CommitReply = [number, (string | null)?, ...Array<string | number | null>];
/** Reply of `claimTimers`: claimed `id, due` pairs and the earliest due left (null when none). */
export type ClaimTimersReply = [string[], string | null];

/** The Lua scripts, callable on a connection they were defined on. */
export interface ScriptCommands {
  /** Variable key count: `numKeys` comes first, then the keys, then the arguments. */
  commit(numKeys: number, ...keysThenArgs: string[]): Promise<CommitReply>;
  claimTimers(timers: string, now: string, leasedDue: string, limit: string): Promise<ClaimTimersReply>;
  registerWorkspace(workspaces: string, sequence: string, workspaceSid: string): Promise<number>;
  /** Variable key count: `numKeys`, the records hash, the indexes, then start and limit (see lua/rangeRecords.lua). */
  rangeRecords(numKeys: number, ...keysThenArgs: string[]): Promise<Array<string | number | null>>;
  /** Variable key count: `numKeys` record hashes, then for each a count and its fields. */
  readRecords(numKeys: number, ...keysThenArgs: string[]): Promise<Array<string | null>>;
  /** Variable key count: `numKeys`, the record's hash and each link's hash, then the sid and each link's property. */
  readLinked(numKeys: number, ...keysThenArgs: string[]): Promise<Array<string | null>>;
  /** 2 opened now, 1 open already, 0 closed already, -1 closed now. */
  syncFeed(
    stream: string,
    gate: string,
    retries: string,
    order: string,
    group: string,
    gateSid: string,
    property: string,
    notBefore: string,
    consumerIdleMs: string,
  ): Promise<number>;
  /** See lua/takeDeliveries-3.lua for the reply's layout. */
  takeDeliveries(
    stream: string,
    retries: string,
    order: string,
    group: string,
    consumer: string,
    now: string,
    count: string,
    leaseMs: string,
    ordered: string,
    pendingLimit: string,
    cursor: string,
  ): Promise<Array<string | number>>;
  ackDeliveries(stream: string, retries: string, order: string, group: string, consumer: string, releaseOrder: string, ...ids: string[]): Promise<number>;
  retryDelivery(
    stream: string,
    retries: string,
    order: string,
    group: string,
    consumer: string,
    id: string,
    dueAt: string,
    releaseOrder: string,
  ): Promise<number>;
  renewDeliveries(
    stream: string,
    order: string,
    group: string,
    consumer: string,
    leaseMs: string,
    mode: 'renew' | 'release',
    ...ids: string[]
  ): Promise<number>;
  feedBacklog(stream: string, group: string): Promise<number[]>;
}

/** `<command>-<numKeys>.lua`, or `<command>.lua` when the caller passes the key count. */
const SCRIPT_FILES = [
  'commit.lua',
  'claimTimers-1.lua',
  'registerWorkspace-2.lua',
  'rangeRecords.lua',
  'readRecords.lua',
  'readLinked.lua',
  'syncFeed-4.lua',
  'takeDeliveries-3.lua',
  'ackDeliveries-3.lua',
  'retryDelivery-3.lua',
  'renewDeliveries-2.lua',
  'feedBacklog-1.lua',
];

interface Source {
  name: string;
  numberOfKeys?: number;
  lua: string;
  sha: string;
}

let sources: Source[] | undefined;

/**
 * The scripts as callable commands on `redis` (BullMQ style). A call goes as EVALSHA; a server that does not know
 * the script yet (new, restarted or flushed) answers NOSCRIPT and gets the body once, by EVAL, which also keeps it.
 */
export function defineScripts(redis: RedisClient): ScriptCommands {
  sources ??= loadSources();
  const commands: Record<string, (...args: Array<string | number>) => Promise<unknown>> = {};
  for (const source of sources) {
    // A plain function rather than an async one: every script call on the hot path passes through here.
    commands[source.name] = (...given) => {
      const args = given.map(String);
      if (source.numberOfKeys !== undefined) args.unshift(String(source.numberOfKeys));
      return sendScript(redis, 'evalsha', [source.sha, ...args]).catch((err: unknown) => {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return sendScript(redis, 'eval', [source.lua, ...args]);
      });
    };
  }
  return commands as unknown as ScriptCommands;
}

function loadSources(): Source[] {
  const dir = luaDirectory();
  return SCRIPT_FILES.map((file) => {
    const [, name, keys] = /^(\w+)(?:-(\d+))?\.lua$/.exec(file)!;
    const lua = scriptSource(file, dir);
    const sha = createHash('sha1').update(lua).digest('hex');
    return { name: name!, lua, sha, ...(keys === undefined ? {} : { numberOfKeys: Number(keys) }) };
  });
}

/** A script of lua/ (`commit.lua`, say) as it is sent to Redis, its includes in place. */
export function scriptSource(file: string, dir = luaDirectory()): string {
  return withIncludes(readFileSync(join(dir, file), 'utf8'), dir);
}

/**
 * Replaces each `--@include <name>` line with lua/includes/<name>.lua (BullMQ style): a piece two scripts share is
 * written once, and each script is still sent and cached whole.
 */
function withIncludes(lua: string, dir: string): string {
  return lua.replace(/^--@include (\w+)$/gm, (_, name: string) => readFileSync(join(dir, 'includes', `${name}.lua`), 'utf8').trimEnd());
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
