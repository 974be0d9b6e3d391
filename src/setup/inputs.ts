import { connectorMenuSettings, connectorSettings } from './connector-declarations.js';
import type { Fields, SetupKind } from './declared.js';
import type { SidBook } from './sid-book.js';
import type { SetupInput } from './target.js';
import { withQueuesRenamed } from './workflow-queues.js';

/** How a document setting becomes a command input: its input's name, and its value with references as sids. */
type Translation = [input: string, value: (v: unknown, sids: SidBook, workspace: string) => unknown];

const same = (v: unknown): unknown => v;
/** A setting cleared (null) is sent empty, as the API clears it. */
const orEmpty = (v: unknown): unknown => v ?? '';
const activity = (v: unknown, sids: SidBook, ws: string): unknown => (v === null ? '' : sids.get('activity', ws, v as string));
const name = (input: string): Translation => [input, same];

const TASKROUTER_INPUTS: Partial<Record<SetupKind, Record<string, Translation>>> = {
  workspace: {
    friendly_name: name('friendlyName'),
    event_callback_url: ['eventCallbackUrl', orEmpty],
    events_filter: ['eventsFilter', orEmpty],
    multi_task_enabled: name('multiTaskEnabled'),
    prioritize_queue_order: name('prioritizeQueueOrder'),
    default_activity: ['defaultActivitySid', activity],
    timeout_activity: ['timeoutActivitySid', activity],
  },
  activity: { friendly_name: name('friendlyName'), available: name('available') },
  taskChannel: { unique_name: name('uniqueName'), friendly_name: name('friendlyName'), channel_optimized_routing: name('channelOptimizedRouting') },
  taskQueue: {
    friendly_name: name('friendlyName'),
    target_workers: name('targetWorkers'),
    max_reserved_workers: name('maxReservedWorkers'),
    task_order: name('taskOrder'),
    reservation_activity: ['reservationActivitySid', activity],
    assignment_activity: ['assignmentActivitySid', activity],
  },
  workflow: {
    friendly_name: name('friendlyName'),
    configuration: ['configuration', (v, sids, ws) => JSON.stringify(withQueuesRenamed(v, (queue) => sids.get('taskQueue', ws, queue)))],
    assignment_callback_url: ['assignmentCallbackUrl', orEmpty],
    fallback_assignment_callback_url: ['fallbackAssignmentCallbackUrl', orEmpty],
    task_reservation_timeout: name('taskReservationTimeout'),
  },
  worker: { friendly_name: name('friendlyName'), attributes: ['attributes', (v) => JSON.stringify(v)], activity: ['activitySid', activity] },
};

/**
 * The input that creates or updates an object of `kind` with `fields` (document settings, names included when
 * creating): the engine's command input for TaskRouter objects, the connector's settings for numbers and menus.
 * `workspace` is the name of the workspace the object belongs to (a number's, for its workflow).
 */
export function inputFor(kind: SetupKind, fields: Fields, sids: SidBook, workspace: string): SetupInput {
  if (kind === 'ivrMenu') return connectorMenuSettings(fields) as SetupInput;
  if (kind === 'phoneNumber') {
    // The workflow is checked against the workspace: both go together, whichever changed.
    const workspaceName = (fields.workspace as string | undefined) ?? workspace;
    const references = {
      workspace_sid: sids.get('workspace', '', workspaceName),
      workflow_sid: sids.get('workflow', workspaceName, fields.workflow as string),
    };
    const { workspace: _ws, workflow: _wf, ...settings } = fields;
    return { ...connectorSettings(settings), ...references };
  }
  const translations = TASKROUTER_INPUTS[kind]!;
  const input: SetupInput = {};
  for (const [key, value] of Object.entries(fields)) {
    const [inputName, translate] = translations[key]!;
    input[inputName] = translate(value, sids, workspace) as SetupInput[string];
  }
  return input;
}
