import { voiceResponse } from './speech.js';

export interface EnqueueDocument {
  /** The Twilio queue the caller waits in: named after the task, so it holds exactly this caller. */
  queueName: string;
  waitUrl: string;
  /** Fetched when the caller leaves the queue (hung up, bridged and done, redirected…). */
  actionUrl: string;
}

/**
 * Parks the caller in a queue of their own. No `workflowSid`: that would hand the call to Twilio's hosted
 * TaskRouter; routing happens here, and an agent's leg later dials this queue to bridge.
 */
export function enqueueTwiml({ queueName, waitUrl, actionUrl }: EnqueueDocument): string {
  const response = voiceResponse();
  response.enqueue({ waitUrl, waitUrlMethod: 'POST', action: actionUrl, method: 'POST' }, queueName);
  return response.toString();
}
