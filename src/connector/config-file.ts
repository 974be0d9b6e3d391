import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config.js';
import { TwilioError } from '../core/errors.js';
import type { IvrMenuRecord } from '../core/model.js';
import type { ConnectorDirectory } from './connector-directory.js';
import { readIvrMenuSettings } from './ivr-menu-settings.js';
import { checkAnswersFit } from './menu-graph.js';
import { readPhoneNumberSettings } from './phone-number-settings.js';
import { SettingsReader } from './settings-reader.js';

/** What a configuration file applied: how many numbers and menus it holds. */
export interface AppliedConfiguration {
  phoneNumbers: number;
  ivrMenus: number;
}

const FILE_SECTIONS = ['ivr_menus', 'phone_numbers'];

/**
 * Applies a connector configuration file at start-up:
 * `{"ivr_menus": [{"unique_name": "main", …}], "phone_numbers": [{"number": "+1…", "ivr_menu_sid": "main", …}]}`.
 * Idempotent: menus are matched by unique name and numbers by E.164 number, created when missing and updated
 * otherwise, so every instance can apply the same file at every start. Menus go first, each after the menus it
 * leads to. Any problem stops start-up with a message naming the file entry and setting.
 */
export async function applyConfigFile(directory: ConnectorDirectory, path: string): Promise<AppliedConfiguration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`CONNECTOR_CONFIG: cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`CONNECTOR_CONFIG: ${path} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return await applyConfiguration(directory, parsed);
  } catch (err) {
    if (err instanceof TwilioError) throw new ConfigError(`CONNECTOR_CONFIG (${path}): ${err.message}`);
    throw err;
  }
}

/** Applies an already parsed configuration document; errors are the API's 400s, naming the entry. */
export async function applyConfiguration(directory: ConnectorDirectory, document: unknown): Promise<AppliedConfiguration> {
  const root = SettingsReader.of(document, '');
  root.rejectUnknown(FILE_SECTIONS);
  const menus = entries(root, 'ivr_menus');
  const numbers = entries(root, 'phone_numbers');
  const ordered = dependencyOrder(menus);
  await checkEntries(directory, ordered, numbers);
  for (const { entry, where } of ordered) {
    const reader = SettingsReader.of(entry, where);
    const name = reader.text('unique_name', 64);
    if (!name) throw new TwilioError(20001, 400, `${reader.name('unique_name')} is required`);
    await directory.upsertIvrMenu(name, reader);
  }
  for (const { entry, where } of numbers) {
    const reader = SettingsReader.of(entry, where);
    const number = reader.text('number', 16);
    if (!number) throw new TwilioError(20001, 400, `${reader.name('number')} is required`);
    await directory.upsertPhoneNumber(number, reader);
  }
  return { phoneNumbers: numbers.length, ivrMenus: menus.length };
}

interface Entry {
  entry: unknown;
  where: string;
}

/**
 * Reads every entry over what is stored before anything is written, so a file with a bad entry changes nothing:
 * each menu's and number's settings, and the answers a caller can collect through the menus as the file leaves them.
 * References to workspaces, workflows and channels are checked as each entry is written.
 */
async function checkEntries(directory: ConnectorDirectory, menus: Entry[], numbers: Entry[]): Promise<void> {
  const stored = await directory.listIvrMenus();
  // The menus as the file leaves them, keyed by sid (a new menu by a key of its own), options leading by those keys.
  const graph = new Map<string, Pick<IvrMenuRecord, 'uniqueName' | 'options'>>(stored.map((m) => [m.sid, m]));
  const keys = new Map<string, string>(
    stored.flatMap(
      (m) =>
        [
          [m.sid, m.sid],
          [m.uniqueName, m.sid],
        ] as const,
    ),
  );
  const read = menus.map(({ entry, where }) => {
    const reader = SettingsReader.of(entry, where);
    const current = stored.find((m) => m.uniqueName === reader.text('unique_name', 64)) ?? null;
    const settings = readIvrMenuSettings(reader, current);
    const key = current?.sid ?? `new menu ${settings.uniqueName}`;
    keys.set(settings.uniqueName, key);
    return { key, settings, reader };
  });
  for (const { key, settings } of read) {
    graph.set(key, {
      uniqueName: settings.uniqueName,
      options: settings.options.map((o) => ({ ...o, nextMenuSid: o.nextMenuSid && (keys.get(o.nextMenuSid) ?? null) })),
    });
  }
  for (const { key, reader } of read) checkAnswersFit(key, graph, reader.name('options'));
  for (const { entry, where } of numbers) {
    const reader = SettingsReader.of(entry, where);
    const number = reader.text('number', 16);
    readPhoneNumberSettings(reader, number ? await directory.findPhoneNumber(number) : null);
  }
}

function entries(root: SettingsReader, section: string): Entry[] {
  const list = root.structured(section) ?? [];
  if (!Array.isArray(list)) throw new TwilioError(20001, 400, `${section} must be a list`);
  return list.map((entry, i) => ({ entry, where: `${section}[${i}].` }));
}

/**
 * Menus ordered so each comes after the menus of this file its options lead to; a cycle among them is refused
 * here, before anything is written.
 */
function dependencyOrder(menus: Entry[]): Entry[] {
  const byName = new Map<string, Entry>();
  for (const m of menus) {
    const name = (m.entry as { unique_name?: unknown } | null)?.unique_name;
    if (typeof name === 'string') byName.set(name, m);
  }
  const leadsTo = (m: Entry): string[] => {
    const options = (m.entry as { options?: unknown } | null)?.options;
    if (!Array.isArray(options)) return [];
    return options.flatMap((o) => {
      const next = (o as { next_menu_sid?: unknown } | null)?.next_menu_sid;
      return typeof next === 'string' && byName.has(next) ? [next] : [];
    });
  };
  const ordered: Entry[] = [];
  const placed = new Set<Entry>();
  const visiting: string[] = [];
  const place = (m: Entry, name: string | undefined): void => {
    if (placed.has(m)) return;
    if (name !== undefined && visiting.includes(name)) {
      const cycle = [...visiting.slice(visiting.indexOf(name)), name];
      throw new TwilioError(20001, 400, `${m.where}options: menus would lead back to themselves (${cycle.join(' → ')}); a caller would never leave the IVR`);
    }
    if (name !== undefined) visiting.push(name);
    for (const next of leadsTo(m)) place(byName.get(next)!, next);
    if (name !== undefined) visiting.pop();
    placed.add(m);
    ordered.push(m);
  };
  for (const m of menus) {
    const name = (m.entry as { unique_name?: unknown } | null)?.unique_name;
    place(m, typeof name === 'string' ? name : undefined);
  }
  return ordered;
}
