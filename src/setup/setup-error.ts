import { ConfigError } from '../config.js';

/**
 * A configuration file that cannot be applied: names the file, the place in it (`workspaces[0].task_queues[2].
 * target_workers`) and the problem. A ConfigError, so a start-up that meets one stops with its message alone.
 */
export class SetupError extends ConfigError {
  constructor(
    readonly file: string,
    /** Where in the document; empty when the problem is the document as a whole, or when `problem` names it. */
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}: ${path ? `${path}: ` : ''}${problem}`);
    this.name = 'SetupError';
  }
}
