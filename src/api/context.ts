import type { Request } from 'express';
import type { RoutingEngine } from '../engine/engine.js';
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
  const config = await api.engine.workspaceConfig(workspaceSid);
  return { publicUrl: api.publicUrl().replace(/\/+$/, ''), config, now: api.engine.clock.now() };
}

/** A path parameter (express 5 types them loosely). */
export function pathParam(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
