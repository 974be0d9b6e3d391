/** What a configuration document declares, in the document's own words: names for references, snake_case keys. */

export type SetupKind = 'workspace' | 'activity' | 'taskChannel' | 'taskQueue' | 'workflow' | 'worker' | 'ivrMenu' | 'phoneNumber';

/** How a kind is named in plans and messages. */
export const KIND_LABELS: Record<SetupKind, string> = {
  workspace: 'workspace',
  activity: 'activity',
  taskChannel: 'task channel',
  taskQueue: 'task queue',
  workflow: 'workflow',
  worker: 'worker',
  ivrMenu: 'IVR menu',
  phoneNumber: 'phone number',
};

/** Settings by their document key; references to other objects by name. */
export type Fields = Record<string, unknown>;

/** One object the document declares. */
export interface Declared {
  kind: SetupKind;
  /** Where it is declared, e.g. `workspaces[0].task_queues[2]`. */
  path: string;
  /** What identifies it: friendly name, unique name or number. */
  name: string;
  /** Every setting compared with what exists, defaults filled in for those the document leaves out. */
  fields: Fields;
  /** The keys the document gives: a new object is created with these, the rest left to the server's defaults. */
  given: ReadonlySet<string>;
  /** Settings applied on creation only, as they are state once the object runs (a worker's activity). */
  onCreate: Fields;
}

export interface WorkspaceDeclaration extends Declared {
  /** The workspace's default and timeout activities, when the document names them (set once its activities exist). */
  activityChoice: Declared | null;
  activities: Declared[];
  taskChannels: Declared[];
  taskQueues: Declared[];
  workflows: Declared[];
  workers: Declared[];
  phoneNumbers: Declared[];
}

export interface SetupDocument {
  file: string;
  workspaces: WorkspaceDeclaration[];
  ivrMenus: Declared[];
}
