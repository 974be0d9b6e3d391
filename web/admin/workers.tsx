import { useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import { FormActions, RecordActions, RecordName, RecordTable, useDeletion } from './record-table.tsx';
import type { Activity, Worker } from './records.ts';
import { onSubmitted, useAction, useEditing, useLoaded } from './resource-hooks.ts';
import { workspacePath, type SectionProps } from './section.ts';
import { SelectField } from './select-field.tsx';
import { SignInLink } from './sign-in-link.tsx';
import { WorkerChannels } from './worker-channels.tsx';

/** The workspace's workers: attributes, contact URI, activity, channel capacity, and their sign-in links. */
export function WorkersSection({ api, workspaceSid }: SectionProps) {
  const path = workspacePath(workspaceSid, 'Workers');
  const workers = useLoaded<Worker>(() => api.list<Worker>(path, 'workers'), workspaceSid);
  const activities = useLoaded<Activity>(() => api.list<Activity>(workspacePath(workspaceSid, 'Activities'), 'activities'), workspaceSid);
  const editing = useEditing<Worker>();
  const [linkFor, setLinkFor] = useState<Worker | null>(null);
  const remove = useDeletion(api, workers.reload);
  return (
    <section aria-labelledby="workers-title" class="card">
      <h2 id="workers-title">Workers</h2>
      {workers.error && <Notice>{workers.error}</Notice>}
      <RecordTable labelledBy="workers-title" columns={['Name', 'Activity', 'Contact URI', 'Attributes']} empty={workers.items?.length === 0}>
        {workers.items?.map((w) => (
          <tr>
            <RecordName name={w.friendly_name} sid={w.sid} />
            <td>
              <span class={w.available ? 'badge good' : 'badge'}>{w.activity_name}</span>
            </td>
            <td class="mono">{contactUri(w.attributes)}</td>
            <td class="mono small attributes">{w.attributes}</td>
            <RecordActions kind="worker" name={w.friendly_name} onEdit={() => editing.edit(w)} onDelete={() => remove.remove(`${path}/${w.sid}`)}>
              <button type="button" class="secondary" aria-label={`Sign-in link for ${w.friendly_name}`} onClick={() => setLinkFor(w)}>
                Sign-in link
              </button>
            </RecordActions>
          </tr>
        ))}
      </RecordTable>
      {remove.error && <Notice>{remove.error}</Notice>}
      {linkFor && <SignInLink key={linkFor.sid} api={api} workspaceSid={workspaceSid} worker={linkFor} onClose={() => setLinkFor(null)} />}
      <WorkerForm
        key={editing.formKey}
        api={api}
        path={path}
        worker={editing.record}
        activities={activities.items ?? []}
        onDone={() => {
          editing.done();
          workers.reload();
        }}
      />
      {editing.record && (
        <WorkerChannels key={`channels-${editing.record.sid}`} api={api} path={`${path}/${editing.record.sid}/Channels`} worker={editing.record} />
      )}
    </section>
  );
}

function contactUri(attributes: string): string {
  try {
    const value = (JSON.parse(attributes) as { contact_uri?: unknown }).contact_uri;
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

/** The attributes without `contact_uri`, which has its own field, as the text the attributes field shows. */
function otherAttributes(attributes: string): string {
  try {
    const { contact_uri: _, ...rest } = JSON.parse(attributes) as Record<string, unknown>;
    return JSON.stringify(rest, null, 2);
  } catch {
    return attributes;
  }
}

/** What is wrong with the attributes text as a JSON object; null when nothing is. */
function attributesProblem(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? null : 'Attributes must be a JSON object';
  } catch (err) {
    return `Attributes are not valid JSON: ${(err as Error).message}`;
  }
}

function WorkerForm(props: { api: Api; path: string; worker: Worker | null; activities: Activity[]; onDone: () => void }) {
  const w = props.worker;
  const [name, setName] = useState(w?.friendly_name ?? '');
  const [activity, setActivity] = useState(w?.activity_sid ?? '');
  const [contact, setContact] = useState(w ? contactUri(w.attributes) : '');
  const [attributes, setAttributes] = useState(w ? otherAttributes(w.attributes) : '{}');
  const action = useAction();
  const problem = attributesProblem(attributes);
  const save = onSubmitted(async () => {
    if (problem) return;
    const merged = { ...(JSON.parse(attributes) as Record<string, unknown>), ...(contact.trim() ? { contact_uri: contact.trim() } : {}) };
    const params = { FriendlyName: name.trim(), ActivitySid: activity || undefined, Attributes: JSON.stringify(merged) };
    if (await action.run(() => props.api.post(w ? `${props.path}/${w.sid}` : props.path, params))) props.onDone();
  });
  return (
    <form class="form-grid" onSubmit={save} aria-label={w ? `Edit worker ${w.friendly_name}` : 'New worker'}>
      <h3 class="span-all">{w ? `Edit ${w.friendly_name}` : 'New worker'}</h3>
      <label>
        Worker name
        <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <SelectField label="Activity" value={activity} onChange={setActivity}>
        <option value="">(workspace default)</option>
        {props.activities.map((a) => (
          <option value={a.sid}>{a.friendly_name}</option>
        ))}
      </SelectField>
      <label>
        Contact URI
        <input class="mono" placeholder="client:alice, +15551234567, sip:…, stream:alice" value={contact} onInput={(e) => setContact(e.currentTarget.value)} />
      </label>
      <label class="span-all">
        Attributes (JSON)
        <textarea
          class="mono"
          rows={4}
          spellcheck={false}
          value={attributes}
          aria-invalid={problem ? true : undefined}
          onInput={(e) => setAttributes(e.currentTarget.value)}
        />
      </label>
      {problem && (
        <div class="span-all notice error" role="alert">
          {problem}
        </div>
      )}
      <FormActions noun="worker" editing={w !== null} busy={action.busy} invalid={problem !== null} error={action.error} onCancel={props.onDone} />
    </form>
  );
}
