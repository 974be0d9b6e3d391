import { badRequest } from '../../core/errors.js';
import { agentLegQuery, type AgentLeg } from './agent-leg.js';
import { keepAgentLeg } from '../agent-legs.js';
import { cancelLegOf } from './ringing-legs.js';
import { voiceWebhookUrl } from '../webhook-urls.js';
import type { TelephonyDeps } from './telephony-deps.js';
import { twilioRest } from '../twilio/rest-failure.js';

/** TaskRouter's default for how long an agent's (or a customer's) phone rings. */
export const DEFAULT_RING_SECONDS = 60;

/** Progress of the agent's leg we follow: answered is when the reservation is accepted, the rest end it. */
export const AGENT_LEG_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];

/** Reservation statuses that leave nobody for the agent's leg to be placed for. */
const ENDED_UNACCEPTED = new Set(['rejected', 'timeout', 'rescinded', 'canceled']);

export interface AgentLegDial {
  to: string;
  from: string;
  /** Seconds the agent's phone rings before the leg counts as not answered. */
  timeout: number;
  record: boolean;
}

/**
 * Rings the agent. When they answer, Twilio fetches our agent webhook, which accepts the reservation and bridges;
 * the status callbacks tell us when the leg went unanswered (the reservation is rejected) or ended (wrap-up). The
 * leg is kept with the reservation, so it is canceled should the reservation end while it rings (ringing-legs.ts).
 * Returns the leg's call sid.
 */
export async function callAgent(deps: TelephonyDeps, leg: AgentLeg, dial: AgentLegDial): Promise<string> {
  const publicUrl = deps.publicUrl();
  const query = agentLegQuery(leg);
  const call = await twilioRest('place the agent call', () =>
    deps.client.calls.create({
      to: dial.to,
      from: dial.from,
      url: voiceWebhookUrl(publicUrl, 'agent', query),
      method: 'POST',
      statusCallback: voiceWebhookUrl(publicUrl, 'agent-status', query),
      statusCallbackEvent: AGENT_LEG_EVENTS,
      statusCallbackMethod: 'POST',
      timeout: dial.timeout,
      // Sent only when asked for: recording is a paid feature, and its absence is Twilio's default.
      ...(dial.record ? { record: true } : {}),
    }),
  );
  await keepAgentLeg(deps.state, leg.reservationSid, call.sid);
  // The reservation may have ended while the call was being placed, before anyone could know which leg to cancel.
  const reservation = await deps.engine.store.get(leg.workspaceSid, 'reservation', leg.reservationSid);
  if (!reservation || ENDED_UNACCEPTED.has(reservation.status)) await cancelLegOf(deps.state, deps.client, leg.reservationSid);
  return call.sid;
}

/** A post-work activity must be one of the workspace's: checked before any call is placed. */
export async function postWorkActivity(deps: TelephonyDeps, ws: string, sid: string | undefined, parameter: string): Promise<string | undefined> {
  if (sid === undefined) return undefined;
  const config = await deps.engine.workspaceConfig(ws);
  if (!config.activities.has(sid)) throw badRequest(`${parameter} ${sid} is not an Activity of this workspace`);
  return sid;
}
