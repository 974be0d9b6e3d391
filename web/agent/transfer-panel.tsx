import { useEffect, useState } from 'preact/hooks';
import type { Reservation } from 'twilio-taskrouter';
import { Api } from '../shared/api.ts';
import { outgoingTransferStatus } from './task-view.ts';
import { useAction } from './use-action.ts';

/** Who a task may be transferred to, as `GET …/Directory` lists them. */
interface Directory {
  workers: Array<{ sid: string; friendly_name: string; activity_name: string | null; available: boolean }>;
  task_queues: Array<{ sid: string; friendly_name: string }>;
}

/**
 * Hands the task to another agent or a queue, warm (the agent stays on the task to consult until the target accepts)
 * or cold (the agent lets go at once), with the SDK's `task.transfer`; a transfer under way can be cancelled.
 */
export function TransferPanel(props: { reservation: Reservation; token: string; workspaceSid: string; onError: (err: unknown) => void }) {
  const { reservation } = props;
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [target, setTarget] = useState('');
  const [mode, setMode] = useState<'WARM' | 'COLD'>('WARM');
  const [busy, act] = useAction(props.onError);
  // Read when the panel opens and again whenever the agent goes to choose, so availability is current.
  const refresh = () =>
    void new Api({ kind: 'token', token: props.token })
      .get<Directory>(`/v1/Workspaces/${props.workspaceSid}/Directory`)
      .then(setDirectory)
      .catch(props.onError);
  useEffect(refresh, [props.workspaceSid]);
  const outgoing = reservation.task.transfers?.outgoing;
  const status = outgoingTransferStatus(reservation.task);
  function submit(event: Event) {
    event.preventDefault();
    if (target) act(() => reservation.task.transfer(target, { mode }));
  }
  if (outgoing && status === 'INITIATED') {
    return (
      <div class="transfer" role="status">
        Transfer ({outgoing.mode.toLowerCase()}) to {nameOf(directory, outgoing.to)} under way.{' '}
        <button type="button" class="secondary" disabled={busy} onClick={() => act(() => outgoing.cancel())}>
          Cancel transfer
        </button>
      </div>
    );
  }
  const others = directory?.workers.filter((w) => w.sid !== reservation.workerSid) ?? [];
  return (
    <form class="transfer" onSubmit={submit}>
      <label for={`transfer-${reservation.sid}`}>Transfer to</label>
      <select id={`transfer-${reservation.sid}`} value={target} onFocus={refresh} onChange={(e) => setTarget(e.currentTarget.value)}>
        <option value="">Choose…</option>
        <optgroup label="Agents">
          {others.map((w) => (
            <option value={w.sid}>
              {w.friendly_name} ({w.activity_name ?? 'no activity'})
            </option>
          ))}
        </optgroup>
        <optgroup label="Queues">
          {directory?.task_queues.map((q) => (
            <option value={q.sid}>{q.friendly_name}</option>
          ))}
        </optgroup>
      </select>
      <fieldset class="modes">
        <legend>Mode</legend>
        <label class="inline">
          <input type="radio" name={`mode-${reservation.sid}`} checked={mode === 'WARM'} onChange={() => setMode('WARM')} />
          Warm
        </label>
        <label class="inline">
          <input type="radio" name={`mode-${reservation.sid}`} checked={mode === 'COLD'} onChange={() => setMode('COLD')} />
          Cold
        </label>
      </fieldset>
      <button type="submit" class="secondary" disabled={busy || !target}>
        Transfer
      </button>
      {outgoing && status === 'FAILED' && (
        <span class="muted">The last transfer failed{outgoing.transferFailedReason ? `: ${outgoing.transferFailedReason}` : ''}.</span>
      )}
    </form>
  );
}

function nameOf(directory: Directory | null, sid: string): string {
  return directory?.workers.find((w) => w.sid === sid)?.friendly_name ?? directory?.task_queues.find((q) => q.sid === sid)?.friendly_name ?? sid;
}
