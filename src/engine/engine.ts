import { EventEmitter } from 'node:events';
import { RecentWrites } from './recent-writes.js';
import { ReservingWorkers } from './reserving-workers.js';
import { CallbackUrlPolicy } from '../core/callback-url.js';
import type {
  ActivityRecord,
  ReservationRecord,
  TaskChannelRecord,
  TaskQueueRecord,
  TaskRecord,
  WorkerRecord,
  WorkflowRecord,
  WorkspaceRecord,
} from '../core/model.js';
import type { TaskRouterEvent } from '../core/events/index.js';
import type { RoutingStore } from '../store/routing-store.js';
import { withSpan } from '../telemetry/tracing.js';
import { createActivity, createTaskChannel, deleteActivity, deleteTaskChannel, updateActivity, updateTaskChannel } from './activities.js';
import { systemClock, type Clock } from './clock.js';
import type {
  ActivityInput,
  ReservationInput,
  TaskChannelInput,
  TaskInput,
  TaskQueueInput,
  TransferInput,
  WorkerChannelInput,
  WorkerInput,
  WorkflowInput,
  WorkspaceInput,
} from './commands.js';
import type { EngineContext } from './context.js';
import { createTaskQueue, deleteTaskQueue, updateTaskQueue } from './queues.js';
import { workerReservationSids } from './lifecycle.js';
import { queuePosition, type QueuePosition } from './queue-position.js';
import { updateReservation } from './reservations.js';
import { createTask, deleteTask, updateTask } from './tasks.js';
import type { TelephonyPort } from './telephony-port.js';
import { WorkspaceConfigCache, type WorkspaceConfig } from './workspace-config.js';
import { sweep, type SweepCursor } from './sweep.js';
import { runDueTimers } from './timers.js';
import { cancelTransfer, transferTask, type TransferView } from './transfers.js';
import { createWorker, deleteWorker, updateWorker, updateWorkerChannel } from './workers.js';
import { createWorkflow, deleteWorkflow, updateWorkflow } from './workflows.js';
import { createWorkspace, deleteWorkspace, updateWorkspace } from './workspaces.js';
import { log } from '../telemetry/log.js';

/** Workspaces one background sweep visits. */
const SWEEP_PAGE = 50;

export interface EngineOptions {
  store: RoutingStore;
  accountSid: string;
  clock?: Clock;
  telephony?: TelephonyPort | null;
  /** How often due timers are looked for (ms). */
  timerIntervalMs?: number;
  /** How often queues are swept for waiting tasks that an idle worker could take (ms). */
  sweepIntervalMs?: number;
  /** Which callback URLs workspaces and workflows may be given; public addresses only by default. */
  callbackUrls?: CallbackUrlPolicy;
}

/**
 * The routing engine: every state change of a TaskRouter workspace goes through here. Written once against the
 * RoutingStore seam; reads go straight to the store.
 */
