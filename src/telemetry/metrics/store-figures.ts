import { Gauge, type Registry } from 'prom-client';
import type { RoutingEngine } from '../../engine/engine.js';
import { queueRealTime, TASK_STATUSES, workersRealTime } from '../../engine/statistics.js';
import type { WorkspaceConfig } from '../../engine/workspace-config.js';
import { QUEUE_CHANNEL_LABELS, QUEUE_LABELS, queueLabels, WORKSPACE_LABELS, workspaceLabels } from './labels.js';

type Labels<T extends readonly string[]> = T[number];

/**
 * Gauges read from the store at each scrape, through the same code the real-time statistics API runs: the counters
 * and index heads every commit keeps, so a scrape costs a few reads per queue and per workspace, whatever the number
 * of tasks and workers. Every process sharing a store reads the same figures: aggregate them with max(), not sum().
 */
export class StoreFigures {
  private readonly tasks: Gauge<Labels<typeof QUEUE_CHANNEL_LABELS> | 'status'>;
  private readonly waiting: Gauge<Labels<typeof QUEUE_CHANNEL_LABELS>>;
  private readonly longestWait: Gauge<Labels<typeof QUEUE_LABELS>>;
  private readonly longestInQueue: Gauge<Labels<typeof QUEUE_LABELS>>;
  private readonly eligible: Gauge<Labels<typeof QUEUE_LABELS>>;
  private readonly available: Gauge<Labels<typeof QUEUE_LABELS>>;
  private readonly workers: Gauge<Labels<typeof WORKSPACE_LABELS> | 'activity_sid' | 'activity' | 'available'>;
  private readonly readable: Gauge;
  /** The read under way: every gauge's collect of one scrape shares it. */
  private reading: Promise<void> | null = null;

  constructor(
    registry: Registry,
    private readonly engine: RoutingEngine,
  ) {
    const registers = [registry];
    const collect = () => this.read();
    this.tasks = new Gauge({
      name: 'switchboard_queue_tasks',
      help: "Tasks in a queue now, by assignment status and channel (a queue's RealTimeStatistics tasks_by_status)",
      labelNames: [...QUEUE_CHANNEL_LABELS, 'status'],
      registers,
      collect,
    });
    this.waiting = new Gauge({
      name: 'switchboard_queue_tasks_waiting',
      help: 'Tasks waiting in a queue now (pending or offered to a worker), by channel',
      labelNames: QUEUE_CHANNEL_LABELS,
      registers,
      collect,
    });
    this.longestWait = new Gauge({
      name: 'switchboard_queue_longest_wait_seconds',
      help: 'Age of the oldest task waiting in a queue (since its creation; longest_task_waiting_age); 0 when none waits',
      labelNames: QUEUE_LABELS,
      registers,
      collect,
    });
    this.longestInQueue = new Gauge({
      name: 'switchboard_queue_longest_wait_in_queue_seconds',
      help: 'Longest time a waiting task has spent in this queue (longest_relative_task_age_in_queue); 0 when none waits',
      labelNames: QUEUE_LABELS,
      registers,
      collect,
    });
    this.eligible = new Gauge({
      name: 'switchboard_queue_workers_eligible',
      help: "Workers matching a queue's TargetWorkers",
      labelNames: QUEUE_LABELS,
      registers,
      collect,
    });
    this.available = new Gauge({
      name: 'switchboard_queue_workers_available',
      help: "A queue's eligible workers in an available activity",
      labelNames: QUEUE_LABELS,
      registers,
      collect,
    });
    this.readable = new Gauge({
      name: 'switchboard_store_figures_up',
      help: "1 when this scrape read the store's figures, 0 when the store could not be read (they are left out then)",
      registers,
      collect,
    });
    this.workers = new Gauge({
      name: 'switchboard_workers',
      help: 'Workers by activity',
      labelNames: [...WORKSPACE_LABELS, 'activity_sid', 'activity', 'available'],
      registers,
      collect,
    });
  }

  /** Reads every figure once per scrape, however many gauges ask. */
  private read(): Promise<void> {
    this.reading ??= this.readAll().finally(() => (this.reading = null));
    return this.reading;
  }

  private async readAll(): Promise<void> {
    try {
      await this.readFigures();
      this.readable.set(1);
    } catch {
      // The store is away: the rest of the scrape still answers, and this gauge says what is missing.
      this.resetFigures();
      this.readable.set(0);
    }
  }

  private async readFigures(): Promise<void> {
    const workspaces = await this.engine.store.list('', 'workspace');
    const configs = await Promise.all(workspaces.map((w) => this.engine.workspaceConfig(w.sid).catch(() => null)));
    const now = this.engine.clock.now();
    const figures = await Promise.all(configs.filter((c): c is WorkspaceConfig => c !== null).map((config) => this.readWorkspace(config, now)));
    // Set only once everything is read, so a scrape never shows half of one reading and half of the last.
    this.resetFigures();
    for (const set of figures) set();
  }

  private resetFigures(): void {
    for (const gauge of [this.tasks, this.waiting, this.longestWait, this.longestInQueue, this.eligible, this.available, this.workers]) gauge.reset();
  }

  /** Reads a workspace's figures; returns what sets them. */
  private async readWorkspace(config: WorkspaceConfig, now: number): Promise<() => void> {
    const store = this.engine.store;
    const [workers, queues] = await Promise.all([
      workersRealTime(store, config),
      Promise.all([...config.queues.values()].map(async (queue) => ({ queue, figures: await queueRealTime(store, config, queue.sid, now) }))),
    ]);
    return () => {
      for (const activity of workers.activityStatistics) {
        const available = String(config.activities.get(activity.sid)?.available ?? false);
        this.workers.set({ ...workspaceLabels(config), activity_sid: activity.sid, activity: activity.friendlyName, available }, activity.workers);
      }
      for (const { queue, figures } of queues) {
        const labels = queueLabels(config, queue);
        this.longestWait.set(labels, figures.longestWaiting.age);
        this.longestInQueue.set(labels, figures.longestInQueue.age);
        this.eligible.set(labels, figures.totalEligibleWorkers);
        this.available.set(labels, figures.totalAvailableWorkers);
        for (const channel of config.channels) {
          const byStatus = figures.tasksByChannel.get(channel.sid)!;
          const channelLabels = { ...labels, task_channel: channel.uniqueName };
          for (const status of TASK_STATUSES) this.tasks.set({ ...channelLabels, status }, byStatus[status]);
          this.waiting.set(channelLabels, byStatus.pending + byStatus.reserved);
        }
      }
    };
  }
}
