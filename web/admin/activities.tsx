import { useState } from 'preact/hooks';
import { Notice } from '../shared/ui.tsx';
import { RecordName, RecordTable, useDeletion } from './record-table.tsx';
import type { Activity } from './records.ts';
import { onSubmitted, useAction, useLoaded } from './resource-hooks.ts';
import { workspacePath, type SectionProps } from './section.ts';

/** The workspace's activities: what workers can be doing, and whether it lets them take tasks. */
export function ActivitiesSection({ api, workspaceSid }: SectionProps) {
  const path = workspacePath(workspaceSid, 'Activities');
  const activities = useLoaded<Activity>(() => api.list<Activity>(path, 'activities'), workspaceSid);
  const [name, setName] = useState('');
  const [available, setAvailable] = useState(false);
  const action = useAction();
  const remove = useDeletion(api, activities.reload);
  const create = onSubmitted(async () => {
    if (await action.run(() => api.post(path, { FriendlyName: name.trim(), Available: available }))) {
      setName('');
      activities.reload();
    }
  });
  return (
    <section aria-labelledby="activities-title" class="card">
      <h2 id="activities-title">Activities</h2>
      {activities.error && <Notice>{activities.error}</Notice>}
      <RecordTable labelledBy="activities-title" columns={['Name', 'Takes tasks']} empty={activities.items?.length === 0}>
        {activities.items?.map((a) => (
          <tr>
            <RecordName name={a.friendly_name} sid={a.sid} />
            <td>{a.available ? <span class="badge good">available</span> : <span class="badge">unavailable</span>}</td>
            <td class="row-actions">
              <button type="button" class="secondary" aria-label={`Delete activity ${a.friendly_name}`} onClick={() => remove.remove(`${path}/${a.sid}`)}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </RecordTable>
      {remove.error && <Notice>{remove.error}</Notice>}
      <form class="form-grid" onSubmit={create} aria-label="New activity">
        <h3 class="span-all">New activity</h3>
        <label>
          Activity name
          <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={available} onChange={(e) => setAvailable(e.currentTarget.checked)} />
          Takes tasks (available)
        </label>
        <div class="form-actions">
          <button type="submit" disabled={action.busy}>
            Create activity
          </button>
        </div>
      </form>
      {action.error && <Notice>{action.error}</Notice>}
    </section>
  );
}
