import { Command } from 'ioredis';
import type { RedisClient } from './connection.js';

/**
 * Sends EVALSHA or EVAL with `args` (the sha or body, the key count, the keys, then the arguments) and answers the
 * reply as UTF-8 strings.
 *
 * The arguments go to ioredis as they are. Its own command path copies every command's arguments with
 * `Array.prototype.flat`, which on Node 20 costs a routing commit about as much of this process's CPU as all the rest
 * of sending it; script arguments are flat strings already, so there is nothing to flatten. Judged by the process's
 * CPU per lifecycle in `bench/assignment.ts` on Redis (docs/performance.md, "Devices in the Redis store").
 */
export function sendScript(redis: RedisClient, command: 'evalsha' | 'eval', args: string[]): Promise<unknown> {
  return redis.sendCommand(new ScriptCall(command, args)) as Promise<unknown>;
}

/** A command whose arguments are taken as given; ioredis sets none of its options (no key prefix) for the store. */
class ScriptCall extends Command {
  constructor(name: 'evalsha' | 'eval', args: string[]) {
    super(name, [], { replyEncoding: 'utf8' });
    this.args = args;
  }
}
