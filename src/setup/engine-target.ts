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
      channels: config.channels,
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
    const e = this.engine;
    switch (kind) {
      case 'workspace':
        return (await e.createWorkspace(input)).sid;
      case 'activity':
        return (await e.createActivity(ws!, input)).sid;
      case 'taskChannel':
        return (await e.createTaskChannel(ws!, input)).sid;
      case 'taskQueue':
        return (await e.createTaskQueue(ws!, input)).sid;
      case 'workflow':
        return (await e.createWorkflow(ws!, input)).sid;
      case 'worker':
        return (await e.createWorker(ws!, input)).sid;
      case 'ivrMenu':
        return (await this.directory.createIvrMenu(SettingsReader.of(input))).sid;
      case 'phoneNumber':
        return (await this.directory.createPhoneNumber(SettingsReader.of(input))).sid;
    }
  }

  async update(kind: SetupKind, ws: string | null, sid: string, input: SetupInput): Promise<void> {
    const e = this.engine;
    switch (kind) {
      case 'workspace':
        await e.updateWorkspace(sid, input);
        return;
      case 'activity':
        await e.updateActivity(ws!, sid, input);
        return;
      case 'taskChannel':
        await e.updateTaskChannel(ws!, sid, input);
        return;
      case 'taskQueue':
        await e.updateTaskQueue(ws!, sid, input);
        return;
      case 'workflow':
        await e.updateWorkflow(ws!, sid, input);
        return;
      case 'worker':
        await e.updateWorker(ws!, sid, input);
        return;
      case 'ivrMenu':
        await this.directory.updateIvrMenu(sid, SettingsReader.of(input));
        return;
      case 'phoneNumber':
        await this.directory.updatePhoneNumber(sid, SettingsReader.of(input));
        return;
    }
  }

  async delete(kind: SetupKind, ws: string | null, sid: string): Promise<void> {
    const e = this.engine;
    switch (kind) {
      case 'workspace':
        return e.deleteWorkspace(sid);
      case 'activity':
        return e.deleteActivity(ws!, sid);
      case 'taskChannel':
        return e.deleteTaskChannel(ws!, sid);
      case 'taskQueue':
        return e.deleteTaskQueue(ws!, sid);
      case 'workflow':
        return e.deleteWorkflow(ws!, sid);
      case 'worker':
        return e.deleteWorker(ws!, sid);
      case 'ivrMenu':
        return this.directory.deleteIvrMenu(sid);
      case 'phoneNumber':
        return this.directory.deletePhoneNumber(sid);
    }
  }
}
