import { useEffect, useRef, useState } from 'preact/hooks';
import { Worker, type Reservation } from 'twilio-taskrouter';
import { Api } from '../shared/api.ts';
import { saveCredentials, tokenGrant } from '../shared/credentials.ts';

/** Whether the worker's socket to Switchboard is up: the SDK reconnects by itself after a drop. */
export type Connection = 'connecting' | 'connected' | 'reconnecting';

/** The agent's live worker, as the desktop renders it. `revision` changes whenever anything in it does. */
export interface DeskSession {
  worker: Worker | null;
  connection: Connection;
  /** The current worker token (renewed before it expires). */
  token: string;
  revision: number;
  /** The last failure of an action or of the connection, for the agent to read. */
  error: string | null;
  report: (err: unknown) => void;
}

/** Reservations on screen: offered (ringing) or taken (being worked or wrapped up). */
const SHOWN: ReadonlySet<Reservation['status']> = new Set(['pending', 'accepted', 'wrapping']);

/** The worker's reservations still on screen, oldest first. */
export function shownReservations(worker: Worker | null): Reservation[] {
  if (!worker) return [];
  return [...worker.reservations.values()].filter((r) => SHOWN.has(r.status)).sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
}

/** How long before a token runs out it is renewed: five minutes, or half its life for a shorter-lived one. */
export function renewalDelay(expiresAt: number, now = Date.now()): number {
  const left = expiresAt - now;
  return Math.max(1000, left - Math.min(5 * 60_000, left / 2));
}

const RESERVATION_EVENTS = ['accepted', 'rejected', 'timeout', 'canceled', 'rescinded', 'wrapup', 'completed'] as const;
const TASK_EVENTS = ['updated', 'wrapup', 'completed', 'canceled', 'transferInitiated'] as const;
const WORKER_EVENTS = ['activityUpdated', 'attributesUpdated', 'reservationCreated', 'reservationFailed'] as const;

/**
 * Connects the official worker SDK (`twilio-taskrouter`) to this origin's event bridge with `token`, and keeps the
 * page in step with it: every SDK event bumps `revision`, and every `ready` (after each reconnect the SDK rebuilds
 * its reservations) re-reads everything. The token is renewed through `POST …/Tokens/Renew` before it runs out and
 * handed to the SDK, which reconnects on it when the old one's socket closes.
 */
export function useDeskSession(initialToken: string): DeskSession {
  const [worker, setWorker] = useState<Worker | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [token, setToken] = useState(initialToken);
  const [revision, setRevision] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const tokenRef = useRef(initialToken);
  const bump = () => setRevision((n) => n + 1);
  const report = (err: unknown) => setError(err instanceof Error ? err.message : String(err));

  useEffect(() => {
    const origin = location.origin;
    // The SDK's own console output stays off: the page shows what matters. No connectActivitySid: it would be
    // re-applied on every reconnect, undoing whatever activity the agent chose since.
    const sdk = new Worker(initialToken, {
      ebServer: `${origin}/v1/wschannels`,
      wsServer: `${origin.replace(/^http/, 'ws')}/v1/wschannels`,
      logLevel: 'silent',
      enableVersionCheck: true,
    });
    const wired = new WeakSet<object>();
    const wire = (emitter: { on(event: string, listener: () => void): unknown }, events: readonly string[]) => {
      if (wired.has(emitter)) return;
      wired.add(emitter);
      for (const event of events) emitter.on(event, bump);
    };
    const wireAll = () => {
      for (const channel of sdk.channels.values()) wire(channel, ['capacityUpdated', 'availabilityUpdated']);
      for (const reservation of sdk.reservations.values()) {
        wire(reservation, RESERVATION_EVENTS);
        wire(reservation.task, TASK_EVENTS);
      }
    };
    sdk.on('ready', () => {
      wireAll();
      setWorker(sdk);
      setConnection('connected');
      bump();
    });
    sdk.on('reservationCreated', (reservation: Reservation) => {
      wire(reservation, RESERVATION_EVENTS);
      wire(reservation.task, TASK_EVENTS);
    });
    for (const event of WORKER_EVENTS) sdk.on(event, bump);
    sdk.on('disconnected', () => setConnection('reconnecting'));
    sdk.on('error', (err: Error) => report(err));

    let renewal: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = () => {
      const grant = tokenGrant(tokenRef.current);
      if (grant) renewal = setTimeout(() => void renew(), renewalDelay(grant.expiresAt));
    };
    const renew = async () => {
      clearTimeout(renewal);
      const grant = tokenGrant(tokenRef.current);
      if (!grant || stopped) return;
      try {
        const api = new Api({ kind: 'token', token: tokenRef.current });
        const renewed = await api.post<{ token: string }>(`/v1/Workspaces/${grant.workspaceSid}/Tokens/Renew`);
        if (stopped) return;
        tokenRef.current = renewed.token;
        sdk.updateToken(renewed.token);
        saveCredentials('agent', { kind: 'token', token: renewed.token });
        setToken(renewed.token);
      } catch (err) {
        report(new Error(`Your sign-in could not be renewed (${(err as Error).message}); open a new sign-in link if it runs out`));
      }
      schedule();
    };
    // The SDK says when the token is about to run out; renewing then too covers a tab whose timers were throttled.
    sdk.on('tokenExpired', () => void renew());
    schedule();
    return () => {
      stopped = true;
      clearTimeout(renewal);
      sdk.removeAllListeners();
      sdk.disconnect();
    };
  }, [initialToken]);

  return { worker, connection, token, revision, error, report };
}
