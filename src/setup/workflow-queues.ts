import { isMapping } from './document-node.js';

/**
 * A workflow configuration with each target's `queue` renamed: names to sids on the way to the server, sids to names
 * on the way back, so the document and what exists compare in the same words. Nothing else is touched, and no key
 * is added, so two configurations that say the same thing stay equal.
 */
export function withQueuesRenamed(configuration: unknown, rename: (queue: string) => string): unknown {
  if (!isMapping(configuration) || !isMapping(configuration.task_routing)) return configuration;
  const routing = configuration.task_routing;
  const target = (t: unknown): unknown => (isMapping(t) && typeof t.queue === 'string' ? { ...t, queue: rename(t.queue) } : t);
  const filter = (f: unknown): unknown => (isMapping(f) && Array.isArray(f.targets) ? { ...f, targets: f.targets.map(target) } : f);
  const renamed: Record<string, unknown> = { ...routing };
  if (Array.isArray(routing.filters)) renamed.filters = routing.filters.map(filter);
  if (routing.default_filter !== undefined) renamed.default_filter = target(routing.default_filter);
  return { ...configuration, task_routing: renamed };
}
