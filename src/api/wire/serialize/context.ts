import type { WorkspaceConfig } from '../../../engine/workspace-config.js';

/** What serializers need besides the record: where URLs point, names of related resources, and the time. */
export interface WireContext {
  /** Base URL without trailing slash; resource URLs are `${publicUrl}/v1/...`. */
  publicUrl: string;
  config: WorkspaceConfig;
  /** Epoch ms, for computed fields such as a task's age. */
  now: number;
}

/** Absolute URL of a path under `/v1`. */
export function v1Url(publicUrl: string, path: string): string {
  return `${publicUrl}/v1${path}`;
}

/** Absolute URL of a path inside a workspace. */
export function workspaceUrl(ctx: { publicUrl: string }, workspaceSid: string, path = ''): string {
  return v1Url(ctx.publicUrl, `/Workspaces/${workspaceSid}${path}`);
}
