import { Command } from 'ioredis';
import type { RedisClient } from './connection.js';

/**
 * Sends EVALSHA or EVAL with `args` (the sha or body, the key count, the keys, then the arguments) and answers the
 * reply as UTF-8 strings.
 *
 * The arguments go to ioredis as they are. Its own command path copies every command's arguments with
 * `Array.prototype.flat`, which on Node 20 costs a routing commit about as much of this process's CPU as all the rest
 * of sending it; script arguments are flat strings already, so there is nothing to flatten. Judged by the process's
 * CPU in `bench/store-devices.ts` (docs/performance.md, "Devices in the Redis store").
 */
export function sendScript(redis: RedisClient, command: 'evalsha' | 'eval', args: string[]): Promise<unknown> {
  return redis.sendCommand(scriptCommand(command, args)) as Promise<unknown>;
}

/** The command `sendScript` sends, built but not sent. */
export function scriptCommand(command: 'evalsha' | 'eval', args: string[]): Command {
  return new ScriptCall(command, args);
}

/** A command whose arguments are taken as given; the store sets no ioredis option (no key prefix) that would edit them. */
class ScriptCall extends Command {
  constructor(name: 'evalsha' | 'eval', args: string[]) {
    super(name, [], { replyEncoding: 'utf8' });
    this.args = args;
  }
}
