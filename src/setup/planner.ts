import { connectorPrunings, planConnector } from './connector-planner.js';
import type { SetupDocument } from './declared.js';
import type { Plan } from './plan.js';
import { SetupError } from './setup-error.js';
import { SidBook } from './sid-book.js';
import type { SetupTarget } from './target.js';
import { WorkspacePlanner } from './workspace-planner.js';

/** A plan, and the sids of what existed when it was made, which its steps refer to. */
export interface PlannedSetup {
  plan: Plan;
  sids: SidBook;
}

/**
 * Reads what `target` holds and compares the document with it: every object is matched by name, every reference
 * checked, every setting checked as the server would. Any problem is thrown before anything is written; what comes
 * back is the list of writes that make the target what the document says (empty when it already is). With `prune`,
 * the objects the document does not mention are deleted too (those inside its workspaces, the numbers routing to
 * them and the menus nothing else uses); without it they are left alone.
 */
export async function planSetup(document: SetupDocument, target: SetupTarget, options: { prune?: boolean } = {}): Promise<PlannedSetup> {
  const [workspaces, menus, numbers] = await Promise.all([target.listWorkspaces(), target.listIvrMenus(), target.listPhoneNumbers()]);
  const sids = new SidBook();
  const planners = new Map<string, WorkspacePlanner>();
  for (const declaration of document.workspaces) {
    const found = workspaces.filter((w) => w.friendlyName === declaration.name);
    if (found.length > 1) {
      throw new SetupError(
        document.file,
        `${declaration.path}.friendly_name`,
        `${found.length} workspaces have this name (${found.map((w) => w.sid).join(', ')}); rename all but one`,
      );
    }
    const planner = await WorkspacePlanner.read(declaration, found[0] ?? null, document.file, target);
    planner.register(sids);
    planners.set(declaration.name, planner);
  }
  const steps = [...planners.values()].flatMap((planner) => planner.plan());
  const now = { menus, numbers, workspaces, planners };
  const connector = planConnector(document, now);
  const unchanged = [...planners.values()].reduce((sum, planner) => sum + planner.unchanged, connector.unchanged);
  // Deletions last: the objects that stay no longer refer to what goes.
  const prunings = options.prune ? [...connectorPrunings(document, now), ...[...planners.values()].flatMap((planner) => planner.prunings())] : [];
  return { plan: { file: document.file, steps: [...steps, ...connector.steps, ...prunings], unchanged }, sids };
}
