import type { Credentials } from '../shared/credentials.ts';

/** What the wallboard gives a Listen control: its credentials, and the live voice task to listen to. */
export interface ListenInProps {
  credentials: Credentials;
  workspaceSid: string;
  taskSid: string;
}

/** A supervisor's "Listen" control for a live call: its audio in the browser (to be built). */
export function ListenIn(_props: ListenInProps) {
  return null;
}
