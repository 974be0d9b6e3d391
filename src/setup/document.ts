import { readFile } from 'node:fs/promises';
import { parse, YAMLParseError } from 'yaml';
import { readIvrMenu, readPhoneNumber } from './connector-declarations.js';
import type { Declared, SetupDocument, WorkspaceDeclaration } from './declared.js';
import { DocumentNode } from './document-node.js';
import { SetupError } from './setup-error.js';
import {
  readActivity,
  readActivityChoice,
  readTaskChannel,
  readTaskQueue,
  readWorker,
  readWorkflow,
  readWorkspace,
  WORKSPACE_KEYS,
} from './taskrouter-declarations.js';

/** Reads and checks a configuration file (YAML, or JSON, which is YAML too). */
export async function readSetupFile(file: string): Promise<SetupDocument> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SetupError(file, '', `cannot be read: ${(err as Error).message}`);
  }
  return parseSetupDocument(text, file);
}

/**
 * Parses and checks a whole document: shapes, unknown keys, names given twice, and each setting as the server would
 * check it. References between objects are checked by the planner, against the document and what exists.
 */
export function parseSetupDocument(text: string, file: string): SetupDocument {
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: true });
  } catch (err) {
    if (err instanceof YAMLParseError) throw new SetupError(file, '', `is not valid YAML or JSON: ${err.message}`);
    throw err;
  }
  const root = new DocumentNode(value ?? {}, '', file).mapping(['workspaces', 'ivr_menus']);
  const workspaces = root.items('workspaces').map(readWorkspaceDeclaration);
  const exact = (name: string) => name;
  unique(file, workspaces, 'workspace', exact);
  const ivrMenus = root.items('ivr_menus').map(readIvrMenu);
  unique(file, ivrMenus, 'IVR menu', exact);
  unique(
    file,
    workspaces.flatMap((w) => w.phoneNumbers),
    'phone number',
    exact,
  );
  return { file, workspaces, ivrMenus };
}

function readWorkspaceDeclaration(node: DocumentNode): WorkspaceDeclaration {
  node.mapping(WORKSPACE_KEYS);
  const workspace = readWorkspace(node);
  const section = (what: string, key: string, read: (entry: DocumentNode) => Declared, sameName: (name: string) => string): Declared[] => {
    const entries = node.items(key).map((entry) => read(entry));
    unique(node.file, entries, what, sameName);
    return entries;
  };
  // TaskRouter keeps activity, queue and worker names unique whatever their case.
  const anyCase = (name: string) => name.toLowerCase();
  const exact = (name: string) => name;
  return {
    ...workspace,
    activityChoice: readActivityChoice(node, workspace.name),
    activities: section('activity', 'activities', readActivity, anyCase),
    taskChannels: section('task channel', 'task_channels', readTaskChannel, exact),
    taskQueues: section('task queue', 'task_queues', readTaskQueue, anyCase),
    workflows: section('workflow', 'workflows', readWorkflow, exact),
    workers: section('worker', 'workers', readWorker, anyCase),
    phoneNumbers: section('phone number', 'phone_numbers', (entry) => readPhoneNumber(entry, workspace.name), exact),
  };
}

/** Refuses two entries of one list naming the same object. */
function unique(file: string, entries: Declared[], what: string, sameName: (name: string) => string): void {
  const seen = new Map<string, Declared>();
  for (const entry of entries) {
    const key = sameName(entry.name);
    const first = seen.get(key);
    if (first) throw new SetupError(file, entry.path, `${what} '${entry.name}' is declared twice (first at ${first.path})`);
    seen.set(key, entry);
  }
}
