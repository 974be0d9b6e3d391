import { TwilioError } from '../core/errors.js';
import { compileWorkflowConfiguration } from '../core/workflow/index.js';
import { BUILT_IN_CHANNELS, DEFAULT_ACTIVITIES } from '../engine/workspaces.js';
import type { Declared, Fields, SetupKind, WorkspaceDeclaration } from './declared.js';
import { deletion, stepFor, type Existing, type PlanStep, type StepOptions } from './plan.js';
import { SetupError } from './setup-error.js';
import type { SidBook } from './sid-book.js';
import type { SetupTarget, WorkspaceContents, WorkspaceState } from './target.js';
import { withQueuesRenamed } from './workflow-queues.js';

/** An object inside a workspace, by the name the document refers to it with. */
interface Named {
  sid: string;
  name: string;
}

/**
 * Plans one workspace of a document: compares each object it declares with what exists (or, for a workspace still
 * to be created, with what the server puts in a new one), checks every reference by name against both, and returns
 * the steps in the order they can run: the workspace, activities, its default and timeout activities, channels,
 * queues, workflows, workers.
 */
export class WorkspacePlanner {
  private readonly steps: PlanStep[] = [];
  private unchangedCount = 0;

  constructor(
    private readonly declaration: WorkspaceDeclaration,
    private readonly existing: WorkspaceState | null,
    private readonly contents: WorkspaceContents,
    private readonly file: string,
    private readonly target: SetupTarget,
  ) {}

  /** Plans a workspace that exists (read through `target`), or one to be created when `existing` is null. */
  static async read(declaration: WorkspaceDeclaration, existing: WorkspaceState | null, file: string, target: SetupTarget): Promise<WorkspacePlanner> {
    const contents = existing ? await target.readWorkspace(existing.sid) : newWorkspaceContents();
    return new WorkspacePlanner(declaration, existing, contents, file, target);
  }

  get unchanged(): number {
    return this.unchangedCount;
  }

  /** Records the sids of what exists, for steps to refer to. */
  register(sids: SidBook): void {
    if (this.existing) registerWorkspace(sids, this.declaration.name, this.existing.sid, this.contents);
  }

  plan(): PlanStep[] {
    const d = this.declaration;
    const state = this.existing ?? newWorkspaceState(d.name, this.contents);
    this.checkCallback(d, 'event_callback_url');
    const name = d.name;
    this.add(d, this.existing && { sid: () => state.sid, fields: workspaceFields(state) }, {
      workspace: null,
      nameKey: 'friendly_name',
      // What the server put in the new workspace (its default activities and channels) is referred to from then on.
      created: async (sid, target, sids) => registerWorkspace(sids, name, sid, await target.readWorkspace(sid)),
    });
    for (const activity of d.activities) this.planActivity(activity);
    if (d.activityChoice) {
      const choice = { ...d.activityChoice, fields: this.mapFields(d.activityChoice, (value, key) => this.activityRef(d.activityChoice!, key, value)) };
      const current = { default_activity: this.activityName(state.defaultActivitySid), timeout_activity: this.activityName(state.timeoutActivitySid) };
      this.add(choice, { sid: (sids) => sids.get('workspace', '', name), fields: current }, { workspace: null, nameKey: 'friendly_name' });
    }
    for (const channel of d.taskChannels) {
      const found = this.contents.channels.find((c) => c.uniqueName === channel.name);
      this.addIn(
        channel,
        found && { sid: found.sid, fields: { friendly_name: found.friendlyName, channel_optimized_routing: found.channelOptimizedRouting } },
        'unique_name',
      );
    }
    for (const queue of d.taskQueues) this.planQueue(queue);
    for (const workflow of d.workflows) this.planWorkflow(workflow);
    for (const worker of d.workers) this.planWorker(worker);
    return this.steps;
  }

  /** The sid of the workspace as it exists; null when the document creates it. */
  get sid(): string | null {
    return this.existing?.sid ?? null;
  }

