import { badRequest, notFound } from '../core/errors.js';
import type { WorkerChannelFields } from '../core/events/index.js';
import type { ReservationRecord, TaskChannelRecord, WorkerChannelState, WorkerRecord } from '../core/model.js';
import { newSid } from '../core/sid.js';
import { attributesJson, friendlyName, intInRange, requireParam } from '../core/validate.js';
import type { WorkerChannelInput, WorkerInput } from './commands.js';
import { transact, type EngineContext } from './context.js';
import { activityUpdateEvent, joinFields, makeEvent, workerFields } from './events.js';
import { releaseReservation, workerReservationSids } from './lifecycle.js';
import { answerTransferOffer, isTransferOffer } from './transfers.js';
import { pullForWorker } from './matching.js';
import { reevaluateTask } from './placement.js';
import { checkIfMatch } from './tasks.js';
import { channelState, totalTaskCount, workerChannelSid } from './worker-channels.js';
import { matchingQueueSids, withActivity } from './worker-state.js';
import { workerKey } from './workspaces.js';
import type { WorkspaceConfig } from './workspace-config.js';

export function requireWorker(worker: WorkerRecord | null, ws: string, sid: string): WorkerRecord {
  if (!worker) throw notFound(`The requested resource /Workspaces/${ws}/Workers/${sid} was not found`);
  return worker;
}

function requireActivity(config: WorkspaceConfig, sid: string): string {
  if (!config.activities.has(sid)) throw badRequest(`ActivitySid ${sid} is not an Activity of this workspace`);
  return sid;
}

export async function createWorker(ctx: EngineContext, ws: string, input: WorkerInput): Promise<WorkerRecord> {
  const name = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
  const attributes = attributesJson(input.attributes ?? '{}');
  const worker = await transact(ctx, ws, async (config, change) => {
    if (await ctx.store.lookupUnique(ws, workerKey(name))) throw badRequest(`Worker with FriendlyName ${name} already exists`);
    const activitySid = requireActivity(config, input.activitySid ?? config.workspace.defaultActivitySid ?? '');
    const now = change.now;
    const draft: WorkerRecord = {
      sid: newSid('WK'),
      workspaceSid: ws,
      friendlyName: name,
      activitySid,
      attributes,
      dateCreated: now,
      dateUpdated: now,
      dateStatusChanged: now,
      availableSince: now,
      channels: {},
      queueSids: [],
      version: 0,
    };
    draft.queueSids = matchingQueueSids(draft, config, now);
    const written = change.put('worker', null, draft);
    change.claim(workerKey(name), written.sid);
    change.emit(makeEvent('worker.created', config, now, written.sid, `Worker ${name} created`, workerFields(written, config)));
    return written;
  });
  if ((await pullForWorker(ctx, ws, { worker })) === 0) return worker;
  return requireWorker(await ctx.store.get(ws, 'worker', worker.sid), ws, worker.sid);
}

export async function updateWorker(ctx: EngineContext, ws: string, sid: string, input: WorkerInput): Promise<WorkerRecord> {
  const attributes = input.attributes === undefined ? undefined : attributesJson(input.attributes);
  const rejected = await transact(ctx, ws, async (config, change) => {
    const worker = requireWorker(await ctx.store.get(ws, 'worker', sid), ws, sid);
    checkIfMatch(input.ifMatch, worker.version);
    let next: WorkerRecord = { ...worker };
    if (input.friendlyName !== undefined && input.friendlyName !== worker.friendlyName) {
      next.friendlyName = friendlyName(requireParam(input.friendlyName, 'FriendlyName'));
      const holder = await ctx.store.lookupUnique(ws, workerKey(next.friendlyName));
      if (holder && holder !== sid) throw badRequest(`Worker with FriendlyName ${next.friendlyName} already exists`);
      change.release(workerKey(worker.friendlyName), sid);
      change.claim(workerKey(next.friendlyName), sid);
    }
    if (attributes !== undefined) next.attributes = attributes;
    if (input.activitySid !== undefined) next = withActivity(next, requireActivity(config, input.activitySid), config, change.now);
    if (attributes !== undefined || input.friendlyName !== undefined || input.activitySid !== undefined) {
      next.queueSids = matchingQueueSids(next, config, change.now);
    }
    const written = change.put('worker', worker, next);
    const moved = activityUpdateEvent(config, change.now, worker, written);
    if (moved) change.emit(moved);
    if (written.attributes !== worker.attributes) {
      change.emit(
        makeEvent('worker.attributes.update', config, change.now, sid, `Worker ${written.friendlyName} attributes updated`, workerFields(written, config)),
      );
    }
    // Going unavailable with RejectPendingReservations turns down what the worker was offered.
    const nowAvailable = config.activities.get(written.activitySid)?.available === true;
    if (!input.rejectPendingReservations || nowAvailable) return [] as string[];
    const offered = (await ctx.store.getMany(ws, 'reservation', await workerReservationSids(ctx, ws, sid))).filter(
      (r): r is ReservationRecord => r?.status === 'pending',
    );
    const holders = { reservations: offered, workers: new Map([[sid, written]]) };
    for (const reservation of offered) {
      const task = await ctx.store.get(ws, 'task', reservation.taskSid);
      if (task && isTransferOffer(task, reservation)) {
        await answerTransferOffer(ctx, config, change, task, reservation, 'rejected', holders.workers.get(sid)!);
        holders.workers.set(sid, change.written('worker', sid)!);
      } else if (task) releaseReservation(config, change, task, reservation, 'rejected', holders, null);
    }
    return offered.map((r) => r.taskSid);
  });
  for (const taskSid of rejected) await reevaluateTask(ctx, ws, taskSid);
  await pullForWorker(ctx, ws, sid);
  return requireWorker(await ctx.store.get(ws, 'worker', sid), ws, sid);
}

