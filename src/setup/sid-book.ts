import type { SetupKind } from './declared.js';

/** Kinds whose names TaskRouter keeps unique whatever their case. */
const ANY_CASE: ReadonlySet<SetupKind> = new Set(['activity', 'taskQueue', 'worker']);

/**
 * The sid of every object by its name, within its workspace (workspaces, menus and numbers: the account): filled from
 * what exists when planning, and as objects are created while applying, so later steps refer to them.
 */
export class SidBook {
  private readonly sids = new Map<string, string>();

  set(kind: SetupKind, workspace: string, name: string, sid: string): void {
    this.sids.set(key(kind, workspace, name), sid);
  }

  /** The sid of an object a checked plan refers to: every reference was resolved before the first write. */
  get(kind: SetupKind, workspace: string, name: string): string {
    const sid = this.sids.get(key(kind, workspace, name));
    if (sid === undefined) throw new Error(`no sid known for ${kind} '${name}'${workspace ? ` of workspace '${workspace}'` : ''}`);
    return sid;
  }
}

function key(kind: SetupKind, workspace: string, name: string): string {
  return `${kind}\u0000${workspace}\u0000${ANY_CASE.has(kind) ? name.toLowerCase() : name}`;
}
