import { notFound } from '../core/errors.js';
import type { ActivityRecord, TaskChannelRecord, TaskQueueRecord, WorkflowRecord, WorkspaceRecord } from '../core/model.js';
import type { RoutingStore } from '../store/routing-store.js';

/** The slowly-changing part of a workspace that routing decisions read: activities, channels, queues, workflows. */
export interface WorkspaceConfig {
  workspace: Readonly<WorkspaceRecord>;
  activities: ReadonlyMap<string, Readonly<ActivityRecord>>;
  channels: ReadonlyArray<Readonly<TaskChannelRecord>>;
  queues: ReadonlyMap<string, Readonly<TaskQueueRecord>>;
  workflows: ReadonlyMap<string, Readonly<WorkflowRecord>>;
}

/** Record kinds that make up a workspace's configuration: writing any of them changes the workspace's version. */
export const CONFIG_KINDS = ['workspace', 'activity', 'taskChannel', 'taskQueue', 'workflow'] as const;

/**
 * Workspace configurations cached by workspace version. Every change to a configuration record also bumps the
 * workspace record's version (see `transact`), so one small read tells whether the cached copy is current, and every
 * routing commit re-checks that version: a decision taken on a stale configuration fails and is retried.
 * Cached configurations are shared: treat them as read-only.
 */
export class WorkspaceConfigCache {
  private readonly entries = new Map<string, WorkspaceConfig>();

  /** The cached configuration without checking it is current (callers must verify its version at commit). */
  peek(workspaceSid: string): WorkspaceConfig | undefined {
    return this.entries.get(workspaceSid);
  }

  /** Drops a workspace's entry: this process just changed its configuration. */
  forget(workspaceSid: string): void {
    this.entries.delete(workspaceSid);
  }

  async get(store: RoutingStore, workspaceSid: string): Promise<WorkspaceConfig> {
    const workspace = await store.get(workspaceSid, 'workspace', workspaceSid);
    if (!workspace) {
      this.entries.delete(workspaceSid);
      throw notFound(`The requested resource /Workspaces/${workspaceSid} was not found`);
    }
    const cached = this.entries.get(workspaceSid);
    if (cached && cached.workspace.version === workspace.version) return cached;
    const config = await loadWorkspaceConfig(store, workspaceSid, workspace);
    this.entries.set(workspaceSid, config);
    return config;
  }
}

export async function loadWorkspaceConfig(store: RoutingStore, workspaceSid: string, known?: WorkspaceRecord): Promise<WorkspaceConfig> {
  const [workspace, activities, channels, queues, workflows] = await Promise.all([
    known ?? store.get(workspaceSid, 'workspace', workspaceSid),
    store.list(workspaceSid, 'activity'),
    store.list(workspaceSid, 'taskChannel'),
    store.list(workspaceSid, 'taskQueue'),
    store.list(workspaceSid, 'workflow'),
  ]);
  if (!workspace) throw notFound(`The requested resource /Workspaces/${workspaceSid} was not found`);
  return {
    workspace,
    activities: new Map(activities.map((a) => [a.sid, a])),
    channels,
    queues: new Map(queues.map((q) => [q.sid, q])),
    workflows: new Map(workflows.map((w) => [w.sid, w])),
  };
}

/** Finds a task channel by TC sid or unique name. */
export function findChannel(config: WorkspaceConfig, sidOrName: string): TaskChannelRecord | undefined {
  return config.channels.find((c) => c.sid === sidOrName || c.uniqueName === sidOrName);
}

export function isAvailableActivity(config: WorkspaceConfig, activitySid: string): boolean {
  return config.activities.get(activitySid)?.available === true;
}