export async function deleteWorker(ctx: EngineContext, ws: string, sid: string, ifMatch?: string): Promise<void> {
  await transact(ctx, ws, async (config, change) => {
    const worker = requireWorker(await ctx.store.get(ws, 'worker', sid), ws, sid);
    checkIfMatch(ifMatch, worker.version);
    if (totalTaskCount(worker) > 0) throw badRequest(`Worker ${sid} has reserved or assigned tasks and cannot be deleted`);
    change.delete('worker', worker);
    change.release(workerKey(worker.friendlyName), sid);
    change.emit(makeEvent('worker.deleted', config, change.now, sid, `Worker ${worker.friendlyName} deleted`, workerFields(worker, config)));
  });
}

/** The channel a path names: WC sid, TC sid or task channel unique name. */
export function channelOf(config: WorkspaceConfig, workerSid: string, ref: string): TaskChannelRecord | undefined {
  return config.channels.find((c) => c.sid === ref || c.uniqueName === ref || workerChannelSid(workerSid, c.sid) === ref);
}

export async function updateWorkerChannel(ctx: EngineContext, ws: string, workerSid: string, ref: string, input: WorkerChannelInput): Promise<WorkerRecord> {
  await transact(ctx, ws, async (config, change) => {
    const worker = requireWorker(await ctx.store.get(ws, 'worker', workerSid), ws, workerSid);
    const channelSid = channelOf(config, workerSid, ref)?.sid;
    if (!channelSid) throw notFound(`The requested resource /Workspaces/${ws}/Workers/${workerSid}/Channels/${ref} was not found`);
    const before = channelState(worker, channelSid);
    const state: WorkerChannelState = { ...before, dateUpdated: change.now };
    if (input.capacity !== undefined) state.capacity = intInRange(input.capacity, 'Capacity', 0, 50);
    if (input.available !== undefined) state.available = input.available;
    const written = change.put('worker', worker, { ...worker, channels: { ...worker.channels, [channelSid]: state } });
    const channel = config.channels.find((c) => c.sid === channelSid)!;
    const channelFields: WorkerChannelFields = {
      task_channel_sid: channelSid,
      task_channel_unique_name: channel.uniqueName,
      worker_channel_available: String(state.available),
      worker_channel_available_capacity: String(Math.max(0, state.capacity - state.taskCount)),
      worker_channel_previous_capacity: String(before.capacity),
      worker_channel_task_count: String(state.taskCount),
    };
    if (state.capacity !== before.capacity) {
      change.emit(
        makeEvent(
          'worker.capacity.update',
          config,
          change.now,
          workerSid,
          `Worker ${worker.friendlyName} capacity updated`,
          joinFields(workerFields(written, config), channelFields),
        ),
      );
    }
    if (state.available !== before.available) {
      change.emit(
        makeEvent(
          'worker.channel.availability.update',
          config,
          change.now,
          workerSid,
          `Worker ${worker.friendlyName} channel availability updated`,
          joinFields(workerFields(written, config), channelFields),
        ),
      );
    }
  });
  await pullForWorker(ctx, ws, workerSid);
  return requireWorker(await ctx.store.get(ws, 'worker', workerSid), ws, workerSid);
}
