import type { Expression, OrderByKey } from '../expression/index.js';

/** One routing step of a filter (or the default filter): where the task waits, for how long, and for which workers. */
export interface CompiledTarget {
  /** TaskQueue the task waits in during this step; inherited from the previous step when the configuration omits it. */
  queueSid: string;
  /** Priority the task takes on when it enters this step; absent ⇒ the task keeps its current priority. */
  priority?: number;
  /** Task age in seconds at which the task leaves this step; absent ⇒ it never times out of it. */
  timeout?: number;
  /** Which workers of the queue are eligible, over `task.*`, `worker.*` and `taskrouter.*`. */
  expression?: Expression;
  /** The target expression as written, for display and events. */
  expressionSource?: string;
  /** Worker ordering that replaces "longest unoccupied first". */
  orderBy?: OrderByKey[];
  /** When true (over `workers.*` counts), the step is skipped if no reservation was created on entering it. */
  skipIf?: Expression;
  /** The skip condition as written. */
  skipIfSource?: string;
  /** Task attribute path holding the SID of the only worker this step may reserve, e.g. `['task', 'agent_sid']`. */
  knownWorkerSid?: string[];
  /** Task attribute path holding the friendly name of the only worker this step may reserve. */
  knownWorkerFriendlyName?: string[];
}

/** A workflow filter: the first one whose expression matches the task's attributes routes the task. */
export interface CompiledFilter {
  /** `filter_friendly_name`; empty when the configuration gives none. */
  name: string;
  /** Condition over the task's attributes (no prefix). */
  expression: Expression;
  /** The filter expression as written. */
  expressionSource: string;
  /** Routing steps, tried in order; never empty. */
  targets: CompiledTarget[];
}

/** A validated workflow configuration, ready for routing. */
export interface CompiledWorkflow {
  /** Filters in evaluation order. */
  filters: CompiledFilter[];
  /** Where a task that matches no filter goes; absent ⇒ such a task stays unrouted. */
  defaultFilter?: CompiledTarget;
}
