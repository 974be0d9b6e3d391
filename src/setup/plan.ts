import { isDeepStrictEqual } from 'node:util';
import type { Declared, Fields, SetupKind } from './declared.js';
import { inputFor } from './inputs.js';
import type { SidBook } from './sid-book.js';
import type { SetupTarget } from './target.js';

/** One setting a step sets: its value now (absent when the object is new) and the document's. */
export interface FieldChange {
  field: string;
  from?: unknown;
  to: unknown;
}

/** One write of a plan, and how to carry it out once the steps before it have run. */
export interface PlanStep {
  action: 'create' | 'update' | 'delete';
  kind: SetupKind;
  name: string;
  /** The workspace the object belongs to (a number: the workspace it routes to); null for workspaces and menus. */
  workspace: string | null;
  /** Where the document declares it. */
  path: string;
  changes: FieldChange[];
  run(target: SetupTarget, sids: SidBook): Promise<void>;
}

/**
 * The step that deletes an object the document does not mention (when pruning). `workspace`: the workspace it is
 * in, whose sid its command names; null for numbers and menus.
 */
export function deletion(kind: SetupKind, name: string, sid: (sids: SidBook) => string, where: { workspace: string | null; path: string }): PlanStep {
  return {
    action: 'delete',
    kind,
    name,
    workspace: where.workspace,
    path: where.path,
    changes: [],
    run: (target, sids) => target.delete(kind, where.workspace === null ? null : sids.get('workspace', '', where.workspace), sid(sids)),
  };
}

/** What applying a document would change, in the order it must be done. */
export interface Plan {
  file: string;
  steps: PlanStep[];
  /** Objects the document declares that already are as it says. */
  unchanged: number;
}

/** An object that exists: its sid (known once the steps before have run, for objects of a new workspace) and settings. */
export interface Existing {
  sid: (sids: SidBook) => string;
  fields: Fields;
}

export interface StepOptions {
  /** The workspace the object belongs to, whose sid its commands name; null for workspaces, numbers and menus. */
  workspace: string | null;
  /** The document key of the object's name, sent when creating it. */
  nameKey: string;
  /** Settings sent with every update, changed or not (a number's workflow goes with its workspace). */
  alwaysSent?: readonly string[];
  /** Runs once the object is created, with its sid. */
  created?: (sid: string, target: SetupTarget, sids: SidBook) => Promise<void>;
}

/**
 * The step that makes `current` what `declared` says: a creation when nothing exists, an update of the settings that
 * differ, or null when there are none.
 */
export function stepFor(declared: Declared, current: Existing | null, options: StepOptions): PlanStep | null {
  const { kind, name, path } = declared;
  const scope = options.workspace;
  const workspaceSid = (sids: SidBook): string | null => (scope === null ? null : sids.get('workspace', '', scope));
  // The workspace whose objects its references name: its own for a workspace, the one it routes to for a number.
  const context = scope ?? (kind === 'workspace' ? name : ((declared.fields.workspace as string | undefined) ?? ''));
  const base = { kind, name, path, workspace: scope ?? ((declared.fields.workspace as string | undefined) || null) };
  if (!current) {
    const given = Object.fromEntries(Object.entries(declared.fields).filter(([key]) => declared.given.has(key)));
    const sent: Fields = { [options.nameKey]: name, ...given, ...declared.onCreate };
    return {
      ...base,
      action: 'create',
      changes: Object.entries({ ...given, ...declared.onCreate }).map(([field, to]) => ({ field, to })),
      run: async (target, sids) => {
        const sid = await target.create(kind, workspaceSid(sids), inputFor(kind, sent, sids, context));
        sids.set(kind, scope ?? '', name, sid);
        await options.created?.(sid, target, sids);
      },
    };
  }
  const changes = Object.keys(declared.fields)
    .filter((field) => !isDeepStrictEqual(declared.fields[field], current.fields[field]))
    .map((field) => ({ field, from: current.fields[field], to: declared.fields[field] }));
  if (changes.length === 0) return null;
  const sentKeys = new Set([...changes.map((c) => c.field), ...(options.alwaysSent ?? [])]);
  const sent = Object.fromEntries(Object.entries(declared.fields).filter(([key]) => sentKeys.has(key)));
  return {
    ...base,
    action: 'update',
    changes,
    run: async (target, sids) => target.update(kind, workspaceSid(sids), current.sid(sids), inputFor(kind, sent, sids, context)),
  };
}
