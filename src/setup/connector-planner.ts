import { checkAnswersFit, menuCycleThrough } from '../connector/menu-graph.js';
import { TwilioError } from '../core/errors.js';
import type { IvrOption } from '../core/model.js';
import { ivrMenuFields, phoneNumberFields } from './connector-declarations.js';
import type { Declared, SetupDocument } from './declared.js';
import { isMapping } from './document-node.js';
import { deletion, stepFor, type PlanStep } from './plan.js';
import { SetupError } from './setup-error.js';
import type { IvrMenuState, PhoneNumberState, WorkspaceState } from './target.js';
import type { WorkspacePlanner } from './workspace-planner.js';

/** What the connector's part of a plan is compared with. */
export interface ConnectorNow {
  menus: IvrMenuState[];
  numbers: PhoneNumberState[];
  workspaces: WorkspaceState[];
  /** The planner of each workspace the document declares, by name: it checks a number's references into it. */
  planners: Map<string, WorkspacePlanner>;
}

type MenuGraph = Map<string, { uniqueName: string; options: IvrOption[] }>;

/**
 * Plans the voice connector's IVR menus and phone numbers: menus ordered so each comes after the menus of the document
 * it leads to, the graph they make with the menus that exist checked for cycles and for answers that would not fit a
 * task, then numbers, once their workflows and menus exist.
 */
export function planConnector(document: SetupDocument, now: ConnectorNow): { steps: PlanStep[]; unchanged: number } {
  const { file } = document;
  const menuName = (sid: string): string => now.menus.find((m) => m.sid === sid)?.uniqueName ?? sid;
  const graph: MenuGraph = new Map(
    now.menus.map((m) => [
      m.uniqueName,
      { uniqueName: m.uniqueName, options: m.options.map((o) => ({ ...o, nextMenuSid: o.nextMenuSid && menuName(o.nextMenuSid) })) },
    ]),
  );
  for (const menu of document.ivrMenus) graph.set(menu.name, { uniqueName: menu.name, options: declaredOptions(menu) });
  for (const menu of document.ivrMenus) checkMenu(file, menu, graph);

  const steps: PlanStep[] = [];
  let unchanged = 0;
  const add = (step: PlanStep | null): void => {
    if (step) steps.push(step);
    else unchanged++;
  };
  for (const menu of dependencyOrder(document.ivrMenus)) {
    const found = now.menus.find((m) => m.uniqueName === menu.name);
    add(stepFor(menu, found ? { sid: () => found.sid, fields: ivrMenuFields(found, menuName) } : null, { workspace: null, nameKey: 'unique_name' }));
  }
  for (const workspace of document.workspaces) {
    const planner = now.planners.get(workspace.name)!;
    for (const declared of workspace.phoneNumbers) {
      const number = planner.checkPhoneNumber(declared);
      const menu = number.fields.ivr_menu as string | null;
      if (menu !== null && !graph.has(menu)) throw new SetupError(file, `${number.path}.ivr_menu`, `no IVR menu '${menu}' (declared or existing)`);
      const found = now.numbers.find((n) => n.number === number.name);
      const current = found && {
        sid: () => found.sid,
        fields: phoneNumberFields(found, {
          workspace: now.workspaces.find((w) => w.sid === found.workspaceSid)?.friendlyName ?? found.workspaceSid,
          workflow: workflowName(now, found),
          ivrMenu: found.ivrMenuSid && menuName(found.ivrMenuSid),
        }),
      };
      // The workflow is checked against the workspace: both go with every update.
      add(stepFor(number, current ?? null, { workspace: null, nameKey: 'number', alwaysSent: ['workspace', 'workflow'] }));
    }
  }
  return { steps, unchanged };
}

/**
 * The steps that delete the numbers routing to a workspace of the document that it does not declare, then the menus
 * it does not declare that no remaining number or menu leads to (a menu another workspace's number still uses stays),
 * each menu before those it leads to.
 */
