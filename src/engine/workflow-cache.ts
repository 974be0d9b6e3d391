import { compileWorkflowConfiguration, type CompiledWorkflow } from '../core/workflow/index.js';
import type { WorkflowRecord } from '../core/model.js';

const cache = new Map<string, CompiledWorkflow>();
const LIMIT = 5_000;

/**
 * A workflow's configuration compiled once per version. Configurations are validated when written, so compiling a
 * stored one does not fail on syntax; a queue deleted since is tolerated (its targets match nobody).
 */
export function compiledWorkflow(workflow: WorkflowRecord): CompiledWorkflow {
  const key = `${workflow.sid}:${workflow.version}`;
  let compiled = cache.get(key);
  if (!compiled) {
    if (cache.size >= LIMIT) cache.clear();
    compiled = compileWorkflowConfiguration(workflow.configuration, () => true);
    cache.set(key, compiled);
  }
  return compiled;
}
