/**
 * An agent's socket as the worker SDK (twilio-taskrouter 2.1.1) opens and reads it, without the SDK's weight, so ten
 * thousand fit in one process: the same URL and query (`token`, `closeExistingSessions`, `clientVersion`), `init`
 * awaited first, the bootstrap requests it makes after `init` (EventBridgeSignaling and Worker._initialize), text
 * frames read as heartbeats when blank and as `{event_type, payload}` otherwise, pings answered by `ws` as the SDK's
 * own `ws` does. It never sends a frame: neither does the SDK.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { sdkCall, type Server } from './http-calls.js';

export interface ReservationFrame {
  sid: string;
  worker_sid: string;
  task: { sid: string; attributes: string };
}

/** What an agent does with a frame: `at` is when it arrived (performance.now()). */
export type FrameListener = (agent: LeanAgent, eventType: string, payload: unknown, at: number) => void;

/**
 * `full`: the four requests the SDK makes after `init`; `last`: only its last, the active reservations, which is the
 * one that tells the server the client listens (frames are held until then). Forty thousand requests take minutes on
 * a 2-core machine and the push path reads none of what the first three return, so the benchmark sends the last only
 * unless told otherwise; the real SDK Worker among the agents makes all four.
 */
export type Bootstrap = 'full' | 'last';

export class LeanAgent {
  private ws: WebSocket | null = null;

  constructor(
    readonly workspaceSid: string,
    readonly workerSid: string,
    readonly token: string,
  ) {}

  /** Opens the socket; resolves once `init` has arrived. */
  connect(wsServer: string, onFrame: FrameListener): Promise<void> {
    const ws = new WebSocket(`${wsServer}?token=${this.token}&closeExistingSessions=false&clientVersion=2.1.1`, { perMessageDeflate: false });
    this.ws = ws;
    return new Promise((resolve, reject) => {
      // Before `init`, an error fails the connection; after it, the close that follows is what counts.
      let initialised = false;
      ws.on('error', (err) => {
        if (!initialised) reject(err);
      });
      ws.on('message', (data: Buffer) => {
        const at = performance.now();
        const text = data.toString('utf8');
        if (text.trim() === '') return onFrame(this, 'heartbeat', null, at);
        const frame = JSON.parse(text) as { event_type: string; payload: unknown };
        if (frame.event_type === 'init') {
          initialised = true;
          resolve();
        }
        onFrame(this, frame.event_type, frame.payload, at);
      });
      ws.once('close', (code) => onFrame(this, 'closed', code, performance.now()));
    });
  }

  /** The SDK's requests after `init`: it listens for events once they are answered. */
  async bootstrap(server: Server, mode: Bootstrap): Promise<void> {
    const worker = `Workspaces/${this.workspaceSid}/Workers/${this.workerSid}`;
    if (mode === 'full') {
      await sdkCall(server, this.token, 'GET', worker, {});
      await Promise.all([
        sdkCall(server, this.token, 'GET', `Workspaces/${this.workspaceSid}/Activities`, { PageSize: 1000 }),
        sdkCall(server, this.token, 'GET', `${worker}/WorkerChannels`, { PageSize: 1000 }),
        sdkCall(server, this.token, 'GET', `${worker}/Reservations`, { Active: 'true', PageSize: 1000 }, 'v2'),
      ]);
    } else {
      await sdkCall(server, this.token, 'GET', `${worker}/Reservations`, { Active: 'true', PageSize: 1000 }, 'v2');
    }
  }

  /** `reservation.accept()`. */
  accept(server: Server, reservationSid: string): Promise<unknown> {
    return sdkCall(server, this.token, 'POST', `Workspaces/${this.workspaceSid}/Workers/${this.workerSid}/Reservations/${reservationSid}`, {
      ReservationStatus: 'accepted',
    });
  }

  /** `task.complete(reason)`. */
  complete(server: Server, taskSid: string): Promise<unknown> {
    return sdkCall(server, this.token, 'POST', `Workspaces/${this.workspaceSid}/Tasks/${taskSid}`, { AssignmentStatus: 'completed', Reason: 'bench' });
  }

  close(): void {
    this.ws?.terminate();
  }
}
