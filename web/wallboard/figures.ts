import type { Api } from '../shared/api.ts';
import type { CumulativeJson, QueueStatisticsJson } from './wire.ts';

/**
 * Service level: of the tasks whose wait ended in a window (accepted by an agent, or canceled before anyone did),
 * the share accepted within the threshold. Null when no wait ended.
 */
export interface ServiceLevel {
  withinThreshold: number;
  ended: number;
}

/** What happened in one window: service level, abandoned tasks (canceled while waiting), tasks accepted. */
export interface WindowFigures {
  serviceLevel: ServiceLevel;
  abandoned: number;
  accepted: number;
}

/** A queue's figures from TaskRouter's statistics. */
export interface QueueFigures {
  eligible: number;
  available: number;
  last30: WindowFigures;
  today: WindowFigures;
}

/** The statistics the wallboard re-reads when events say something changed. */
export interface BoardFigures {
  workspace: { last30: WindowFigures; today: WindowFigures };
  queues: Map<string, QueueFigures>;
  /** Epoch ms of the read. */
  readAt: number;
}

/** The last half hour, as the wallboard's tiles and queue rows count it. */
export const RECENT_MINUTES = 30;

/** Local midnight: where "today" starts. */
export function startOfToday(now = Date.now()): Date {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/**
 * Reads the workspace's and every queue's statistics for the last 30 minutes and for today, split at the service
 * level threshold (seconds): four requests, whatever the number of queues (up to a page of them per request).
 */
export async function readFigures(api: Api, workspaceSid: string, thresholdSeconds: number): Promise<BoardFigures> {
  const base = `/v1/Workspaces/${workspaceSid}`;
  const split = { SplitByWaitTime: String(thresholdSeconds) };
  const recent = { ...split, Minutes: RECENT_MINUTES };
  const today = { ...split, StartDate: startOfToday().toISOString() };
  const [wsRecent, wsToday, queuesRecent, queuesToday] = await Promise.all([
    api.get<CumulativeJson>(`${base}/CumulativeStatistics`, recent),
    api.get<CumulativeJson>(`${base}/CumulativeStatistics`, today),
    api.list<QueueStatisticsJson>(`${base}/TaskQueues/Statistics`, 'task_queues_statistics', recent),
    api.list<QueueStatisticsJson>(`${base}/TaskQueues/Statistics`, 'task_queues_statistics', today),
  ]);
  const todayByQueue = new Map(queuesToday.map((q) => [q.task_queue_sid, q]));
  const queues = new Map<string, QueueFigures>();
  for (const q of queuesRecent) {
    const t = todayByQueue.get(q.task_queue_sid);
    queues.set(q.task_queue_sid, {
      eligible: q.realtime.total_eligible_workers,
      available: q.realtime.total_available_workers,
      last30: windowFigures(q.cumulative, thresholdSeconds),
      today: t ? windowFigures(t.cumulative, thresholdSeconds) : windowFigures(q.cumulative, thresholdSeconds),
    });
  }
  return {
    workspace: { last30: windowFigures(wsRecent, thresholdSeconds), today: windowFigures(wsToday, thresholdSeconds) },
    queues,
    readAt: Date.now(),
  };
}

/** A window's figures from cumulative statistics split at `thresholdSeconds`. */
export function windowFigures(c: CumulativeJson, thresholdSeconds: number): WindowFigures {
  const split = c.split_by_wait_time?.[String(thresholdSeconds)];
  const below = split?.below ?? { reservations_accepted: 0, tasks_canceled: 0 };
  const above = split?.above ?? { reservations_accepted: 0, tasks_canceled: 0 };
  return {
    serviceLevel: {
      withinThreshold: below.reservations_accepted,
      ended: below.reservations_accepted + above.reservations_accepted + below.tasks_canceled + above.tasks_canceled,
    },
    abandoned: c.tasks_canceled,
    accepted: c.reservations_accepted,
  };
}

/** A service level as a whole percentage, or null when no wait ended. */
export function percent(sl: ServiceLevel): number | null {
  return sl.ended === 0 ? null : Math.round((100 * sl.withinThreshold) / sl.ended);
}

/**
 * A queue's estimated wait, in seconds: the tasks waiting in it divided by the pace at which its agents accepted
 * tasks over the last 30 minutes. Zero with nobody waiting; null when nothing was accepted to measure a pace by.
 */
export function estimatedWaitSeconds(waiting: number, acceptedLast30: number): number | null {
  if (waiting === 0) return 0;
  if (acceptedLast30 === 0) return null;
  return (waiting * RECENT_MINUTES * 60) / acceptedLast30;
}
