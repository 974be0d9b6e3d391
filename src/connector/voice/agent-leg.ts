import { isSid } from '../../core/sid.js';
import { decodeState, encodeState, stateOf } from '../webhook-urls.js';
import type { ConferenceAttributes } from './outcomes.js';

/** How the agent's leg reaches the caller once answered. */
export type AgentLegMode = 'dequeue' | 'conference';

/** Each leg's `<Conference>` settings, fixed when the conference instruction is given. */
export interface ConferenceSettings {
  agent: ConferenceAttributes;
  caller: ConferenceAttributes;
}

/**
 * What the webhooks of an agent's leg need to know, carried in their URLs: the reservation the leg was placed for,
 * how to bridge, and the activity the worker moves to when the call ends.
 */
export interface AgentLeg {
  workspaceSid: string;
  taskSid: string;
  reservationSid: string;
  mode: AgentLegMode;
  postWorkActivitySid?: string;
  conference?: ConferenceSettings;
}

/** The leg as query parameters of its webhook URLs. */
export function agentLegQuery(leg: AgentLeg): Record<string, string | undefined> {
  return {
    ws: leg.workspaceSid,
    task: leg.taskSid,
    reservation: leg.reservationSid,
    mode: leg.mode,
    post: leg.postWorkActivitySid,
    conference: leg.conference ? encodeState(leg.conference) : undefined,
  };
}

/** The leg a webhook's query describes, or null when the query is not one `agentLegQuery` wrote. */
export function readAgentLeg(query: Record<string, unknown>): AgentLeg | null {
  const { ws, task, reservation, mode, post, conference } = stateOf(query);
  if (!isSid(ws, 'WS') || !isSid(task, 'WT') || !isSid(reservation, 'WR') || (mode !== 'dequeue' && mode !== 'conference')) return null;
  return {
    workspaceSid: ws,
    taskSid: task,
    reservationSid: reservation,
    mode,
    postWorkActivitySid: post || undefined,
    conference: conference ? decodeState<ConferenceSettings | undefined>(conference, undefined) : undefined,
  };
}
