import type { Request } from 'express';
import type { RoutingEngine } from '../engine/engine.js';
import type { WorkspaceConfig } from '../engine/workspace-config.js';
import type { WireContext } from './wire/serialize/index.js';

/** What the routers share: the engine (every write, and reads through its store) and the public base URL. */
export interface ApiContext {
  engine: RoutingEngine;
  /** Read per request so a URL learned after start-up (a tunnel, say) takes effect. */
  publicUrl: () => string;
}

/** Path parameters of workspace-scoped routes. */
export type WorkspaceParams = { ws: string } & Record<string, string>;

/** A serialization context for a workspace as it is now; 404 when the workspace does not exist. */
export async function wireContext(api: ApiContext, workspaceSid: string): Promise<WireContext> {
  return contextOf(api, await api.engine.workspaceConfig(workspaceSid));
}

/**
 * The serialization context for what a commit of this request just returned: the configuration that commit was
 * checked against, or a newer one, without reading the workspace record again (a read a request, and on Redis a
 * round trip: docs/performance.md, "The REST path"); read as `wireContext` does when a commit changed the
 * configuration.
 */
export async function committedContext(api: ApiContext, workspaceSid: string): Promise<WireContext> {
  return contextOf(api, api.engine.cachedConfig(workspaceSid) ?? (await api.engine.workspaceConfig(workspaceSid)));
}

function contextOf(api: ApiContext, config: WorkspaceConfig): WireContext {
  return { publicUrl: api.publicUrl().replace(/\/+$/, ''), config, now: api.engine.clock.now() };
}

/** A path parameter (express 5 types them loosely). */
export function pathParam(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
