import twilio from 'twilio';

/**
 * The answer to an inbound message: the number's automatic reply when there is one to send, else an empty
 * document, which Twilio takes as "send nothing".
 */
export function smsReplyTwiml(reply: string | null): string {
  const response = new twilio.twiml.MessagingResponse();
  if (reply) response.message(reply);
  return response.toString();
}
