/**
 * An SMS conversation between a customer and one of the connector's numbers: opened by the customer's first message,
 * answered by the agent of the task it created, closed when that task ends. Its messages are kept beside it, never
 * in the task's attributes, which TaskRouter limits to 4096 characters.
 */
export interface Conversation {
  /** `CH` and 32 hex digits. */
  sid: string;
  workspaceSid: string;
  taskSid: string;
  /** The phone number configuration (PN…) and its E.164 number. */
  numberSid: string;
  number: string;
  /** The customer's address as Twilio gives it: E.164, or `whatsapp:+…`. */
  customer: string;
  dateCreated: number;
  status: 'open' | 'closed';
  dateClosed: number | null;
  closedReason: string | null;
}

/** One message of a conversation, either way. */
export interface ConversationMessage {
  /** Twilio's MessageSid; null for the automatic reply, which Twilio sends from our TwiML without telling us its sid. */
  sid: string | null;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  /** Who wrote it: `customer`, the agent's name as the reply gave it, or `auto_reply`. */
  author: string | null;
  /** `received` for inbound; Twilio's delivery status for outbound (queued, sent, delivered, undelivered, failed…). */
  status: string | null;
  /** Twilio's error code for an undelivered or failed message. */
  errorCode: number | null;
  dateCreated: number;
}

/** The part of a conversation fixed when it opens. */
export type ConversationOpening = Omit<Conversation, 'status' | 'dateClosed' | 'closedReason'>;