  /**
   * The steps that delete what exists in the workspace and the document does not mention, those that refer to
   * others first: workers, workflows, queues, activities, channels. Every activity still referred to (the
   * workspace's default and timeout activities, queues', workers' own) must be declared, or the workspace could not
   * let it go: that is refused here, before anything is written.
   */
  prunings(): PlanStep[] {
    const d = this.declaration;
    const declared = (list: Declared[], name: string) => list.some((x) => sameName(x.name, name));
    const where = { workspace: d.name, path: d.path };
    const state = this.existing ?? newWorkspaceState(d.name, this.contents);
    const referred: Array<[string | null, string]> = [
      [(d.activityChoice?.fields.default_activity as string | undefined) ?? this.activityName(state.defaultActivitySid), 'default_activity'],
      [(d.activityChoice?.fields.timeout_activity as string | undefined) ?? this.activityName(state.timeoutActivitySid), 'timeout_activity'],
      ...d.taskQueues.flatMap((q) =>
        [q.fields.reservation_activity, q.fields.assignment_activity].map((a): [string | null, string] => [a as string | null, q.path]),
      ),
      ...d.workers.map((w): [string | null, string] => {
        const found = this.contents.workers.find((x) => sameName(x.friendlyName, w.name));
        return [found ? this.activityName(found.activitySid) : ((w.onCreate.activity as string | undefined) ?? null), w.path];
      }),
    ];
    for (const [activity, by] of referred) {
      if (activity !== null && !declared(d.activities, activity)) {
        throw new SetupError(
          this.file,
          `${d.path}.activities`,
          `activity '${activity}' is not declared, but ${by} refers to it: declare it, or refer to another one`,
        );
      }
    }
    // In a workspace the document creates, what the server put there is known by name until it exists.
    const sidOf = (kind: SetupKind, o: Named) => (this.existing ? () => o.sid : (sids: SidBook) => sids.get(kind, d.name, o.name));
    const steps = (kind: SetupKind, objects: Named[], keep: (name: string) => boolean) =>
      objects.filter((o) => !keep(o.name)).map((o) => deletion(kind, o.name, sidOf(kind, o), where));
    return [
      ...steps('worker', this.contents.workers.map(named), (name) => declared(d.workers, name)),
      ...steps('workflow', this.contents.workflows.map(named), (name) => declared(d.workflows, name)),
      ...steps('taskQueue', this.contents.queues.map(named), (name) => declared(d.taskQueues, name)),
      ...steps('activity', this.contents.activities.map(named), (name) => declared(d.activities, name)),
      ...steps(
        'taskChannel',
        this.contents.channels.map((c) => ({ sid: c.sid, name: c.uniqueName })),
        (name) => d.taskChannels.some((x) => x.name === name),
      ),
    ];
  }

  /** Checks a phone number's references into this workspace; returns it with them in their canonical spelling. */
  checkPhoneNumber(number: Declared): Declared {
    const workflow = this.workflowNamed(number, 'workflow', number.fields.workflow as string);
    for (const key of ['task_channel', 'sms_task_channel']) {
      const channel = number.fields[key] as string;
      // The SMS channel is checked only when given: a number that only takes calls needs no sms channel.
      if ((key === 'task_channel' || number.given.has(key)) && !this.channelNames().includes(channel)) {
        this.fail(number, key, `no task channel '${channel}' in workspace '${this.declaration.name}'`);
      }
    }
    return { ...number, fields: { ...number.fields, workflow } };
  }

  /** The name of a workflow of this workspace, for a number's settings as they exist. */
  workflowName(sid: string): string {
    return this.contents.workflows.find((w) => w.sid === sid)?.friendlyName ?? sid;
  }

  private planActivity(activity: Declared): void {
    const found = this.contents.activities.find((a) => sameName(a.friendlyName, activity.name));
    if (found && found.available !== activity.fields.available) {
      this.fail(activity, 'available', `cannot change once the activity exists (TaskRouter fixes it at creation); give the activity another name`);
    }
    this.addIn(activity, found && { sid: found.sid, fields: { available: found.available } });
  }

