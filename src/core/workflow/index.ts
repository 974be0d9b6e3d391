/** Workflow configuration: validation of the `Configuration` JSON and its routing-ready form. */
export type { CompiledFilter, CompiledTarget, CompiledWorkflow } from './types.js';
export { compileWorkflowConfiguration, MAX_CONFIGURATION_BYTES } from './compile.js';
export { configurationQueueSids } from './queue-sids.js';
