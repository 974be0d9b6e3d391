import type { FeedState } from './feed.ts';
import type { ActivityJson, TaskQueueJson } from './wire.ts';

const FEED_WORDS: Record<FeedState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  ended: 'Stopped',
};

/** The board's filters and settings, and whether it is live. */
export function Toolbar(props: {
  queues: TaskQueueJson[];
  activities: ActivityJson[];
  queueSid: string | null;
  activitySid: string | null;
  thresholdSeconds: number;
  feed: FeedState;
  onQueue: (sid: string | null) => void;
  onActivity: (sid: string | null) => void;
  onThreshold: (seconds: number) => void;
}) {
  return (
    <div class="toolbar" role="toolbar" aria-label="Filters">
      <label class="inline">
        Queue
        <select value={props.queueSid ?? ''} onChange={(e) => props.onQueue(e.currentTarget.value || null)}>
          <option value="">All queues</option>
          {props.queues.map((q) => (
            <option key={q.sid} value={q.sid}>
              {q.friendly_name}
            </option>
          ))}
        </select>
      </label>
      <label class="inline">
        Activity
        <select value={props.activitySid ?? ''} onChange={(e) => props.onActivity(e.currentTarget.value || null)}>
          <option value="">All activities</option>
          {props.activities.map((a) => (
            <option key={a.sid} value={a.sid}>
              {a.friendly_name}
            </option>
          ))}
        </select>
      </label>
      <label class="inline">
        Service level threshold (seconds)
        <input
          type="number"
          min={1}
          max={3600}
          value={props.thresholdSeconds}
          onChange={(e) => {
            const seconds = Number(e.currentTarget.value);
            if (Number.isInteger(seconds) && seconds >= 1 && seconds <= 3600) props.onThreshold(seconds);
          }}
        />
      </label>
      <span class={`feed-state feed-${props.feed}`} role="status">
        {FEED_WORDS[props.feed]}
      </span>
    </div>
  );
}
