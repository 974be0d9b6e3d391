import type twilio from 'twilio';

/**
 * Ends an agent's leg that is no longer wanted (its reservation ended): `canceled` stops a leg that is still queued
 * or ringing; Twilio leaves a leg that was answered meanwhile as it is, and that one is hung up (`completed`).
 * Returns the status Twilio reports.
 */
export async function endAgentLeg(client: twilio.Twilio, callSid: string): Promise<string> {
  const call = await client.calls(callSid).update({ status: 'canceled' });
  if (call.status !== 'in-progress') return call.status;
  return (await client.calls(callSid).update({ status: 'completed' })).status;
}
