import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

/**
 * A labelled drop-down. The label is tied to the select by `for` rather than by wrapping it, so that the control's
 * accessible name is the label alone and not the label followed by the option chosen.
 */
export function SelectField(props: {
  label: ComponentChildren;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  disabled?: boolean;
  children: ComponentChildren;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} required={props.required} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.children}
      </select>
    </div>
  );
}
