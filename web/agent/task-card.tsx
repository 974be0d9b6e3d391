import { useState } from 'preact/hooks';
import type { Reservation, Worker } from 'twilio-taskrouter';
import { formatDuration, secondsSince } from '../shared/time.ts';
import { ConversationThread } from './conversation-thread.tsx';
import { useAction } from './use-action.ts';
import { TaskAttributes } from './task-attributes.tsx';
import { crmLink, customerOf, isConversation, outgoingTransferStatus } from './task-view.ts';
import { TransferPanel } from './transfer-panel.tsx';

/**
 * A task the agent is working (its reservation accepted) or wrapping up: the customer, channel, queue and age, its
 * attributes, a CRM link built from the worker's `crm_url_template`, the SMS conversation when it is one, transfer,
 * wrap-up notes kept on the task (`wrapup_notes`), and "Wrap up" then "Complete".
 */
export function TaskCard(props: { reservation: Reservation; worker: Worker; token: string; now: number; onError: (err: unknown) => void }) {
  const { reservation, worker } = props;
  const { task } = reservation;
  const saved = (task.attributes as Record<string, unknown>).wrapup_notes;
  const [notes, setNotes] = useState(typeof saved === 'string' ? saved : '');
  const [busy, act] = useAction(props.onError);
  const wrapping = reservation.status === 'wrapping';
  const handedOn = ['COMPLETE', 'COMPLETED'].includes(outgoingTransferStatus(task) ?? '');
  const crm = crmLink((worker.attributes as Record<string, unknown>).crm_url_template, task);
  const saveNotes = () => task.setAttributes({ ...task.attributes, wrapup_notes: notes });
  function submitNotes(event: Event) {
    event.preventDefault();
    act(saveNotes);
  }
  const unsavedNotes = notes !== (typeof saved === 'string' ? saved : '');
  // Notes typed but not yet saved are kept before the task moves on, so nothing the agent wrote is lost. The
  // reservation is wrapped and completed rather than the task: after a transfer that ends only this agent's part.
  const thenSaving = (step: () => Promise<unknown>) => () => (unsavedNotes && !handedOn ? saveNotes().then(step) : step());
  const wrapUp = thenSaving(() => reservation.wrap());
  const complete = thenSaving(() => reservation.complete());
  const titleId = `task-${reservation.sid}`;
  return (
    <article class="card task" aria-labelledby={titleId}>
      <header class="task-head">
        <h3 id={titleId}>
          {customerOf(task)} · {task.taskChannelUniqueName}
        </h3>
        <span class={`badge ${wrapping ? 'warn' : 'good'}`}>{wrapping ? 'Wrapping up' : 'In progress'}</span>
      </header>
      <p class="facts">
        <span>Queue: {task.queueName}</span>
        <span>Priority: {task.priority}</span>
        <span>Age: {formatDuration(secondsSince(task.dateCreated.getTime(), props.now))}</span>
        {crm && (
          <a href={crm} target="_blank" rel="noopener noreferrer">
            Open in CRM
          </a>
        )}
      </p>
      <div class="task-body">
        <TaskAttributes task={task} label="Task attributes" />
        {isConversation(task) && !wrapping && <ConversationThread task={task} token={props.token} workspaceSid={worker.workspaceSid} onError={props.onError} />}
      </div>
      {!wrapping && !handedOn && <TransferPanel reservation={reservation} token={props.token} workspaceSid={worker.workspaceSid} onError={props.onError} />}
      <form class="notes" onSubmit={submitNotes}>
        <label>
          Wrap-up notes
          <textarea rows={2} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary" disabled={busy || handedOn || !unsavedNotes}>
          Save notes
        </button>
      </form>
      <div class="actions">
        {!wrapping && (
          <button type="button" disabled={busy} onClick={() => act(wrapUp)}>
            Wrap up
          </button>
        )}
        {wrapping && (
          <button type="button" disabled={busy} onClick={() => act(complete)}>
            Complete
          </button>
        )}
      </div>
    </article>
  );
}
