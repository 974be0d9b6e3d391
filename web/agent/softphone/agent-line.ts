import { ApiError, type Api } from '../../shared/api.ts';

/** What the server says on a browser agent's audio socket (docs/voice-connector.md, "Media Streams"). */
export type LineMessage =
  | { event: 'connected'; identity: string }
  | { event: 'start'; taskSid: string; reservationSid: string; callSid: string }
  | { event: 'media'; media: { payload: string } }
  | { event: 'stop'; taskSid: string; by: 'caller' | 'agent' }
  | { event: 'dtmf' | 'mark' | 'error' };

/**
 * How the line stands: being connected, waiting for calls, down (and retrying), or refused for good (the worker
 * takes calls elsewhere: its `contact_uri` is not `stream:<identity>`).
 */
export type LineStatus = 'connecting' | 'ready' | 'down' | 'refused';

interface MediaTokenResponse {
  identity: string;
  url: string;
}

/** Wait before connecting again after the socket dropped or could not be opened. */
const RETRY_MS = 3000;

/**
 * The browser agent's audio socket (`/v1/Connector/AgentAudio`), opened with a media token the agent's own worker
 * token gets: calls bridged to `stream:<identity>` arrive on it. It reconnects by itself while the page is open (a
 * server restart, a network change), each time with a fresh media token; `close` ends it for good.
 */
export class AgentLine {
  private socket: WebSocket | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    /** The API with the agent's current token (the desktop renews it). */
    private readonly api: () => Api,
    private readonly on: { status: (status: LineStatus, detail?: string) => void; message: (message: LineMessage) => void },
  ) {}

  open(): void {
    this.on.status('connecting');
    this.api()
      .post<MediaTokenResponse>('/v1/Connector/MediaTokens')
      .then(
        (issued) => this.connect(issued.url),
        (err: unknown) => (err instanceof ApiError && err.status === 403 ? this.on.status('refused', err.message) : this.dropped((err as Error).message)),
      );
  }

  /** Sends the microphone's audio (base64 μ-law); nothing while the socket is not open. */
  sendAudio(payload: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ event: 'media', media: { payload } }));
  }

  hangUp(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ event: 'hangup' }));
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.close(1000);
  }

  private connect(url: string): void {
    if (this.closed) return;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as LineMessage;
      if (message.event === 'connected') this.on.status('ready');
      this.on.message(message);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.dropped('the connection to Switchboard was lost');
    };
  }

  private dropped(why: string): void {
    this.socket = null;
    if (this.closed) return;
    this.on.status('down', why);
    this.retry = setTimeout(() => this.open(), RETRY_MS);
  }
}
