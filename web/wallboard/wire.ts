/** The parts of Switchboard's REST and event payloads the wallboard reads (TaskRouter's snake_case JSON). */

export interface ActivityJson {
  sid: string;
  friendly_name: string;
  available: boolean;
}

export interface TaskQueueJson {
  sid: string;
  friendly_name: string;
}

export interface WorkerJson {
  sid: string;
  friendly_name: string;
  activity_sid: string;
  activity_name: string | null;
  available: boolean;
  date_status_changed: string | null;
}

export type AssignmentStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';

export interface TaskJson {
  sid: string;
  assignment_status: AssignmentStatus;
  date_created: string;
  priority: number;
  task_queue_sid: string | null;
  task_channel_unique_name: string | null;
  attributes: string;
}

export interface ReservationJson {
  sid: string;
  worker_sid: string;
  reservation_status: string;
}

export interface WorkspaceJson {
  sid: string;
  friendly_name: string;
}

/** An event as the Events API and the workspace's live feed carry it; `event_data` values are strings. */
export interface EventJson {
  sid: string;
  event_type: string;
  event_date_ms: number;
  resource_sid: string;
  event_data: Partial<Record<string, string>>;
}

/** One side of a `split_by_wait_time` threshold. */
interface WaitSide {
  tasks_canceled: number;
  reservations_accepted: number;
}

/** Cumulative statistics fields the wallboard reads. */
export interface CumulativeJson {
  tasks_canceled: number;
  reservations_accepted: number;
  split_by_wait_time: Record<string, { above: WaitSide; below: WaitSide }> | null;
}

/** Real-time queue statistics fields the wallboard reads. */
export interface QueueRealTimeJson {
  total_eligible_workers: number;
  total_available_workers: number;
}

/** An item of `TaskQueues/Statistics`. */
export interface QueueStatisticsJson {
  task_queue_sid: string;
  cumulative: CumulativeJson;
  realtime: QueueRealTimeJson;
}
