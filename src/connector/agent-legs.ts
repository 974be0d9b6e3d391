import type { RoutingStore } from '../store/routing-store.js';
import { CONNECTOR_PARTITION } from './connector-directory.js';

/**
 * The agent's leg placed for a reservation (dequeue, conference), while it may still ring: a unique key of the
 * connector's partition, `agent-leg:<WR>` → `<CA>`, so whichever instance sees the reservation end can cancel it.
 * Let go when the leg ends or is canceled.
 */
const legKey = (reservationSid: string): string => `agent-leg:${reservationSid}`;

export async function keepAgentLeg(store: RoutingStore, reservationSid: string, callSid: string): Promise<void> {
  await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'claim', key: legKey(reservationSid), sid: callSid }] });
}

export async function agentLegOf(store: RoutingStore, reservationSid: string): Promise<string | null> {
  return store.lookupUnique(CONNECTOR_PARTITION, legKey(reservationSid));
}

export async function forgetAgentLeg(store: RoutingStore, reservationSid: string, callSid: string): Promise<void> {
  await store.commit(CONNECTOR_PARTITION, { unique: [{ op: 'release', key: legKey(reservationSid), sid: callSid }] });
}
