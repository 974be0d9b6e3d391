import type { ComponentChildren } from 'preact';
import type { Api } from '../shared/api.ts';
import { Notice } from '../shared/ui.tsx';
import { useAction } from './resource-hooks.ts';

/** A column heading: its text, and whether the column holds numbers (aligned right). */
export type Column = string | { label: string; numeric: true };

/**
 * A section's records as a table named by the section's heading (`labelledBy`), with a last column for actions;
 * `empty` says so in a row of its own when there are none.
 */
export function RecordTable(props: { labelledBy: string; columns: Column[]; empty?: boolean; children: ComponentChildren }) {
  return (
    <table aria-labelledby={props.labelledBy}>
      <thead>
        <tr>
          {props.columns.map((c) =>
            typeof c === 'string' ? (
              <th scope="col">{c}</th>
            ) : (
              <th scope="col" class="num">
                {c.label}
              </th>
            ),
          )}
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.children}
        {props.empty && (
          <tr>
            <td class="empty" colSpan={props.columns.length + 1}>
              None yet.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** A record's name in its table: the name, and its SID beneath it. */
export function RecordName(props: { name: string; sid: string }) {
  return (
    <td>
      {props.name}
      <div class="mono muted small">{props.sid}</div>
    </td>
  );
}

/**
 * A record's last cell: any actions of its own (`children`), then Edit and Delete, each named with the record
 * (`Edit queue Sales`) so that a screen reader's list of buttons says which row each acts on.
 */
export function RecordActions(props: { kind: string; name: string; onEdit: () => void; onDelete: () => void; children?: ComponentChildren }) {
  return (
    <td class="row-actions">
      {props.children}
      <button type="button" class="secondary" aria-label={`Edit ${props.kind} ${props.name}`} onClick={props.onEdit}>
        Edit
      </button>
      <button type="button" class="secondary" aria-label={`Delete ${props.kind} ${props.name}`} onClick={props.onDelete}>
        Delete
      </button>
    </td>
  );
}

/** Deleting records of a table: `remove(url)` deletes one then reloads the table; a refusal is kept in `error`. */
export function useDeletion(api: Api, reload: () => void): { remove: (url: string) => void; error: string | null } {
  const action = useAction();
  return {
    remove: (url) => void action.run(() => api.delete(url)).then((ok) => ok && reload()),
    error: action.error,
  };
}

/** The end of a record's form: Create (or Save, with Cancel, when editing), and the server's error if it refused. */
export function FormActions(props: { noun: string; editing: boolean; busy: boolean; invalid?: boolean; error: string | null; onCancel: () => void }) {
  return (
    <div class="form-actions span-all">
      <button type="submit" disabled={props.busy || props.invalid}>
        {props.editing ? `Save ${props.noun}` : `Create ${props.noun}`}
      </button>
      {props.editing && (
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      )}
      {props.error && <Notice>{props.error}</Notice>}
    </div>
  );
}
