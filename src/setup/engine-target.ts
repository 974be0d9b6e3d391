import type { ConnectorDirectory } from '../connector/connector-directory.js';
import { SettingsReader } from '../connector/settings-reader.js';
import type { CallbackUrlPolicy } from '../core/callback-url.js';
import type { RoutingEngine } from '../engine/engine.js';
import type { SetupKind } from './declared.js';
import type { IvrMenuState, PhoneNumberState, SetupInput, SetupTarget, WorkspaceContents, WorkspaceState } from './target.js';

/**
 * A server in this process: its engine's commands and its connector's directory, as the API would call them. The
 * inputs are the engine's command inputs (inputs.ts builds them) and the connector's settings.
 */
export class EngineTarget implements SetupTarget {
  constructor(
    private readonly engine: RoutingEngine,
    private readonly directory: ConnectorDirectory,
    private readonly callbackUrls: CallbackUrlPolicy,
  ) {}

  listWorkspaces(): Promise<WorkspaceState[]> {
    return this.engine.store.list('', 'workspace');
  }

  async readWorkspace(workspaceSid: string): Promise<WorkspaceContents> {
    const [config, workers] = await Promise.all([this.engine.workspaceConfig(workspaceSid), this.engine.store.list(workspaceSid, 'worker')]);
    return {
      activities: [...config.activities.values()],
      channels: [...config.channels],
      queues: [...config.queues.values()],
      workflows: [...config.workflows.values()],
      workers,
    };
  }

  listIvrMenus(): Promise<IvrMenuState[]> {
    return this.directory.listIvrMenus();
  }

  listPhoneNumbers(): Promise<PhoneNumberState[]> {
    return this.directory.listPhoneNumbers();
  }

  callbackRefusal(url: string): string | null {
    return this.callbackUrls.refusalOfUrl(url);
  }

  async create(kind: SetupKind, ws: string | null, input: SetupInput): Promise<string> {
    return (await this.commands(kind, ws).create(input)).sid;
  }

  async update(kind: SetupKind, ws: string | null, sid: string, input: SetupInput): Promise<void> {
    await this.commands(kind, ws).update(sid, input);
  }

  delete(kind: SetupKind, ws: string | null, sid: string): Promise<void> {
    return this.commands(kind, ws).delete(sid);
  }

  /** The engine's or the directory's commands on objects of `kind` (in workspace `ws`). */
  private commands(kind: SetupKind, ws: string | null): Commands {
    const e = this.engine;
    const d = this.directory;
    const w = ws ?? '';
    switch (kind) {
      case 'workspace':
        return { create: (i) => e.createWorkspace(i), update: (sid, i) => e.updateWorkspace(sid, i), delete: (sid) => e.deleteWorkspace(sid) };
      case 'activity':
        return { create: (i) => e.createActivity(w, i), update: (sid, i) => e.updateActivity(w, sid, i), delete: (sid) => e.deleteActivity(w, sid) };
      case 'taskChannel':
        return { create: (i) => e.createTaskChannel(w, i), update: (sid, i) => e.updateTaskChannel(w, sid, i), delete: (sid) => e.deleteTaskChannel(w, sid) };
      case 'taskQueue':
        return { create: (i) => e.createTaskQueue(w, i), update: (sid, i) => e.updateTaskQueue(w, sid, i), delete: (sid) => e.deleteTaskQueue(w, sid) };
      case 'workflow':
        return { create: (i) => e.createWorkflow(w, i), update: (sid, i) => e.updateWorkflow(w, sid, i), delete: (sid) => e.deleteWorkflow(w, sid) };
      case 'worker':
        return { create: (i) => e.createWorker(w, i), update: (sid, i) => e.updateWorker(w, sid, i), delete: (sid) => e.deleteWorker(w, sid) };
      case 'ivrMenu':
        return {
          create: (i) => d.createIvrMenu(SettingsReader.of(i)),
          update: (sid, i) => d.updateIvrMenu(sid, SettingsReader.of(i)),
          delete: (sid) => d.deleteIvrMenu(sid),
        };
      case 'phoneNumber':
        return {
          create: (i) => d.createPhoneNumber(SettingsReader.of(i)),
          update: (sid, i) => d.updatePhoneNumber(sid, SettingsReader.of(i)),
          delete: (sid) => d.deletePhoneNumber(sid),
        };
    }
  }
}

interface Commands {
  create(input: SetupInput): Promise<{ sid: string }>;
  update(sid: string, input: SetupInput): Promise<unknown>;
  delete(sid: string): Promise<void>;
}
