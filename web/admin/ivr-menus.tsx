import { useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import { ConnectorNeedsAccount, setting } from './connector-access.tsx';
import { FormActions, RecordActions, RecordName, RecordTable, useDeletion } from './record-table.tsx';
import type { IvrMenu } from './records.ts';
import { onSubmitted, useAction, useEditing, useLoaded } from './resource-hooks.ts';
import type { SectionProps } from './section.ts';
import { SelectField } from './select-field.tsx';

const PATH = '/v1/Connector/IvrMenus';

/** The voice connector's IVR menus: the prompt a caller hears, and what each answer sets on the task or leads to. */
export function IvrMenusSection({ api, accountWide }: SectionProps) {
  if (!accountWide) return <ConnectorNeedsAccount what="IVR menus" />;
  return <IvrMenus api={api} />;
}

function IvrMenus({ api }: { api: Api }) {
  const menus = useLoaded<IvrMenu>(() => api.list<IvrMenu>(PATH, 'ivr_menus'), 'menus');
  const editing = useEditing<IvrMenu>();
  const remove = useDeletion(api, menus.reload);
  const menuName = (sid: string | null) => (sid ? (menus.items?.find((m) => m.sid === sid)?.unique_name ?? sid) : '');
  return (
    <section aria-labelledby="menus-title" class="card">
      <h2 id="menus-title">IVR menus</h2>
      {menus.error && <Notice>{menus.error}</Notice>}
      <RecordTable labelledBy="menus-title" columns={['Menu', 'Prompt', 'Answers']} empty={menus.items?.length === 0}>
        {menus.items?.map((m) => (
          <tr>
            <RecordName name={m.unique_name} sid={m.sid} />
            <td>{m.prompt}</td>
            <td>
              <ul class="plain">
                {m.options.map((o) => (
                  <li>
                    <strong>{[o.digits, ...o.speech].filter(Boolean).join(' / ')}</strong> <span class="mono small">{JSON.stringify(o.attributes)}</span>
                    {o.next_menu_sid && <span> → {menuName(o.next_menu_sid)}</span>}
                  </li>
                ))}
              </ul>
            </td>
            <RecordActions kind="menu" name={m.unique_name} onEdit={() => editing.edit(m)} onDelete={() => remove.remove(`${PATH}/${m.sid}`)} />
          </tr>
        ))}
      </RecordTable>
      {remove.error && <Notice>{remove.error}</Notice>}
      <MenuForm
        key={editing.formKey}
        api={api}
        menu={editing.record}
        menus={menus.items ?? []}
        onDone={() => {
          editing.done();
          menus.reload();
        }}
      />
    </section>
  );
}

interface OptionDraft {
  digits: string;
  speech: string;
  attributes: string;
  next: string;
}

const emptyOption = (): OptionDraft => ({ digits: '', speech: '', attributes: '{}', next: '' });

function MenuForm(props: { api: Api; menu: IvrMenu | null; menus: IvrMenu[]; onDone: () => void }) {
  const m = props.menu;
  const [name, setName] = useState(m?.unique_name ?? '');
  const [prompt, setPrompt] = useState(m?.prompt ?? '');
  const [options, setOptions] = useState<OptionDraft[]>(
    m?.options.map((o) => ({ digits: o.digits ?? '', speech: o.speech.join(', '), attributes: JSON.stringify(o.attributes), next: o.next_menu_sid ?? '' })) ?? [
      emptyOption(),
    ],
  );
  const action = useAction();
  const badAttributes = options.findIndex((o) => !isJsonObject(o.attributes));
  const setOption = (i: number, option: OptionDraft) => setOptions(options.map((o, j) => (j === i ? option : o)));
  const save = onSubmitted(async () => {
    if (badAttributes >= 0) return;
    const wire = options.map((o) => ({
      digits: o.digits.trim() || undefined,
      speech: o.speech
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean),
      attributes: JSON.parse(o.attributes) as unknown,
      next_menu_sid: o.next || undefined,
    }));
    const input = [...(wire.some((o) => o.digits) ? ['dtmf'] : []), ...(wire.some((o) => o.speech.length > 0) ? ['speech'] : [])];
    const params = { UniqueName: name.trim(), Prompt: setting(prompt, m !== null), Input: input.join(','), Options: JSON.stringify(wire) };
    if (await action.run(() => props.api.post(m ? `${PATH}/${m.sid}` : PATH, params))) props.onDone();
  });
  return (
    <form onSubmit={save} aria-label={m ? `Edit menu ${m.unique_name}` : 'New IVR menu'}>
      <h3>{m ? `Edit ${m.unique_name}` : 'New IVR menu'}</h3>
      <div class="form-grid">
        <label>
          Menu name
          <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="span-2">
          Prompt
          <input value={prompt} placeholder="Press 1 for sales, 2 for support." onInput={(e) => setPrompt(e.currentTarget.value)} />
        </label>
      </div>
      {options.map((o, i) => {
        const n = i + 1;
        return (
          <fieldset class="option">
            <legend>Answer {n}</legend>
            <div class="form-grid">
              <label>
                Answer {n} digits
                <input class="mono" inputMode="numeric" value={o.digits} onInput={(e) => setOption(i, { ...o, digits: e.currentTarget.value })} />
              </label>
              <label>
                Answer {n} spoken words
                <input placeholder="sales, sell" value={o.speech} onInput={(e) => setOption(i, { ...o, speech: e.currentTarget.value })} />
              </label>
              <SelectField label={`Answer ${n} next menu`} value={o.next} onChange={(value) => setOption(i, { ...o, next: value })}>
                <option value="">(queue the caller)</option>
                {props.menus
                  .filter((other) => other.sid !== m?.sid)
                  .map((other) => (
                    <option value={other.sid}>{other.unique_name}</option>
                  ))}
              </SelectField>
              <label class="span-2">
                Answer {n} sets attributes (JSON)
                <input
                  class="mono"
                  spellcheck={false}
                  value={o.attributes}
                  aria-invalid={isJsonObject(o.attributes) ? undefined : true}
                  onInput={(e) => setOption(i, { ...o, attributes: e.currentTarget.value })}
                />
              </label>
              <div class="form-actions">
                <button type="button" class="secondary" onClick={() => setOptions(options.filter((_, j) => j !== i))}>
                  Remove answer {n}
                </button>
              </div>
            </div>
          </fieldset>
        );
      })}
      {badAttributes >= 0 && (
        <div class="notice error" role="alert">
          Answer {badAttributes + 1}: attributes must be a JSON object
        </div>
      )}
      <div class="form-actions">
        <button type="button" class="secondary" onClick={() => setOptions([...options, emptyOption()])}>
          Add answer
        </button>
      </div>
      <FormActions noun="menu" editing={m !== null} busy={action.busy} invalid={badAttributes >= 0} error={action.error} onCancel={props.onDone} />
    </form>
  );
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