export function connectorPrunings(document: SetupDocument, now: ConnectorNow): PlanStep[] {
  const declaredNumbers = new Set(document.workspaces.flatMap((w) => w.phoneNumbers.map((n) => n.name)));
  const workspaces = new Set([...now.planners.values()].map((p) => p.sid));
  const pruned = now.numbers.filter((n) => workspaces.has(n.workspaceSid) && !declaredNumbers.has(n.number));
  const numberSteps = pruned.map((n) => deletion('phoneNumber', n.number, () => n.sid, { workspace: null, path: 'workspaces' }));

  const declaredMenus = new Set(document.ivrMenus.map((m) => m.name));
  const menuName = (sid: string | null): string | null => (sid === null ? null : (now.menus.find((m) => m.sid === sid)?.uniqueName ?? null));
  const remainingNumbers = now.numbers.filter((n) => !pruned.includes(n) && !declaredNumbers.has(n.number)).map((n) => menuName(n.ivrMenuSid));
  const declaredLeads = [
    ...document.workspaces.flatMap((w) => w.phoneNumbers.map((n) => n.fields.ivr_menu as string | null)),
    ...document.ivrMenus.flatMap((m) => declaredOptions(m).map((o) => o.nextMenuSid)),
  ];
  let candidates = now.menus.filter((m) => !declaredMenus.has(m.uniqueName));
  const leadsOf = (menu: IvrMenuState) => menu.options.map((o) => menuName(o.nextMenuSid));
  // A menu still led to from what remains stays, and so do the menus it leads to.
  for (let kept = true; kept;) {
    const remaining = now.menus.filter((m) => !candidates.includes(m));
    const led = new Set([...remainingNumbers, ...declaredLeads, ...remaining.filter((m) => !declaredMenus.has(m.uniqueName)).flatMap(leadsOf)]);
    const next = candidates.filter((m) => !led.has(m.uniqueName));
    kept = next.length < candidates.length;
    candidates = next;
  }
  const menuSteps: PlanStep[] = [];
  while (candidates.length > 0) {
    const ledByOthers = new Set(candidates.flatMap(leadsOf));
    const free = candidates.filter((m) => !ledByOthers.has(m.uniqueName));
    // The connector refuses cycles; menus that formed one anyway are left rather than looped over.
    if (free.length === 0) break;
    menuSteps.push(...free.map((m) => deletion('ivrMenu', m.uniqueName, () => m.sid, { workspace: null, path: 'ivr_menus' })));
    candidates = candidates.filter((m) => !free.includes(m));
  }
  return [...numberSteps, ...menuSteps];
}

/** The name of the workflow a number routes to now, when its workspace is one the document declares. */
function workflowName(now: ConnectorNow, number: PhoneNumberState): string {
  const workspace = now.workspaces.find((w) => w.sid === number.workspaceSid);
  const planner = workspace && now.planners.get(workspace.friendlyName);
  return planner ? planner.workflowName(number.workflowSid) : number.workflowSid;
}

function declaredOptions(menu: Declared): IvrOption[] {
  const options = (menu.fields.options as unknown[]).filter(isMapping);
  return options.map((o) => ({
    digits: o.digits as string | null,
    speech: o.speech as string[],
    attributes: o.attributes as Record<string, unknown>,
    nextMenuSid: o.next_menu as string | null,
  }));
}

/** A menu's options lead to menus that exist or are declared, never back to it, and collect answers that fit. */
function checkMenu(file: string, menu: Declared, graph: MenuGraph): void {
  declaredOptions(menu).forEach((option, i) => {
    if (option.nextMenuSid !== null && !graph.has(option.nextMenuSid)) {
      throw new SetupError(file, `${menu.path}.options[${i}].next_menu`, `no IVR menu '${option.nextMenuSid}' (declared or existing)`);
    }
  });
  const cycle = menuCycleThrough(menu.name, graph);
  if (cycle)
    throw new SetupError(file, `${menu.path}.options`, `menus would lead back to themselves (${cycle.join(' → ')}); a caller would never leave the IVR`);
  try {
    checkAnswersFit(menu.name, graph, `${menu.path}.options`);
  } catch (err) {
    if (err instanceof TwilioError) throw new SetupError(file, '', err.message);
    throw err;
  }
}

/** Declared menus, each after the declared menus it leads to (the graph has no cycle: checked before). */
function dependencyOrder(menus: Declared[]): Declared[] {
  const byName = new Map(menus.map((m) => [m.name, m]));
  const ordered: Declared[] = [];
  const placed = new Set<Declared>();
  const place = (menu: Declared): void => {
    if (placed.has(menu)) return;
    placed.add(menu);
    for (const option of declaredOptions(menu)) {
      const next = option.nextMenuSid === null ? undefined : byName.get(option.nextMenuSid);
      if (next) place(next);
    }
    ordered.push(menu);
  };
  menus.forEach(place);
  return ordered;
}
