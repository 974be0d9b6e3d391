import { WebSocketServer, type WebSocket } from 'ws';
import { TwilioError, badRequest } from '../core/errors.js';
import { refuseRequest } from './request-refusal.js';
import type { UpgradeRequest } from './upgrade-router.js';

export interface WebSocketAcceptorOptions {
  /** Largest message accepted; a larger one closes the socket (1009). */
  maxMessageBytes: number;
}

/**
 * Completes WebSocket handshakes for routed upgrades. A handshake `ws` cannot complete (not a GET, a missing key,
 * an unknown version) is refused in Twilio's error format like every other refusal, and every accepted socket has
 * an `error` listener before its endpoint sees it: an unheard `error` event would end the process.
 */
export class WebSocketAcceptor {
  private readonly wss: WebSocketServer;

  constructor(options: WebSocketAcceptorOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
    // Heard, so `ws` hands its handshake refusals here instead of answering them in its own format.
    this.wss.on('wsClientError', (err: Error, socket) => refuseRequest(socket, badRequest(`Invalid WebSocket handshake: ${err.message}`)));
  }

  /** Upgrades the connection and hands the open socket to `open`. */
  accept(upgrade: UpgradeRequest, open: (ws: WebSocket) => void): void {
    const { req, socket, head } = upgrade;
    if (req.method !== 'GET') return refuseRequest(socket, new TwilioError(20001, 405, 'A WebSocket handshake must be a GET request'));
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // The socket's close follows any error, and the endpoints clean up on close.
      ws.on('error', () => {});
      open(ws);
    });
  }

  /** Open sockets accepted here. */
  get openSockets(): number {
    return this.wss.clients.size;
  }

  /** Terminates every open socket (shutting down: an HTTP server cannot finish closing while they are open). */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
