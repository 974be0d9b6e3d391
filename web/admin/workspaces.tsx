import { useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import type { Activity, Workspace } from './records.ts';
import { onSubmitted, useAction, useLoaded } from './resource-hooks.ts';
import { workspacePath, type SectionProps } from './section.ts';
import { SelectField } from './select-field.tsx';

/** Which workspace the console shows; with the account's credentials, any of them, and a new one. */
export function WorkspacePicker(props: {
  api: Api;
  workspaces: Workspace[];
  chosen: string | null;
  accountWide: boolean;
  onChoose: (sid: string) => void;
  onCreated: (sid: string) => void;
}) {
  const [name, setName] = useState('');
  const action = useAction();
  const create = onSubmitted(async () => {
    await action.run(async () => {
      const created = await props.api.post<Workspace>('/v1/Workspaces', { FriendlyName: name.trim() });
      setName('');
      props.onCreated(created.sid);
    });
  });
  return (
    <div class="workspace-picker">
      <SelectField label="Workspace" value={props.chosen ?? ''} onChange={props.onChoose} disabled={!props.accountWide}>
        {props.workspaces.map((w) => (
          <option value={w.sid}>{w.friendly_name}</option>
        ))}
      </SelectField>
      {props.accountWide && (
        <form onSubmit={create} class="inline-form" aria-label="Add a workspace">
          <label>
            New workspace
            <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={action.busy}>
            Create workspace
          </button>
          {action.error && <Notice>{action.error}</Notice>}
        </form>
      )}
    </div>
  );
}

/** The workspace's own settings: name, default and timeout activities, multitasking, queue order, event callback. */
export function WorkspaceSettings({ api, workspaceSid, onWorkspaceChanged }: SectionProps) {
  const workspace = useLoaded<Workspace>(() => api.get<Workspace>(workspacePath(workspaceSid)).then((w) => [w]), workspaceSid);
  const activities = useLoaded<Activity>(() => api.list<Activity>(workspacePath(workspaceSid, 'Activities'), 'activities'), workspaceSid);
  const current = workspace.items?.[0];
  if (!current || !activities.items) return <section aria-label="Workspace">{workspace.error && <Notice>{workspace.error}</Notice>}</section>;
  return (
    <WorkspaceForm
      key={current.sid}
      api={api}
      workspace={current}
      activities={activities.items}
      onSaved={() => {
        workspace.reload();
        onWorkspaceChanged?.();
      }}
    />
  );
}

function WorkspaceForm(props: { api: Api; workspace: Workspace; activities: Activity[]; onSaved: () => void }) {
  const w = props.workspace;
  const [name, setName] = useState(w.friendly_name);
  const [defaultActivity, setDefaultActivity] = useState(w.default_activity_sid ?? '');
  const [timeoutActivity, setTimeoutActivity] = useState(w.timeout_activity_sid ?? '');
  const [multiTask, setMultiTask] = useState(w.multi_task_enabled);
  const [order, setOrder] = useState(w.prioritize_queue_order);
  const [callback, setCallback] = useState(w.event_callback_url ?? '');
  const action = useAction();
  const [saved, setSaved] = useState(false);
  const save = onSubmitted(async () => {
    setSaved(false);
    const ok = await action.run(() =>
      props.api.post(workspacePath(w.sid), {
        FriendlyName: name,
        DefaultActivitySid: defaultActivity || undefined,
        TimeoutActivitySid: timeoutActivity || undefined,
        MultiTaskEnabled: multiTask,
        PrioritizeQueueOrder: order,
        EventCallbackUrl: callback,
      }),
    );
    if (ok) {
      setSaved(true);
      props.onSaved();
    }
  });
  const activityOptions = props.activities.map((a) => <option value={a.sid}>{a.friendly_name}</option>);
  return (
    <section aria-labelledby="workspace-title" class="card">
      <h2 id="workspace-title">Workspace</h2>
      <p class="muted mono">{w.sid}</p>
      <form class="form-grid" onSubmit={save}>
        <label>
          Name
          <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <SelectField label="Default activity" value={defaultActivity} onChange={setDefaultActivity}>
          {activityOptions}
        </SelectField>
        <SelectField label="Timeout activity" value={timeoutActivity} onChange={setTimeoutActivity}>
          {activityOptions}
        </SelectField>
        <SelectField label="Queue order" value={order} onChange={setOrder}>
          <option value="FIFO">FIFO first</option>
          <option value="LIFO">LIFO first</option>
        </SelectField>
        <label>
          Event callback URL
          <input type="url" value={callback} onInput={(e) => setCallback(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={multiTask} onChange={(e) => setMultiTask(e.currentTarget.checked)} />
          Multitasking
        </label>
        <div class="form-actions">
          <button type="submit" disabled={action.busy}>
            Save workspace
          </button>
        </div>
      </form>
      {action.error && <Notice>{action.error}</Notice>}
      {saved && <Notice kind="info">Saved.</Notice>}
    </section>
  );
}
