import { TwilioError } from '../core/errors.js';
import { KIND_LABELS } from './declared.js';
import { readSetupFile } from './document.js';
import type { Plan } from './plan.js';
import { planSetup } from './planner.js';
import { SetupError } from './setup-error.js';
import type { SetupTarget } from './target.js';

/**
 * Plans the configuration file `file` against `target` (with `prune`, deleting what it does not mention: see
 * `planSetup`) and, unless `dryRun`, carries the plan out step by step. The
 * whole document is checked before the first write; a step the server still refuses (a rule only it knows, or a
 * change made by someone else in between) stops the apply with the server's reason at that object's path, the steps
 * before it done. Applying the same file again then finishes the work.
 */
export async function applySetupFile(target: SetupTarget, file: string, options: { dryRun?: boolean; prune?: boolean } = {}): Promise<Plan> {
  const document = await readSetupFile(file);
  const { plan, sids } = await planSetup(document, target, { prune: options.prune });
  if (options.dryRun) return plan;
  for (const step of plan.steps) {
    try {
      await step.run(target, sids);
    } catch (err) {
      if (err instanceof TwilioError) {
        throw new SetupError(file, step.path, `the server refused to ${step.action} ${KIND_LABELS[step.kind]} '${step.name}': ${err.message}`);
      }
      throw err;
    }
  }
  return plan;
}
