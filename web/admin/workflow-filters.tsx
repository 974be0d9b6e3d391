import { ExpressionField } from './expression-field.tsx';
import type { TaskQueue } from './records.ts';
import { SelectField } from './select-field.tsx';
import { emptyFilter, emptyTarget, type FilterDraft, type TargetDraft, type WorkflowDraft } from './workflow-draft.ts';

/** The filters of a workflow as a form: each with its name, expression and targets; then the default queue. */
export function WorkflowFilters(props: { draft: WorkflowDraft; queues: TaskQueue[]; onChange: (draft: WorkflowDraft) => void }) {
  const { draft, queues } = props;
  const setFilter = (i: number, filter: FilterDraft) => props.onChange({ ...draft, filters: draft.filters.map((f, j) => (j === i ? filter : f)) });
  const queueChoice = (label: string, value: string, set: (v: string) => void, emptyLabel: string) => (
    <SelectField label={label} value={value} onChange={set}>
      <option value="">{emptyLabel}</option>
      {queues.map((q) => (
        <option value={q.sid}>{q.friendly_name}</option>
      ))}
    </SelectField>
  );
  return (
    <div class="workflow-filters">
      {draft.filters.map((filter, i) => {
        const n = i + 1;
        const setTarget = (k: number, target: TargetDraft) => setFilter(i, { ...filter, targets: filter.targets.map((t, j) => (j === k ? target : t)) });
        return (
          <fieldset class="filter">
            <legend>Filter {n}</legend>
            <div class="form-grid">
              <label>
                Filter {n} name
                <input value={filter.name} onInput={(e) => setFilter(i, { ...filter, name: e.currentTarget.value })} />
              </label>
              <div class="span-2">
                <ExpressionField label={`Filter ${n} expression`} value={filter.expression} onInput={(expression) => setFilter(i, { ...filter, expression })} />
              </div>
            </div>
            {filter.targets.map((target, k) => {
              const step = `Filter ${n} target ${k + 1}`;
              return (
                <div class="form-grid target" role="group" aria-label={step}>
                  {queueChoice(`${step} queue`, target.queue, (queue) => setTarget(k, { ...target, queue }), k === 0 ? '(choose a queue)' : '(same as before)')}
                  <label>
                    {step} priority
                    <input type="number" value={target.priority} onInput={(e) => setTarget(k, { ...target, priority: e.currentTarget.value })} />
                  </label>
                  <label>
                    {step} timeout (s)
                    <input type="number" value={target.timeout} onInput={(e) => setTarget(k, { ...target, timeout: e.currentTarget.value })} />
                  </label>
                  <ExpressionField
                    label={`${step} expression`}
                    optional
                    value={target.expression}
                    onInput={(expression) => setTarget(k, { ...target, expression })}
                  />
                </div>
              );
            })}
            <div class="form-actions">
              <button type="button" class="secondary" onClick={() => setFilter(i, { ...filter, targets: [...filter.targets, emptyTarget()] })}>
                Add target to filter {n}
              </button>
              <button type="button" class="secondary" onClick={() => props.onChange({ ...draft, filters: draft.filters.filter((_, j) => j !== i) })}>
                Remove filter {n}
              </button>
            </div>
          </fieldset>
        );
      })}
      <div class="form-actions">
        <button type="button" class="secondary" onClick={() => props.onChange({ ...draft, filters: [...draft.filters, emptyFilter()] })}>
          Add filter
        </button>
      </div>
      <div class="form-grid">{queueChoice('Default queue', draft.defaultQueue, (defaultQueue) => props.onChange({ ...draft, defaultQueue }), '(none)')}</div>
    </div>
  );
}
