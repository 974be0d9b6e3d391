import { badRequest } from '../core/errors.js';
import type { NoWorkersFallback, PhoneNumberRecord } from '../core/model.js';
import type { SettingsReader } from './settings-reader.js';

/** A phone number's settings, as stored but for the record's identity and dates. */
export type PhoneNumberSettings = Omit<PhoneNumberRecord, 'sid' | 'dateCreated' | 'dateUpdated' | 'version'>;

/** Every setting a phone number accepts, by its wire name. */
export const PHONE_NUMBER_SETTINGS = [
  'number',
  'friendly_name',
  'workspace_sid',
  'workflow_sid',
  'task_channel',
  'ivr_menu_sid',
  'language',
  'voice',
  'hold_music_url',
  'announce_every_seconds',
  'announce_position',
  'announce_wait',
  'max_queue_size',
  'when_no_workers',
  'fallback_message',
  'voicemail_max_seconds',
  'sms_task_channel',
  'sms_auto_reply',
] as const;

const FALLBACKS: readonly NoWorkersFallback[] = ['voicemail', 'message', 'queue'];
const E164 = /^\+[1-9]\d{1,14}$/;

/** What a new number gets for each setting left out. */
export const PHONE_NUMBER_DEFAULTS = {
  taskChannel: 'voice',
  language: 'en-US',
  announceEverySeconds: 30,
  announcePosition: true,
  announceWait: true,
  whenNoWorkers: 'queue' as NoWorkersFallback,
  voicemailMaxSeconds: 120,
  smsTaskChannel: 'sms',
};

/** True for an E.164 number such as +15551234567. */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * Reads a phone number's settings over `current` (null when creating): what is absent keeps its current value or
 * default, what is cleared becomes null where null is allowed. Shapes only; references are checked by
 * `checkReferences` in connector-directory.ts, which needs the store.
 */
export function readPhoneNumberSettings(reader: SettingsReader, current: PhoneNumberSettings | null): PhoneNumberSettings {
  reader.rejectUnknown(PHONE_NUMBER_SETTINGS);
  const required = <T>(value: T | null | undefined, key: string, fallback: T | undefined): T => {
    if (value === null) throw badRequest(`${reader.name(key)} cannot be empty`);
    const result = value ?? fallback;
    if (result === undefined) throw badRequest(`${reader.name(key)} is required`);
    return result;
  };
  const optional = <T>(value: T | null | undefined, fallback: T | null): T | null => (value === undefined ? fallback : value);

  const number = required(reader.text('number', 16), 'number', current?.number);
  if (!isE164(number)) throw badRequest(`${reader.name('number')} must be an E.164 number such as +15551234567, got '${number}'`);
  const workspaceSid = required(reader.text('workspace_sid', 34), 'workspace_sid', current?.workspaceSid);
  if (!/^WS[0-9a-fA-F]{32}$/.test(workspaceSid)) throw badRequest(`${reader.name('workspace_sid')} must be a Workspace SID (WS…)`);
  const workflowSid = required(reader.text('workflow_sid', 34), 'workflow_sid', current?.workflowSid);
  if (!/^WW[0-9a-fA-F]{32}$/.test(workflowSid)) throw badRequest(`${reader.name('workflow_sid')} must be a Workflow SID (WW…)`);

  return {
    number,
    friendlyName: optional(reader.text('friendly_name', 64), null) ?? current?.friendlyName ?? number,
    workspaceSid,
    workflowSid,
    taskChannel: required(reader.text('task_channel', 64), 'task_channel', current?.taskChannel ?? PHONE_NUMBER_DEFAULTS.taskChannel),
    ivrMenuSid: optional(reader.text('ivr_menu_sid', 64), current?.ivrMenuSid ?? null),
    language: required(reader.text('language', 16), 'language', current?.language ?? PHONE_NUMBER_DEFAULTS.language),
    voice: optional(reader.text('voice', 64), current?.voice ?? null),
    holdMusicUrl: optional(reader.url('hold_music_url'), current?.holdMusicUrl ?? null),
    announceEverySeconds: required(
      reader.int('announce_every_seconds', 5, 600),
      'announce_every_seconds',
      current?.announceEverySeconds ?? PHONE_NUMBER_DEFAULTS.announceEverySeconds,
    ),
    announcePosition: required(reader.bool('announce_position'), 'announce_position', current?.announcePosition ?? PHONE_NUMBER_DEFAULTS.announcePosition),
    announceWait: required(reader.bool('announce_wait'), 'announce_wait', current?.announceWait ?? PHONE_NUMBER_DEFAULTS.announceWait),
    maxQueueSize: optional(reader.int('max_queue_size', 1, 5000), current?.maxQueueSize ?? null),
    whenNoWorkers: required(reader.oneOf('when_no_workers', FALLBACKS), 'when_no_workers', current?.whenNoWorkers ?? PHONE_NUMBER_DEFAULTS.whenNoWorkers),
    fallbackMessage: optional(reader.text('fallback_message', 1024), current?.fallbackMessage ?? null),
    voicemailMaxSeconds: required(
      reader.int('voicemail_max_seconds', 5, 3600),
      'voicemail_max_seconds',
      current?.voicemailMaxSeconds ?? PHONE_NUMBER_DEFAULTS.voicemailMaxSeconds,
    ),
    // Numbers stored before SMS settings existed read as the defaults.
    smsTaskChannel: required(reader.text('sms_task_channel', 64), 'sms_task_channel', current?.smsTaskChannel ?? PHONE_NUMBER_DEFAULTS.smsTaskChannel),
    smsAutoReply: optional(reader.text('sms_auto_reply', 1600), current?.smsAutoReply ?? null),
  };
}
