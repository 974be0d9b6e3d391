import { EventEmitter } from 'node:events';
import type {
  ActivityRecord,
  EventRecord,
  ReservationRecord,
  TaskChannelRecord,
  TaskQueueRecord,
  TaskRecord,
  WorkerRecord,
  WorkflowRecord,
  WorkspaceRecord,
} from '../core/model.js';
import type { RoutingStore } from '../store/routing-store.js';
import { createActivity, createTaskChannel, deleteActivity, deleteTaskChannel, updateActivity, updateTaskChannel } from './activities.js';
import { systemClock, type Clock } from './clock.js';
import type {
  ActivityInput,
  ReservationInput,
  TaskChannelInput,
  TaskInput,
  TaskQueueInput,
  WorkerChannelInput,
  WorkerInput,
  WorkflowInput,
  WorkspaceInput,
} from './commands.js';
import type { EngineContext } from './context.js';
import { createTaskQueue, deleteTaskQueue, updateTaskQueue } from './queues.js';
import { updateReservation } from './reservations.js';
import { createTask, deleteTask, updateTask } from './tasks.js';
import type { TelephonyPort } from './telephony-port.js';
import { runDueTimers } from './timers.js';
import { createWorker, deleteWorker, updateWorker, updateWorkerChannel } from './workers.js';
import { createWorkflow, deleteWorkflow, updateWorkflow } from './workflows.js';
import { createWorkspace, deleteWorkspace, updateWorkspace } from './workspaces.js';

export interface EngineOptions {
  store: RoutingStore;
  accountSid: string;
  clock?: Clock;
  telephony?: TelephonyPort | null;
  /** How often due timers are looked for (ms). */
  timerIntervalMs?: number;
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
  private ticking = false;
  private readonly timerIntervalMs: number;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.accountSid = options.accountSid;
    this.timerIntervalMs = options.timerIntervalMs ?? 200;
    this.ctx = {
      store: this.store,
      clock: this.clock,
      accountSid: this.accountSid,
      events: new EventEmitter(),
      telephony: options.telephony ?? null,
    };
    this.ctx.events.setMaxListeners(0);
  }

  /** Connects a telephony connector (voice) that carries out reservation instructions. */
  setTelephony(port: TelephonyPort | null): void {
    this.ctx.telephony = port;
  }

  /** Subscribes to every event committed by this process's engine. Returns the unsubscribe function. */
  onEvent(listener: (event: EventRecord) => void): () => void {
    this.ctx.events.on('event', listener);
    return () => this.ctx.events.off('event', listener);
  }

  createWorkspace = (input: WorkspaceInput): Promise<WorkspaceRecord> => createWorkspace(this.ctx, input);
  updateWorkspace = (ws: string, input: WorkspaceInput): Promise<WorkspaceRecord> => updateWorkspace(this.ctx, ws, input);
  deleteWorkspace = (ws: string): Promise<void> => deleteWorkspace(this.ctx, ws);

  createActivity = (ws: string, input: ActivityInput): Promise<ActivityRecord> => createActivity(this.ctx, ws, input);
  updateActivity = (ws: string, sid: string, input: ActivityInput): Promise<ActivityRecord> => updateActivity(this.ctx, ws, sid, input);
  deleteActivity = (ws: string, sid: string): Promise<void> => deleteActivity(this.ctx, ws, sid);

  createTaskChannel = (ws: string, input: TaskChannelInput): Promise<TaskChannelRecord> => createTaskChannel(this.ctx, ws, input);
  /** `sidOrName`: TC sid or unique name. */
  updateTaskChannel = (ws: string, sidOrName: string, input: TaskChannelInput): Promise<TaskChannelRecord> =>
    updateTaskChannel(this.ctx, ws, sidOrName, input);
  deleteTaskChannel = (ws: string, sidOrName: string): Promise<void> => deleteTaskChannel(this.ctx, ws, sidOrName);

  createTaskQueue = (ws: string, input: TaskQueueInput): Promise<TaskQueueRecord> => createTaskQueue(this.ctx, ws, input);
  updateTaskQueue = (ws: string, sid: string, input: TaskQueueInput): Promise<TaskQueueRecord> => updateTaskQueue(this.ctx, ws, sid, input);
  deleteTaskQueue = (ws: string, sid: string): Promise<void> => deleteTaskQueue(this.ctx, ws, sid);

  createWorkflow = (ws: string, input: WorkflowInput): Promise<WorkflowRecord> => createWorkflow(this.ctx, ws, input);
  updateWorkflow = (ws: string, sid: string, input: WorkflowInput): Promise<WorkflowRecord> => updateWorkflow(this.ctx, ws, sid, input);
  deleteWorkflow = (ws: string, sid: string): Promise<void> => deleteWorkflow(this.ctx, ws, sid);

  createWorker = (ws: string, input: WorkerInput): Promise<WorkerRecord> => createWorker(this.ctx, ws, input);
  updateWorker = (ws: string, sid: string, input: WorkerInput): Promise<WorkerRecord> => updateWorker(this.ctx, ws, sid, input);
  deleteWorker = (ws: string, sid: string, ifMatch?: string): Promise<void> => deleteWorker(this.ctx, ws, sid, ifMatch);
  /** `channel`: WC sid, TC sid or task channel unique name. Returns the updated worker. */
  updateWorkerChannel = (ws: string, workerSid: string, channel: string, input: WorkerChannelInput): Promise<WorkerRecord> =>
    updateWorkerChannel(this.ctx, ws, workerSid, channel, input);

  createTask = (ws: string, input: TaskInput): Promise<TaskRecord> => createTask(this.ctx, ws, input);
  updateTask = (ws: string, sid: string, input: TaskInput): Promise<TaskRecord> => updateTask(this.ctx, ws, sid, input);
  deleteTask = (ws: string, sid: string, ifMatch?: string): Promise<void> => deleteTask(this.ctx, ws, sid, ifMatch);

  /**
   * Updates a reservation reached through a task (`owner.taskSid`) or a worker (`owner.workerSid`): status changes
   * (accepted, rejected, wrapping, completed) and instructions.
   */
  updateReservation = (ws: string, owner: { taskSid?: string; workerSid?: string }, sid: string, input: ReservationInput): Promise<ReservationRecord> =>
    updateReservation(this.ctx, ws, owner, sid, input);

  /** Fires every timer that is due (reservation, step and TTL timeouts). Returns how many were handled. */
  runDueTimers = (): Promise<number> => runDueTimers(this.ctx);

  /** Starts looking for due timers periodically. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.timerIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.runDueTimers();
    } catch (err) {
      console.error('timer processing failed', err);
    } finally {
      this.ticking = false;
    }
  }
}
