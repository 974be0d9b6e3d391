import type { Task } from 'twilio-taskrouter';

/** Who the task is with, as contact centers name them: a customer's name, else their number or address. */
export function customerOf(task: Task): string {
  const a = task.attributes as Record<string, unknown>;
  for (const key of ['name', 'customer_name', 'customer', 'caller', 'from']) {
    const value = a[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'Unknown customer';
}

/** Whether the task is an SMS (or WhatsApp) conversation the connector keeps. */
export function isConversation(task: Task): boolean {
  return typeof (task.attributes as Record<string, unknown>).conversation_sid === 'string';
}

/** An attribute's value as text: strings as they are, anything else as JSON. */
export function attributeText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A CRM link built from a template with `{{task.<attribute>}}` placeholders (dotted paths reach nested attributes),
 * each value URL-encoded; null when the template is missing, is not an http(s) URL, or names an attribute the task
 * lacks.
 */
export function crmLink(template: unknown, task: Task): string | null {
  if (typeof template !== 'string' || !/^https?:\/\//i.test(template)) return null;
  let missing = false;
  const url = template.replace(/\{\{\s*task\.([\w.]+)\s*\}\}/g, (_, path: string) => {
    let value: unknown = task.attributes;
    for (const part of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined || value === null) missing = true;
    return encodeURIComponent(attributeText(value ?? ''));
  });
  return missing ? null : url;
}

/** A time of day as the agent's locale writes it (hours and minutes). */
export function formatClock(date: string | number | Date): string {
  return new Date(date).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/**
 * The state of the task's outgoing transfer, upper-cased (the SDK passes the bridge's `transfer_status` through as
 * it comes, `initiated`, while its typings spell it `INITIATED`); null without one.
 */
export function outgoingTransferStatus(task: Task): string | null {
  const status = task.transfers?.outgoing?.status as string | undefined;
  return status ? status.toUpperCase() : null;
}
