/** What the agent desktop gives its softphone: the agent's worker token (kept fresh by the desktop). */
export interface SoftphoneProps {
  token: string;
}

/**
 * The agent's softphone: calls bridged to this browser when the worker's `contact_uri` is `stream:<identity>`
 * (to be built).
 */
export function Softphone(_props: SoftphoneProps) {
  return null;
}
