import { EventEmitter } from 'node:events';
import type { CallbackUrlPolicy } from '../core/callback-url.js';
import { CommitConflict, serviceUnavailable } from '../core/errors.js';
import type { TaskRouterEvent } from '../core/events/index.js';
import type { RoutingStore } from '../store/routing-store.js';
import { Change } from './change.js';
import type { Clock } from './clock.js';
import { AttemptConfiguration } from './first-attempt.js';
import type { TelephonyPort } from './telephony-port.js';
import type { RecentWrites } from './recent-writes.js';
import type { ReservingWorkers } from './reserving-workers.js';
import { CONFIG_KINDS, WorkspaceConfigCache, type WorkspaceConfig } from './workspace-config.js';
import { linksTo } from '../telemetry/trace-context.js';
import { isTracing, withSpan } from '../telemetry/tracing.js';

/** What every engine operation works with. */
export interface EngineContext {
  store: RoutingStore;
  clock: Clock;
  accountSid: string;
  /** Emits 'event' (TaskRouterEvent) after each commit that produced events. */
  events: EventEmitter;
  telephony: TelephonyPort | null;
  configs: WorkspaceConfigCache;
  /** Which callback URLs workspaces and workflows may be given. */
  callbackUrls: CallbackUrlPolicy;
  /** Workers being offered a task by a transaction still in flight in this process (reserving-workers.ts). */
  reserving: ReservingWorkers;
  /** Records this process's commits wrote last (recent-writes.ts). */
  recent: RecentWrites;
}

/**
 * Lost races retried before giving up with a 503. Many workers freed at once all reach for the same head task; each
 * loss means someone else won, so the budget is generous and the backoff grows with randomness to spread them out.
 */
const MAX_ATTEMPTS = 60;

/**
 * Runs `build` against fresh workspace state and commits what it recorded in `change`, retrying from scratch when
 * another writer got there first. `build` must be free of side effects outside `change`. The configuration it is
 * given is the cached one on the first attempt (first-attempt.ts); the commit checks the workspace version.
 */
export async function transact<T>(ctx: EngineContext, workspaceSid: string, build: (config: WorkspaceConfig, change: Change) => Promise<T>): Promise<T> {
  const configs = new AttemptConfiguration(ctx.configs, ctx.store, workspaceSid);
  // Records kept by the recent-writes hint serve until an attempt loses a race or fails with them.
  let hinted = true;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const config = await configs.next();
    const change = new Change(workspaceSid, ctx.clock.now(), config);
    change.mayUseHints = hinted;
    try {
      let result: T;
      try {
        result = await build(config, change);
      } catch (err) {
        // Records kept by the recent-writes hint come from this process's commits, not all of them the latest, so
        // together they may describe no state that ever was: whatever the attempt meets with them, it meets again
        // on records read afresh before it stands.
        if (configs.mayBeStale(err) || change.usedHints) {
          hinted = false;
          attempt -= 1;
          continue;
        }
        throw err;
      }
      const reconfigures = change.writes(CONFIG_KINDS);
      if (reconfigures) change.bump('workspace', config.workspace);
      change.require('workspace', config.workspace);
      try {
        if (!change.isEmpty || change.events.length) {
          await commitTraced(ctx, change);
          ctx.recent.remember(workspaceSid, change.recordsWritten, change.recordsDeleted);
        }
        if (reconfigures) ctx.configs.forget(workspaceSid);
      } catch (err) {
        if (err instanceof CommitConflict) {
          configs.lostRace();
          hinted = false;
          change.settle();
          await backoff(attempt);
          continue;
        }
        throw err;
      }
      publish(ctx, change.events);
      return result;
    } finally {
      change.settle();
    }
  }
  throw serviceUnavailable('The routing state kept changing under this request; try again');
}

/**
 * Commits `change`. One that makes reservations commits inside an `engine.reserve` span, linked to the span that
 * created their task (the task carries it): a reservation is made by whatever freed a worker — another request, a
 * timer, another instance — and the link ties it back to the call or message the task came from. Its events are
 * marked with that span, so their deliveries link to it in turn.
 */
async function commitTraced(ctx: EngineContext, change: Change): Promise<void> {
  const reservations = isTracing() ? change.events.filter((event) => event.eventType === 'reservation.created') : [];
  if (reservations.length === 0) return change.commit(ctx.store);
  const taskSid = reservations[0]!.data.task_sid;
  const attributes = {
    'switchboard.workspace_sid': change.workspaceSid,
    'switchboard.task_sid': taskSid,
    'switchboard.reservation_sid': reservations.map((event) => event.data.reservation_sid).join(','),
    'switchboard.worker_sid': reservations.map((event) => event.data.worker_sid).join(','),
  };
  const tasks = new Set(reservations.map((event) => event.data.task_sid));
  const links = linksTo([...tasks].map((sid) => change.written('task', sid)?.traceContext));
  return withSpan('engine.reserve', attributes, () => change.commit(ctx.store), { links });
}

export function publish(ctx: EngineContext, events: TaskRouterEvent[]): void {
  for (const event of events) ctx.events.emit('event', event);
}

async function backoff(attempt: number): Promise<void> {
  if (attempt < 2) return;
  const ceiling = Math.min(100, 2 ** (attempt / 2));
  await new Promise((resolve) => setTimeout(resolve, ceiling * Math.random()));
}
