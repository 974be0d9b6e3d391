import { useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import { ExpressionField, expressionProblem } from './expression-field.tsx';
import { FormActions, RecordActions, RecordName, RecordTable, useDeletion } from './record-table.tsx';
import type { Activity, TaskQueue } from './records.ts';
import { onSubmitted, useAction, useEditing, useLoaded } from './resource-hooks.ts';
import { workspacePath, type SectionProps } from './section.ts';
import { SelectField } from './select-field.tsx';

/** The workspace's task queues: who may take their tasks (target workers), in what order, with which activities. */
export function TaskQueuesSection({ api, workspaceSid }: SectionProps) {
  const path = workspacePath(workspaceSid, 'TaskQueues');
  const queues = useLoaded<TaskQueue>(() => api.list<TaskQueue>(path, 'task_queues'), workspaceSid);
  const activities = useLoaded<Activity>(() => api.list<Activity>(workspacePath(workspaceSid, 'Activities'), 'activities'), workspaceSid);
  const editing = useEditing<TaskQueue>();
  const remove = useDeletion(api, queues.reload);
  return (
    <section aria-labelledby="queues-title" class="card">
      <h2 id="queues-title">Task queues</h2>
      {queues.error && <Notice>{queues.error}</Notice>}
      <RecordTable
        labelledBy="queues-title"
        columns={['Name', 'Target workers', 'Order', { label: 'Max reserved', numeric: true }]}
        empty={queues.items?.length === 0}
      >
        {queues.items?.map((q) => (
          <tr>
            <RecordName name={q.friendly_name} sid={q.sid} />
            <td class="mono">{q.target_workers}</td>
            <td>{q.task_order}</td>
            <td class="num">{q.max_reserved_workers}</td>
            <RecordActions kind="queue" name={q.friendly_name} onEdit={() => editing.edit(q)} onDelete={() => remove.remove(`${path}/${q.sid}`)} />
          </tr>
        ))}
      </RecordTable>
      {remove.error && <Notice>{remove.error}</Notice>}
      <QueueForm
        key={editing.formKey}
        api={api}
        path={path}
        queue={editing.record}
        activities={activities.items ?? []}
        onDone={() => {
          editing.done();
          queues.reload();
        }}
      />
    </section>
  );
}

function QueueForm(props: { api: Api; path: string; queue: TaskQueue | null; activities: Activity[]; onDone: () => void }) {
  const q = props.queue;
  const [name, setName] = useState(q?.friendly_name ?? '');
  const [target, setTarget] = useState(q?.target_workers ?? '1==1');
  const [order, setOrder] = useState(q?.task_order ?? 'FIFO');
  const [maxReserved, setMaxReserved] = useState(String(q?.max_reserved_workers ?? 1));
  const [reservationActivity, setReservationActivity] = useState(q?.reservation_activity_sid ?? '');
  const [assignmentActivity, setAssignmentActivity] = useState(q?.assignment_activity_sid ?? '');
  const action = useAction();
  const invalid = expressionProblem(target) !== null;
  const save = onSubmitted(async () => {
    if (invalid) return;
    const params = {
      FriendlyName: name.trim(),
      TargetWorkers: target,
      TaskOrder: order,
      MaxReservedWorkers: maxReserved,
      ReservationActivitySid: reservationActivity || undefined,
      AssignmentActivitySid: assignmentActivity || undefined,
    };
    if (await action.run(() => props.api.post(q ? `${props.path}/${q.sid}` : props.path, params))) props.onDone();
  });
  const activityChoice = (label: string, value: string, set: (v: string) => void) => (
    <SelectField label={label} value={value} onChange={set}>
      <option value="">(none)</option>
      {props.activities.map((a) => (
        <option value={a.sid}>{a.friendly_name}</option>
      ))}
    </SelectField>
  );
  return (
    <form class="form-grid" onSubmit={save} aria-label={q ? `Edit queue ${q.friendly_name}` : 'New queue'}>
      <h3 class="span-all">{q ? `Edit ${q.friendly_name}` : 'New queue'}</h3>
      <label>
        Queue name
        <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <div class="span-2">
        <ExpressionField label="Target workers" value={target} onInput={setTarget} />
      </div>
      <SelectField label="Task order" value={order} onChange={setOrder}>
        <option value="FIFO">FIFO (oldest first)</option>
        <option value="LIFO">LIFO (newest first)</option>
      </SelectField>
      <label>
        Max reserved workers
        <input type="number" min={1} max={50} value={maxReserved} onInput={(e) => setMaxReserved(e.currentTarget.value)} />
      </label>
      {activityChoice('Reservation activity', reservationActivity, setReservationActivity)}
      {activityChoice('Assignment activity', assignmentActivity, setAssignmentActivity)}
      <FormActions noun="queue" editing={q !== null} busy={action.busy} invalid={invalid} error={action.error} onCancel={props.onDone} />
    </form>
  );
}
