import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { verifyTaskRouterToken } from '../access/taskrouter-token.js';
import { TwilioError } from '../core/errors.js';
import type { RoutingEngine } from '../engine/engine.js';
import { startHeartbeat } from '../sockets/heartbeat.js';
import { refuseRequest } from '../sockets/request-refusal.js';
import { upgradeRouterOf, type UpgradeRequest } from '../sockets/upgrade-router.js';
import { WebSocketAcceptor } from '../sockets/websocket-acceptor.js';
import type { BridgeAccess } from './bridge-router.js';
import { BridgeSession, CLOSE, type BridgeFrame } from './bridge-session.js';
import { SessionHub } from './session-hub.js';
import type { TaskRouterEvent } from '../core/events/index.js';
import type { EventFollower } from './event-follower.js';
import { framesOf, heardHere, type Listening } from './event-frames.js';
import type { PresenceEntry, WorkerPresence } from './worker-presence.js';
import { withSendSpan } from '../telemetry/trace-sends.js';
import { log } from '../telemetry/log.js';

/** Where the SDK connects: its `wsServer`, the same path its requests are posted to. */
export const BRIDGE_PATH = '/v1/wschannels';

export interface WorkerBridgeOptions {
  engine: RoutingEngine;
  /** The public base URL, for the URLs in payloads. */
  publicUrl: () => string;
  access: BridgeAccess;
  presence: WorkerPresence;
  follower: EventFollower;
  /** Whitespace frames at least this often: the SDK reconnects after 30 s of silence. Twilio beats every 15 s. */
  heartbeatIntervalMs: number;
  /** Frames wait this long after a worker's bootstrap was answered here, so its listeners are in place. */
  bootstrapSettleMs: number;
  /** …and at most this long after connecting, should its bootstrap have gone to another instance. */
  maxHoldMs: number;
}

/** The SDK sends nothing over its socket; a frame larger than this is not an SDK's. */
const MAX_MESSAGE_BYTES = 4096;

/**
 * The worker SDK's WebSocket (`GET /v1/wschannels?token=…&closeExistingSessions=…&setWorkerOfflineIfDisconnected=…`):
 * authenticated by its token before the handshake completes; a session per socket (bridge-session.ts), heartbeats,
 * dead peers found by ping; `closeExistingSessions` closes the worker's other sessions wherever they are connected
 * and refuses their token from then on; and with `setWorkerOfflineIfDisconnected` (Twilio's default) the worker goes
 * offline when its last session has been gone for the presence's grace period.
 */
export class WorkerBridge {
  readonly hub = new SessionHub();
  private readonly acceptor = new WebSocketAcceptor({ maxMessageBytes: MAX_MESSAGE_BYTES });
  private readonly unroutes: Array<() => void> = [];
  private readonly stopPresence: () => void;
  private closing = false;
  /** Workspaces whose events are followed for the sessions here: how many sessions, the frames' order, how to stop. */
  private readonly following = new Map<string, { sessions: number; delivered: Promise<void>; stop: Promise<() => void> }>();

  constructor(private readonly options: WorkerBridgeOptions) {
    this.stopPresence = options.presence.onReplaced((workspaceSid, workerSid, keep) => this.closeReplaced(workspaceSid, workerSid, keep));
  }

  attach(server: Server): void {
    this.unroutes.push(upgradeRouterOf(server).route(BRIDGE_PATH, (upgrade) => this.connect(upgrade)));
  }

  /** Sends `frame` to every session acting as the worker, on this instance. */
  toWorker(workspaceSid: string, workerSid: string, frame: BridgeFrame): void {
    for (const session of this.hub.ofWorker(workspaceSid, workerSid)) session.send(frame);
  }

  /** Sends `frame` to the workspace's server-side consumers (admin tokens naming no worker) on this instance. */
  toWatchers(workspaceSid: string, frame: BridgeFrame): void {
    for (const session of this.hub.watchersOf(workspaceSid)) session.send(frame);
  }

  /** How many workspaces this instance follows events of: one per workspace with a session here. */
  get followedWorkspaces(): number {
    return this.following.size;
  }

  /** A worker's bootstrap was answered here: its sessions get their held frames once it has had time to listen. */
  bootstrapped(workspaceSid: string, workerSid: string): void {
    const sessions = this.hub.ofWorker(workspaceSid, workerSid);
    if (sessions.length === 0) return;
    setTimeout(() => sessions.forEach((s) => s.release()), this.options.bootstrapSettleMs).unref();
  }

