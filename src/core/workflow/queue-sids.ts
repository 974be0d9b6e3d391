import type { CompiledWorkflow } from './types.js';

/** Every TaskQueue a workflow can route to, e.g. to refuse deleting a queue that a workflow still uses. */
export function configurationQueueSids(w: CompiledWorkflow): Set<string> {
  const sids = new Set<string>();
  for (const filter of w.filters) for (const target of filter.targets) sids.add(target.queueSid);
  if (w.defaultFilter) sids.add(w.defaultFilter.queueSid);
  return sids;
}