export class RoutingEngine {
  readonly store: RoutingStore;
  readonly clock: Clock;
  readonly accountSid: string;
  private readonly ctx: EngineContext;
  private timer: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private ticking = false;
  private sweeping = false;
  private readonly timerIntervalMs: number;
  private readonly sweepIntervalMs: number;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.accountSid = options.accountSid;
    this.timerIntervalMs = options.timerIntervalMs ?? 200;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 5_000;
    this.ctx = {
      store: this.store,
      clock: this.clock,
      accountSid: this.accountSid,
      events: new EventEmitter(),
      telephony: options.telephony ?? null,
      configs: new WorkspaceConfigCache(),
      reserving: new ReservingWorkers(),
      recent: new RecentWrites(),
      callbackUrls: options.callbackUrls ?? CallbackUrlPolicy.publicOnly,
    };
    this.ctx.events.setMaxListeners(0);
  }

  /** Connects a telephony connector (voice) that carries out reservation instructions. */
  setTelephony(port: TelephonyPort | null): void {
    this.ctx.telephony = port;
  }

  /** A workspace's configuration (activities, channels, queues, workflows), cached by version. 404 if unknown. */
  workspaceConfig(ws: string): Promise<WorkspaceConfig> {
    return this.ctx.configs.get(this.store, ws);
  }

  /**
   * The workspace's configuration as this process last found it current, without reading the workspace record;
   * undefined when it holds none. Every commit checks the version of the configuration it worked on (and answers 404
   * for a workspace gone meanwhile), and one that changes the configuration drops it: so it describes what a commit
   * just returned.
   */
  cachedConfig(ws: string): WorkspaceConfig | undefined {
    return this.ctx.configs.peek(ws);
  }

  /** A waiting task's place in its queue and its estimated wait (beyond TaskRouter; see queue-position.ts). */
  queuePosition(ws: string, taskSid: string): Promise<QueuePosition> {
    return queuePosition(this.ctx, ws, taskSid);
  }

  /**
   * Reservations of a task (`owner.taskSid`, or `owner.task` when the caller holds the record and need not have it
   * read again) or of a worker (`owner.workerSid`), oldest first.
   */
  async reservationsOf(ws: string, owner: { taskSid?: string; task?: TaskRecord; workerSid?: string }): Promise<ReservationRecord[]> {
    const task = owner.task ?? (owner.taskSid ? await this.store.get(ws, 'task', owner.taskSid) : undefined);
    const sids = owner.task || owner.taskSid ? (task?.reservationSids ?? []) : await workerReservationSids(this.ctx, ws, owner.workerSid ?? '');
    return (await this.store.getMany(ws, 'reservation', sids)).filter((r): r is ReservationRecord => r !== null);
  }

  /**
   * Subscribes to every event committed by this process's engine. Returns the unsubscribe function. Listeners run
   * inside the request that committed the change: one that throws is logged and neither fails that request (its
   * change is already committed) nor keeps the other listeners from hearing the event.
   */
  onEvent(listener: (event: TaskRouterEvent) => void): () => void {
    const guarded = (event: TaskRouterEvent): void => {
      try {
        listener(event);
      } catch (err) {
        log.error({ err, event_type: event.eventType, workspace_sid: event.workspaceSid }, 'event listener failed');
      }
    };
    this.ctx.events.on('event', guarded);
    return () => this.ctx.events.off('event', guarded);
  }

  createWorkspace = (input: WorkspaceInput): Promise<WorkspaceRecord> => withSpan('engine.createWorkspace', {}, () => createWorkspace(this.ctx, input));
  updateWorkspace = (ws: string, input: WorkspaceInput): Promise<WorkspaceRecord> =>
    withSpan('engine.updateWorkspace', { 'switchboard.workspace_sid': ws }, () => updateWorkspace(this.ctx, ws, input));
  deleteWorkspace = (ws: string): Promise<void> => withSpan('engine.deleteWorkspace', { 'switchboard.workspace_sid': ws }, () => deleteWorkspace(this.ctx, ws));

  createActivity = (ws: string, input: ActivityInput): Promise<ActivityRecord> =>
    withSpan('engine.createActivity', { 'switchboard.workspace_sid': ws }, () => createActivity(this.ctx, ws, input));
  updateActivity = (ws: string, sid: string, input: ActivityInput): Promise<ActivityRecord> =>
    withSpan('engine.updateActivity', { 'switchboard.workspace_sid': ws }, () => updateActivity(this.ctx, ws, sid, input));
  deleteActivity = (ws: string, sid: string): Promise<void> =>
    withSpan('engine.deleteActivity', { 'switchboard.workspace_sid': ws }, () => deleteActivity(this.ctx, ws, sid));

  createTaskChannel = (ws: string, input: TaskChannelInput): Promise<TaskChannelRecord> =>
    withSpan('engine.createTaskChannel', { 'switchboard.workspace_sid': ws }, () => createTaskChannel(this.ctx, ws, input));
  /** `sidOrName`: TC sid or unique name. */
  updateTaskChannel = (ws: string, sidOrName: string, input: TaskChannelInput): Promise<TaskChannelRecord> =>
    withSpan('engine.updateTaskChannel', { 'switchboard.workspace_sid': ws }, () => updateTaskChannel(this.ctx, ws, sidOrName, input));
  deleteTaskChannel = (ws: string, sidOrName: string): Promise<void> =>
    withSpan('engine.deleteTaskChannel', { 'switchboard.workspace_sid': ws }, () => deleteTaskChannel(this.ctx, ws, sidOrName));

  createTaskQueue = (ws: string, input: TaskQueueInput): Promise<TaskQueueRecord> =>
    withSpan('engine.createTaskQueue', { 'switchboard.workspace_sid': ws }, () => createTaskQueue(this.ctx, ws, input));
  updateTaskQueue = (ws: string, sid: string, input: TaskQueueInput): Promise<TaskQueueRecord> =>
    withSpan('engine.updateTaskQueue', { 'switchboard.workspace_sid': ws }, () => updateTaskQueue(this.ctx, ws, sid, input));
  deleteTaskQueue = (ws: string, sid: string): Promise<void> =>
    withSpan('engine.deleteTaskQueue', { 'switchboard.workspace_sid': ws }, () => deleteTaskQueue(this.ctx, ws, sid));

  createWorkflow = (ws: string, input: WorkflowInput): Promise<WorkflowRecord> =>
    withSpan('engine.createWorkflow', { 'switchboard.workspace_sid': ws }, () => createWorkflow(this.ctx, ws, input));
  updateWorkflow = (ws: string, sid: string, input: WorkflowInput): Promise<WorkflowRecord> =>
    withSpan('engine.updateWorkflow', { 'switchboard.workspace_sid': ws }, () => updateWorkflow(this.ctx, ws, sid, input));
  deleteWorkflow = (ws: string, sid: string): Promise<void> =>
    withSpan('engine.deleteWorkflow', { 'switchboard.workspace_sid': ws }, () => deleteWorkflow(this.ctx, ws, sid));

  createWorker = (ws: string, input: WorkerInput): Promise<WorkerRecord> =>
    withSpan('engine.createWorker', { 'switchboard.workspace_sid': ws }, () => createWorker(this.ctx, ws, input));
  updateWorker = (ws: string, sid: string, input: WorkerInput): Promise<WorkerRecord> =>
    withSpan('engine.updateWorker', { 'switchboard.workspace_sid': ws }, () => updateWorker(this.ctx, ws, sid, input));
  deleteWorker = (ws: string, sid: string, ifMatch?: string): Promise<void> =>
    withSpan('engine.deleteWorker', { 'switchboard.workspace_sid': ws }, () => deleteWorker(this.ctx, ws, sid, ifMatch));
  /** `channel`: WC sid, TC sid or task channel unique name. Returns the updated worker. */
  updateWorkerChannel = (ws: string, workerSid: string, channel: string, input: WorkerChannelInput): Promise<WorkerRecord> =>
    withSpan('engine.updateWorkerChannel', { 'switchboard.workspace_sid': ws }, () => updateWorkerChannel(this.ctx, ws, workerSid, channel, input));

  createTask = (ws: string, input: TaskInput): Promise<TaskRecord> =>
    withSpan('engine.createTask', { 'switchboard.workspace_sid': ws }, () => createTask(this.ctx, ws, input));
  updateTask = (ws: string, sid: string, input: TaskInput): Promise<TaskRecord> =>
    withSpan('engine.updateTask', { 'switchboard.workspace_sid': ws }, () => updateTask(this.ctx, ws, sid, input));
  deleteTask = (ws: string, sid: string, ifMatch?: string): Promise<void> =>
    withSpan('engine.deleteTask', { 'switchboard.workspace_sid': ws }, () => deleteTask(this.ctx, ws, sid, ifMatch));

  /**
   * Updates a reservation reached through a task (`owner.taskSid`) or a worker (`owner.workerSid`): status changes
   * (accepted, rejected, wrapping, completed) and instructions.
   */
  updateReservation = (ws: string, owner: { taskSid?: string; workerSid?: string }, sid: string, input: ReservationInput): Promise<ReservationRecord> =>
    withSpan('engine.updateReservation', { 'switchboard.workspace_sid': ws }, () => updateReservation(this.ctx, ws, owner, sid, input));

  /**
   * Transfers the task a worker holds (through its accepted reservation) to another worker or to a queue: the same
   * task is offered to the target (transfers.ts).
   */
  transferTask = (ws: string, workerSid: string, input: TransferInput): Promise<TransferView> =>
    withSpan('engine.transferTask', { 'switchboard.workspace_sid': ws }, () => transferTask(this.ctx, ws, workerSid, input));
  /** The worker who started a transfer takes it back before the target accepts. */
  cancelTransfer = (ws: string, workerSid: string, transferSid: string, taskSid: string | undefined): Promise<TransferView> =>
    withSpan('engine.cancelTransfer', { 'switchboard.workspace_sid': ws }, () => cancelTransfer(this.ctx, ws, workerSid, transferSid, taskSid));

  /**
   * Fires every timer that is due (reservation, step and TTL timeouts). Returns how many were handled. Each timer
   * fired has a span of its own: a span per look, five a second, would bury them.
   */
  runDueTimers = (): Promise<number> => runDueTimers(this.ctx);

  /** Matches waiting tasks with idle workers that event-driven matching missed. Returns how many tasks it routed. */
  sweep = (): Promise<number> => withSpan('engine.sweep', {}, () => sweep(this.ctx));
  private readonly sweepCursor: SweepCursor = { next: 0 };

  /** Starts firing due timers and sweeping queues periodically. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.timerIntervalMs);
    this.timer.unref();
    this.sweeper = setInterval(() => void this.sweepInBackground(), this.sweepIntervalMs);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.sweeper) clearInterval(this.sweeper);
    this.timer = null;
    this.sweeper = null;
  }

  private async sweepInBackground(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await withSpan('engine.sweep', {}, () => sweep(this.ctx, { cursor: this.sweepCursor, size: SWEEP_PAGE }));
    } catch (err) {
      log.error({ err }, 'queue sweep failed');
    } finally {
      this.sweeping = false;
    }
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.runDueTimers();
    } catch (err) {
      log.error({ err }, 'timer processing failed');
    } finally {
      this.ticking = false;
    }
  }
}