  private planQueue(queue: Declared): void {
    const found = this.contents.queues.find((q) => sameName(q.friendlyName, queue.name));
    const declared = {
      ...queue,
      fields: {
        ...queue.fields,
        reservation_activity: this.activityRef(queue, 'reservation_activity', queue.fields.reservation_activity as string | null),
        assignment_activity: this.activityRef(queue, 'assignment_activity', queue.fields.assignment_activity as string | null),
      },
    };
    this.addIn(
      declared,
      found && {
        sid: found.sid,
        fields: {
          target_workers: found.targetWorkers,
          max_reserved_workers: found.maxReservedWorkers,
          task_order: found.taskOrder,
          reservation_activity: this.activityName(found.reservationActivitySid),
          assignment_activity: this.activityName(found.assignmentActivitySid),
        },
      },
    );
  }

  private planWorkflow(workflow: Declared): void {
    this.checkCallback(workflow, 'assignment_callback_url');
    this.checkCallback(workflow, 'fallback_assignment_callback_url');
    const queues = this.queueNames();
    const canonicalQueue = (ref: string): string => queues.find((q) => sameName(q, ref)) ?? ref;
    const configuration = withQueuesRenamed(workflow.fields.configuration, canonicalQueue);
    try {
      // The server's own check, on queues by name: those of the document and those that exist.
      compileWorkflowConfiguration(JSON.stringify(configuration), (queue) => queues.includes(queue));
    } catch (err) {
      if (err instanceof TwilioError) this.fail(workflow, 'configuration', err.message);
      throw err;
    }
    const found = this.unique(
      workflow,
      this.contents.workflows.filter((w) => w.friendlyName === workflow.name),
    );
    const queueName = (sid: string): string => this.contents.queues.find((q) => q.sid === sid)?.friendlyName ?? sid;
    this.addIn(
      { ...workflow, fields: { ...workflow.fields, configuration } },
      found && {
        sid: found.sid,
        fields: {
          configuration: withQueuesRenamed(parsed(found.configuration), queueName),
          assignment_callback_url: found.assignmentCallbackUrl || null,
          fallback_assignment_callback_url: found.fallbackAssignmentCallbackUrl || null,
          task_reservation_timeout: found.taskReservationTimeout,
        },
      },
    );
  }

  private planWorker(worker: Declared): void {
    const found = this.contents.workers.find((w) => sameName(w.friendlyName, worker.name));
    const activity = worker.onCreate.activity as string | undefined;
    const declared = activity === undefined ? worker : { ...worker, onCreate: { activity: this.activityRef(worker, 'activity', activity) } };
    this.addIn(declared, found && { sid: found.sid, fields: { attributes: parsed(found.attributes) } });
  }

  /** A step for an object inside the workspace. */
  private addIn(declared: Declared, found: { sid: string; fields: Fields } | undefined, nameKey = 'friendly_name'): void {
    this.add(declared, found ? { sid: () => found.sid, fields: found.fields } : null, { workspace: this.declaration.name, nameKey });
  }

  private add(declared: Declared, current: Existing | null, options: StepOptions): void {
    const step = stepFor(declared, current, options);
    if (step) this.steps.push(step);
    else this.unchangedCount++;
  }

  private mapFields(declared: Declared, map: (value: string, key: string) => string | null): Fields {
    return Object.fromEntries(Object.entries(declared.fields).map(([key, value]) => [key, map(value as string, key)]));
  }

  /** An activity reference, checked and spelled as the activity's own name; null stays null. */
  private activityRef(declared: Declared, key: string, ref: string | null): string | null {
    if (ref === null) return null;
    const found = this.activityNames().find((name) => sameName(name, ref));
    if (found === undefined) this.fail(declared, key, `no activity '${ref}' in workspace '${this.declaration.name}' (declared or existing)`);
    return found;
  }

  private activityName(sid: string | null): string | null {
    if (sid === null) return null;
    return this.contents.activities.find((a) => a.sid === sid)?.friendlyName ?? sid;
  }

  private workflowNamed(declared: Declared, key: string, ref: string): string {
    const names = [...this.declaration.workflows.map((w) => w.name), ...this.contents.workflows.map((w) => w.friendlyName)];
    if (!names.includes(ref)) this.fail(declared, key, `no workflow '${ref}' in workspace '${this.declaration.name}' (declared or existing)`);
    return ref;
  }

