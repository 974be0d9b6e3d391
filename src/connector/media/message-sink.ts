/** The part of a WebSocket the relays write to; tests can stand in for it. */
export interface MessageSink {
  send(text: string): void;
  /** Bytes queued in this process, not yet handed to the network: how far behind the peer is. */
  readonly bufferedAmount: number;
  readonly readyState: number;
  close(code?: number, reason?: string): void;
}

/** A received WebSocket message as text (`ws` hands over a Buffer, an ArrayBuffer or fragments). */
export function messageText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** `WebSocket.OPEN`. */
const OPEN = 1;

export function isOpen(sink: MessageSink): boolean {
  return sink.readyState === OPEN;
}

/** Sends a JSON text frame; false when the socket is no longer open. */
export function sendJson(sink: MessageSink, message: unknown): boolean {
  if (!isOpen(sink)) return false;
  sink.send(JSON.stringify(message));
  return true;
}

/** WebSocket close codes the media endpoints use. */
export const CLOSE = {
  normal: 1000,
  /** A binary frame where the protocol only has text. */
  unsupported: 1003,
  /** A frame that is not the protocol's JSON. */
  invalid: 1007,
  /** Refused: unknown task, bad key, not allowed. */
  policy: 1008,
  /** Something failed on our side (Twilio refused the stream, no audio arrived). */
  error: 1011,
  /** Too many listeners, or one too slow to keep up: try again later. */
  overloaded: 1013,
} as const;
