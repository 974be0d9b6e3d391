import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { TaskRouterGrantClaims } from '../access/taskrouter-token.js';

/** One frame of the bridge: `{event_type, payload}` as a text frame (the SDK trims text; a Buffer would throw). */
export interface BridgeFrame {
  event_type: string;
  payload: unknown;
}

/** Why the bridge closes a session, as close codes and reasons the SDK passes on in its `disconnected` event. */
export const CLOSE = {
  tokenExpired: { code: 4001, reason: 'The token expired: connect again with a new one' },
  replaced: { code: 4002, reason: 'Another session has connected for this worker, disconnecting current session.' },
  shuttingDown: { code: 1001, reason: 'The server is restarting' },
} as const;

/** The longest a timer may be set for in Node (about 24.8 days); a token's lifetime is capped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SessionOptions {
  now: () => number;
}

/**
 * One connected SDK client (a worker, a supervisor, or a server-side consumer with an admin token). It is told who
 * it is (`init`), kept alive with whitespace frames (`heartbeat`, at its socket's heartbeat), and closed when its token expires — the SDK then reconnects
 * with the token `updateToken` gave it, or stops.
 *
 * Frames are held from the start until `release()`: the SDK listens for TaskRouter events only once its bootstrap
 * (the worker, activities, channels and active reservations, fetched over HTTP after `init`) is done, and drops
 * whatever arrives before; held frames are sent then, in order.
 */
export class BridgeSession {
  readonly id = randomUUID();
  private held: string[] | null = [];
  private readonly expiry: NodeJS.Timeout;

  constructor(
    readonly ws: WebSocket,
    readonly claims: TaskRouterGrantClaims,
    options: SessionOptions,
  ) {
    const lifetime = Math.min(MAX_TIMER_MS, Math.max(0, claims.expiresAt - options.now()));
    this.sendNow({
      event_type: 'init',
      payload: {
        channel_id: claims.workerSid ?? claims.identity,
        account_sid: claims.accountSid,
        workspace_sid: claims.workspaceSid,
        token_lifetime: lifetime,
      },
    });
    this.expiry = setTimeout(() => this.close(CLOSE.tokenExpired), lifetime);
    this.expiry.unref();
    ws.once('close', () => clearTimeout(this.expiry));
  }

  get workspaceSid(): string {
    return this.claims.workspaceSid;
  }

  get workerSid(): string | null {
    return this.claims.workerSid;
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** A heartbeat: a whitespace frame, which the SDK counts as one and otherwise ignores (it gives up after 30 s of silence). */
  heartbeat(): void {
    this.sendText(' ');
  }

  /** Sends `frame`, or holds it while the client is still bootstrapping. */
  send(frame: BridgeFrame): void {
    const text = JSON.stringify(frame);
    if (this.held) this.held.push(text);
    else this.sendText(text);
  }

  /** The client is listening now: held frames go out in order, and later ones at once. */
  release(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    for (const text of held) this.sendText(text);
  }

  close(why: { code: number; reason: string }): void {
    clearTimeout(this.expiry);
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(why.code, why.reason);
  }

  private sendNow(frame: BridgeFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  private sendText(text: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }
}
