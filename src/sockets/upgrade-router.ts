import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, notFound } from '../core/errors.js';
import { readRequestTarget, type RequestTarget } from './request-target.js';
import { refuseRequest } from './request-refusal.js';
import { logUpgradeAnswer } from './upgrade-log.js';
import { inRequest, requestIdFrom } from '../telemetry/log-context.js';
import { log } from '../telemetry/log.js';

/** An HTTP upgrade request handed to the endpoint registered for its path. */
export interface UpgradeRequest {
  req: IncomingMessage;
  /** The connection, with an `error` listener already attached. */
  socket: Duplex;
  head: Buffer;
  target: RequestTarget;
}

/**
 * Serves one WebSocket endpoint: upgrades the connection or refuses it (`refuseRequest`). What it throws, or its
 * promise rejects with, is logged and the connection destroyed.
 */
export type UpgradeHandler = (upgrade: UpgradeRequest) => void | Promise<void>;

/**
 * The one owner of an HTTP server's `upgrade` event: every WebSocket endpoint registers here by path, and nothing
 * else listens to the event, so exactly one answer goes to every upgrade request. Before anything else each
 * connection gets an `error` listener (a client resetting it while it is answered must not end the process); the
 * request target is read safely (400 when invalid), unknown paths get a 404, and no exception escapes.
 */
export class UpgradeRouter {
  private readonly routes = new Map<string, UpgradeHandler>();

  /**
   * Serves upgrades to `path` with `handler` until the returned function is called. A proxy may keep a path prefix
   * of the public URL, so an endpoint is recognised by how the request's path ends.
   */
  route(path: string, handler: UpgradeHandler): () => void {
    if (this.routes.has(path)) throw new Error(`WebSocket endpoint ${path} is already served`);
    this.routes.set(path, handler);
    return () => {
      if (this.routes.get(path) === handler) this.routes.delete(path);
    };
  }

  /** Upgrades are answered from here on. */
  listen(server: Server): void {
    server.on('upgrade', this.upgrade);
  }

  private readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Errors on a client's connection are the client's business: its close follows, and nothing is left to clean up.
    socket.on('error', () => {});
    const requestId = requestIdFrom(req.headers['x-request-id']);
    inRequest(requestId, () => this.answer(req, socket, head, requestId));
  };

  private answer(req: IncomingMessage, socket: Duplex, head: Buffer, requestId: string): void {
    let path = '(unparsed)';
    try {
      const target = readRequestTarget(req.url);
      const endpoint = target ? this.endpointFor(target.path) : undefined;
      logUpgradeAnswer(req, socket, { requestId, route: endpoint });
      if (!target) return refuseRequest(socket, badRequest('The request target is not a valid path or URL'));
      path = target.path;
      const handler = endpoint === undefined ? undefined : this.routes.get(endpoint);
      if (!handler) return refuseRequest(socket, notFound(`The requested resource ${target.path} was not found`));
      const served = handler({ req, socket, head, target });
      if (served) served.catch((err: unknown) => this.failed(path, socket, err));
    } catch (err) {
      this.failed(path, socket, err);
    }
  }

  private endpointFor(path: string): string | undefined {
    const trimmed = path.replace(/\/+$/, '');
    for (const endpoint of this.routes.keys()) if (trimmed.endsWith(endpoint)) return endpoint;
    return undefined;
  }

  private failed(path: string, socket: Duplex, err: unknown): void {
    log.error({ err, path }, 'WebSocket upgrade failed');
    socket.destroy();
  }
}

const routers = new WeakMap<Server, UpgradeRouter>();

/**
 * The upgrade router of `server`, created and listening on first use: the media relay and any other WebSocket
 * endpoint (the worker event bridge) register with the same one, whoever attaches first.
 */
export function upgradeRouterOf(server: Server): UpgradeRouter {
  let router = routers.get(server);
  if (!router) {
    router = new UpgradeRouter();
    router.listen(server);
    routers.set(server, router);
  }
  return router;
}
