import type { EventRecord } from '../../core/model.js';

/**
 * The stored form of an event in a workspace's stream. An event is mostly field names and SIDs; Redis spends time
 * on every byte a commit passes and a stream entry holds, so the envelope's keys are short, nulls and the workspace
 * SID (the stream's own) are left out, and the data's known keys are replaced by their position in DATA_KEYS. Other
 * keys are stored as they are, unless they could be read as a position (all digits) or start with the escape '=':
 * those are stored behind a '='.
 *
 * DATA_KEYS is append-only: stored events refer to its positions.
 */
const DATA_KEYS = [
  'workspace_sid', 'workspace_name',
  'task_sid', 'task_attributes', 'task_age', 'task_priority', 'task_assignment_status', 'task_canceled_reason',
  'task_completed_reason', 'task_channel_sid', 'task_channel_unique_name', 'task_queue_sid', 'task_queue_name',
  'task_queue_target_expression', 'task_queue_entered_date', 'task_queue_entered_date_ms', 'task_date_created',
  'task_version', 'workflow_sid', 'workflow_name', 'reason',
  'worker_sid', 'worker_name', 'worker_attributes', 'worker_activity_sid', 'worker_activity_name', 'worker_version',
  'reservation_sid',
  'worker_previous_activity_sid', 'worker_previous_activity_name', 'worker_time_in_previous_activity',
  'worker_time_in_previous_activity_ms',
  'activity_sid', 'activity_name', 'activity_available',
  'task_channel_name', 'task_channel_optimized_routing',
  'worker_channel_available', 'worker_channel_available_capacity', 'worker_channel_previous_capacity',
  'worker_channel_task_count',
  'workflow_filter_name', 'workflow_filter_target',
] as const;

const CODE_OF = new Map<string, string>(DATA_KEYS.map((key, i) => [key, String(i)]));
const ALL_DIGITS = /^\d+$/;
const ESCAPE = '=';

function storedKey(key: string): string {
  const code = CODE_OF.get(key);
  if (code !== undefined) return code;
  return ALL_DIGITS.test(key) || key.startsWith(ESCAPE) ? ESCAPE + key : key;
}

function dataKey(stored: string): string {
  if (stored.startsWith(ESCAPE)) return stored.slice(1);
  return ALL_DIGITS.test(stored) ? DATA_KEYS[Number(stored)]! : stored;
}

interface StoredEvent {
  /** Kept under its own name: tools reading a stream entry find an event's SID there. */
  sid: string;
  t: string;
  d: number;
  r: string;
  s: string;
  m: string;
  at?: string;
  as?: string;
  x: Record<string, string | null>;
}

export function encodeEvent(event: EventRecord): string {
  const data: Record<string, string | null> = {};
  for (const key in event.data) data[storedKey(key)] = event.data[key]!;
  const stored: StoredEvent = {
    sid: event.sid,
    t: event.eventType,
    d: event.eventDate,
    r: event.resourceType,
    s: event.resourceSid,
    m: event.description,
    x: data,
  };
  if (event.actorType !== null) stored.at = event.actorType;
  if (event.actorSid !== null) stored.as = event.actorSid;
  return JSON.stringify(stored);
}

/** The event stored as `json` in the stream of `workspaceSid`. */
export function decodeEvent(workspaceSid: string, json: string): EventRecord {
  const stored = JSON.parse(json) as StoredEvent;
  const data: Record<string, string | null> = {};
  for (const key in stored.x) data[dataKey(key)] = stored.x[key]!;
  return {
    sid: stored.sid,
    workspaceSid,
    eventType: stored.t,
    eventDate: stored.d,
    resourceType: stored.r,
    resourceSid: stored.s,
    description: stored.m,
    actorType: stored.at ?? null,
    actorSid: stored.as ?? null,
    data,
  };
}
