import { isSid } from '../../core/sid.js';
import { AGENT_IDENTITY_PATTERN } from '../voice-token.js';
import { stateOf } from '../webhook-urls.js';

/** How a browser agent's call came about: a waiting caller taken from their queue, or a customer called back. */
export type BrowserAgentMode = 'dequeue' | 'call';

/**
 * A call bridged to a browser agent over a bidirectional Media Stream, as its webhooks' URLs carry it: the
 * reservation it is for, the agent, the post-work activity (dequeue), and for `call` the application's CallUrl,
 * fetched when the agent leaves.
 */
export interface BrowserAgentLeg {
  workspaceSid: string;
  taskSid: string;
  reservationSid: string;
  identity: string;
  mode: BrowserAgentMode;
  postWorkActivitySid?: string;
  afterUrl?: string;
}

const STREAM_ADDRESS = new RegExp(`^stream:(${AGENT_IDENTITY_PATTERN})$`);

/**
 * The browser agent an address names: `stream:<identity>` (as DequeueTo, CallTo or a worker's contact_uri) is an
 * agent whose browser exchanges the call's audio with us over `/v1/Connector/AgentAudio?Identity=<identity>`.
 */
export function browserAgentIdentity(address: string): string | null {
  return STREAM_ADDRESS.exec(address)?.[1] ?? null;
}

export function browserAgentQuery(leg: BrowserAgentLeg): Record<string, string | undefined> {
  return {
    ws: leg.workspaceSid,
    task: leg.taskSid,
    reservation: leg.reservationSid,
    identity: leg.identity,
    mode: leg.mode,
    post: leg.postWorkActivitySid,
    after: leg.afterUrl,
  };
}

/** The leg a webhook's query describes, or null when the query is not one `browserAgentQuery` wrote. */
export function readBrowserAgentLeg(query: Record<string, unknown>): BrowserAgentLeg | null {
  const { ws, task, reservation, identity, mode, post, after } = stateOf(query);
  if (!isSid(ws, 'WS') || !isSid(task, 'WT') || !isSid(reservation, 'WR') || !identity || (mode !== 'dequeue' && mode !== 'call')) return null;
  return { workspaceSid: ws, taskSid: task, reservationSid: reservation, identity, mode, postWorkActivitySid: post || undefined, afterUrl: after || undefined };
}
