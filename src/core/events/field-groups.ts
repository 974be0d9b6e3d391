/**
 * The field groups of TaskRouter's event_data: each event carries some of them (event-map.ts says which). Keys are
 * TaskRouter's snake_case names and every value is a string, as TaskRouter sends them; dates are epoch seconds unless
 * the name ends in `_ms`. An optional field is left out when there is nothing to say (a task in no queue has no
 * `task_queue_name`), never sent empty or null.
 */

/** The workspace the event happened in: every event carries it. */
export interface WorkspaceFields {
  workspace_sid: string;
  workspace_name: string;
}

/** The task an event is about, as it stood when the event happened. */
export interface TaskFields {
  task_sid: string;
  /** The task's attributes, a JSON object as a string. */
  task_attributes: string;
  /** Seconds since the task was created. */
  task_age: string;
  task_priority: string;
  task_assignment_status: string;
  task_canceled_reason?: string;
  task_completed_reason?: string;
  task_channel_sid: string;
  task_channel_unique_name?: string;
  task_queue_sid?: string;
  task_queue_name?: string;
  task_queue_target_expression?: string;
  task_queue_entered_date?: string;
  task_queue_entered_date_ms?: string;
  task_date_created: string;
  task_version: string;
  workflow_sid?: string;
  workflow_name?: string;
  reason?: string;
}

/** The worker an event is about. */
export interface WorkerFields {
  worker_sid: string;
  worker_name: string;
  /** The worker's attributes, a JSON object as a string. */
  worker_attributes: string;
  worker_activity_sid: string;
  worker_activity_name?: string;
  worker_version: string;
}

/** The reservation an event is about; its queue and workflow are the ones it was made in. */
export interface ReservationFields {
  reservation_sid: string;
  task_queue_sid: string;
  workflow_sid?: string;
  /** Epoch ms it was accepted, once it was (beyond TaskRouter): handle time is measured from it. */
  reservation_accepted_date_ms?: string;
  /** Epoch ms its wrap-up began, once it did (beyond TaskRouter): wrap-up time is measured from it. */
  reservation_wrapup_date_ms?: string;
}

/** The activity a worker left (`worker.activity.update`), and how long it spent there. */
export interface ActivityChangeFields {
  worker_previous_activity_sid: string;
  worker_previous_activity_name: string;
  worker_time_in_previous_activity: string;
  worker_time_in_previous_activity_ms: string;
}

/** One channel of a worker, after a change of its capacity or availability. */
export interface WorkerChannelFields {
  task_channel_sid: string;
  task_channel_unique_name: string;
  worker_channel_available: string;
  worker_channel_available_capacity: string;
  worker_channel_previous_capacity: string;
  worker_channel_task_count: string;
}

/** An Activity resource. */
export interface ActivityFields {
  activity_sid: string;
  activity_name: string;
  activity_available: string;
}

/** A TaskChannel resource. */
export interface TaskChannelFields {
  task_channel_sid: string;
  task_channel_name: string;
  task_channel_unique_name: string;
  task_channel_optimized_routing: string;
}

/** A TaskQueue resource. */
export interface TaskQueueFields {
  task_queue_sid: string;
  task_queue_name: string;
  task_queue_target_expression: string;
}

/** A Workflow resource. */
export interface WorkflowFields {
  workflow_sid: string;
  workflow_name: string;
}

/** The workflow filter a task matched (`workflow.target-matched`), and the position of the target within it. */
export interface TargetMatchFields {
  workflow_filter_name: string;
  workflow_filter_target: string;
}

/** A task's transfer (`task.transfer-*`), as it stands after the event. */
export interface TransferFields {
  transfer_sid: string;
  transfer_mode: string;
  transfer_type: string;
  transfer_to: string;
  transfer_status: string;
  transfer_initiating_reservation_sid: string;
  transfer_initiating_worker_sid: string;
  transfer_initiating_queue_sid: string;
  transfer_initiating_workflow_sid?: string;
  transfer_failed_reason?: string;
  /** When the transfer was initiated, epoch seconds. */
  transfer_started: string;
}
