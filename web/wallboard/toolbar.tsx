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
      <Filter label="Queue" everything="All queues" options={props.queues} value={props.queueSid} onChange={props.onQueue} />
      <Filter label="Activity" everything="All activities" options={props.activities} value={props.activitySid} onChange={props.onActivity} />
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
      <FeedStatus state={props.feed} />
    </div>
  );
}

/** A filter: one of `options`, or everything (null). */
function Filter(props: {
  label: string;
  everything: string;
  options: Array<{ sid: string; friendly_name: string }>;
  value: string | null;
  onChange: (sid: string | null) => void;
}) {
  return (
    <label class="inline">
      {props.label}
      <select value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value || null)}>
        <option value="">{props.everything}</option>
        {props.options.map((o) => (
          <option key={o.sid} value={o.sid}>
            {o.friendly_name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Whether the board is live, as a status line. */
export function FeedStatus(props: { state: FeedState }) {
  return (
    <span class={`feed-state feed-${props.state}`} role="status">
      {FEED_WORDS[props.state]}
    </span>
  );
}
