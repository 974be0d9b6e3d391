// The API's records as the console reads them (snake_case JSON), limited to the fields it shows or edits.

export interface Workspace {
  sid: string;
  friendly_name: string;
  default_activity_sid: string | null;
  timeout_activity_sid: string | null;
  multi_task_enabled: boolean;
  prioritize_queue_order: string;
  event_callback_url: string | null;
}

export interface Activity {
  sid: string;
  friendly_name: string;
  available: boolean;
}

export interface TaskQueue {
  sid: string;
  friendly_name: string;
  target_workers: string;
  max_reserved_workers: number;
  task_order: string;
  reservation_activity_sid: string | null;
  assignment_activity_sid: string | null;
}

export interface Workflow {
  sid: string;
  friendly_name: string;
  configuration: string;
  task_reservation_timeout: number;
  assignment_callback_url: string | null;
}

export interface Worker {
  sid: string;
  friendly_name: string;
  attributes: string;
  activity_sid: string;
  activity_name: string;
  available: boolean;
}

export interface WorkerChannel {
  sid: string;
  task_channel_unique_name: string;
  configured_capacity: number;
  available: boolean;
}

export interface IvrOption {
  digits: string | null;
  speech: string[];
  attributes: Record<string, unknown>;
  next_menu_sid: string | null;
}

export interface IvrMenu {
  sid: string;
  unique_name: string;
  prompt: string | null;
  options: IvrOption[];
}

export interface PhoneNumber {
  sid: string;
  number: string;
  friendly_name: string | null;
  workspace_sid: string;
  workflow_sid: string;
  ivr_menu_sid: string | null;
  when_no_workers: string | null;
  max_queue_size: number | null;
}

export interface TaskRouterEvent {
  sid: string;
  event_type: string;
  event_date: string;
  description: string;
  resource_type: string;
  resource_sid: string;
}
