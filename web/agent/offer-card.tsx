import type { Reservation } from 'twilio-taskrouter';
import { formatDuration, secondsSince } from '../shared/time.ts';
import { useAction } from './use-action.ts';
import { TaskAttributes } from './task-attributes.tsx';
import { customerOf } from './task-view.ts';

/**
 * Work offered to the agent (a pending reservation): channel, customer, queue, priority, the task's age, its
 * attributes and the seconds left to answer, with "Accept" and "Reject". It leaves the screen when the offer ends,
 * whichever way (accepted, rejected, timed out, rescinded).
 */
export function OfferCard(props: { reservation: Reservation; now: number; onError: (err: unknown) => void }) {
  const { reservation } = props;
  const { task } = reservation;
  const [busy, act] = useAction(props.onError);
  const left = reservation.dateCreated.getTime() + reservation.timeout * 1000 - props.now;
  const titleId = `offer-${reservation.sid}`;
  return (
    <article class="card offer" aria-labelledby={titleId}>
      <header class="task-head">
        <h3 id={titleId}>
          Incoming {task.taskChannelUniqueName}: {customerOf(task)}
        </h3>
        <span class="badge warn" role="timer" aria-label="Time left to answer">
          {formatDuration(Math.max(0, left / 1000))} left
        </span>
      </header>
      <p class="facts">
        <span>Queue: {task.queueName}</span>
        <span>Priority: {task.priority}</span>
        <span>Waiting: {formatDuration(secondsSince(task.dateCreated.getTime(), props.now))}</span>
      </p>
      <TaskAttributes task={task} label="Offered task's attributes" />
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => act(() => reservation.accept())}>
          Accept
        </button>
        <button type="button" class="danger" disabled={busy} onClick={() => act(() => reservation.reject())}>
          Reject
        </button>
      </div>
    </article>
  );
}
