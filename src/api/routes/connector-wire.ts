import type { IvrMenuRecord, PhoneNumberRecord } from '../../core/model.js';
import { formatDate } from '../wire/dates.js';

/** A connector phone number on the wire (snake_case, ISO dates, its own absolute URL). */
export function serializePhoneNumber(n: PhoneNumberRecord, publicUrl: string, accountSid: string): Record<string, unknown> {
  return {
    sid: n.sid,
    account_sid: accountSid,
    number: n.number,
    friendly_name: n.friendlyName,
    workspace_sid: n.workspaceSid,
    workflow_sid: n.workflowSid,
    task_channel: n.taskChannel,
    ivr_menu_sid: n.ivrMenuSid,
    language: n.language,
    voice: n.voice,
    hold_music_url: n.holdMusicUrl,
    announce_every_seconds: n.announceEverySeconds,
    announce_position: n.announcePosition,
    announce_wait: n.announceWait,
    max_queue_size: n.maxQueueSize,
    when_no_workers: n.whenNoWorkers,
    fallback_message: n.fallbackMessage,
    voicemail_max_seconds: n.voicemailMaxSeconds,
    sms_task_channel: n.smsTaskChannel,
    sms_auto_reply: n.smsAutoReply,
    date_created: formatDate(n.dateCreated),
    date_updated: formatDate(n.dateUpdated),
    url: `${publicUrl}/v1/Connector/PhoneNumbers/${n.sid}`,
  };
}

/** A connector IVR menu on the wire. */
export function serializeIvrMenu(m: IvrMenuRecord, publicUrl: string, accountSid: string): Record<string, unknown> {
  return {
    sid: m.sid,
    account_sid: accountSid,
    unique_name: m.uniqueName,
    prompt: m.prompt,
    play_url: m.playUrl,
    input: m.input,
    num_digits: m.numDigits,
    timeout: m.timeout,
    retries: m.retries,
    language: m.language,
    voice: m.voice,
    options: m.options.map((o) => ({ digits: o.digits, speech: o.speech, attributes: o.attributes, next_menu_sid: o.nextMenuSid })),
    date_created: formatDate(m.dateCreated),
    date_updated: formatDate(m.dateUpdated),
    url: `${publicUrl}/v1/Connector/IvrMenus/${m.sid}`,
  };
}
