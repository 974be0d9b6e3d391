import type twilio from 'twilio';
import { eventTypes, isEventOf, type TaskRouterEvent } from '../../core/events/index.js';
import type { RoutingEngine } from '../../engine/engine.js';
import { endAgentLeg } from '../twilio/agent-leg-cancel.js';
import { agentLegOf, forgetAgentLeg } from '../agent-legs.js';
import type { ConnectorState } from '../state/connector-state.js';
import { log } from '../../telemetry/log.js';

/** Reservation events after which nobody should still be ringing for the reservation. */
const ENDING_EVENTS = eventTypes('reservation.rejected', 'reservation.timeout', 'reservation.rescinded', 'reservation.canceled');

/**
 * Cancels an agent's ringing leg as soon as its reservation ends without being accepted — the caller hung up (the
 * task is canceled), the reservation timed out, was rescinded or rejected — so the agent's phone stops ringing rather
 * than ringing on for a caller who is gone or offered elsewhere. Every instance hears the events its own engine
 * commits; the leg is found in the connector's state, so it does not matter which instance placed it. Returns the unsubscribe
 * function.
 */
export function cancelRingingLegs(engine: RoutingEngine, state: ConnectorState, client: twilio.Twilio): () => void {
  return engine.onEvent((event: TaskRouterEvent) => {
    if (event.resourceType !== 'reservation' || !isEventOf(event, ENDING_EVENTS)) return;
    cancelLegOf(state, client, event.resourceSid).catch((err: unknown) => {
      log.error({ err, workspace_sid: event.workspaceSid, reservation_sid: event.resourceSid }, "could not cancel the agent's leg of a reservation");
    });
  });
}

/** Cancels the leg placed for a reservation, if one may still be ringing. */
export async function cancelLegOf(state: ConnectorState, client: twilio.Twilio, reservationSid: string): Promise<void> {
  const callSid = await agentLegOf(state, reservationSid);
  if (!callSid) return;
  await endAgentLeg(client, callSid);
  await forgetAgentLeg(state, reservationSid, callSid);
}
