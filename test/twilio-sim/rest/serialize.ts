import { rfc2822 } from '../core/ids.js';
import type { SimMessage } from '../messaging/messages.js';
import type { SimCall } from '../voice/call.js';
import type { SimConference, SimParticipant } from '../voice/conferences.js';
import type { QueueMember, SimQueue } from '../voice/queues.js';

/**
 * JSON bodies as the 2010-04-01 API returns them: snake_case, RFC 2822 dates, numbers where twilio-node's
 * deserializers expect numbers and strings where the API sends strings.
 */
export function accountBase(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}`;
}

export function callJson(accountSid: string, call: SimCall, queueTime = 0): Record<string, unknown> {
  const uri = `${accountBase(accountSid)}/Calls/${call.sid}.json`;
  const sub = `${accountBase(accountSid)}/Calls/${call.sid}`;
  return {
    sid: call.sid,
    date_created: rfc2822(call.createdAt),
    date_updated: rfc2822(call.endedAt ?? call.answeredAt ?? call.createdAt),
    parent_call_sid: call.parentCallSid ?? null,
    account_sid: accountSid,
    to: call.to,
    to_formatted: call.to,
    from: call.from,
    from_formatted: call.from,
    phone_number_sid: null,
    status: call.status,
    start_time: call.answeredAt === null ? null : rfc2822(call.answeredAt),
    end_time: call.endedAt === null ? null : rfc2822(call.endedAt),
    duration: call.endedAt === null ? null : String(call.durationSeconds),
    price: null,
    price_unit: 'USD',
    direction: call.direction,
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: String(queueTime),
    trunk_sid: null,
    uri,
    subresource_uris: {
      feedback: `${sub}/Feedback.json`,
      notifications: `${sub}/Notifications.json`,
      recordings: `${sub}/Recordings.json`,
      streams: `${sub}/Streams.json`,
      payments: `${sub}/Payments.json`,
      siprec: `${sub}/Siprec.json`,
      events: `${sub}/Events.json`,
      feedback_summaries: `${accountBase(accountSid)}/Calls/FeedbackSummary.json`,
      user_defined_message_subscriptions: `${sub}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${sub}/UserDefinedMessages.json`,
      transcriptions: `${sub}/Transcriptions.json`,
    },
  };
}

export function queueJson(accountSid: string, queue: SimQueue): Record<string, unknown> {
  return {
    date_updated: rfc2822(queue.dateUpdated),
    current_size: queue.currentSize,
    friendly_name: queue.friendlyName,
    uri: `${accountBase(accountSid)}/Queues/${queue.sid}.json`,
    account_sid: accountSid,
    average_wait_time: queue.averageWaitSeconds(),
    sid: queue.sid,
    date_created: rfc2822(queue.dateCreated),
    max_size: queue.maxSize,
  };
}

export function memberJson(accountSid: string, member: QueueMember, position: number): Record<string, unknown> {
  return {
    call_sid: member.call.sid,
    date_enqueued: rfc2822(member.enqueuedAt),
    position,
    uri: `${accountBase(accountSid)}/Queues/${member.queue.sid}/Members/${member.call.sid}.json`,
    wait_time: member.queue.waitSeconds(member),
    queue_sid: member.queue.sid,
  };
}

export function messageJson(accountSid: string, message: SimMessage): Record<string, unknown> {
  const uri = `${accountBase(accountSid)}/Messages/${message.sid}.json`;
  return {
    body: message.body,
    num_segments: String(message.numSegments),
    direction: message.direction,
    from: message.from,
    to: message.to,
    date_updated: rfc2822(message.dateUpdated),
    price: null,
    error_message: null,
    uri,
    account_sid: accountSid,
    num_media: String(message.mediaUrls.length),
    status: message.status,
    messaging_service_sid: null,
    sid: message.sid,
    date_sent: message.dateSent === null ? null : rfc2822(message.dateSent),
    date_created: rfc2822(message.dateCreated),
    error_code: null,
    price_unit: 'USD',
    api_version: '2010-04-01',
    subresource_uris: {
      media: `${accountBase(accountSid)}/Messages/${message.sid}/Media.json`,
      feedback: `${accountBase(accountSid)}/Messages/${message.sid}/Feedback.json`,
    },
  };
}

/**
 * A 2010-API list page: the records under `key` plus the paging fields twilio-node reads (it follows
 * `next_page_uri` relative to the API's base URL).
 */
export function page(path: string, key: string, records: Record<string, unknown>[], query: URLSearchParams): Record<string, unknown> {
  const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
  const pageNo = Math.max(0, Number(query.get('Page') ?? 0) || 0);
  const slice = records.slice(pageNo * pageSize, (pageNo + 1) * pageSize);
  const link = (n: number) => `${path}?PageSize=${pageSize}&Page=${n}`;
  const hasNext = (pageNo + 1) * pageSize < records.length;
  return {
    [key]: slice,
    first_page_uri: link(0),
    next_page_uri: hasNext ? `${link(pageNo + 1)}&PageToken=PA${pageNo + 1}` : null,
    previous_page_uri: pageNo > 0 ? link(pageNo - 1) : null,
    uri: `${path}?PageSize=${pageSize}&Page=${pageNo}`,
    page: pageNo,
    page_size: pageSize,
    start: pageNo * pageSize,
    end: pageNo * pageSize + Math.max(0, slice.length - 1),
  };
}

export function conferenceJson(accountSid: string, room: SimConference): Record<string, unknown> {
  const uri = `${accountBase(accountSid)}/Conferences/${room.sid}`;
  return {
    sid: room.sid,
    account_sid: accountSid,
    friendly_name: room.friendlyName,
    status: room.status,
    date_created: rfc2822(room.dateCreated),
    date_updated: rfc2822(room.dateUpdated),
    region: 'us1',
    reason_conference_ended: null,
    call_sid_ending_conference: null,
    api_version: '2010-04-01',
    uri: `${uri}.json`,
    subresource_uris: { participants: `${uri}/Participants.json`, recordings: `${uri}/Recordings.json` },
  };
}

export function participantJson(accountSid: string, room: SimConference, p: SimParticipant): Record<string, unknown> {
  return {
    account_sid: accountSid,
    call_sid: p.call.sid,
    conference_sid: room.sid,
    label: null,
    call_sid_to_coach: null,
    coaching: false,
    date_created: rfc2822(p.dateCreated),
    date_updated: rfc2822(p.dateUpdated),
    end_conference_on_exit: p.options.endConferenceOnExit,
    start_conference_on_enter: p.options.startConferenceOnEnter,
    muted: p.options.muted,
    hold: p.hold,
    status: 'connected',
    queue_time: null,
    uri: `${accountBase(accountSid)}/Conferences/${room.sid}/Participants/${p.call.sid}.json`,
  };
}
