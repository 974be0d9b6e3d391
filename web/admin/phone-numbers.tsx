import { useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import { ConnectorNeedsAccount, setting } from './connector-access.tsx';
import { FormActions, RecordActions, RecordTable, useDeletion } from './record-table.tsx';
import type { IvrMenu, PhoneNumber, Workflow } from './records.ts';
import { onSubmitted, useAction, useEditing, useLoaded } from './resource-hooks.ts';
import { workspacePath, type SectionProps } from './section.ts';
import { SelectField } from './select-field.tsx';

const PATH = '/v1/Connector/PhoneNumbers';

/** The voice connector's phone numbers of this workspace: the workflow their calls take, and the IVR menu callers answer. */
export function PhoneNumbersSection({ api, workspaceSid, accountWide }: SectionProps) {
  if (!accountWide) return <ConnectorNeedsAccount what="Phone numbers" />;
  return <PhoneNumbers api={api} workspaceSid={workspaceSid} />;
}

function PhoneNumbers({ api, workspaceSid }: { api: Api; workspaceSid: string }) {
  const numbers = useLoaded<PhoneNumber>(
    () => api.list<PhoneNumber>(PATH, 'phone_numbers').then((all) => all.filter((n) => n.workspace_sid === workspaceSid)),
    workspaceSid,
  );
  const workflows = useLoaded<Workflow>(() => api.list<Workflow>(workspacePath(workspaceSid, 'Workflows'), 'workflows'), workspaceSid);
  const menus = useLoaded<IvrMenu>(() => api.list<IvrMenu>('/v1/Connector/IvrMenus', 'ivr_menus'), 'menus');
  const editing = useEditing<PhoneNumber>();
  const remove = useDeletion(api, numbers.reload);
  const workflowName = (sid: string) => workflows.items?.find((w) => w.sid === sid)?.friendly_name ?? sid;
  const menuName = (sid: string | null) => (sid ? (menus.items?.find((m) => m.sid === sid)?.unique_name ?? sid) : '—');
  return (
    <section aria-labelledby="numbers-title" class="card">
      <h2 id="numbers-title">Phone numbers</h2>
      {numbers.error && <Notice>{numbers.error}</Notice>}
      <RecordTable labelledBy="numbers-title" columns={['Number', 'Workflow', 'IVR menu', 'No one available']} empty={numbers.items?.length === 0}>
        {numbers.items?.map((n) => (
          <tr>
            <td>
              <span class="mono">{n.number}</span> {n.friendly_name && n.friendly_name !== n.number && <span class="muted">{n.friendly_name}</span>}
            </td>
            <td>{workflowName(n.workflow_sid)}</td>
            <td>{menuName(n.ivr_menu_sid)}</td>
            <td>{n.when_no_workers ?? 'queue'}</td>
            <RecordActions kind="number" name={n.number} onEdit={() => editing.edit(n)} onDelete={() => remove.remove(`${PATH}/${n.sid}`)} />
          </tr>
        ))}
      </RecordTable>
      {remove.error && <Notice>{remove.error}</Notice>}
      <NumberForm
        key={editing.formKey}
        api={api}
        workspaceSid={workspaceSid}
        number={editing.record}
        workflows={workflows.items ?? []}
        menus={menus.items ?? []}
        onDone={() => {
          editing.done();
          numbers.reload();
        }}
      />
    </section>
  );
}

function NumberForm(props: { api: Api; workspaceSid: string; number: PhoneNumber | null; workflows: Workflow[]; menus: IvrMenu[]; onDone: () => void }) {
  const n = props.number;
  const updating = n !== null;
  const [number, setNumber] = useState(n?.number ?? '');
  const [name, setName] = useState(n?.friendly_name ?? '');
  const [workflow, setWorkflow] = useState(n?.workflow_sid ?? '');
  const [menu, setMenu] = useState(n?.ivr_menu_sid ?? '');
  const [whenNoWorkers, setWhenNoWorkers] = useState(n?.when_no_workers ?? '');
  const [maxQueue, setMaxQueue] = useState(n?.max_queue_size === null || n === null ? '' : String(n.max_queue_size));
  const action = useAction();
  const save = onSubmitted(async () => {
    const params = {
      Number: number.trim(),
      FriendlyName: setting(name, updating),
      WorkspaceSid: props.workspaceSid,
      WorkflowSid: workflow,
      IvrMenuSid: setting(menu, updating),
      WhenNoWorkers: setting(whenNoWorkers, updating),
      MaxQueueSize: setting(maxQueue, updating),
    };
    if (await action.run(() => props.api.post(n ? `${PATH}/${n.sid}` : PATH, params))) props.onDone();
  });
  return (
    <form class="form-grid" onSubmit={save} aria-label={n ? `Edit number ${n.number}` : 'New phone number'}>
      <h3 class="span-all">{n ? `Edit ${n.number}` : 'New phone number'}</h3>
      <label>
        Phone number (E.164)
        <input class="mono" required placeholder="+15551234567" value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
      </label>
      <label>
        Number name
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <SelectField label="Workflow" value={workflow} required onChange={setWorkflow}>
        <option value="">(choose a workflow)</option>
        {props.workflows.map((w) => (
          <option value={w.sid}>{w.friendly_name}</option>
        ))}
      </SelectField>
      <SelectField label="IVR menu" value={menu} onChange={setMenu}>
        <option value="">(none: queue at once)</option>
        {props.menus.map((m) => (
          <option value={m.sid}>{m.unique_name}</option>
        ))}
      </SelectField>
      <SelectField label="When no one is available" value={whenNoWorkers} onChange={setWhenNoWorkers}>
        <option value="">Queue the caller</option>
        <option value="voicemail">Take a voicemail</option>
        <option value="message">Play a message</option>
      </SelectField>
      <label>
        Max queue size
        <input type="number" min={1} value={maxQueue} onInput={(e) => setMaxQueue(e.currentTarget.value)} />
      </label>
      <FormActions noun="number" editing={n !== null} busy={action.busy} error={action.error} onCancel={props.onDone} />
    </form>
  );
}
