import type {
  ActivityRecord,
  IvrMenuRecord,
  PhoneNumberRecord,
  TaskChannelRecord,
  TaskQueueRecord,
  WorkerRecord,
  WorkflowRecord,
  WorkspaceRecord,
} from '../core/model.js';
import type { SetupKind } from './declared.js';

/** What the planner reads of a workspace. */
export type WorkspaceState = Pick<
  WorkspaceRecord,
  'sid' | 'friendlyName' | 'eventCallbackUrl' | 'eventsFilter' | 'multiTaskEnabled' | 'prioritizeQueueOrder' | 'defaultActivitySid' | 'timeoutActivitySid'
>;

/** What the planner reads of the objects inside a workspace. */
export interface WorkspaceContents {
  activities: Array<Pick<ActivityRecord, 'sid' | 'friendlyName' | 'available'>>;
  channels: Array<Pick<TaskChannelRecord, 'sid' | 'uniqueName' | 'friendlyName' | 'channelOptimizedRouting'>>;
  queues: Array<
    Pick<TaskQueueRecord, 'sid' | 'friendlyName' | 'targetWorkers' | 'maxReservedWorkers' | 'taskOrder' | 'reservationActivitySid' | 'assignmentActivitySid'>
  >;
  workflows: Array<
    Pick<WorkflowRecord, 'sid' | 'friendlyName' | 'configuration' | 'assignmentCallbackUrl' | 'fallbackAssignmentCallbackUrl' | 'taskReservationTimeout'>
  >;
  workers: Array<Pick<WorkerRecord, 'sid' | 'friendlyName' | 'attributes' | 'activitySid'>>;
}

export type IvrMenuState = Omit<IvrMenuRecord, 'dateCreated' | 'dateUpdated' | 'version'>;
export type PhoneNumberState = Omit<PhoneNumberRecord, 'dateCreated' | 'dateUpdated' | 'version'>;

/**
 * A TaskRouter object's settings as the engine's commands take them (camelCase, references as sids, attributes and
 * configuration as JSON text); a phone number's or menu's as the connector's API takes them (snake_case).
 */
export type SetupInput = Record<string, string | number | boolean | null | unknown[]>;

/**
 * Where a configuration is applied: a server in this process (its engine and connector directory) or a running one
 * through its REST API. The planner reads and writes only through this, so both paths share every decision.
 */
export interface SetupTarget {
  listWorkspaces(): Promise<WorkspaceState[]>;
  readWorkspace(workspaceSid: string): Promise<WorkspaceContents>;
  listIvrMenus(): Promise<IvrMenuState[]>;
  listPhoneNumbers(): Promise<PhoneNumberState[]>;
  /** Why a callback URL would be refused, when the target knows its policy; null when it would be taken (or cannot tell). */
  callbackRefusal(url: string): string | null;
  /** Creates an object (in `workspaceSid`; null for workspaces, menus and numbers) and returns its sid. */
  create(kind: SetupKind, workspaceSid: string | null, input: SetupInput): Promise<string>;
  update(kind: SetupKind, workspaceSid: string | null, sid: string, input: SetupInput): Promise<void>;
  /** Deletes an object the document does not mention (when pruning). */
  delete(kind: SetupKind, workspaceSid: string | null, sid: string): Promise<void>;
}
