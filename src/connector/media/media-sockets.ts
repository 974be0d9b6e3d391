import type { Server } from 'node:http';
import type { WebSocket } from 'ws';
import { badRequest, TwilioError } from '../../core/errors.js';
import { startHeartbeat } from '../../sockets/heartbeat.js';
import { refuseRequest } from '../../sockets/request-refusal.js';
import { upgradeRouterOf, type UpgradeRequest } from '../../sockets/upgrade-router.js';
import { WebSocketAcceptor } from '../../sockets/websocket-acceptor.js';
import { signedByTwilio, signedUrl } from '../twilio/signature.js';
import { AGENT_AUDIO_PATH, LISTEN_PATH, MEDIA_STREAM_PATH } from './media-paths.js';
import { isAgentIdentity } from '../voice-token.js';
import { authenticateSocket, type SocketCredentials } from './socket-auth.js';

export interface MediaSocketHandlers {
  credentials: SocketCredentials;
  /** The media WebSocket base URL, which Twilio signs stream upgrades over. */
  baseUrl: () => string;
  now: () => number;
  /** Largest WebSocket message accepted: Media Streams messages are a few hundred bytes. */
  maxMessageBytes: number;
  /** How often supervisors' and browser agents' sockets are pinged; one that leaves a ping unanswered is terminated. */
  heartbeatIntervalMs: number;
  /** A Twilio stream that sends nothing for this long is terminated: a live one carries audio every 20 ms. */
  streamIdleMs: number;
  twilioStream(ws: WebSocket): void;
  listener(ws: WebSocket, taskSid: string, workspaceSid: string | null): void;
  browserAgent(ws: WebSocket, identity: string): void;
}

/**
 * The media WebSocket endpoints, registered with the HTTP server's upgrade router: `/webhooks/media` for Twilio's
 * Media Streams (an `X-Twilio-Signature` on the upgrade, when Twilio sends one, must be valid; the stream's
 * parameters are checked once it starts), `/v1/Connector/Listen` and `/v1/Connector/AgentAudio` for supervisors and
 * browser agents (Basic auth, or a media token). Every socket is watched by a heartbeat, so a dead peer's socket
 * closes and frees what it held.
 */
export class MediaSockets {
  private readonly acceptor: WebSocketAcceptor;
  private readonly servers = new Set<Server>();
  private readonly unroutes: Array<() => void> = [];

  constructor(private readonly handlers: MediaSocketHandlers) {
    this.acceptor = new WebSocketAcceptor({ maxMessageBytes: handlers.maxMessageBytes });
  }

  attach(server: Server): void {
    if (this.servers.has(server)) return;
    this.servers.add(server);
    const router = upgradeRouterOf(server);
    this.unroutes.push(
      router.route(MEDIA_STREAM_PATH, (upgrade) => this.twilioStream(upgrade)),
      router.route(LISTEN_PATH, (upgrade) => this.listener(upgrade)),
      router.route(AGENT_AUDIO_PATH, (upgrade) => this.browserAgent(upgrade)),
    );
  }

  /** Closes every media socket (shutting down: the HTTP server cannot finish closing while they are open). */
  async close(): Promise<void> {
    for (const unroute of this.unroutes.splice(0)) unroute();
    this.servers.clear();
    await this.acceptor.close();
  }

  /** Open media sockets in this process. */
  get openSockets(): number {
    return this.acceptor.openSockets;
  }

  private twilioStream(upgrade: UpgradeRequest): void {
    const signature = upgrade.req.headers['x-twilio-signature'];
    if (typeof signature === 'string') {
      const url = signedUrl(this.handlers.baseUrl(), upgrade.target.pathAndQuery);
      if (!url) return refuseRequest(upgrade.socket, badRequest('The request target is not a valid path or URL'));
      if (!signedByTwilio(this.handlers.credentials.authToken, signature, url, {})) {
        return refuseRequest(upgrade.socket, new TwilioError(20403, 403, 'Invalid X-Twilio-Signature: the stream was not signed by Twilio for this URL'));
      }
    }
    this.acceptor.accept(upgrade, (ws) => {
      // Twilio is not asked to answer pings its documentation does not mention: its audio shows it is there.
      startHeartbeat(ws, { intervalMs: this.handlers.streamIdleMs, ping: false });
      this.handlers.twilioStream(ws);
    });
  }

  private listener(upgrade: UpgradeRequest): void {
    const { req, socket, target } = upgrade;
    const principal = authenticateSocket(req, target.query, this.handlers.credentials, this.handlers.now());
    if (!principal) return refuseRequest(socket, new TwilioError(20003, 401, 'Authenticate with Basic auth or a media token (Token)'));
    const taskSid = target.query.get('TaskSid');
    if (!taskSid) return refuseRequest(socket, badRequest('TaskSid is required'));
    if (principal.kind === 'grant' && !(principal.grant.scope === 'listen' && principal.grant.taskSid === taskSid)) {
      return refuseRequest(socket, new TwilioError(20403, 403, `The token does not allow listening to task ${taskSid}`));
    }
    this.acceptor.accept(upgrade, (ws) => {
      startHeartbeat(ws, { intervalMs: this.handlers.heartbeatIntervalMs, ping: true });
      this.handlers.listener(ws, taskSid, target.query.get('WorkspaceSid'));
    });
  }

  private browserAgent(upgrade: UpgradeRequest): void {
    const { req, socket, target } = upgrade;
    const principal = authenticateSocket(req, target.query, this.handlers.credentials, this.handlers.now());
    if (!principal) return refuseRequest(socket, new TwilioError(20003, 401, 'Authenticate with Basic auth or a media token (Token)'));
    const granted = principal.kind === 'grant' && principal.grant.scope === 'agent' ? principal.grant.identity : null;
    const identity = target.query.get('Identity') ?? granted;
    if (!identity || !isAgentIdentity(identity)) return refuseRequest(socket, badRequest('Identity is required: 1 to 121 letters, digits or _.@- characters'));
    if (principal.kind === 'grant' && granted !== identity)
      return refuseRequest(socket, new TwilioError(20403, 403, `The token does not allow connecting as ${identity}`));
    this.acceptor.accept(upgrade, (ws) => {
      startHeartbeat(ws, { intervalMs: this.handlers.heartbeatIntervalMs, ping: true });
      this.handlers.browserAgent(ws, identity);
    });
  }
}
