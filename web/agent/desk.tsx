import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice, useNow } from '../shared/ui.tsx';
import { Softphone } from './softphone/softphone.tsx';
import { ActivitySelector } from './activity-selector.tsx';
import { alertsEnabled, enableAlerts, notifyInBackground, ring } from './alerts.ts';
import { Capacity } from './capacity.tsx';
import { shownReservations, type DeskSession } from './desk-session.ts';
import { OfferCard } from './offer-card.tsx';
import { TaskCard } from './task-card.tsx';
import { customerOf } from './task-view.ts';

const CONNECTION_TEXT = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…' } as const;

/**
 * The signed-in agent's desk: activity and connection on top; offers and the tasks being worked in the middle; capacity
 * and the softphone at the side. Offers ring, and notify when the tab is hidden.
 */
export function Desk(props: { session: DeskSession }) {
  const { worker, connection, token, error, report } = props.session;
  const now = useNow();
  const reservations = shownReservations(worker);
  const offers = reservations.filter((r) => r.status === 'pending');
  const working = reservations.filter((r) => r.status !== 'pending');
  const [alerts, setAlerts] = useState(alertsEnabled());
  const announced = useRef(new Set<string>());

  useEffect(() => {
    ring(offers.length > 0);
    for (const offer of offers) {
      if (announced.current.has(offer.sid)) continue;
      announced.current.add(offer.sid);
      notifyInBackground(`Incoming ${offer.task.taskChannelUniqueName}`, `${customerOf(offer.task)} · ${offer.task.queueName}`, offer.sid);
    }
  }, [offers.map((o) => o.sid).join()]);
  useEffect(() => () => ring(false), []);

  return (
    <div class="desk">
      <div class="desk-bar card">
        {worker ? <ActivitySelector worker={worker} now={now} onError={report} /> : <span />}
        <span class={`badge ${connection === 'connected' ? 'good' : 'warn'}`} role="status" aria-label="Connection">
          {CONNECTION_TEXT[connection]}
        </span>
        {!alerts && (
          <button type="button" class="secondary" onClick={() => void enableAlerts().then(() => setAlerts(alertsEnabled()))}>
            Turn on ring and notifications
          </button>
        )}
      </div>
      {error && <Notice>{error}</Notice>}
      <div class="desk-main">
        <div class="work">
          <section aria-labelledby="offers-title">
            <h2 id="offers-title">Incoming</h2>
            {offers.length === 0 && <p class="muted">Nothing is ringing.</p>}
            {offers.map((r) => (
              <OfferCard key={r.sid} reservation={r} now={now} onError={report} />
            ))}
          </section>
          <section aria-labelledby="tasks-title">
            <h2 id="tasks-title">My tasks</h2>
            {working.length === 0 && <p class="muted">No tasks yet.</p>}
            {worker && working.map((r) => <TaskCard key={r.sid} reservation={r} worker={worker} token={token} now={now} onError={report} />)}
          </section>
        </div>
        <aside class="side" aria-label="Side panel">
          {worker && <Capacity worker={worker} reservations={reservations} />}
          {worker && <Softphone token={token} worker={worker} />}
        </aside>
      </div>
    </div>
  );
}
