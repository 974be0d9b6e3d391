import { isHttpUrl } from '../connector/settings-reader.js';
import { TwilioError } from '../core/errors.js';
import { parseExpression } from '../core/expression/index.js';
import { attributesJson } from '../core/validate.js';
import { CHANNEL_UNIQUE_NAME } from '../engine/activities.js';
import type { Declared, Fields, SetupKind } from './declared.js';
import type { DocumentNode } from './document-node.js';

const QUEUE_ORDERS = ['FIFO', 'LIFO'] as const;

/** Friendly names and unique names: TaskRouter's limit. */
const NAME_MAX = 64;

/**
 * The document's keys of a workspace and, for each section inside it, the defaults a setting takes when left out:
 * those of a workspace, activity, channel, queue or workflow created through the API with nothing but its name.
 */
export const WORKSPACE_KEYS = [
  'friendly_name',
  'event_callback_url',
  'events_filter',
  'multi_task_enabled',
  'prioritize_queue_order',
  'default_activity',
  'timeout_activity',
  'activities',
  'task_channels',
  'task_queues',
  'workflows',
  'workers',
  'phone_numbers',
] as const;

export function readWorkspace(node: DocumentNode): Declared {
  const events = node.words('events_filter');
  return declared(node, 'workspace', node.requiredText('friendly_name', NAME_MAX), {
    event_callback_url: url(node, 'event_callback_url'),
    events_filter: events && events.length > 0 ? events.join(',') : null,
    multi_task_enabled: node.bool('multi_task_enabled') ?? true,
    prioritize_queue_order: node.oneOf('prioritize_queue_order', QUEUE_ORDERS) ?? 'FIFO',
  });
}

/** The default and timeout activities, which are left as they are when the document does not name them. */
export function readActivityChoice(node: DocumentNode, workspaceName: string): Declared | null {
  const fields: Fields = {};
  for (const key of ['default_activity', 'timeout_activity']) {
    const name = node.text(key, NAME_MAX);
    if (name !== undefined) fields[key] = name;
  }
  return Object.keys(fields).length === 0 ? null : { ...declared(node, 'workspace', workspaceName, fields), given: new Set(Object.keys(fields)) };
}

export function readActivity(node: DocumentNode): Declared {
  node.mapping(['friendly_name', 'available']);
  return declared(node, 'activity', node.requiredText('friendly_name', NAME_MAX), { available: node.bool('available') ?? false });
}

export function readTaskChannel(node: DocumentNode): Declared {
  node.mapping(['unique_name', 'friendly_name', 'channel_optimized_routing']);
  const uniqueName = node.requiredText('unique_name', NAME_MAX);
  if (!CHANNEL_UNIQUE_NAME.test(uniqueName)) node.fail('may contain only letters, digits and underscores', 'unique_name');
  const channel = declared(node, 'taskChannel', uniqueName, {
    friendly_name: node.text('friendly_name', NAME_MAX) ?? uniqueName,
    channel_optimized_routing: node.bool('channel_optimized_routing') ?? false,
  });
  // A channel is created with a friendly name, its unique name unless the document gives one.
  return { ...channel, given: new Set([...channel.given, 'friendly_name']) };
}

export function readTaskQueue(node: DocumentNode): Declared {
  node.mapping(['friendly_name', 'target_workers', 'max_reserved_workers', 'task_order', 'reservation_activity', 'assignment_activity']);
  const targetWorkers = node.text('target_workers') ?? '1==1';
  engineCheck(node, 'target_workers', () => parseExpression(targetWorkers));
  return declared(node, 'taskQueue', node.requiredText('friendly_name', NAME_MAX), {
    target_workers: targetWorkers,
    max_reserved_workers: node.int('max_reserved_workers', 1, 50) ?? 1,
    task_order: node.oneOf('task_order', QUEUE_ORDERS) ?? 'FIFO',
    reservation_activity: node.text('reservation_activity', NAME_MAX) ?? null,
    assignment_activity: node.text('assignment_activity', NAME_MAX) ?? null,
  });
}

/** A workflow; its configuration's queues (by name) are checked by the planner, which knows every queue. */
export function readWorkflow(node: DocumentNode): Declared {
  node.mapping(['friendly_name', 'configuration', 'assignment_callback_url', 'fallback_assignment_callback_url', 'task_reservation_timeout']);
  const configuration = node.data('configuration');
  if (!configuration) node.fail('is required: the routing, as in a TaskRouter workflow, with queues by name', 'configuration');
  checkConfigurationKeys(node.child('configuration'));
  return declared(node, 'workflow', node.requiredText('friendly_name', NAME_MAX), {
    configuration,
    assignment_callback_url: url(node, 'assignment_callback_url'),
    fallback_assignment_callback_url: url(node, 'fallback_assignment_callback_url'),
    task_reservation_timeout: node.int('task_reservation_timeout', 1, 86_400) ?? 120,
  });
}

/** A worker: its attributes are configuration; its activity is state, set only when the worker is created. */
export function readWorker(node: DocumentNode): Declared {
  node.mapping(['friendly_name', 'activity', 'attributes']);
  const attributes = node.data('attributes') ?? {};
  engineCheck(node, 'attributes', () => attributesJson(JSON.stringify(attributes)));
  const activity = node.text('activity', NAME_MAX);
  return { ...declared(node, 'worker', node.requiredText('friendly_name', NAME_MAX), { attributes }), onCreate: activity === undefined ? {} : { activity } };
}

/** Keys of a workflow configuration's filters and targets: TaskRouter ignores others, so a typo would pass unseen. */
const FILTER_KEYS = ['filter_friendly_name', 'expression', 'targets'];
const TARGET_KEYS = ['queue', 'expression', 'priority', 'timeout', 'order_by', 'skip_if', 'known_worker_sid', 'known_worker_friendly_name'];

function checkConfigurationKeys(configuration: DocumentNode): void {
  const routing = configuration.mapping(['task_routing']).child('task_routing');
  if (routing.value === undefined) return; // reported by the server's own check, as TaskRouter words it
  routing.mapping(['filters', 'default_filter']);
  for (const filter of routing.items('filters')) {
    for (const target of filter.mapping(FILTER_KEYS).items('targets')) target.mapping(TARGET_KEYS);
  }
  if (routing.has('default_filter')) routing.child('default_filter').mapping(TARGET_KEYS);
}

function url(node: DocumentNode, key: string): string | null {
  const value = node.text(key, 2048);
  if (value !== undefined && !isHttpUrl(value)) node.fail(`must be an absolute http(s) URL, got '${value}'`, key);
  return value ?? null;
}

/** Runs one of the engine's own checks on a setting, its refusal reported at the setting's path. */
function engineCheck(node: DocumentNode, key: string, check: () => unknown): void {
  try {
    check();
  } catch (err) {
    if (err instanceof TwilioError) node.fail(err.message, key);
    throw err;
  }
}

function declared(node: DocumentNode, kind: SetupKind, name: string, fields: Fields): Declared {
  const given = new Set(Object.keys(fields).filter((key) => node.has(key)));
  return { kind, path: node.path, name, fields, given, onCreate: {} };
}
