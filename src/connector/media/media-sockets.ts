import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import twilio from 'twilio';
import { WebSocketServer, type WebSocket } from 'ws';
import { signedUrl } from '../../../webhooks/signature.js';
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
  twilioStream(ws: WebSocket): void;
  listener(ws: WebSocket, taskSid: string, workspaceSid: string | null): void;
  browserAgent(ws: WebSocket, identity: string): void;
}

/**
 * The media WebSocket endpoints on the API's HTTP server: `/webhooks/media` for Twilio's Media Streams (an
 * `X-Twilio-Signature` on the upgrade, when Twilio sends one, must be valid; the stream's parameters are checked
 * once it starts), `/v1/Connector/Listen` and `/v1/Connector/AgentAudio` for supervisors and browser agents (Basic
 * auth, or a media token). Upgrades to other paths are left to other handlers, or refused when there are none.
 */
export class MediaSockets {
  private readonly wss: WebSocketServer;
  private readonly servers = new Set<Server>();

  constructor(private readonly handlers: MediaSocketHandlers) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: handlers.maxMessageBytes });
  }

  attach(server: Server): void {
    if (this.servers.has(server)) return;
    this.servers.add(server);
    server.on('upgrade', this.upgrade);
  }

  /** Closes every media socket (shutting down: the HTTP server cannot finish closing while they are open). */
  async close(): Promise<void> {
    for (const server of this.servers) server.off('upgrade', this.upgrade);
    this.servers.clear();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Open media sockets in this process. */
  get openSockets(): number {
    return this.wss.clients.size;
  }

  private readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    // A proxy may keep a path prefix of the public URL: the endpoints are recognised by how the path ends.
    if (path.endsWith(MEDIA_STREAM_PATH)) return this.twilioStream(req, socket, head);
    if (path.endsWith(LISTEN_PATH)) return this.listener(req, url.searchParams, socket, head);
    if (path.endsWith(AGENT_AUDIO_PATH)) return this.browserAgent(req, url.searchParams, socket, head);
    const alone = [...this.servers].every((s) => s.listenerCount('upgrade') === 1);
    if (alone) refuse(socket, 404, 20404, `The requested resource ${url.pathname} was not found`);
  };

  private twilioStream(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const signature = req.headers['x-twilio-signature'];
    if (typeof signature === 'string') {
      const url = signedUrl(this.handlers.baseUrl(), req.url ?? '/');
      if (!twilio.validateRequest(this.handlers.credentials.authToken, signature, url, {})) {
        return refuse(socket, 403, 20403, 'Invalid X-Twilio-Signature: the stream was not signed by Twilio for this URL');
      }
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handlers.twilioStream(ws));
  }

  private listener(req: IncomingMessage, query: URLSearchParams, socket: Duplex, head: Buffer): void {
    const principal = authenticateSocket(req, query, this.handlers.credentials, this.handlers.now());
    if (!principal) return refuse(socket, 401, 20003, 'Authenticate with Basic auth or a media token (Token)');
    const taskSid = query.get('TaskSid');
    if (!taskSid) return refuse(socket, 400, 20001, 'TaskSid is required');
    if (principal.kind === 'grant' && !(principal.grant.scope === 'listen' && principal.grant.taskSid === taskSid)) {
      return refuse(socket, 403, 20403, `The token does not allow listening to task ${taskSid}`);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handlers.listener(ws, taskSid, query.get('WorkspaceSid')));
  }

  private browserAgent(req: IncomingMessage, query: URLSearchParams, socket: Duplex, head: Buffer): void {
    const principal = authenticateSocket(req, query, this.handlers.credentials, this.handlers.now());
    if (!principal) return refuse(socket, 401, 20003, 'Authenticate with Basic auth or a media token (Token)');
    const granted = principal.kind === 'grant' && principal.grant.scope === 'agent' ? principal.grant.identity : null;
    const identity = query.get('Identity') ?? granted;
    if (!identity || !isAgentIdentity(identity)) return refuse(socket, 400, 20001, 'Identity is required: 1 to 121 letters, digits or _.@- characters');
    if (principal.kind === 'grant' && granted !== identity) return refuse(socket, 403, 20403, `The token does not allow connecting as ${identity}`);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.handlers.browserAgent(ws, identity));
  }
}

/** Answers an upgrade with a Twilio-format error instead of switching protocols. */
function refuse(socket: Duplex, status: number, code: number, message: string): void {
  const body = JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
  const headers = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(status === 401 ? ['WWW-Authenticate: Basic realm="Twilio API"'] : []),
  ];
  socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
}
