import { useEffect, useRef, useState } from 'preact/hooks';
import { Worker } from 'twilio-taskrouter';

/**
 * Who a reservation's caller is, as the worker SDK knows the reservation's task (`from`, or the `caller` attribute
 * TaskRouter's call tasks carry). The softphone uses the desktop's worker when it is given one; otherwise it opens a
 * session of its own with the agent's token.
 */
export function useCallerOf(token: string, reservationSid: string | null, shared?: Worker): string | null {
  const [worker, setWorker] = useState<Worker | null>(shared ?? null);
  const [, setVersion] = useState(0);
  const latest = useRef(token);
  latest.current = token;
  useEffect(() => {
    if (shared) return setWorker(shared);
    const wss = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const own = new Worker(latest.current, {
      ebServer: `${location.origin}/v1/wschannels`,
      wsServer: `${wss}//${location.host}/v1/wschannels`,
      closeExistingSessions: false,
      logLevel: 'silent',
    });
    setWorker(own);
    return () => own.disconnect();
  }, [shared]);
  // A renewed token is handed to the session of our own (the desktop renews its own worker's).
  const applied = useRef(token);
  useEffect(() => {
    if (shared || !worker || applied.current === token) return;
    applied.current = token;
    worker.updateToken(token);
  }, [token, worker, shared]);
  useEffect(() => {
    if (!worker) return;
    const changed = () => setVersion((v) => v + 1);
    worker.on('ready', changed);
    worker.on('reservationCreated', changed);
    return () => {
      worker.off('ready', changed);
      worker.off('reservationCreated', changed);
    };
  }, [worker]);
  if (!worker || !reservationSid) return null;
  const attributes = worker.reservations.get(reservationSid)?.task.attributes as Record<string, unknown> | undefined;
  const caller = attributes?.caller_name ?? attributes?.from ?? attributes?.caller;
  return typeof caller === 'string' ? caller : null;
}
