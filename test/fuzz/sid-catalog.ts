import { randomBytes } from 'node:crypto';
import type { HandleKind } from './request-model.js';

const SID = /^[A-Z]{2}[0-9a-f]{32}$/;
const WORKSPACE_SCOPED = new Set<HandleKind>(['WA', 'WQ', 'WK', 'TC', 'WW', 'WT', 'WR', 'EV', 'WC', 'CHANNEL_NAME']);

/**
 * The records the server holds, as far as the fuzz has seen them: learned from every answer (any object with a
 * `sid`), forgotten when deleted. Generated requests name "the third known worker" and are given one of these, so
 * they reach records that exist rather than only ever meeting 404s.
 */
export class SidCatalog {
  private readonly byWorkspace = new Map<string, Map<HandleKind, string[]>>();
  private readonly global = new Map<HandleKind, string[]>();

  /** Adds a record; workspace-scoped kinds need their workspace. */
  add(kind: HandleKind, value: string, workspaceSid?: string): void {
    if (kind === 'WS') {
      if (!this.byWorkspace.has(value)) this.byWorkspace.set(value, new Map());
      return;
    }
    const table = WORKSPACE_SCOPED.has(kind) ? (workspaceSid ? this.scope(workspaceSid) : null) : this.global;
    if (!table) return;
    const list = table.get(kind) ?? [];
    if (!list.includes(value)) list.push(value);
    table.set(kind, list);
  }

  /** Forgets a record (and, for a workspace, everything in it). */
  remove(value: string): void {
    this.byWorkspace.delete(value);
    for (const table of [this.global, ...this.byWorkspace.values()]) {
      for (const [kind, list] of table)
        table.set(
          kind,
          list.filter((v) => v !== value),
        );
    }
  }

  workspaces(): string[] {
    return [...this.byWorkspace.keys()];
  }

  /** The `pick`-th known record of `kind` (in `workspaceSid` for scoped kinds), wrapping around; null when none. */
  pick(kind: HandleKind, pick: number, workspaceSid: string | null): string | null {
    if (kind === 'WS') {
      const all = this.workspaces();
      return all.length > 0 ? all[pick % all.length]! : null;
    }
    const table = WORKSPACE_SCOPED.has(kind) ? (workspaceSid ? this.byWorkspace.get(workspaceSid) : undefined) : this.global;
    const list = table?.get(kind) ?? [];
    return list.length > 0 ? list[pick % list.length]! : null;
  }

  /** Learns every record an answer describes: objects with a `sid`, their workspace and natural keys. */
  learn(body: unknown): void {
    const visit = (value: unknown, depth: number): void => {
      if (depth > 4 || value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        for (const item of value) visit(item, depth + 1);
        return;
      }
      const record = value as Record<string, unknown>;
      const sid = record.sid;
      if (typeof sid === 'string' && SID.test(sid)) {
        const kind = sid.slice(0, 2) as HandleKind;
        const ws = typeof record.workspace_sid === 'string' ? record.workspace_sid : undefined;
        this.add(kind, sid, ws);
        if (kind === 'TC' && typeof record.unique_name === 'string') this.add('CHANNEL_NAME', record.unique_name, ws);
        if (kind === 'PN' && typeof record.number === 'string') this.add('E164', record.number);
        if (kind === 'IM' && typeof record.unique_name === 'string') this.add('MENU_NAME', record.unique_name);
      }
      // Conversations and calls are named in the attributes of their tasks.
      if (typeof record.attributes === 'string') {
        for (const found of record.attributes.match(/\b(CH|CA)[0-9a-f]{32}\b/g) ?? []) this.add(found.slice(0, 2) as HandleKind, found);
      }
      for (const item of Object.values(record)) if (typeof item === 'object') visit(item, depth + 1);
    };
    visit(body, 0);
  }

  private scope(workspaceSid: string): Map<HandleKind, string[]> {
    let table = this.byWorkspace.get(workspaceSid);
    if (!table) {
      table = new Map();
      this.byWorkspace.set(workspaceSid, table);
    }
    return table;
  }
}

/** A well-formed name of nothing: a fresh SID, an unconfigured number, an unknown menu or channel name. */
export function freshHandle(kind: HandleKind): string {
  const hex = randomBytes(16).toString('hex');
  switch (kind) {
    case 'E164':
      return `+1555${String(parseInt(hex.slice(0, 8), 16) % 10_000_000).padStart(7, '0')}`;
    case 'MENU_NAME':
      return `menu-${hex.slice(0, 8)}`;
    case 'CHANNEL_NAME':
      return `channel-${hex.slice(0, 8)}`;
    default:
      return kind + hex;
  }
}
