import { badRequest, notFound } from '../core/errors.js';
import type { ActivityRecord, TaskChannelRecord } from '../core/model.js';
import { newSid } from '../core/sid.js';
import { friendlyName, requireParam } from '../core/validate.js';
import type { ActivityInput, TaskChannelInput } from './commands.js';
import { transact, type EngineContext } from './context.js';
import { activityFields, makeEvent, taskChannelFields } from './events.js';
import { rebuildWorkers } from './reindex.js';
import { pullForWorkers } from './matching.js';
import { activityKey, channelKey } from './workspaces.js';
import { findChannel } from './workspace-config.js';

export async function createActivity(ctx: EngineContext, ws: string, input: ActivityInput): Promise<ActivityRecord> {
  const name = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
  return transact(ctx, ws, async (config, change) => {
    if (await ctx.store.lookupUnique(ws, activityKey(name))) throw badRequest(`Activity with FriendlyName ${name} already exists`);
    if (config.activities.size >= 100) throw badRequest('A workspace can have at most 100 Activities');
    const activity = change.put('activity', null, {
      sid: newSid('WA'),
      workspaceSid: ws,
      friendlyName: name,
      available: input.available ?? false,
      dateCreated: change.now,
      dateUpdated: change.now,
      version: 0,
    });
    change.claim(activityKey(name), activity.sid);
    change.emit(makeEvent('activity.created', config, change.now, activity.sid, `Activity ${name} created`, activityFields(activity)));
    return activity;
  });
}

export async function updateActivity(ctx: EngineContext, ws: string, sid: string, input: ActivityInput): Promise<ActivityRecord> {
  return transact(ctx, ws, async (config, change) => {
    const activity = config.activities.get(sid);
    if (!activity) throw notFound(`The requested resource /Workspaces/${ws}/Activities/${sid} was not found`);
    if (input.available !== undefined && input.available !== activity.available) {
      throw badRequest('Available cannot be changed after an Activity is created');
    }
    const next = { ...activity };
    if (input.friendlyName !== undefined && input.friendlyName !== activity.friendlyName) {
      next.friendlyName = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
      const holder = await ctx.store.lookupUnique(ws, activityKey(next.friendlyName));
      if (holder && holder !== sid) throw badRequest(`Activity with FriendlyName ${next.friendlyName} already exists`);
      change.release(activityKey(activity.friendlyName), sid);
      change.claim(activityKey(next.friendlyName), sid);
    }
    const written = change.put('activity', activity, next);
    change.emit(makeEvent('activity.updated', config, change.now, sid, `Activity ${written.friendlyName} updated`, activityFields(written)));
    return written;
  });
}

export async function deleteActivity(ctx: EngineContext, ws: string, sid: string): Promise<void> {
  await transact(ctx, ws, async (config, change) => {
    const activity = config.activities.get(sid);
    if (!activity) throw notFound(`The requested resource /Workspaces/${ws}/Activities/${sid} was not found`);
    const { workspace } = config;
    if (workspace.defaultActivitySid === sid || workspace.timeoutActivitySid === sid) {
      throw badRequest(`Activity ${sid} is the workspace's default or timeout activity and cannot be deleted`);
    }
    for (const q of config.queues.values()) {
      if (q.reservationActivitySid === sid || q.assignmentActivitySid === sid) {
        throw badRequest(`Activity ${sid} is used by TaskQueue ${q.sid} and cannot be deleted`);
      }
    }
    const workers = await ctx.store.list(ws, 'worker');
    if (workers.some((w) => w.activitySid === sid)) throw badRequest(`Activity ${sid} has workers in it and cannot be deleted`);
    change.delete('activity', activity);
    change.release(activityKey(activity.friendlyName), sid);
    change.emit(makeEvent('activity.deleted', config, change.now, sid, `Activity ${activity.friendlyName} deleted`, activityFields(activity)));
  });
}

// ---- Task channels ----

/** What a task channel's unique name may hold. */
export const CHANNEL_UNIQUE_NAME = /^[A-Za-z0-9_]+$/;

export async function createTaskChannel(ctx: EngineContext, ws: string, input: TaskChannelInput): Promise<TaskChannelRecord> {
  const name = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
  const unique = requireParam(input.uniqueName, 'UniqueName');
  if (!CHANNEL_UNIQUE_NAME.test(unique) || unique.length > 64) {
    throw badRequest('UniqueName may contain only letters, digits and underscores (no hyphens), at most 64 characters');
  }
  const previous = await ctx.configs.get(ctx.store, ws);
  const channel = await transact(ctx, ws, async (config, change) => {
    if (findChannel(config, unique)) throw badRequest(`TaskChannel with UniqueName ${unique} already exists`);
    if (config.channels.length >= 15) throw badRequest('A workspace can have at most 15 TaskChannels');
    const created = change.put('taskChannel', null, {
      sid: newSid('TC'),
      workspaceSid: ws,
      uniqueName: unique,
      friendlyName: name,
      channelOptimizedRouting: input.channelOptimizedRouting ?? false,
      dateCreated: change.now,
      dateUpdated: change.now,
      version: 0,
    });
    change.claim(channelKey(unique), created.sid);
    change.emit(makeEvent('task-channel.created', config, change.now, created.sid, `TaskChannel ${unique} created`, taskChannelFields(created)));
    return created;
  });
  // Every worker gets the new channel with default capacity: index them so they can take its tasks.
  await pullForWorkers(ctx, ws, await rebuildWorkers(ctx, ws, previous));
  return channel;
}

export async function updateTaskChannel(ctx: EngineContext, ws: string, sidOrName: string, input: TaskChannelInput): Promise<TaskChannelRecord> {
  return transact(ctx, ws, async (config, change) => {
    const channel = findChannel(config, sidOrName);
    if (!channel) throw notFound(`The requested resource /Workspaces/${ws}/TaskChannels/${sidOrName} was not found`);
    const next = { ...channel };
    if (input.friendlyName !== undefined) next.friendlyName = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
    if (input.channelOptimizedRouting !== undefined) next.channelOptimizedRouting = input.channelOptimizedRouting;
    const written = change.put('taskChannel', channel, next);
    change.emit(makeEvent('task-channel.updated', config, change.now, channel.sid, `TaskChannel ${channel.uniqueName} updated`, taskChannelFields(written)));
    return written;
  });
}

export async function deleteTaskChannel(ctx: EngineContext, ws: string, sidOrName: string): Promise<void> {
  const previous = await ctx.configs.get(ctx.store, ws);
  await transact(ctx, ws, async (config, change) => {
    const channel = findChannel(config, sidOrName);
    if (!channel) throw notFound(`The requested resource /Workspaces/${ws}/TaskChannels/${sidOrName} was not found`);
    const tasks = await ctx.store.list(ws, 'task');
    if (tasks.some((t) => t.taskChannelSid === channel.sid && !['completed', 'canceled'].includes(t.assignmentStatus))) {
      throw badRequest(`TaskChannel ${channel.uniqueName} has active tasks and cannot be deleted`);
    }
    change.delete('taskChannel', channel);
    change.release(channelKey(channel.uniqueName), channel.sid);
    change.emit(makeEvent('task-channel.deleted', config, change.now, channel.sid, `TaskChannel ${channel.uniqueName} deleted`, taskChannelFields(channel)));
  });
  await rebuildWorkers(ctx, ws, previous);
}
