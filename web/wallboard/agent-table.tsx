import type { Credentials } from '../shared/credentials.ts';
import { formatDuration } from '../shared/time.ts';
import { Age } from './age.tsx';
import { BoardTable, type Column } from './board-table.tsx';
import type { TaskEnding } from './actions.ts';
import type { AgentRow } from './board-view.ts';
import type { LiveTask } from './live-model.ts';
import { ListenIn } from './listen-in.tsx';
import type { ActivityJson, TaskQueueJson } from './wire.ts';

/** What the agent rows need besides the rows: names, the clock, and the supervisor's actions. */
export interface AgentTableProps {
  rows: AgentRow[];
  activities: ActivityJson[];
  queues: ReadonlyMap<string, TaskQueueJson>;
  now: number;
  credentials: Credentials;
  workspaceSid: string;
  onSetActivity: (workerSid: string, activitySid: string) => void;
  onEndTask: (task: LiveTask, ending: TaskEnding) => void;
}

const COLUMNS: Column[] = [
  { label: 'Agent' },
  { label: 'Activity' },
  { label: 'In activity', numeric: true },
  { label: 'Tasks' },
  { label: 'Change activity' },
];

/** A row per agent: activity and time in it, the tasks they hold with their age, and the supervisor's controls. */
export function AgentTable(props: AgentTableProps) {
  return (
    <BoardTable id="agents" title="Agents" columns={COLUMNS} empty="No agent matches the filters.">
      {props.rows.map(({ agent, state, tasks }) => (
        <tr key={agent.sid}>
          <th scope="row">{agent.name}</th>
          <td>
            <span class={`badge state-${state}`}>{agent.activityName}</span>
          </td>
          <td class="num">{formatDuration((props.now - agent.since) / 1000)}</td>
          <td>
            <ul class="task-list">
              {tasks.map((task) => (
                <HeldTask key={task.sid} task={task} {...props} />
              ))}
            </ul>
          </td>
          <td>
            <select
              aria-label={`Change activity of ${agent.name}`}
              value=""
              onChange={(e) => {
                const sid = e.currentTarget.value;
                e.currentTarget.value = '';
                if (sid) props.onSetActivity(agent.sid, sid);
              }}
            >
              <option value="">Set activity…</option>
              {props.activities
                .filter((a) => a.sid !== agent.activitySid)
                .map((a) => (
                  <option key={a.sid} value={a.sid}>
                    {a.friendly_name}
                  </option>
                ))}
            </select>
          </td>
        </tr>
      ))}
    </BoardTable>
  );
}

function HeldTask(props: AgentTableProps & { task: LiveTask }) {
  const { task } = props;
  const queue = task.queueSid ? props.queues.get(task.queueSid)?.friendly_name : undefined;
  const name = task.label || task.sid;
  // A task being offered or waiting can be canceled; one an agent holds is completed.
  const ending: TaskEnding = task.status === 'reserved' ? 'canceled' : 'completed';
  return (
    <li class={`held-task status-${task.status}`}>
      <span class="task-name">{name}</span>
      <span class="muted">
        {[queue, task.channel].filter(Boolean).join(' · ')} · {task.status === 'reserved' ? 'offered' : task.status}
      </span>
      <Age seconds={(props.now - task.createdAt) / 1000} />
      {/* Kept through wrap-up so that a supervisor listening is told the call ended. */}
      {task.channel === 'voice' && (task.status === 'assigned' || task.status === 'wrapping') && (
        <ListenIn credentials={props.credentials} workspaceSid={props.workspaceSid} taskSid={task.sid} live={task.status === 'assigned'} />
      )}
      <button
        type="button"
        class="secondary small"
        aria-label={`${ending === 'canceled' ? 'Cancel' : 'Complete'} task ${name}`}
        onClick={() => props.onEndTask(task, ending)}
      >
        {ending === 'canceled' ? 'Cancel' : 'Complete'}
      </button>
    </li>
  );
}
