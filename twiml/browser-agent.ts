import { voiceResponse } from './speech.js';

export interface BrowserAgentDocument {
  /** Our Media Streams endpoint (wss). */
  streamUrl: string;
  /** The stream's binding to its task, reservation and agent, with its key. */
  parameters: Record<string, string>;
  /** Fetched when the stream ends while the call goes on; none: the call ends with the stream. */
  actionUrl?: string;
}

/**
 * Connects the call to a browser agent: a bidirectional `<Connect><Stream>` to us, which holds the call (its audio
 * relayed to and from the agent's browser) until we end the stream or the caller hangs up.
 */
export function browserAgentTwiml({ streamUrl, parameters, actionUrl }: BrowserAgentDocument): string {
  const response = voiceResponse();
  const stream = response.connect(actionUrl ? { action: actionUrl, method: 'POST' } : {}).stream({ url: streamUrl });
  for (const [name, value] of Object.entries(parameters)) stream.parameter({ name, value });
  return response.toString();
}
