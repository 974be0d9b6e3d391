import type { WorkerRecord } from '../../core/model.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { matches, targetWorkersScope } from '../../engine/routing-scope.js';
import { compiledExpression } from '../wire/expressions.js';
import { parseOrdering, sortBy, type SortKeys } from '../wire/ordering.js';
import type { TwilioParams } from '../wire/params.js';
import type { WireContext } from '../wire/serialize/index.js';

const SORT_KEYS: SortKeys<WorkerRecord> = {
  DateCreated: (w) => w.dateCreated,
  DateUpdated: (w) => w.dateUpdated,
  DateStatusChanged: (w) => w.dateStatusChanged,
  FriendlyName: (w) => w.friendlyName.toLowerCase(),
};

/**
 * A workspace's workers filtered and ordered by TaskRouter's list parameters (`ActivitySid`, `ActivityName`,
 * `Available`, `FriendlyName`, `TargetWorkersExpression`, `TaskQueueSid`, `TaskQueueName`, `Ordering`), for the
 * REST list and the worker SDK's `Workspace.fetchWorkers`. Every parameter is checked before anything is read.
 */
export async function findWorkers(engine: RoutingEngine, ctx: WireContext, query: TwilioParams): Promise<WorkerRecord[]> {
  const activityName = query.string('ActivityName');
  const activitySid = query.string('ActivitySid');
  const available = query.bool('Available');
  const friendlyName = query.string('FriendlyName')?.toLowerCase();
  const expression = query.string('TargetWorkersExpression');
  const queueName = query.string('TaskQueueName');
  const queueSid = query.string('TaskQueueSid');
  const ordering = query.string('Ordering');
  const terms = ordering === undefined ? null : parseOrdering(ordering, Object.keys(SORT_KEYS));
  if (expression !== undefined) compiledExpression(expression, 'TargetWorkersExpression');

  const { activities, queues } = ctx.config;
  const namedQueue = queueName === undefined ? undefined : [...queues.values()].find((q) => q.friendlyName === queueName);
  const workers = (await engine.store.list(ctx.config.workspace.sid, 'worker')).filter((w) => {
    const activity = activities.get(w.activitySid);
    if (activitySid !== undefined && w.activitySid !== activitySid) return false;
    if (activityName !== undefined && activity?.friendlyName !== activityName) return false;
    if (available !== undefined && (activity?.available ?? false) !== available) return false;
    if (friendlyName !== undefined && w.friendlyName.toLowerCase() !== friendlyName) return false;
    if (queueSid !== undefined && !w.queueSids.includes(queueSid)) return false;
    if (queueName !== undefined && (!namedQueue || !w.queueSids.includes(namedQueue.sid))) return false;
    if (expression !== undefined && !matches(expression, targetWorkersScope(w, ctx.config, ctx.now))) return false;
    return true;
  });
  return terms ? sortBy(workers, terms, SORT_KEYS) : workers;
}