  /**
   * Closes every session. Their workers are not taken offline for it: their SDKs reconnect, to another instance or
   * to this one restarted.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const unroute of this.unroutes.splice(0)) unroute();
    this.stopPresence();
    for (const session of this.hub.all()) session.close(CLOSE.shuttingDown);
    await this.acceptor.close();
    await this.options.presence.close();
    await this.options.follower.close();
  }

  private async connect(upgrade: UpgradeRequest): Promise<void> {
    const { socket, target } = upgrade;
    const token = target.query.get('token');
    if (!token) return refuseRequest(socket, new TwilioError(20101, 401, 'A token is required'));
    const { engine, access, presence } = this.options;
    let claims;
    try {
      claims = verifyTaskRouterToken(token, access.keys, access.accountSid, engine.clock.now());
    } catch (err) {
      if (err instanceof TwilioError) return refuseRequest(socket, err);
      throw err;
    }
    const tokenId = createHash('sha256').update(token).digest('base64url');
    if (await presence.isReplaced(claims.workspaceSid, tokenId)) {
      return refuseRequest(socket, new TwilioError(20403, 403, 'This session was replaced by a newer one for the same worker; connect with a new token'));
    }
    // Following begins before the socket opens, so nothing committed after the client's bootstrap reads is missed.
    await this.follow(claims.workspaceSid);
    // Followed for this socket until it closes; a connection that never becomes a socket (the client left meanwhile,
    // or its handshake was refused) lets go of it when it closes.
    if (socket.destroyed) return this.unfollow(claims.workspaceSid);
    let opened = false;
    socket.once('close', () => {
      if (!opened) this.unfollow(claims.workspaceSid);
    });
    const closeExisting = target.query.get('closeExistingSessions') === 'true';
    const offlineIfDisconnected = target.query.get('setWorkerOfflineIfDisconnected') !== 'false';
    this.acceptor.accept(upgrade, (ws) => {
      opened = true;
      const session = new BridgeSession(ws, claims, { now: engine.clock.now });
      // The SDK needs a frame every interval; a dead agent may take four intervals to find (a minute at 15 s).
      startHeartbeat(ws, { intervalMs: this.options.heartbeatIntervalMs, ping: true, checkEvery: 2, beat: () => session.heartbeat(), connection: socket });
      this.hub.add(session);
      const worker = claims.workerSid;
      if (worker === null) session.release();
      else setTimeout(() => session.release(), this.options.maxHoldMs).unref();
      const presenceOf =
        worker === null
          ? null
          : {
              workspaceSid: claims.workspaceSid,
              workerSid: worker,
              sessionId: session.id,
              tokenId,
              expiresAt: claims.expiresAt,
              offlineIfGone: offlineIfDisconnected,
            };
      if (presenceOf) void presence.connected(presenceOf, { closeExisting }).catch(presenceFailed(presenceOf));
      ws.once('close', () => {
        this.hub.remove(session);
        this.unfollow(claims.workspaceSid);
        if (presenceOf) void presence.disconnected(presenceOf, { shuttingDown: this.closing }).catch(presenceFailed(presenceOf));
      });
    });
  }

  private async follow(workspaceSid: string): Promise<void> {
    let entry = this.following.get(workspaceSid);
    if (!entry) {
      const stop = this.options.follower.follow(workspaceSid, (event) => this.heard(event));
      entry = { sessions: 0, delivered: Promise.resolve(), stop };
      this.following.set(workspaceSid, entry);
    }
    entry.sessions += 1;
    try {
      await entry.stop;
    } catch (err) {
      this.unfollow(workspaceSid);
      throw err;
    }
  }

  private unfollow(workspaceSid: string): void {
    const entry = this.following.get(workspaceSid);
    if (!entry || --entry.sessions > 0) return;
    this.following.delete(workspaceSid);
    entry.stop.then((stop) => stop()).catch(() => {});
  }

  /**
   * An event of a followed workspace: its frames go out in commit order, each after the one before, in a
   * `send worker-events` span linked to the commit that made the event. An event no session here can hear is let go
   * at once (`heardHere`).
   */
  private heard(event: TaskRouterEvent): void {
    const entry = this.following.get(event.workspaceSid);
    if (!entry || !heardHere(event, this.listening(event.workspaceSid))) return;
    const api = { engine: this.options.engine, publicUrl: this.options.publicUrl };
    entry.delivered = entry.delivered
      .then(() =>
        withSendSpan({ destination: 'worker-events', event }, async () => {
          const ws = event.workspaceSid;
          const { workers, watchers } = await framesOf(api, event, this.listening(ws));
          for (const { workerSid, frame } of workers) this.toWorker(ws, workerSid, frame);
          if (watchers) this.toWatchers(ws, watchers);
        }),
      )
      .catch((err: unknown) =>
        log.error({ err, workspace_sid: event.workspaceSid, event_type: event.eventType }, "could not send an event to the worker SDK's sessions"),
      );
  }

  /** Who listens to the workspace's events here, as the sessions stand now. */
  private listening(workspaceSid: string): Listening {
    return {
      worker: (workerSid: string) => this.hub.hasWorker(workspaceSid, workerSid),
      anyWorker: this.hub.hasAnyWorker(workspaceSid),
      watchers: this.hub.hasWatchers(workspaceSid),
    };
  }

  /** Another session of the worker connected with `closeExistingSessions`: this instance's others are closed. */
  private closeReplaced(workspaceSid: string, workerSid: string, keep: string): void {
    for (const session of this.hub.ofWorker(workspaceSid, workerSid)) if (session.id !== keep) session.close(CLOSE.replaced);
  }
}

/** A presence update that failed: the worker's availability may lag until its sessions change again. */
function presenceFailed(entry: PresenceEntry): (err: unknown) => void {
  return (err) => log.error({ err, workspace_sid: entry.workspaceSid, worker_sid: entry.workerSid }, 'worker presence failed');
}
