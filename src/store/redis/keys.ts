import type { Kind } from '../../core/model.js';

/**
 * Redis key layout. Every key of a workspace starts with `<prefix>{WS…}:` so the whole workspace hashes to one
 * Cluster slot and one Lua script can change all of it atomically.
 *
 *   {WS}:<kind>          hash    sid → record JSON        one hash per kind: `get` is one HGET, `getMany` one HMGET,
 *                                                        and a commit touches one key per kind rather than per record
 *                                v:<sid> → version         beside it, what compare-and-commit checks without decoding
 *                                                        JSON; one HSET writes both
 *   {WS}:<kind>:order    zset    sid scored by creation sequence: `list` returns creation order
 *   {WS}:meta            hash    seq (creation counter), eventMs/eventSeq (last event stream id)
 *   {WS}:unique          hash    unique key → holder sid
 *   {WS}:index:<name>    zset    ordered index; every score 0, so ZRANGEBYLEX walks members in byte order
 *   {WS}:counters:<group> hash   counter → value (fields at zero are removed); read a group at once
 *   {WS}:timers          zset    timer id scored by due ms
 *   {WS}:events          stream  field `event` → the event, stored compactly (event-codec.ts); id <event date ms>-<n>,
 *                                trimmed by count and age; field `base` → the id of its commit's last event, when
 *                                the event is stored relative to that one
 *
 * Callback delivery reads the events stream through one consumer group per kind of callback (`event-callbacks`,
 * `assignment-callbacks`; see event-feed.ts). A group exists only while the workspace has a receiver of its kind, so
 * no events wait in a pending list for nobody. Beside the group, in the workspace's slot:
 *
 *   {WS}:delivery:<group>:retries  zset    stream id scored by due ms: pending entries set aside for a retry
 *   {WS}:delivery:<group>:order    string  consumer holding the workspace's order lease (expires): while it is
 *                                          held, only that consumer takes the workspace's entries
 *
 * Registries span workspaces and so cannot live in any workspace's slot; they share their own hash tag:
 *
 *   {registry}:workspaces        zset  workspace sid scored by registration sequence (`list('', 'workspace')`)
 *   {registry}:workspace-seq     string  that sequence
 *   {registry}:timer-workspaces  zset  workspace sid scored at or before its earliest timer: where to look for due
 *                                       timers (see timer-registry.ts for how it is kept from running late)
 *   {registry}:delivery:<group>  zset  workspace sid (score 0, walked by sid) whose delivery group is open: where
 *                                       to look for entries to deliver without visiting every workspace; a hint
 *                                       kept by syncs and takes (see event-feed.ts), never the truth
 */
export class KeySpace {
  readonly workspaces: string;
  readonly workspaceSequence: string;
  readonly timerWorkspaces: string;

  constructor(readonly prefix: string) {
    // A brace in the prefix would become the hash tag and put every workspace in one slot.
    if (/[{}]/.test(prefix)) throw new Error(`Redis key prefix must not contain braces: ${prefix}`);
    this.workspaces = `${prefix}{registry}:workspaces`;
    this.workspaceSequence = `${prefix}{registry}:workspace-seq`;
    this.timerWorkspaces = `${prefix}{registry}:timer-workspaces`;
  }

  deliveryWorkspaces(group: string): string {
    return `${this.prefix}{registry}:delivery:${group}`;
  }

  workspace(workspaceSid: string): WorkspaceKeys {
    return new WorkspaceKeys(`${this.prefix}{${workspaceSid}}:`);
  }
}

/** The keys of one workspace; see {@link KeySpace} for what each holds. */
export class WorkspaceKeys {
  readonly meta: string;
  readonly unique: string;
  readonly timers: string;
  readonly events: string;

  constructor(readonly base: string) {
    this.meta = `${base}meta`;
    this.unique = `${base}unique`;
    this.timers = `${base}timers`;
    this.events = `${base}events`;
  }

  records(kind: Kind): string {
    return `${this.base}${kind}`;
  }

  order(kind: Kind): string {
    return `${this.base}${kind}:order`;
  }

  index(name: string): string {
    return `${this.base}index:${name}`;
  }

  counters(group: string): string {
    return `${this.base}counters:${group}`;
  }

  deliveryRetries(group: string): string {
    return `${this.base}delivery:${group}:retries`;
  }

  deliveryOrder(group: string): string {
    return `${this.base}delivery:${group}:order`;
  }
}

/** Every record kind: deleting a workspace names all their keys. */
export const RECORD_KINDS = [
  'workspace',
  'activity',
  'taskChannel',
  'taskQueue',
  'workflow',
  'worker',
  'task',
  'reservation',
  'phoneNumber',
  'ivrMenu',
] as const satisfies readonly Kind[];

// Fails to compile when a kind is added to the model but not to RECORD_KINDS.
const everyKindListed: Exclude<Kind, (typeof RECORD_KINDS)[number]> extends never ? true : never = true;
void everyKindListed;
