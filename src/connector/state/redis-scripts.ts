import { createHash } from 'node:crypto';
import type { RedisClient } from '../../store/redis/connection.js';
import { sendScript } from '../../store/redis/script-call.js';
import { scriptSource } from '../../store/redis/scripts.js';

/** The connector's Lua scripts (lua/, each with its contract in its header), callable with their keys then arguments. */
export interface ConnectorScripts {
  connectorClaim(claim: string, holder: string, expiresInMs: string): Promise<number>;
  connectorRelease(claim: string, holder: string): Promise<number>;
  changeConfiguration(...keysThenChange: string[]): Promise<number>;
  openConversation(...keysThenArgs: string[]): Promise<number>;
  fileMessage(...keysThenArgs: string[]): Promise<number>;
  closeConversation(...keysThenArgs: string[]): Promise<number>;
  recordDelivery(...keysThenArgs: string[]): Promise<number>;
}

const SCRIPT_FILES = [
  'connectorClaim-1.lua',
  'connectorRelease-1.lua',
  'changeConfiguration-6.lua',
  'openConversation-4.lua',
  'fileMessage-4.lua',
  'closeConversation-5.lua',
  'recordDelivery-2.lua',
];

/** The scripts as commands on `redis`: EVALSHA, and EVAL once when the server does not know a script yet. */
export function connectorScripts(redis: RedisClient): ConnectorScripts {
  const commands: Record<string, (...args: string[]) => Promise<unknown>> = {};
  for (const file of SCRIPT_FILES) {
    const [, name, keys] = /^(\w+)-(\d+)\.lua$/.exec(file)!;
    const lua = scriptSource(file);
    const sha = createHash('sha1').update(lua).digest('hex');
    commands[name!] = (...args) =>
      sendScript(redis, 'evalsha', [sha, keys!, ...args]).catch((err: unknown) => {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return sendScript(redis, 'eval', [lua, keys!, ...args]);
      });
  }
  return commands as unknown as ConnectorScripts;
}
