import { readIvrMenuSettings, type IvrMenuSettings } from '../connector/ivr-menu-settings.js';
import { readPhoneNumberSettings, type PhoneNumberSettings } from '../connector/phone-number-settings.js';
import { SettingsReader } from '../connector/settings-reader.js';
import { TwilioError } from '../core/errors.js';
import type { Declared, Fields } from './declared.js';
import { isMapping, type DocumentNode } from './document-node.js';
import { SetupError } from './setup-error.js';

/** The document's keys of a phone number: the connector's settings, with the workflow and IVR menu by name. */
const PHONE_NUMBER_KEYS = [
  'number',
  'friendly_name',
  'workflow',
  'task_channel',
  'ivr_menu',
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

const IVR_MENU_KEYS = ['unique_name', 'prompt', 'play_url', 'input', 'num_digits', 'timeout', 'retries', 'language', 'voice', 'options'] as const;
const OPTION_KEYS = ['digits', 'speech', 'attributes', 'next_menu'] as const;

/** Document keys that are named otherwise in the connector's settings, which take references as sids. */
const SETTING_NAMES: Record<string, string> = { workspace: 'workspace_sid', workflow: 'workflow_sid', ivr_menu: 'ivr_menu_sid' };

/** Stand-ins for the sids of objects the document may create: the connector's checks of shape need a sid's form. */
const SID_STAND_INS = { workspace_sid: `WS${'0'.repeat(32)}`, workflow_sid: `WW${'0'.repeat(32)}` };

/** The names a phone number's references resolve to. */
export interface PhoneNumberNames {
  workspace: string;
  workflow: string | null;
  ivrMenu: string | null;
}

/** A number's settings in the document's words: one shape for what the document asks and what exists. */
export function phoneNumberFields(n: PhoneNumberSettings, names: PhoneNumberNames): Fields {
  return {
    workspace: names.workspace,
    friendly_name: n.friendlyName,
    workflow: names.workflow,
    task_channel: n.taskChannel,
    ivr_menu: names.ivrMenu,
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
  };
}

/** A menu's settings in the document's words; `menuName` names the menu an option leads to. */
export function ivrMenuFields(m: IvrMenuSettings, menuName: (ref: string) => string): Fields {
  return {
    prompt: m.prompt,
    play_url: m.playUrl,
    input: m.input,
    num_digits: m.numDigits,
    timeout: m.timeout,
    retries: m.retries,
    language: m.language,
    voice: m.voice,
    options: m.options.map((o) => ({
      digits: o.digits,
      speech: o.speech,
      attributes: o.attributes,
      next_menu: o.nextMenuSid === null ? null : menuName(o.nextMenuSid),
    })),
  };
}

/**
 * A phone number declared in a workspace, checked as the connector checks its settings. Its workflow, channels and
 * menu are checked against the document and what exists by the planner.
 */
export function readPhoneNumber(node: DocumentNode, workspaceName: string): Declared {
  node.mapping(PHONE_NUMBER_KEYS);
  const number = node.requiredText('number', 16);
  const workflow = node.requiredText('workflow', 64);
  const ivrMenu = node.text('ivr_menu', 64) ?? null;
  const entry = node.value as Record<string, unknown>;
  const settings = connectorCheck(node, () =>
    readPhoneNumberSettings(SettingsReader.of({ ...connectorSettings(entry), ...SID_STAND_INS }, `${node.path}.`), null),
  );
  const fields = phoneNumberFields(settings, { workspace: workspaceName, workflow, ivrMenu });
  return { kind: 'phoneNumber', path: node.path, name: number, fields, given: givenKeys(node, fields), onCreate: {} };
}

/** An IVR menu, checked as the connector checks its settings; the menus its options lead to are checked by the planner. */
export function readIvrMenu(node: DocumentNode): Declared {
  node.mapping(IVR_MENU_KEYS);
  const uniqueName = node.requiredText('unique_name', 64);
  const options = node.items('options').map((option) => {
    option.mapping(OPTION_KEYS);
    const digits = (option.value as Record<string, unknown>).digits;
    if (digits !== undefined && digits !== null && typeof digits !== 'string') option.fail("must be text: write keys in quotes, e.g. digits: '1'", 'digits');
    const next = option.text('next_menu', 64);
    const { next_menu: _, ...rest } = option.value as Record<string, unknown>;
    return next === undefined ? rest : { ...rest, next_menu_sid: next };
  });
  const entry = node.value as Record<string, unknown>;
  const settings = connectorCheck(node, () => readIvrMenuSettings(SettingsReader.of({ ...entry, options }, `${node.path}.`), null));
  const fields = ivrMenuFields(settings, (ref) => ref);
  return { kind: 'ivrMenu', path: node.path, name: uniqueName, fields, given: givenKeys(node, fields), onCreate: {} };
}

/** Document settings (a phone number's, or some of them) as the connector takes them: references renamed. */
export function connectorSettings(fields: Fields): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [SETTING_NAMES[key] ?? key, value]));
}

/** A menu's document settings as the connector takes them: options lead to menus by `next_menu_sid`. */
export function connectorMenuSettings(fields: Fields): Record<string, unknown> {
  if (!Array.isArray(fields.options)) return fields;
  const options = fields.options.map((o: unknown) => {
    if (!isMapping(o)) return o;
    const { next_menu: next, ...rest } = o;
    return { ...rest, next_menu_sid: next ?? null };
  });
  return { ...fields, options };
}

function givenKeys(node: DocumentNode, fields: Fields): Set<string> {
  return new Set(Object.keys(fields).filter((key) => node.has(key)));
}

/** The connector's own refusal of a setting; its message already names the setting's path. */
function connectorCheck<T>(node: DocumentNode, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof TwilioError) throw new SetupError(node.file, '', err.message);
    throw err;
  }
}
