import type { ConferenceAttributes } from '../src/connector/voice/outcomes.js';
import { voiceResponse } from './speech.js';

/** Joins the call to the conference named after the task, with the leg's conference settings. */
export function conferenceTwiml(name: string, attributes: ConferenceAttributes): string {
  const response = voiceResponse();
  response.dial().conference(attributes, name);
  return response.toString();
}
