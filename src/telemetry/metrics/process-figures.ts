import { Counter, Gauge, type Registry } from 'prom-client';
import type { CallbackStats, DeliveryStats } from '../../events/delivery.js';

/** What this process serves that its figures come from; each part is optional (a process without callbacks…). */
export interface ProcessSources {
  /** Worker event bridge sessions connected to this process, by workspace sid. */
  sessions?: () => ReadonlyMap<string, number>;
  /** This process's callback delivery counters. */
  delivery?: () => DeliveryStats;
}

/** How one kind of callback's attempts ended, by the counters delivery keeps. */
const DELIVERY_OUTCOMES = ['delivered', 'skipped', 'retried', 'failed', 'dropped'] as const satisfies ReadonlyArray<keyof CallbackStats>;

/**
 * Figures of this process alone, read from what it keeps in memory at each scrape: its agents' sockets and its
 * callback deliveries. With several processes, sum() them.
 */
export function registerProcessFigures(registry: Registry, sources: ProcessSources): void {
  const registers = [registry];
  const { sessions, delivery } = sources;
  if (sessions) {
    new Gauge({
      name: 'switchboard_agent_sessions',
      help: "Worker event bridge sessions (agents' and wallboards' sockets) connected to this process",
      labelNames: ['workspace_sid'],
      registers,
      collect() {
        this.reset();
        for (const [workspace_sid, count] of sessions()) this.set({ workspace_sid }, count);
      },
    });
  }
  if (!delivery) return;
  const kinds = (stats: DeliveryStats) => [
    { callback: 'event', stats: stats.eventCallbacks },
    { callback: 'assignment', stats: stats.assignmentCallbacks },
  ];
  new Counter({
    name: 'switchboard_callback_deliveries_total',
    help: 'EventCallbackUrl and AssignmentCallbackUrl deliveries by outcome: delivered, skipped, retried (an attempt failed, tried again), failed (given up), dropped (never tried)',
    labelNames: ['callback', 'outcome'],
    registers,
    collect() {
      this.reset();
      for (const { callback, stats } of kinds(delivery())) for (const outcome of DELIVERY_OUTCOMES) this.inc({ callback, outcome }, stats[outcome]);
    },
  });
  new Gauge({
    name: 'switchboard_callbacks_in_flight',
    help: 'Callback requests under way',
    labelNames: ['callback'],
    registers,
    collect() {
      for (const { callback, stats } of kinds(delivery())) this.set({ callback }, stats.inFlight);
    },
  });
  new Gauge({
    name: 'switchboard_callback_backlog',
    help: 'The most callbacks any one workspace has waiting',
    labelNames: ['callback'],
    registers,
    collect() {
      for (const { callback, stats } of kinds(delivery())) this.set({ callback }, stats.longestBacklog);
    },
  });
}
