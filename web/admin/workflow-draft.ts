import { TwilioError } from '../../src/core/errors.ts';
import { compileWorkflowConfiguration } from '../../src/core/workflow/index.ts';

/** One step of a filter as the form edits it: text fields, empty meaning "not set". */
export interface TargetDraft {
  queue: string;
  priority: string;
  timeout: string;
  expression: string;
}

export interface FilterDraft {
  name: string;
  expression: string;
  targets: TargetDraft[];
}

/** A workflow configuration in the form's terms: filters tried top to bottom, and the queue for tasks matching none. */
export interface WorkflowDraft {
  filters: FilterDraft[];
  defaultQueue: string;
}

export const emptyTarget = (queue = ''): TargetDraft => ({ queue, priority: '', timeout: '', expression: '' });
export const emptyFilter = (queue = ''): FilterDraft => ({ name: '', expression: '', targets: [emptyTarget(queue)] });

/** The configuration JSON (TaskRouter's format) the draft stands for. */
export function configurationOf(draft: WorkflowDraft): string {
  const number = (text: string) => (text.trim() === '' ? undefined : Number(text));
  const text = (value: string) => (value.trim() === '' ? undefined : value);
  const document = {
    task_routing: {
      filters: draft.filters.map((f) => ({
        filter_friendly_name: f.name,
        expression: f.expression,
        targets: f.targets.map((t) => ({ queue: text(t.queue), priority: number(t.priority), timeout: number(t.timeout), expression: text(t.expression) })),
      })),
      default_filter: draft.defaultQueue ? { queue: draft.defaultQueue } : undefined,
    },
  };
  return JSON.stringify(document, null, 2);
}

const FILTER_KEYS = new Set(['filter_friendly_name', 'expression', 'targets']);
const TARGET_KEYS = new Set(['queue', 'priority', 'timeout', 'expression']);

/**
 * The draft for a configuration, or null when the form cannot show it whole (not valid JSON, or settings such as
 * `order_by`, `skip_if` or known workers that only the JSON editor offers).
 */
export function draftOf(configuration: string): WorkflowDraft | null {
  let document: unknown;
  try {
    document = JSON.parse(configuration);
  } catch {
    return null;
  }
  const routing = (document as { task_routing?: { filters?: unknown; default_filter?: unknown } } | null)?.task_routing;
  if (!routing || typeof routing !== 'object') return null;
  const filters = routing.filters ?? [];
  if (!Array.isArray(filters)) return null;
  const defaultFilter = (routing.default_filter ?? {}) as Record<string, unknown>;
  if (Object.keys(defaultFilter).some((k) => k !== 'queue')) return null;
  const draft: WorkflowDraft = { filters: [], defaultQueue: typeof defaultFilter.queue === 'string' ? defaultFilter.queue : '' };
  for (const raw of filters as Record<string, unknown>[]) {
    if (!raw || typeof raw !== 'object' || Object.keys(raw).some((k) => !FILTER_KEYS.has(k)) || !Array.isArray(raw.targets)) return null;
    const targets: TargetDraft[] = [];
    for (const t of raw.targets as Record<string, unknown>[]) {
      if (!t || typeof t !== 'object' || Object.keys(t).some((k) => !TARGET_KEYS.has(k))) return null;
      targets.push({ queue: show(t.queue), priority: show(t.priority), timeout: show(t.timeout), expression: show(t.expression) });
    }
    draft.filters.push({ name: show(raw.filter_friendly_name), expression: show(raw.expression), targets });
  }
  return draft;
}

function show(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** What the server would refuse in `configuration` (its own validator, with the workspace's queues); null when valid. */
export function configurationProblem(configuration: string, queueSids: ReadonlySet<string>): string | null {
  try {
    compileWorkflowConfiguration(configuration, (sid) => queueSids.has(sid));
    return null;
  } catch (err) {
    if (err instanceof TwilioError) return err.message;
    throw err;
  }
}
