import type { ConversationMessage, ConversationOpening } from '../../../src/connector/sms/conversation.js';
import { newConversationSid } from '../../../src/connector/sms/conversation-keys.js';
import type { IvrMenuRecord, PhoneNumberRecord } from '../../../src/core/model.js';
import { newSid } from '../../../src/core/sid.js';

export const NUMBER = '+18005550100';
export const CUSTOMER = '+14155550123';

export function phoneNumberRecord(overrides: Partial<PhoneNumberRecord> = {}): PhoneNumberRecord {
  return {
    sid: newSid('PN'),
    number: '+15550001000',
    friendlyName: '',
    workspaceSid: newSid('WS'),
    workflowSid: newSid('WW'),
    taskChannel: 'voice',
    ivrMenuSid: null,
    language: 'en-US',
    voice: null,
    holdMusicUrl: null,
    announceEverySeconds: 30,
    announcePosition: true,
    announceWait: true,
    maxQueueSize: null,
    whenNoWorkers: 'queue',
    fallbackMessage: null,
    voicemailMaxSeconds: 120,
    smsTaskChannel: 'sms',
    smsAutoReply: null,
    dateCreated: 1_700_000_000_000,
    dateUpdated: 1_700_000_000_000,
    version: 1,
    ...overrides,
  };
}

export function ivrMenuRecord(overrides: Partial<IvrMenuRecord> = {}): IvrMenuRecord {
  return {
    sid: newSid('IM'),
    uniqueName: 'main',
    prompt: 'Press 1.',
    playUrl: null,
    input: ['dtmf'],
    numDigits: 1,
    timeout: 5,
    retries: 2,
    language: null,
    voice: null,
    options: [],
    dateCreated: 1_700_000_000_000,
    dateUpdated: 1_700_000_000_000,
    version: 1,
    ...overrides,
  };
}

export function message(n: number, overrides: Partial<ConversationMessage> = {}): ConversationMessage {
  return {
    sid: `SM${String(n).padStart(32, '0')}`,
    direction: 'inbound',
    from: CUSTOMER,
    to: NUMBER,
    body: `message ${n}`,
    mediaUrls: [],
    author: 'customer',
    status: 'received',
    errorCode: null,
    dateCreated: 1_700_000_000_000 + n,
    ...overrides,
  };
}

export function opening(taskSid = newSid('WT'), customer = CUSTOMER): ConversationOpening {
  return {
    sid: newConversationSid(NUMBER, customer),
    workspaceSid: 'WS' + '2'.repeat(32),
    taskSid,
    numberSid: 'PN' + '3'.repeat(32),
    number: NUMBER,
    customer,
    dateCreated: 1_700_000_000_000,
  };
}
