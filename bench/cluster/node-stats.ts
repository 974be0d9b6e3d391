/**
 * What one Redis server did over a window, read from its own INFO: commands processed (INFO stats; commands run
 * inside a script count one each, as the script does), its CPU (INFO cpu, user + system, networking included) and
 * the errors it answered, by kind (INFO errorstats: MOVED, ASK and CROSSSLOT are what a cluster answers a client
 * that names the wrong node or keys of several slots).
 */
import type { Redis } from 'ioredis';

export interface NodeSnapshot {
  commands: number;
  cpuSeconds: number;
  errors: Record<string, number>;
}

/** Errors a cluster answers when a command reaches the wrong node or spans slots: each must stay at 0. */
export const ROUTING_ERRORS = ['MOVED', 'ASK', 'CROSSSLOT', 'TRYAGAIN', 'CLUSTERDOWN'] as const;

export async function snapshot(redis: Redis): Promise<NodeSnapshot> {
  const text = (await redis.call('INFO', 'stats', 'cpu', 'errorstats')) as string;
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(text)![1]);
  const errors: Record<string, number> = {};
  for (const [, kind, count] of text.matchAll(/^errorstat_([^:]+):count=(\d+)/gm)) errors[kind!] = Number(count);
  return { commands: field('total_commands_processed'), cpuSeconds: field('used_cpu_user') + field('used_cpu_sys'), errors };
}

/** `after` less `before`; errors are those counted meanwhile. */
export function delta(before: NodeSnapshot, after: NodeSnapshot): NodeSnapshot {
  const errors: Record<string, number> = {};
  for (const [kind, count] of Object.entries(after.errors)) {
    const added = count - (before.errors[kind] ?? 0);
    if (added > 0) errors[kind] = added;
  }
  return { commands: after.commands - before.commands, cpuSeconds: after.cpuSeconds - before.cpuSeconds, errors };
}