  private activityNames(): string[] {
    return merged(
      this.declaration.activities.map((a) => a.name),
      this.contents.activities.map((a) => a.friendlyName),
    );
  }

  private queueNames(): string[] {
    return merged(
      this.declaration.taskQueues.map((q) => q.name),
      this.contents.queues.map((q) => q.friendlyName),
    );
  }

  private channelNames(): string[] {
    return [...this.declaration.taskChannels.map((c) => c.name), ...this.contents.channels.map((c) => c.uniqueName)];
  }

  /** The one existing object a declaration names; several (workflow names are not unique) cannot be told apart. */
  private unique<T extends { sid: string }>(declared: Declared, found: T[]): T | undefined {
    if (found.length > 1)
      this.fail(declared, 'friendly_name', `${found.length} existing objects have this name (${found.map((f) => f.sid).join(', ')}); rename all but one`);
    return found[0];
  }

  private checkCallback(declared: Declared, key: string): void {
    const url = declared.fields[key];
    const refusal = typeof url === 'string' ? this.target.callbackRefusal(url) : null;
    if (refusal) this.fail(declared, key, refusal);
  }

  private fail(declared: Declared, key: string, problem: string): never {
    throw new SetupError(this.file, `${declared.path}.${key}`, problem);
  }
}

/** The settings of a workspace as they exist, in the document's words. */
function workspaceFields(state: WorkspaceState): Fields {
  return {
    event_callback_url: state.eventCallbackUrl || null,
    events_filter: state.eventsFilter || null,
    multi_task_enabled: state.multiTaskEnabled,
    prioritize_queue_order: state.prioritizeQueueOrder,
  };
}

/** What the server puts in a new workspace: its default activities (Offline the default and timeout one) and channels. */
function newWorkspaceContents(): WorkspaceContents {
  return {
    activities: DEFAULT_ACTIVITIES.map(([name, available]) => ({ sid: newSidOf('activity', name), friendlyName: name, available })),
    channels: BUILT_IN_CHANNELS.map(([uniqueName, friendlyName]) => ({
      sid: newSidOf('taskChannel', uniqueName),
      uniqueName,
      friendlyName,
      channelOptimizedRouting: false,
    })),
    queues: [],
    workflows: [],
    workers: [],
  };
}

function newWorkspaceState(name: string, contents: WorkspaceContents): WorkspaceState {
  const offline = contents.activities[0]!.sid;
  return {
    sid: '',
    friendlyName: name,
    eventCallbackUrl: null,
    eventsFilter: null,
    multiTaskEnabled: true,
    prioritizeQueueOrder: 'FIFO',
    defaultActivitySid: offline,
    timeoutActivitySid: offline,
  };
}

/** A stand-in for the sid of an object the server will create with a new workspace. */
function newSidOf(kind: SetupKind, name: string): string {
  return `(new ${kind} ${name})`;
}

function registerWorkspace(sids: SidBook, name: string, sid: string, contents: WorkspaceContents): void {
  sids.set('workspace', '', name, sid);
  const named: Array<[SetupKind, Named[]]> = [
    ['activity', contents.activities.map((a) => ({ sid: a.sid, name: a.friendlyName }))],
    ['taskChannel', contents.channels.map((c) => ({ sid: c.sid, name: c.uniqueName }))],
    ['taskQueue', contents.queues.map((q) => ({ sid: q.sid, name: q.friendlyName }))],
    ['workflow', contents.workflows.map((w) => ({ sid: w.sid, name: w.friendlyName }))],
    ['worker', contents.workers.map((w) => ({ sid: w.sid, name: w.friendlyName }))],
  ];
  for (const [kind, objects] of named) for (const object of objects) sids.set(kind, name, object.name, object.sid);
}

function named(object: { sid: string; friendlyName: string }): Named {
  return { sid: object.sid, name: object.friendlyName };
}

/** TaskRouter compares activity, queue and worker names whatever their case. */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Names declared, then those that exist and are not declared. */
function merged(declared: string[], existing: string[]): string[] {
  return [...declared, ...existing.filter((name) => !declared.some((d) => sameName(d, name)))];
}

function parsed(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}
