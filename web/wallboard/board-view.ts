import { estimatedWaitSeconds, type BoardFigures, type QueueFigures, type WindowFigures } from './figures.ts';
import { isWaiting, type Agent, type LiveBoard, type LiveTask } from './live-model.ts';

/** How long a wait may run before it is shown as getting old, then as too old (seconds). */
export const WAIT_WARN_SECONDS = 60;
export const WAIT_ALARM_SECONDS = 180;

export type WaitLevel = 'ok' | 'warn' | 'alarm';

export function waitLevel(seconds: number): WaitLevel {
  return seconds >= WAIT_ALARM_SECONDS ? 'alarm' : seconds >= WAIT_WARN_SECONDS ? 'warn' : 'ok';
}

/** Where an agent stands: free for work, busy (holding a task, or in an unavailable activity), or offline. */
export type AgentState = 'available' | 'busy' | 'offline';

/** What the supervisor narrows the board to: one queue, one activity (null: all). */
export interface BoardFilter {
  queueSid: string | null;
  activitySid: string | null;
  /** The agents of the chosen queue, once read; null while they are not known (or no queue is chosen). */
  queueMembers: ReadonlySet<string> | null;
}

export interface QueueRow {
  sid: string;
  name: string;
  waiting: number;
  /** Seconds; null with nobody waiting. */
  longestWait: number | null;
  figures: QueueFigures | null;
  /** Seconds; null when there is no pace to estimate by. */
  estimatedWait: number | null;
}

export interface AgentRow {
  agent: Agent;
  state: AgentState;
  tasks: LiveTask[];
}

export interface Tiles {
  waiting: number;
  longestWait: number | null;
  agents: Record<AgentState, number>;
  last30: WindowFigures | null;
  today: WindowFigures | null;
}

/** The board's figures for the tiles, over the chosen queue (or all). */
export function tiles(board: LiveBoard, figures: BoardFigures | null, filter: BoardFilter, now: number): Tiles {
  const waiting = waitingTasks(board, filter);
  const agents: Record<AgentState, number> = { available: 0, busy: 0, offline: 0 };
  for (const row of agentRows(board, { ...filter, activitySid: null })) agents[row.state] += 1;
  const queueFigures = filter.queueSid ? figures?.queues.get(filter.queueSid) : undefined;
  const windows = filter.queueSid ? queueFigures : figures?.workspace;
  return {
    waiting: waiting.length,
    longestWait: longestWait(waiting, now),
    agents,
    last30: windows?.last30 ?? null,
    today: windows?.today ?? null,
  };
}

/** Tasks not yet accepted, oldest first, in the chosen queue. */
export function waitingTasks(board: LiveBoard, filter: BoardFilter): LiveTask[] {
  return [...board.tasks.values()]
    .filter((t) => isWaiting(t) && (filter.queueSid === null || t.queueSid === filter.queueSid))
    .sort((a, b) => a.createdAt - b.createdAt);
}

export function queueRows(board: LiveBoard, figures: BoardFigures | null, filter: BoardFilter, now: number): QueueRow[] {
  return [...board.queues.values()]
    .filter((q) => filter.queueSid === null || q.sid === filter.queueSid)
    .sort((a, b) => a.friendly_name.localeCompare(b.friendly_name))
    .map((q) => {
      const waiting = waitingTasks(board, { ...filter, queueSid: q.sid });
      const queueFigures = figures?.queues.get(q.sid) ?? null;
      return {
        sid: q.sid,
        name: q.friendly_name,
        waiting: waiting.length,
        longestWait: longestWait(waiting, now),
        figures: queueFigures,
        estimatedWait: queueFigures ? estimatedWaitSeconds(waiting.length, queueFigures.last30.accepted) : null,
      };
    });
}

/** An agent row per worker of the chosen queue and activity, by name, each with the live tasks they hold. */
export function agentRows(board: LiveBoard, filter: BoardFilter): AgentRow[] {
  const held = new Map<string, LiveTask[]>();
  for (const task of board.tasks.values()) {
    if (!task.workerSid || task.status === 'pending') continue;
    held.set(task.workerSid, [...(held.get(task.workerSid) ?? []), task]);
  }
  return [...board.agents.values()]
    .filter((a) => filter.activitySid === null || a.activitySid === filter.activitySid)
    .filter((a) => filter.queueSid === null || filter.queueMembers === null || filter.queueMembers.has(a.sid))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((agent) => {
      const tasks = (held.get(agent.sid) ?? []).sort((a, b) => a.createdAt - b.createdAt);
      return { agent, tasks, state: agentState(board, agent, tasks) };
    });
}

function agentState(board: LiveBoard, agent: Agent, tasks: readonly LiveTask[]): AgentState {
  const activity = board.activities.get(agent.activitySid);
  // The same activity Switchboard sets a disconnected agent to: the unavailable one named Offline.
  if (activity && !activity.available && activity.friendly_name.toLowerCase() === 'offline') return 'offline';
  return tasks.length > 0 || !activity?.available ? 'busy' : 'available';
}

function longestWait(waiting: readonly LiveTask[], now: number): number | null {
  const oldest = waiting[0];
  return oldest ? Math.max(0, (now - oldest.createdAt) / 1000) : null;
}
