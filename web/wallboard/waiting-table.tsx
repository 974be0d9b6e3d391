import { Age } from './age.tsx';
import { BoardTable, type Column } from './board-table.tsx';
import type { LiveTask } from './live-model.ts';
import type { Agent } from './live-model.ts';
import type { TaskQueueJson } from './wire.ts';

const COLUMNS: Column[] = [
  { label: 'Task' },
  { label: 'Queue' },
  { label: 'Priority', numeric: true },
  { label: 'Status' },
  { label: 'Waiting', numeric: true },
  { label: <span class="visually-hidden">Actions</span> },
];

/** The tasks nobody has accepted yet, oldest first, each with a way to cancel it when it is stuck. */
export function WaitingTable(props: {
  tasks: LiveTask[];
  queues: ReadonlyMap<string, TaskQueueJson>;
  agents: ReadonlyMap<string, Agent>;
  now: number;
  onCancel: (task: LiveTask) => void;
}) {
  return (
    <BoardTable id="waiting" title="Waiting tasks" columns={COLUMNS} empty="Nobody is waiting.">
      {props.tasks.map((task) => {
        const name = task.label || task.sid;
        const offeredTo = task.status === 'reserved' && task.workerSid ? props.agents.get(task.workerSid)?.name : undefined;
        return (
          <tr key={task.sid}>
            <th scope="row">
              {name} <span class="muted">{task.channel}</span>
            </th>
            <td>{(task.queueSid && props.queues.get(task.queueSid)?.friendly_name) ?? '—'}</td>
            <td class="num">{task.priority}</td>
            <td>{offeredTo ? `offered to ${offeredTo}` : task.status === 'reserved' ? 'offered' : 'in queue'}</td>
            <td class="num">
              <Age seconds={(props.now - task.createdAt) / 1000} />
            </td>
            <td>
              <button type="button" class="secondary small" aria-label={`Cancel task ${name}`} onClick={() => props.onCancel(task)}>
                Cancel
              </button>
            </td>
          </tr>
        );
      })}
    </BoardTable>
  );
}
