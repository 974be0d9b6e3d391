/** What the agent desktop gives its softphone: the agent's worker token, and where their calls go. */
export interface SoftphoneProps {
  /** The signed-in agent's TaskRouter worker token (kept fresh by the desktop). */
  token: string;
  /** The worker's `contact_uri` attribute: `stream:<identity>` takes calls in this browser. */
  contactUri: string | null;
}

/** The agent's softphone: calls bridged to this browser (to be built). */
export function Softphone(_props: SoftphoneProps) {
  return null;
}
