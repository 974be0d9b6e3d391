import { useMemo, useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import { FormActions, RecordActions, RecordName, RecordTable, useDeletion } from './record-table.tsx';
import type { TaskQueue, Workflow } from './records.ts';
import { onSubmitted, useAction, useEditing, useLoaded } from './resource-hooks.ts';
import { workspacePath, type SectionProps } from './section.ts';
import { configurationOf, configurationProblem, draftOf, type WorkflowDraft } from './workflow-draft.ts';
import { WorkflowFilters } from './workflow-filters.tsx';

/** The workspace's workflows: how tasks are routed to queues, edited as a form or as TaskRouter's JSON. */
export function WorkflowsSection({ api, workspaceSid }: SectionProps) {
  const path = workspacePath(workspaceSid, 'Workflows');
  const workflows = useLoaded<Workflow>(() => api.list<Workflow>(path, 'workflows'), workspaceSid);
  const queues = useLoaded<TaskQueue>(() => api.list<TaskQueue>(workspacePath(workspaceSid, 'TaskQueues'), 'task_queues'), workspaceSid);
  const editing = useEditing<Workflow>();
  const remove = useDeletion(api, workflows.reload);
  const queueName = (sid: string) => queues.items?.find((q) => q.sid === sid)?.friendly_name ?? sid;
  return (
    <section aria-labelledby="workflows-title" class="card">
      <h2 id="workflows-title">Workflows</h2>
      {workflows.error && <Notice>{workflows.error}</Notice>}
      <RecordTable
        labelledBy="workflows-title"
        columns={['Name', 'Routes to', { label: 'Reservation timeout', numeric: true }]}
        empty={workflows.items?.length === 0}
      >
        {workflows.items?.map((w) => (
          <tr>
            <RecordName name={w.friendly_name} sid={w.sid} />
            <td>{routedQueues(w.configuration).map(queueName).join(', ')}</td>
            <td class="num">{w.task_reservation_timeout}s</td>
            <RecordActions kind="workflow" name={w.friendly_name} onEdit={() => editing.edit(w)} onDelete={() => remove.remove(`${path}/${w.sid}`)} />
          </tr>
        ))}
      </RecordTable>
      {remove.error && <Notice>{remove.error}</Notice>}
      {queues.items && (
        <WorkflowEditor
          key={editing.formKey}
          api={api}
          path={path}
          workflow={editing.record}
          queues={queues.items}
          onDone={() => {
            editing.done();
            workflows.reload();
          }}
        />
      )}
    </section>
  );
}

/** The queues a configuration names, in order, for the list. */
function routedQueues(configuration: string): string[] {
  const draft = draftOf(configuration);
  if (!draft) return [];
  const sids = [...draft.filters.flatMap((f) => f.targets.map((t) => t.queue)), draft.defaultQueue].filter((s) => s !== '');
  return [...new Set(sids)];
}

function WorkflowEditor(props: { api: Api; path: string; workflow: Workflow | null; queues: TaskQueue[]; onDone: () => void }) {
  const w = props.workflow;
  const initial = w?.configuration ?? configurationOf({ filters: [], defaultQueue: props.queues[0]?.sid ?? '' });
  const [name, setName] = useState(w?.friendly_name ?? '');
  const [reservationTimeout, setReservationTimeout] = useState(String(w?.task_reservation_timeout ?? 120));
  const [callback, setCallback] = useState(w?.assignment_callback_url ?? '');
  const [mode, setMode] = useState<'form' | 'json'>(draftOf(initial) ? 'form' : 'json');
  const [draft, setDraft] = useState<WorkflowDraft | null>(draftOf(initial));
  const [json, setJson] = useState(initial);
  const [formNotice, setFormNotice] = useState<string | null>(null);
  const action = useAction();
  const configuration = mode === 'form' && draft ? configurationOf(draft) : json;
  const queueSids = useMemo(() => new Set(props.queues.map((q) => q.sid)), [props.queues]);
  const problem = configurationProblem(configuration, queueSids);

  function showForm() {
    const parsed = draftOf(json);
    if (!parsed) return setFormNotice('This configuration uses settings only the JSON editor shows (or is not valid JSON): keep editing it as JSON.');
    setFormNotice(null);
    setDraft(parsed);
    setMode('form');
  }
  function showJson() {
    if (draft) setJson(configurationOf(draft));
    setMode('json');
  }
  // The tabs pattern: the arrow keys move between the two tabs, and the one chosen takes the focus.
  function switchTabByKey(event: KeyboardEvent) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    if (mode === 'form') showJson();
    else showForm();
    const next = mode === 'form' ? 'wf-tab-json' : 'wf-tab-form';
    requestAnimationFrame(() => document.getElementById(next)?.focus());
  }
  const save = onSubmitted(async () => {
    if (problem) return;
    const params = {
      FriendlyName: name.trim(),
      Configuration: configuration,
      TaskReservationTimeout: reservationTimeout,
      AssignmentCallbackUrl: callback || undefined,
    };
    if (await action.run(() => props.api.post(w ? `${props.path}/${w.sid}` : props.path, params))) props.onDone();
  });
  return (
    <form onSubmit={save} aria-label={w ? `Edit workflow ${w.friendly_name}` : 'New workflow'} class="workflow-editor">
      <h3>{w ? `Edit ${w.friendly_name}` : 'New workflow'}</h3>
      <div class="form-grid">
        <label>
          Workflow name
          <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Reservation timeout (s)
          <input type="number" value={reservationTimeout} onInput={(e) => setReservationTimeout(e.currentTarget.value)} />
        </label>
        <label>
          Assignment callback URL
          <input type="url" value={callback} onInput={(e) => setCallback(e.currentTarget.value)} />
        </label>
      </div>
      <div role="tablist" aria-label="Edit the configuration as" class="tabs" onKeyDown={switchTabByKey}>
        {(
          [
            ['form', 'Form', showForm],
            ['json', 'JSON', showJson],
          ] as const
        ).map(([id, label, show]) => (
          <button
            type="button"
            role="tab"
            id={`wf-tab-${id}`}
            aria-selected={mode === id}
            tabIndex={mode === id ? 0 : -1}
            aria-controls="wf-panel"
            onClick={show}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="wf-panel" aria-labelledby={mode === 'form' ? 'wf-tab-form' : 'wf-tab-json'}>
        {formNotice && <Notice kind="info">{formNotice}</Notice>}
        {mode === 'form' && draft ? (
          <WorkflowFilters draft={draft} queues={props.queues} onChange={setDraft} />
        ) : (
          <label>
            Configuration (JSON)
            <textarea class="mono" rows={14} spellcheck={false} value={json} onInput={(e) => setJson(e.currentTarget.value)} />
          </label>
        )}
      </div>
      {problem && (
        <div role="alert" class="notice error">
          {problem}
        </div>
      )}
      <FormActions noun="workflow" editing={w !== null} busy={action.busy} invalid={problem !== null} error={action.error} onCancel={props.onDone} />
    </form>
  );
}
