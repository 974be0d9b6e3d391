import type { Worker } from 'twilio-taskrouter';
import { formatDuration, secondsSince } from '../shared/time.ts';

/**
 * The agent's activity (Available, Break, Offline…): a selector listing the workspace's activities, and how long the
 * agent has been in the current one. It follows changes made elsewhere (a supervisor, a reservation timeout) through
 * the SDK's `activityUpdated`.
 */
export function ActivitySelector(props: { worker: Worker; now: number; onError: (err: unknown) => void }) {
  const { worker } = props;
  const activities = [...worker.activities.values()];
  function choose(sid: string) {
    const activity = worker.activities.get(sid);
    activity?.setAsCurrent().catch(props.onError);
  }
  // The SDK keeps the current activity as `activity` (its `activitySid` and `available` are not kept current).
  const current = worker.activity;
  const since = worker.dateStatusChanged?.getTime();
  return (
    <div class="activity">
      <label for="activity">Activity</label>
      <select id="activity" value={current?.sid} onChange={(e) => choose(e.currentTarget.value)}>
        {activities.map((a) => (
          <option value={a.sid} selected={a.sid === current?.sid}>
            {a.name}
          </option>
        ))}
      </select>
      <span class={`badge ${current?.available ? 'good' : ''}`} aria-label="Time in activity">
        {current?.name ?? ''} · {since ? formatDuration(secondsSince(since, props.now)) : '—'}
      </span>
    </div>
  );
}
