import { CALL_LINK_TTL_MS } from './call-index.js';
import type { ClaimKey, ConnectorState } from './state/connector-state.js';

/**
 * The agent's leg placed for a reservation (dequeue, conference), while it may still ring: a claim in the
 * reservation's slot of the connector's state, `agent-leg` of `WR…` → `CA…`, so whichever instance sees the
 * reservation end can cancel it. Let go when the leg ends or is canceled, and expires like the caller's call links.
 */
const legKey = (reservationSid: string): ClaimKey => ({ kind: 'agent-leg', subject: reservationSid });

export async function keepAgentLeg(state: ConnectorState, reservationSid: string, callSid: string): Promise<void> {
  await state.claim(legKey(reservationSid), callSid, CALL_LINK_TTL_MS);
}

export async function agentLegOf(state: ConnectorState, reservationSid: string): Promise<string | null> {
  return state.holder(legKey(reservationSid));
}

export async function forgetAgentLeg(state: ConnectorState, reservationSid: string, callSid: string): Promise<void> {
  await state.release(legKey(reservationSid), callSid);
}
