import type { Task } from 'twilio-taskrouter';
import { attributeText } from './task-view.ts';

/** A task's attributes as a definition list, names sorted. */
export function TaskAttributes(props: { task: Task; label: string }) {
  const entries = Object.entries(props.task.attributes as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return (
    <dl class="attributes" aria-label={props.label}>
      {entries.map(([name, value]) => (
        <div>
          <dt>{name}</dt>
          <dd>{attributeText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
