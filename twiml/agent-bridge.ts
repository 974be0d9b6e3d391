import { voiceResponse } from './speech.js';

/**
 * The agent's leg once answered: dial the task's queue, which holds exactly the waiting caller, and bridge them.
 * `actionUrl` is fetched when the bridge ends (or finds the queue empty), so the agent's leg is then hung up.
 */
export function agentBridgeTwiml(queueName: string, actionUrl: string): string {
  const response = voiceResponse();
  response.dial({ action: actionUrl, method: 'POST' }).queue(queueName);
  return response.toString();
}

/** Said to an agent who answers a call that is no longer theirs to take (caller gone, reservation over). */
export function agentMissedTwiml(): string {
  const response = voiceResponse();
  response.say('This call is no longer waiting for you.');
  response.hangup();
  return response.toString();
}
