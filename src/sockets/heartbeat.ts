import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { log } from '../telemetry/log.js';

export interface HeartbeatOptions {
  /** How often the socket's heartbeat comes: its beat is sent, and every `checkEvery` beats the peer is checked on. */
  intervalMs: number;
  /**
   * `true`: the peer is pinged at every check and must answer by the next (browsers and `ws` clients answer pings on
   * their own). `false`: the peer talks without being asked (Twilio sends a media message every 20 ms while a stream
   * lives), so silence since the last check alone gives it away and nothing is sent to it.
   */
  ping: boolean;
  /**
   * Beats between two checks (1). A peer that sends nothing of its own must be pinged to be known alive, and each
   * ping costs a write and a pong to read; where the beat must come often (the worker SDK gives up after 30 s without
   * a frame) but a dead peer need not be found as soon, checking every other beat halves that cost
   * (docs/performance-push.md, idle sockets). A dead peer is found within `intervalMs × checkEvery × 2`.
   */
  checkEvery?: number;
  /** Sent at every beat, before the ping: what the peer's protocol wants to hear from us (the worker SDK's whitespace frame). */
  beat?: () => void;
  /**
   * The socket's raw connection (the upgrade's): a beat and its ping are corked into one write, so an idle socket
   * costs one system call and one packet a beat rather than two (docs/performance-push.md, idle sockets).
   */
  connection?: Duplex;
}

/** A socket on a heartbeat wheel, with what its checks need. */
interface Beating {
  ws: WebSocket;
  options: HeartbeatOptions;
  heard: boolean;
  beats: number;
}

/**
 * A wheel's turn is cut in this many slices; each tick beats one slice's sockets. With ten thousand sockets, one timer
 * per socket woke the process for each of them; a tick's sockets share one wake-up, and the pongs that answer them
 * arrive together (docs/performance-push.md, idle sockets).
 */
const SLICES = 16;

/** The sockets beating at one interval, spread over the slices of one timer's turn. */
class HeartbeatWheel {
  private readonly slices: Array<Set<Beating>> = Array.from({ length: SLICES }, () => new Set());
  private next = 0;
  private size = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  /** The socket joins the slice beaten last, so its first beat comes about one interval from now. */
  add(socket: Beating): Set<Beating> {
    const slice = this.slices[(this.next + SLICES - 1) % SLICES]!;
    slice.add(socket);
    this.size += 1;
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs / SLICES);
      // Sockets keep the process alive on their own; the heartbeat must not keep it alive after them.
      this.timer.unref();
    }
    return slice;
  }

  remove(socket: Beating, slice: Set<Beating>): void {
    if (!slice.delete(socket)) return;
    this.size -= 1;
    if (this.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private tick(): void {
    const slice = this.slices[this.next]!;
    this.next = (this.next + 1) % SLICES;
    if (slice.size === 0) return;
    // Judged after the event loop has read what arrived meanwhile: when this process was busy past the interval, the
    // answers may be waiting unread, and the peers are not to blame for our delay.
    // A socket that closed meanwhile has left its slice; one that joined meanwhile waits for the slice's next turn.
    const due = [...slice];
    setImmediate(() => {
      for (const socket of due) if (slice.has(socket)) beat(socket);
    });
  }
}

const wheels = new Map<number, HeartbeatWheel>();

function wheelFor(intervalMs: number): HeartbeatWheel {
  let wheel = wheels.get(intervalMs);
  if (!wheel) wheels.set(intervalMs, (wheel = new HeartbeatWheel(intervalMs)));
  return wheel;
}

function beat(socket: Beating): void {
  const { ws, options } = socket;
  try {
    socket.beats += 1;
    const check = socket.beats % (options.checkEvery ?? 1) === 0;
    if (check) {
      if (!socket.heard) {
        ws.terminate();
        return;
      }
      socket.heard = false;
    }
    options.connection?.cork();
    try {
      options.beat?.();
      if (check && options.ping) ws.ping();
    } finally {
      options.connection?.uncork();
    }
  } catch (err) {
    // A timer's exception would end the process; the socket is beyond use anyway.
    log.error({ err }, 'WebSocket heartbeat failed');
    ws.terminate();
  }
}

/**
 * Notices a dead peer (a closed laptop, a dropped network: TCP may not tell us for hours) and terminates its socket,
 * which then closes like any other, so whatever the socket held is freed by its `close` handlers. A peer is alive
 * while it answers pings or sends messages: one that stays silent from one check to the next is terminated. Sends
 * the socket's beat meanwhile. Stops by itself when the socket closes.
 */
export function startHeartbeat(ws: WebSocket, options: HeartbeatOptions): void {
  const socket: Beating = { ws, options, heard: true, beats: 0 };
  const hear = (): void => {
    socket.heard = true;
  };
  const wheel = wheelFor(options.intervalMs);
  const slice = wheel.add(socket);
  ws.on('pong', hear);
  ws.on('message', hear);
  ws.once('close', () => {
    wheel.remove(socket, slice);
    ws.off('pong', hear);
    ws.off('message', hear);
  });
}
