import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { log } from '../telemetry/log.js';

export interface HeartbeatOptions {
  /** How often the peer is checked on. */
  intervalMs: number;
  /**
   * `true`: the peer is pinged every interval and must answer (browsers and `ws` clients answer pings on their own).
   * `false`: the peer talks without being asked (Twilio sends a media message every 20 ms while a stream lives), so
   * silence alone gives it away and nothing is sent to it.
   */
  ping: boolean;
  /**
   * Sent at every check the peer passes, before the ping: what the peer's protocol wants to hear from us (the worker
   * SDK's whitespace frame). One timer per socket serves both: with ten thousand sockets, each timer is CPU and
   * memory (docs/performance-push.md).
   */
  beat?: () => void;
  /**
   * The socket's raw connection (the upgrade's): a check's beat and ping are corked into one write, so an idle
   * socket costs one system call and one packet a check rather than two (docs/performance-push.md, idle sockets).
   */
  connection?: Duplex;
}

/**
 * Notices a dead peer (a closed laptop, a dropped network: TCP may not tell us for hours) and terminates its socket,
 * which then closes like any other, so whatever the socket held is freed by its `close` handlers. A peer is alive
 * while it answers pings or sends messages: one that stays silent for a whole interval after being pinged is
 * terminated, so a dead peer goes within two intervals. Stops by itself when the socket closes.
 */
export function startHeartbeat(ws: WebSocket, options: HeartbeatOptions): void {
  let heard = true;
  const hear = (): void => {
    heard = true;
  };
  const beat = (): void => {
    try {
      if (!heard) {
        ws.terminate();
        return;
      }
      heard = false;
      options.connection?.cork();
      try {
        options.beat?.();
        if (options.ping) ws.ping();
      } finally {
        options.connection?.uncork();
      }
    } catch (err) {
      // A timer's exception would end the process; the socket is beyond use anyway.
      log.error({ err }, 'WebSocket heartbeat failed');
      ws.terminate();
    }
  };
  // Judged after the event loop has read what arrived meanwhile: when this process was busy past the interval, the
  // answer may be waiting unread, and the peer is not to blame for our delay.
  const timer = setInterval(() => setImmediate(beat), options.intervalMs);
  // Sockets keep the process alive on their own; the heartbeat must not keep it alive after them.
  timer.unref();
  ws.on('pong', hear);
  ws.on('message', hear);
  ws.once('close', () => {
    clearInterval(timer);
    ws.off('pong', hear);
    ws.off('message', hear);
  });
}
