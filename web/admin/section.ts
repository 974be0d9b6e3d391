import type { Api } from '../shared/api.ts';

/** What every section of the console works with. */
export interface SectionProps {
  api: Api;
  /** The workspace the console shows. */
  workspaceSid: string;
  /** Signed in with the API's credentials (account-wide), not a workspace's admin token. */
  accountWide: boolean;
  /** Tells the console that the workspace itself changed (its name), so its picker reads it again. */
  onWorkspaceChanged?: () => void;
}

/** A workspace resource's collection path, e.g. `workspacePath('WS…', 'TaskQueues')`. */
export function workspacePath(workspaceSid: string, ...rest: string[]): string {
  return ['/v1/Workspaces', workspaceSid, ...rest].join('/');
}
