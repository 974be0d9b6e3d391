import { IVR_MENU_SETTINGS, readIvrMenuSettings, type IvrMenuSettings } from '../connector/ivr-menu-settings.js';
import { PHONE_NUMBER_SETTINGS, readPhoneNumberSettings, type PhoneNumberSettings } from '../connector/phone-number-settings.js';
import { SettingsReader } from '../connector/settings-reader.js';
import { TwilioError } from '../core/errors.js';
import type { Declared, Fields } from './declared.js';
import { isMapping, type DocumentNode } from './document-node.js';
import { camelCase } from './key-case.js';
import { SetupError } from './setup-error.js';

/** Settings the document names otherwise than the connector: it refers to other objects by name, not sid. */
const DOCUMENT_NAMES: Record<string, string> = { workspace_sid: 'workspace', workflow_sid: 'workflow', ivr_menu_sid: 'ivr_menu' };

/** The document's keys of a phone number: the connector's settings, the workflow and IVR menu by name (the workspace is the one it is declared in). */
const PHONE_NUMBER_KEYS = PHONE_NUMBER_SETTINGS.filter((key) => key !== 'workspace_sid').map((key) => DOCUMENT_NAMES[key] ?? key);

const OPTION_KEYS = ['digits', 'speech', 'attributes', 'next_menu'] as const;

/** Document keys that the connector's settings name otherwise. */
const SETTING_NAMES: Record<string, string> = Object.fromEntries(Object.entries(DOCUMENT_NAMES).map(([setting, key]) => [key, setting]));

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
  const references: Record<string, string | null> = { workspace_sid: names.workspace, workflow_sid: names.workflow, ivr_menu_sid: names.ivrMenu };
  const settings = PHONE_NUMBER_SETTINGS.filter((key) => key !== 'number');
  return Object.fromEntries(
    settings.map((key) => [DOCUMENT_NAMES[key] ?? key, key in references ? references[key] : n[camelCase(key) as keyof PhoneNumberSettings]]),
  );
}

/** A menu's settings in the document's words; `menuName` names the menu an option leads to. */
export function ivrMenuFields(m: IvrMenuSettings, menuName: (ref: string) => string): Fields {
  const settings = IVR_MENU_SETTINGS.filter((key) => key !== 'unique_name' && key !== 'options');
  const options = m.options.map(({ nextMenuSid, ...option }) => ({ ...option, next_menu: nextMenuSid === null ? null : menuName(nextMenuSid) }));
  return { ...Object.fromEntries(settings.map((key) => [key, m[camelCase(key) as keyof IvrMenuSettings]])), options };
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
  node.mapping(IVR_MENU_SETTINGS);
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
