import { badRequest } from '../core/errors.js';
import type { IvrInput, IvrMenuRecord, IvrOption } from '../core/model.js';
import { MAX_ATTRIBUTES_LENGTH } from '../core/validate.js';
import { CALL_ATTRIBUTE_NAMES } from './call-attributes.js';
import { SettingsReader } from './settings-reader.js';

/** An IVR menu's settings, as stored but for the record's identity and dates. */
export type IvrMenuSettings = Omit<IvrMenuRecord, 'sid' | 'dateCreated' | 'dateUpdated' | 'version'>;

/** Every setting a menu accepts, by its wire name. */
export const IVR_MENU_SETTINGS = ['unique_name', 'prompt', 'play_url', 'input', 'num_digits', 'timeout', 'retries', 'language', 'voice', 'options'] as const;

const OPTION_SETTINGS = ['digits', 'speech', 'attributes', 'next_menu_sid'] as const;
const INPUTS: readonly IvrInput[] = ['dtmf', 'speech'];
const MAX_OPTIONS = 20;
/** Twilio's limits on a `<Gather>`'s hints, which are the menu's speech words: 500 phrases of 100 characters. */
const MAX_HINTS = 500;
const MAX_HINT_CHARS = 100;

/**
 * What the attributes of the options a caller chooses, along any path through the menus, may take as JSON: half of
 * TaskRouter's 4,096 characters of task attributes. The other half is kept for the call's own attributes (`call_sid`,
 * `from`, `to`, their cities and countries…; some 800 characters for a phone call, more for SIP or client callers),
 * so the caller's task always fits and no caller is hung up on for what they pressed.
 */
export const MAX_ANSWER_ATTRIBUTES = MAX_ATTRIBUTES_LENGTH / 2;

/** Why answers are bounded, for error messages. */
export const ANSWER_BOUND_REASON = `a task's attributes are limited to ${MAX_ATTRIBUTES_LENGTH} characters and half of them is kept for the call's own (call_sid, from, to, …)`;

/**
 * Reads a menu's settings over `current` (null when creating). `next_menu_sid` of an option may name a menu by sid
 * or unique name; it is kept as given here and resolved to a sid by the directory, which knows the other menus.
 */
export function readIvrMenuSettings(reader: SettingsReader, current: IvrMenuSettings | null): IvrMenuSettings {
  reader.rejectUnknown(IVR_MENU_SETTINGS);
  const uniqueName = reader.text('unique_name', 64) ?? current?.uniqueName;
  if (!uniqueName) throw badRequest(`${reader.name('unique_name')} is required`);
  if (/^IM[0-9a-fA-F]{32}$/.test(uniqueName)) throw badRequest(`${reader.name('unique_name')} must not look like a menu SID`);

  const prompt = pick(reader.text('prompt'), current?.prompt ?? null);
  const playUrl = pick(reader.url('play_url'), current?.playUrl ?? null);
  if (!prompt && !playUrl) throw badRequest(`${reader.name('prompt')} or ${reader.name('play_url')} is required: the caller must hear the menu`);

  const input = reader.list('input') ?? current?.input ?? ['dtmf'];
  if (input.length === 0 || input.some((i) => !(INPUTS as readonly string[]).includes(i))) {
    throw badRequest(`${reader.name('input')} must be dtmf, speech, or both`);
  }
  const options = reader.has('options') ? readOptions(reader, input as IvrInput[]) : (current?.options ?? null);
  if (!options || options.length === 0) throw badRequest(`${reader.name('options')} must list at least one option`);

  return {
    uniqueName,
    prompt,
    playUrl,
    input: [...new Set(input)] as IvrInput[],
    numDigits: reader.int('num_digits', 1, 20) ?? current?.numDigits ?? 1,
    timeout: reader.int('timeout', 1, 60) ?? current?.timeout ?? 5,
    retries: pick(reader.int('retries', 0, 10), current?.retries ?? 2) ?? 0,
    language: pick(reader.text('language', 16), current?.language ?? null),
    voice: pick(reader.text('voice', 64), current?.voice ?? null),
    options,
  };
}

function readOptions(reader: SettingsReader, input: IvrInput[]): IvrOption[] {
  const raw = reader.structured('options');
  if (!Array.isArray(raw)) throw badRequest(`${reader.name('options')} must be a list of options`);
  if (raw.length > MAX_OPTIONS) throw badRequest(`${reader.name('options')} may list at most ${MAX_OPTIONS} options`);
  const seenDigits = new Set<string>();
  let hints = 0;
  return raw.map((entry, i) => {
    const option = SettingsReader.of(entry, `${reader.name('options')}[${i}].`);
    option.rejectUnknown(OPTION_SETTINGS);
    const digits = option.text('digits', 20) ?? null;
    if (digits !== null && !/^[0-9*#]+$/.test(digits)) throw badRequest(`${option.name('digits')} must be keypad keys (0-9, * and #), got '${digits}'`);
    if (digits !== null && seenDigits.has(digits)) throw badRequest(`${option.name('digits')} '${digits}' is already used by another option`);
    if (digits !== null) seenDigits.add(digits);
    const speech = (option.list('speech') ?? []).map((w) => w.trim().toLowerCase()).filter((w) => w !== '');
    if (digits === null && speech.length === 0) throw badRequest(`${option.name('digits')} or ${option.name('speech')} is required`);
    if (digits !== null && !input.includes('dtmf')) throw badRequest(`${option.name('digits')} needs dtmf among the menu's input`);
    if (speech.length > 0 && !input.includes('speech')) throw badRequest(`${option.name('speech')} needs speech among the menu's input`);
    if (speech.some((w) => w.length > MAX_HINT_CHARS)) throw badRequest(`${option.name('speech')} words must be at most ${MAX_HINT_CHARS} characters each`);
    hints += speech.length;
    if (hints > MAX_HINTS) throw badRequest(`${reader.name('options')} may list at most ${MAX_HINTS} speech words in all`);
    const attributes = readAttributes(option);
    return { digits, speech, attributes, nextMenuSid: option.text('next_menu_sid', 64) ?? null };
  });
}

/**
 * An option's attributes, merged into the caller's task: a JSON object, nested no deeper than the reader allows, that
 * leaves the call's own attributes alone and fits, as JSON, within `MAX_ANSWER_ATTRIBUTES`.
 */
function readAttributes(option: SettingsReader): Record<string, unknown> {
  const attributes = option.structured('attributes') ?? {};
  if (typeof attributes !== 'object' || Array.isArray(attributes)) throw badRequest(`${option.name('attributes')} must be a JSON object`);
  const taken = Object.keys(attributes).filter((key) => CALL_ATTRIBUTE_NAMES.includes(key));
  if (taken.length > 0) {
    throw badRequest(`${option.name('attributes')} must not set ${taken.join(', ')}: the task takes ${taken.length > 1 ? 'them' : 'it'} from the call`);
  }
  const length = JSON.stringify(attributes).length;
  if (length > MAX_ANSWER_ATTRIBUTES) {
    throw badRequest(`${option.name('attributes')} must take at most ${MAX_ANSWER_ATTRIBUTES} characters as JSON, got ${length}: ${ANSWER_BOUND_REASON}`);
  }
  return attributes as Record<string, unknown>;
}

function pick<T>(value: T | null | undefined, fallback: T | null): T | null {
  return value === undefined ? fallback : value;
}
