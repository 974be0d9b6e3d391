/** The messaging webhooks Twilio is told about, under `/webhooks/sms`. */
export type SmsWebhook = 'status';

/**
 * The absolute URL of a messaging webhook, with state in its query: Twilio signs the URL it requests, so the state
 * comes back untampered to whichever instance serves it.
 */
export function smsWebhookUrl(publicUrl: string, webhook: SmsWebhook | null, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/sms${webhook ? `/${webhook}` : ''}${search ? `?${search}` : ''}`;
}
