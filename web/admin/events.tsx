import { useEffect, useState } from 'preact/hooks';
import { Notice } from '../shared/ui.tsx';
import type { TaskRouterEvent } from './records.ts';
import { useAction } from './resource-hooks.ts';
import { workspacePath, type SectionProps } from './section.ts';

const PAGE_SIZE = 50;

/** Event types offered as suggestions in the type filter (any type may be typed). */
const COMMON_TYPES = [
  'task.created',
  'task.updated',
  'task.canceled',
  'task.completed',
  'task-queue.entered',
  'workflow.target-matched',
  'reservation.created',
  'reservation.accepted',
  'reservation.rejected',
  'reservation.timeout',
  'worker.activity.update',
  'worker.attributes.update',
];

/** The Events API's filter for a resource, by its SID's prefix. */
const FILTER_BY_PREFIX: Record<string, string> = { WT: 'TaskSid', WK: 'WorkerSid', WR: 'ReservationSid', WQ: 'TaskQueueSid', WW: 'WorkflowSid' };

function resourceQuery(sid: string): Record<string, string> {
  const trimmed = sid.trim();
  if (!trimmed) return {};
  return { [FILTER_BY_PREFIX[trimmed.slice(0, 2)] ?? 'Sid']: trimmed };
}

interface EventPage {
  events: TaskRouterEvent[];
  meta: { next_page_url: string | null };
}

/** The workspace's events log (the Events API), newest first, filtered by type, resource and time, a page at a time. */
export function EventsSection({ api, workspaceSid }: SectionProps) {
  const [type, setType] = useState('');
  const [resource, setResource] = useState('');
  const [minutes, setMinutes] = useState('60');
  const [events, setEvents] = useState<TaskRouterEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const action = useAction();
  async function load(path: string, query: Record<string, string | undefined>, append: boolean) {
    await action.run(async () => {
      const page = await api.get<EventPage>(path, query);
      setEvents((shown) => (append ? [...shown, ...page.events] : page.events));
      setNext(page.meta.next_page_url);
    });
  }
  const search = () =>
    load(
      workspacePath(workspaceSid, 'Events'),
      { EventType: type.trim() || undefined, ...resourceQuery(resource), Minutes: minutes || undefined, PageSize: String(PAGE_SIZE) },
      false,
    );
  useEffect(() => void search(), []);
  function older() {
    if (!next) return;
    const url = new URL(next);
    void load(url.pathname + url.search, {}, true);
  }
  return (
    <section aria-labelledby="events-title" class="card">
      <h2 id="events-title">Events</h2>
      <form
        class="form-grid"
        aria-label="Filter events"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label>
          Event type
          <input list="event-types" value={type} onInput={(e) => setType(e.currentTarget.value)} />
          <datalist id="event-types">
            {COMMON_TYPES.map((t) => (
              <option value={t} />
            ))}
          </datalist>
        </label>
        <label>
          Resource SID
          <input class="mono" value={resource} onInput={(e) => setResource(e.currentTarget.value)} />
        </label>
        <label>
          Last minutes
          <input type="number" min={1} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        </label>
        <div class="form-actions">
          <button type="submit" disabled={action.busy}>
            Show events
          </button>
        </div>
      </form>
      {action.error && <Notice>{action.error}</Notice>}
      <table aria-labelledby="events-title">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Type</th>
            <th scope="col">Resource</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr>
              <td class="nowrap">{new Date(e.event_date).toLocaleString()}</td>
              <td class="mono">{e.event_type}</td>
              <td class="mono small">{e.resource_sid}</td>
              <td>{e.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.length === 0 && !action.busy && <p class="muted">No events in this window.</p>}
      {next && (
        <div class="form-actions">
          <button type="button" class="secondary" disabled={action.busy} onClick={older}>
            Older events
          </button>
        </div>
      )}
    </section>
  );
}
